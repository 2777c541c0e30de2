import { applyMatchEvent, blankMatch, type MatchEvent } from './match-report-state';

const sides = { a: { agency: 'GB-WMP', country: 'GB' }, b: { agency: 'RO-ENU', country: 'RO' } };
const found: MatchEvent = {
  kind: 'found',
  matchId: 'm1',
  entityType: 'phone',
  strength: 'strong',
  ...sides,
  foundAt: new Date('2017-05-02T23:30:00Z'),
};
const updated = (at: string, decisionA: 'released' | 'pending'): MatchEvent => ({
  kind: 'updated',
  matchId: 'm1',
  entityType: 'phone',
  strength: 'strong',
  ...sides,
  updatedAt: new Date(at),
  decisionA,
  decisionB: 'pending',
  candidateState: null,
});

describe('a match as the tracker keeps it', () => {
  it('starts blank: not found, nothing decided, a candidate suggested', () => {
    expect(blankMatch(found)).toMatchObject({ foundOn: null, a: { decision: 'pending' }, candidateState: null });
    expect(blankMatch({ ...found, strength: 'candidate' }).candidateState).toBe('suggested');
  });

  it('comes out the same whichever of found and updated arrives first', () => {
    const release = updated('2017-05-03T08:00:00Z', 'released');
    const one = applyMatchEvent(applyMatchEvent(blankMatch(found), found), release);
    const other = applyMatchEvent(applyMatchEvent(blankMatch(release), release), found);
    expect(one).toEqual(other);
    expect(one).toMatchObject({ foundOn: '2017-05-02', a: { decision: 'released' } });
  });

  it('keeps the day it was first found, and never lets an older update replace a newer one', () => {
    const state = applyMatchEvent(
      applyMatchEvent(blankMatch(found), found),
      updated('2017-05-03T08:00:00Z', 'released'),
    );
    expect(applyMatchEvent(state, { ...found, foundAt: new Date('2017-06-01T00:00:00Z') })).toBe(state);
    expect(applyMatchEvent(state, updated('2017-05-03T07:00:00Z', 'pending'))).toBe(state);
  });
});
