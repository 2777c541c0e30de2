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
    expect(decideRouting(reply, context({ [opening.caseReference]: ['GB-WMP', 'GB-NCA-UKLB'] }))).toEqual({ route: true });
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
    expect(decideRouting({ ...opening, opensCase: false }, context())).toMatchObject({ route: false, code: 'CASE_NOT_ACCESSIBLE' });
  });

  it('refuses any message into a closed case, even from a participant', () => {
    const late = { ...opening, opensCase: false };
    expect(decideRouting(late, context({ [opening.caseReference]: ['GB-WMP', 'GB-NCA-UKLB'] }, [opening.caseReference]))).toEqual({
      route: false,
      code: 'CASE_CLOSED',
      detail: `case ${opening.caseReference} is closed`,
    });
  });

  it('refuses a message classified above a recipient’s clearance, naming it', () => {
    const secret = { ...opening, recipientAgencies: ['RO-ENU', 'BG-ENU'], classification: 'confidential' as const };
    expect(decideRouting(secret, context())).toEqual({ route: false, code: 'RECIPIENT_NOT_CLEARED', detail: 'not cleared for confidential: BG-ENU' });
    expect(decideRouting({ ...secret, classification: 'restricted' }, context())).toEqual({ route: true });
  });

  it('names unknown recipients and an unknown sender', () => {
    expect(decideRouting({ ...opening, recipientAgencies: ['RO-ENU', 'XX-GONE'] }, context())).toEqual({
      route: false,
      code: 'UNKNOWN_RECIPIENT',
      detail: 'unknown recipient agencies: XX-GONE',
    });
    expect(decideRouting({ ...opening, senderAgency: 'XX-GONE' }, context())).toMatchObject({ route: false, code: 'UNKNOWN_SENDER' });
  });
});
