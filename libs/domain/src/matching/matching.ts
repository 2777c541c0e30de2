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

/**
 * What the index knows about one key once a batch's own holdings of it are written: every case holding it
 * (the batch's own included), whether an admin excluded it and whether it was already found past the cap (then
 * its holders are not read: there may be thousands).
 */
export interface KeyState {
  holders: KeyHolder[];
  excluded: boolean;
  overCorrelated: boolean;
}

export interface NewMatch {
  key: string;
  strength: MatchStrength;
  /** The two sides in a stable order (case references compared), so a pair is one match whichever came first. */
  a: KeyHolder;
  b: KeyHolder;
}

/** `passedCap`: this read is the first to find the key past the cap (it is then marked, and listed for admins). */
export type KeyOutcome =
  { kind: 'matches'; matches: NewMatch[] } | { kind: 'excluded' } | { kind: 'over-correlated'; passedCap: boolean };

/** The stable identity of a pair of cases, whatever order they are given in. */
export function casePair(x: string, y: string): [string, string] {
  return x < y ? [x, y] : [y, x];
}

export function pairId(x: string, y: string): string {
  return casePair(x, y).join('|');
}

/** What makes a stored match one: its key and both sides (the store keeps one match per key and pair). */
export function matchIdentity(match: Pick<NewMatch, 'key' | 'a' | 'b'>): string {
  return `${match.key}\n${match.a.caseReference}\n${match.a.agency}\n${match.b.caseReference}\n${match.b.agency}`;
}

/**
 * What `key`, held by `holder`, links to. The holding is written before the state is read, so of two cases
 * adding a key at the same moment, the one read last always finds the other; the same pair proposed twice (by
 * both, or by a case repeating a key) is one match, as the store keeps one per key and pair. `dismissedPairs`
 * holds the `pairId`s of candidate matches someone dismissed: they stay dismissed.
 */
export function keyOutcome(
  key: MatchKey,
  holder: KeyHolder,
  state: KeyState,
  cap: number,
  dismissedPairs: ReadonlySet<string>,
): KeyOutcome {
  if (state.excluded) return { kind: 'excluded' };
  if (state.overCorrelated) return { kind: 'over-correlated', passedCap: false };
  // The other cases, each once (a key that can still match has few holders).
  const others: KeyHolder[] = [];
  for (const h of state.holders) {
    if (h.caseReference !== holder.caseReference && !others.some((o) => o.caseReference === h.caseReference))
      others.push(h);
  }
  if (others.length + 1 > cap) return { kind: 'over-correlated', passedCap: true };
  const matches: NewMatch[] = [];
  for (const other of others) {
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
  const named = new Set(
    matches.filter((m) => m.key.startsWith('person-name:')).map((m) => pairId(m.a.caseReference, m.b.caseReference)),
  );
  return matches.filter(
    (m) => !m.key.startsWith('person-sound:') || !named.has(pairId(m.a.caseReference, m.b.caseReference)),
  );
}
