import type { MatchKey, MatchStrength } from './match-keys';

/**
 * When sharing a key links two cases. A match is two different cases holding the same key; a key held by
 * more cases than the cap is over-correlated (a hotel switchboard, a shared company address) and links
 * nothing more; a key on the exclusion list links nothing; a candidate pair someone dismissed is not
 * suggested again.
 */
export const DEFAULT_OVER_CORRELATION_CAP = 20;

/** A case holding a key, and the agency whose message put it there (the data owner). */
export interface KeyHolder {
  caseReference: string;
  agency: string;
}

/** What the index knows about one key before a new message's keys are added. */
export interface KeyState {
  /** Cases that already hold the key (at most cap + 1 are needed to decide). */
  holders: KeyHolder[];
  /** How many distinct cases hold it in all. */
  caseCount: number;
  excluded: boolean;
}

export interface NewMatch {
  key: string;
  strength: MatchStrength;
  /** The two sides in a stable order (case references compared), so a pair is one match whichever came first. */
  a: KeyHolder;
  b: KeyHolder;
}

export type KeyOutcome = { kind: 'matches'; matches: NewMatch[] } | { kind: 'excluded' } | { kind: 'over-correlated'; caseCount: number };

/** The stable identity of a pair of cases, whatever order they are given in. */
export function casePair(x: string, y: string): [string, string] {
  return x < y ? [x, y] : [y, x];
}

export function pairId(x: string, y: string): string {
  return casePair(x, y).join('|');
}

/**
 * What adding `key`, held by `holder`, to the index does. `dismissedPairs` holds the `pairId`s of candidate
 * matches someone dismissed: they stay dismissed.
 */
export function keyOutcome(key: MatchKey, holder: KeyHolder, state: KeyState, cap: number, dismissedPairs: ReadonlySet<string>): KeyOutcome {
  if (state.excluded) return { kind: 'excluded' };
  const alreadyHeld = state.holders.some((h) => h.caseReference === holder.caseReference);
  const caseCount = state.caseCount + (alreadyHeld ? 0 : 1);
  if (caseCount > cap) return { kind: 'over-correlated', caseCount };
  // A case that already held the key was matched when it first did.
  if (alreadyHeld) return { kind: 'matches', matches: [] };
  const seen = new Set<string>();
  const matches: NewMatch[] = [];
  for (const other of state.holders) {
    if (seen.has(other.caseReference)) continue;
    seen.add(other.caseReference);
    if (key.strength === 'candidate' && dismissedPairs.has(pairId(holder.caseReference, other.caseReference))) continue;
    const [a, b] = holder.caseReference < other.caseReference ? [holder, other] : [other, holder];
    matches.push({ key: key.key, strength: key.strength, a, b });
  }
  return { kind: 'matches', matches };
}

/**
 * One suggestion per person per pair of cases: a person matched by its folded name is matched by its name
 * sound too, so a message's sound match is dropped where the same pair already has a name match from it.
 * A sound match on its own (Popescu and Popesku) stays.
 */
export function withoutRedundantCandidates<M extends Pick<NewMatch, 'key' | 'a' | 'b'>>(matches: M[]): M[] {
  const named = new Set(matches.filter((m) => m.key.startsWith('person-name:')).map((m) => pairId(m.a.caseReference, m.b.caseReference)));
  return matches.filter((m) => !m.key.startsWith('person-sound:') || !named.has(pairId(m.a.caseReference, m.b.caseReference)));
}
