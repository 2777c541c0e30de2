import {
  applyReview,
  candidateProblem,
  decisionProblem,
  discloseMatch,
  isLinked,
  type MatchRecord,
} from './match-disclosure';

const match = (
  a: Partial<MatchRecord['a']> = {},
  b: Partial<MatchRecord['b']> = {},
  extra: Partial<MatchRecord> = {},
): MatchRecord => ({
  id: 'm-1',
  entityType: 'phone',
  strength: 'strong',
  value: 'phone:+40721234567',
  candidateState: null,
  foundAt: new Date('2026-11-01T10:00:00Z'),
  ...extra,
  a: { caseReference: 'LIA-A', agency: 'GB-WMP', decision: 'pending', messageId: 'msg-a', ...a },
  b: { caseReference: 'LIA-B', agency: 'RO-ENU', decision: 'pending', messageId: 'msg-b', ...b },
});

describe('discloseMatch', () => {
  it('tells each owner only of its own case, the other agency and the entity type while undecided', () => {
    const seen = discloseMatch(match(), 'RO-ENU')!;
    expect(seen).toMatchObject({ ownCase: 'LIA-B', otherAgency: 'GB-WMP', entityType: 'phone', linked: false });
    expect(seen).not.toHaveProperty('released');
    expect(JSON.stringify(seen)).not.toContain('LIA-A');
    expect(JSON.stringify(seen)).not.toContain('+40721234567');
  });

  it('shows a side the value and the other case only when the other owner released them', () => {
    const released = match({ decision: 'released' });
    expect(discloseMatch(released, 'RO-ENU')?.released).toEqual({
      value: 'phone:+40721234567',
      otherCase: 'LIA-A',
      otherMessageId: 'msg-a',
    });
    expect(discloseMatch(released, 'GB-WMP')).not.toHaveProperty('released');
  });

  it('never shows declined details, and links the cases only when both released', () => {
    const declined = match({ decision: 'declined' }, { decision: 'released' });
    expect(discloseMatch(declined, 'RO-ENU')).not.toHaveProperty('released');
    expect(discloseMatch(declined, 'GB-WMP')?.released?.otherCase).toBe('LIA-B');
    expect(discloseMatch(declined, 'GB-WMP')?.linked).toBe(false);
    expect(discloseMatch(match({ decision: 'released' }, { decision: 'released' }), 'GB-WMP')?.linked).toBe(true);
  });

  it('shows nothing to an agency that owns neither side', () => {
    expect(discloseMatch(match({ decision: 'released' }, { decision: 'released' }), 'BG-ENU')).toBeNull();
  });

  it('shows both of its own cases to an agency on both sides', () => {
    expect(discloseMatch(match({}, { agency: 'GB-WMP' }), 'GB-WMP')?.released?.otherCase).toBe('LIA-B');
  });
});

describe('decisions', () => {
  it('lets each owner decide its own side once', () => {
    expect(decisionProblem(match(), 'GB-WMP')).toBeNull();
    expect(decisionProblem(match({ decision: 'declined' }), 'GB-WMP')).toEqual({
      kind: 'conflict',
      message: "this side's details were already declined",
    });
    expect(decisionProblem(match({ decision: 'declined' }), 'RO-ENU')).toBeNull();
    expect(decisionProblem(match(), 'BG-ENU')).toEqual({ kind: 'not-found' });
  });

  it('lets either owner confirm or dismiss a suggested candidate, and nothing else', () => {
    const candidate = match({}, {}, { strength: 'candidate', candidateState: 'suggested' });
    expect(candidateProblem(candidate, 'RO-ENU')).toBeNull();
    expect(candidateProblem({ ...candidate, candidateState: 'dismissed' }, 'GB-WMP')).toMatchObject({
      kind: 'conflict',
    });
    expect(candidateProblem(match(), 'GB-WMP')).toMatchObject({
      kind: 'invalid',
      message: expect.stringContaining('strong'),
    });
    expect(candidateProblem(candidate, 'BG-ENU')).toEqual({ kind: 'not-found' });
  });
});

describe('applyReview', () => {
  it("settles only the acting owner's side, and links the cases when both released", () => {
    const first = applyReview(match(), 'RO-ENU', 'release');
    expect(first).toMatchObject({ match: { a: { decision: 'pending' }, b: { decision: 'released' } } });
    if (!('match' in first)) throw new Error('expected the release to apply');
    expect(isLinked(first.match)).toBe(false);
    const second = applyReview(first.match, 'GB-WMP', 'release');
    if (!('match' in second)) throw new Error('expected the release to apply');
    expect(isLinked(second.match)).toBe(true);
  });

  it('applies a side decision only once', () => {
    expect(applyReview(match({}, { decision: 'declined' }), 'RO-ENU', 'release')).toEqual({
      problem: { kind: 'conflict', message: "this side's details were already declined" },
    });
  });

  it('settles a candidate for both sides, once, and releases nothing on a dismissed one', () => {
    const candidate = match({}, {}, { strength: 'candidate', candidateState: 'suggested' });
    const dismissed = applyReview(candidate, 'GB-WMP', 'dismiss');
    expect(dismissed).toMatchObject({ match: { candidateState: 'dismissed' } });
    if (!('match' in dismissed)) throw new Error('expected the dismissal to apply');
    expect(applyReview(dismissed.match, 'RO-ENU', 'confirm')).toMatchObject({ problem: { kind: 'conflict' } });
    expect(applyReview(dismissed.match, 'RO-ENU', 'release')).toMatchObject({
      problem: { kind: 'invalid', message: expect.stringContaining('dismissed') },
    });
    expect(applyReview(candidate, 'RO-ENU', 'confirm')).toMatchObject({ match: { candidateState: 'confirmed' } });
  });

  it('refuses an agency that owns neither side', () => {
    expect(applyReview(match(), 'BG-ENU', 'release')).toEqual({ problem: { kind: 'not-found' } });
  });
});
