import type { MatchKey } from './match-keys';
import {
  keyOutcome,
  matchIdentity,
  pairId,
  withoutRedundantCandidates,
  type KeyHolder,
  type KeyState,
} from './matching';

const phone: MatchKey = { key: 'phone:+40721234567', kind: 'phone', strength: 'strong', extracted: false };
const person: MatchKey = {
  key: 'person-sound:psk stfn|1987-04-12',
  kind: 'person-sound',
  strength: 'candidate',
  extracted: false,
};
const newcomer: KeyHolder = { caseReference: 'LIA-2026-000200', agency: 'RO-ENU' };
const holder = (n: number, agency = 'GB-WMP'): KeyHolder => ({
  caseReference: `LIA-2026-${String(n).padStart(6, '0')}`,
  agency,
});
const state = (holders: KeyHolder[], extra: Partial<KeyState> = {}): KeyState => ({
  holders: [...holders, newcomer],
  excluded: false,
  overCorrelated: false,
  ...extra,
});

describe('keyOutcome', () => {
  it('links the new case to every other case holding the key, each pair in a stable order', () => {
    const outcome = keyOutcome(phone, newcomer, state([holder(100), holder(300, 'BG-ENU')]), 20, new Set());
    expect(outcome).toEqual({
      kind: 'matches',
      matches: [
        { key: phone.key, strength: 'strong', a: holder(100), b: newcomer },
        { key: phone.key, strength: 'strong', a: newcomer, b: holder(300, 'BG-ENU') },
      ],
    });
  });

  it('makes no match within one case, and counts a case once whichever of its agencies holds the key', () => {
    expect(keyOutcome(phone, newcomer, state([]), 20, new Set())).toEqual({ kind: 'matches', matches: [] });
    expect(keyOutcome(phone, newcomer, state([{ ...newcomer, agency: 'GB-WMP' }]), 20, new Set())).toEqual({
      kind: 'matches',
      matches: [],
    });
    expect(keyOutcome(phone, newcomer, state([{ ...newcomer, agency: 'GB-WMP' }, holder(100)]), 20, new Set())).toEqual(
      {
        kind: 'matches',
        matches: [{ key: phone.key, strength: 'strong', a: holder(100), b: newcomer }],
      },
    );
    const twice = Array.from({ length: 20 }, (_, i) => holder(Math.floor(i / 2) + 1, i % 2 ? 'GB-MET' : 'GB-WMP'));
    expect(keyOutcome(phone, newcomer, state(twice), 20, new Set())).toMatchObject({ kind: 'matches' });
  });

  it('proposes the same pairs again when a case repeats a key, so a match lost to a crash is found on the replay', () => {
    const once = keyOutcome(phone, newcomer, state([holder(100)]), 20, new Set());
    expect(keyOutcome(phone, newcomer, state([holder(100)]), 20, new Set())).toEqual(once);
  });

  it('links nothing once the key is held by more cases than the cap', () => {
    const twenty = Array.from({ length: 20 }, (_, i) => holder(i + 1));
    expect(keyOutcome(phone, newcomer, state(twenty.slice(0, 19)), 20, new Set())).toMatchObject({ kind: 'matches' });
    expect(keyOutcome(phone, newcomer, state(twenty), 20, new Set())).toEqual({
      kind: 'over-correlated',
      passedCap: true,
    });
    expect(keyOutcome(phone, newcomer, state(twenty.slice(0, 2)), 2, new Set())).toEqual({
      kind: 'over-correlated',
      passedCap: true,
    });
  });

  it('reads no holders of a key already past the cap, and does not report it again', () => {
    expect(keyOutcome(phone, newcomer, { holders: [], excluded: false, overCorrelated: true }, 20, new Set())).toEqual({
      kind: 'over-correlated',
      passedCap: false,
    });
  });

  it('links nothing for an excluded key', () => {
    expect(keyOutcome(phone, newcomer, state([holder(100)], { excluded: true }), 20, new Set())).toEqual({
      kind: 'excluded',
    });
  });

  it('does not suggest a dismissed candidate pair again, but still reports strong matches for it', () => {
    const dismissed = new Set([pairId(holder(100).caseReference, newcomer.caseReference)]);
    expect(keyOutcome(person, newcomer, state([holder(100), holder(300)]), 20, dismissed)).toEqual({
      kind: 'matches',
      matches: [{ key: person.key, strength: 'candidate', a: newcomer, b: holder(300) }],
    });
    expect(keyOutcome(phone, newcomer, state([holder(100)]), 20, dismissed)).toMatchObject({
      matches: [{ a: holder(100), b: newcomer }],
    });
  });

  it('names a pair the same whichever case comes first', () => {
    expect(pairId('LIA-B', 'LIA-A')).toBe(pairId('LIA-A', 'LIA-B'));
  });
});

describe('withoutRedundantCandidates', () => {
  const side = (caseReference: string) => ({ caseReference, agency: 'GB-WMP' });
  const match = (key: string, x: string, y: string) => ({
    key,
    strength: 'candidate' as const,
    a: side(x),
    b: side(y),
  });

  it('keeps one suggestion for a person matched by name and by sound', () => {
    const kept = withoutRedundantCandidates([
      match('person-name:popescu stefan|1988-04-02', 'A', 'B'),
      match('person-sound:psk stfn|1988-04-02', 'A', 'B'),
      match('phone:+40721234567', 'A', 'B'),
    ]);
    expect(kept.map((m) => m.key)).toEqual(['person-name:popescu stefan|1988-04-02', 'phone:+40721234567']);
  });

  it('keeps a sound match that has no name match for its pair', () => {
    const kept = withoutRedundantCandidates([
      match('person-name:popescu stefan|1988-04-02', 'A', 'B'),
      match('person-sound:psk stfn|1988-04-02', 'A', 'C'),
    ]);
    expect(kept).toHaveLength(2);
  });

  it('identifies a stored match by its key and both sides, agencies included', () => {
    const a = { caseReference: 'LIA-1', agency: 'GB-WMP' };
    const b = { caseReference: 'LIA-2', agency: 'RO-ENU' };
    expect(matchIdentity({ key: 'phone:+40721', a, b })).toBe(
      matchIdentity({ key: 'phone:+40721', a: { ...a }, b: { ...b } }),
    );
    expect(matchIdentity({ key: 'phone:+40721', a, b })).not.toBe(
      matchIdentity({ key: 'phone:+40721', a, b: { ...b, agency: 'RO-POL' } }),
    );
    expect(matchIdentity({ key: 'phone:+40721', a, b })).not.toBe(matchIdentity({ key: 'phone:+40722', a, b }));
  });
});
