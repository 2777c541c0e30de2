import { decideRouting, type RoutingContext, type Submission } from './routing-policy';

const agencies = new Set(['GB-WMP', 'GB-NCA-UKLB', 'RO-ENU', 'BG-ENU']);

function context(cases: Record<string, string[]> = {}, closed: string[] = []): RoutingContext {
  return {
    isKnownAgency: (code) => agencies.has(code),
    participantsOf: (reference) => (cases[reference] ? new Set(cases[reference]) : undefined),
    isClosed: (reference) => closed.includes(reference),
    clearanceOf: (code) => (agencies.has(code) ? (code === 'BG-ENU' ? 'restricted' : 'confidential') : undefined),
  };
}

const opening: Submission = {
  caseReference: 'LIA-2026-AAAAAAAA0',
  opensCase: true,
  senderAgency: 'GB-WMP',
  recipientAgencies: ['GB-NCA-UKLB'],
  classification: 'basic-protection',
};

describe('decideRouting', () => {
  it('routes a message that opens a new case', () => {
    expect(decideRouting(opening, context())).toEqual({ route: true });
  });

  it('routes a participant’s message into an existing case', () => {
    const reply = { ...opening, opensCase: false, senderAgency: 'GB-NCA-UKLB', recipientAgencies: ['RO-ENU'] };
    expect(decideRouting(reply, context({ [opening.caseReference]: ['GB-WMP', 'GB-NCA-UKLB'] }))).toEqual({
      route: true,
    });
  });

  it('refuses a case the sender takes no part in', () => {
    const intruder = { ...opening, opensCase: false, senderAgency: 'BG-ENU' };
    expect(decideRouting(intruder, context({ [opening.caseReference]: ['GB-WMP', 'GB-NCA-UKLB'] }))).toMatchObject({
      route: false,
      code: 'CASE_NOT_ACCESSIBLE',
    });
  });

  it('never lets a message that claims to open a case take over an existing one', () => {
    const takeover = { ...opening, senderAgency: 'BG-ENU' };
    expect(decideRouting(takeover, context({ [opening.caseReference]: ['GB-WMP'] }))).toMatchObject({
      route: false,
      code: 'CASE_NOT_ACCESSIBLE',
    });
  });

  it('refuses a reply into a case that does not exist', () => {
    expect(decideRouting({ ...opening, opensCase: false }, context())).toMatchObject({
      route: false,
      code: 'CASE_NOT_ACCESSIBLE',
    });
  });

  it('refuses any message into a closed case, even from a participant', () => {
    const late = { ...opening, opensCase: false };
    expect(
      decideRouting(late, context({ [opening.caseReference]: ['GB-WMP', 'GB-NCA-UKLB'] }, [opening.caseReference])),
    ).toEqual({
      route: false,
      code: 'CASE_CLOSED',
      detail: `case ${opening.caseReference} is closed`,
    });
  });

  it('refuses a message classified above a recipient’s clearance, naming it', () => {
    const secret = { ...opening, recipientAgencies: ['RO-ENU', 'BG-ENU'], classification: 'confidential' as const };
    expect(decideRouting(secret, context())).toEqual({
      route: false,
      code: 'RECIPIENT_NOT_CLEARED',
      detail: 'not cleared for confidential: BG-ENU',
    });
    expect(decideRouting({ ...secret, classification: 'restricted' }, context())).toEqual({ route: true });
  });

  it('names unknown recipients and an unknown sender', () => {
    expect(decideRouting({ ...opening, recipientAgencies: ['RO-ENU', 'XX-GONE'] }, context())).toEqual({
      route: false,
      code: 'UNKNOWN_RECIPIENT',
      detail: 'unknown recipient agencies: XX-GONE',
    });
    expect(decideRouting({ ...opening, senderAgency: 'XX-GONE' }, context())).toMatchObject({
      route: false,
      code: 'UNKNOWN_SENDER',
    });
  });
});

describe('routing a message addressed to a JIT', () => {
  const jit = { startsOn: '2026-01-01', endsOn: '2026-12-31', members: new Set(['GB-NCA', 'RO-DIICOT']) };
  const context = {
    isKnownAgency: () => true,
    participantsOf: () => undefined,
    isClosed: () => false,
    clearanceOf: () => 'confidential' as const,
    jitOf: (id: string) => (id === 'jit-1' ? jit : undefined),
  };
  const submission = {
    caseReference: 'LIA-2026-AAAAAAAAA',
    opensCase: true,
    senderAgency: 'GB-NCA',
    recipientAgencies: ['RO-DIICOT'],
    classification: 'restricted' as const,
    jitId: 'jit-1',
    sentOn: '2026-06-01',
  };

  it('routes a member sending while the team is active', () => {
    expect(decideRouting(submission, context)).toEqual({ route: true });
  });

  it('lets a member write through the team into a case linked to it, and into no other case it takes no part in', () => {
    const existing = { ...submission, opensCase: false };
    const linked = { ...context, participantsOf: () => new Set(['RO-DIICOT']), caseJitOf: () => 'jit-1' };
    expect(decideRouting(existing, linked)).toEqual({ route: true });
    expect(decideRouting({ ...existing, jitId: undefined }, linked)).toMatchObject({ code: 'CASE_NOT_ACCESSIBLE' });
    expect(decideRouting(existing, { ...linked, caseJitOf: () => undefined })).toMatchObject({
      code: 'CASE_NOT_ACCESSIBLE',
    });
  });

  it('refuses after the last day, before the first, from a non-member and for an unknown team', () => {
    expect(decideRouting({ ...submission, sentOn: '2027-01-01' }, context)).toMatchObject({
      route: false,
      code: 'JIT_NOT_OPEN',
      detail: expect.stringContaining('ended on 2026-12-31'),
    });
    expect(decideRouting({ ...submission, sentOn: '2025-12-31' }, context)).toMatchObject({
      code: 'JIT_NOT_OPEN',
      detail: expect.stringContaining('starts on'),
    });
    expect(decideRouting({ ...submission, senderAgency: 'FR-OCRTEH' }, context)).toMatchObject({
      code: 'JIT_NOT_OPEN',
    });
    expect(decideRouting({ ...submission, jitId: 'jit-2' }, context)).toMatchObject({ code: 'JIT_NOT_OPEN' });
  });
});
