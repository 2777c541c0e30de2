import { extensionProblem, jitAgreementProblems, jitSendProblem, jitStatus } from './jits';

describe('joint investigation teams', () => {
  const period = { startsOn: '2026-03-01', endsOn: '2026-08-31' };

  it('is planned before its first day, active through its last day, ended after it', () => {
    expect(jitStatus(period, '2026-02-28')).toBe('planned');
    expect(jitStatus(period, '2026-03-01')).toBe('active');
    expect(jitStatus(period, '2026-08-31')).toBe('active');
    expect(jitStatus(period, '2026-09-01')).toBe('ended');
  });

  it('takes messages only from members while active', () => {
    const jit = { ...period, members: new Set(['GB-NCA']) };
    expect(jitSendProblem(jit, 'GB-NCA', '2026-05-01')).toBeNull();
    expect(jitSendProblem(jit, 'RO-ENU', '2026-05-01')).toContain(
      'no joint investigation team of which RO-ENU is a member',
    );
    expect(jitSendProblem(undefined, 'GB-NCA', '2026-05-01')).toContain('no joint investigation team');
    expect(jitSendProblem(jit, 'GB-NCA', '2026-09-01')).toContain('ended on 2026-08-31');
  });

  it('requires two parties, one party per agency, the creator as a member and a sane period', () => {
    const good = {
      ...period,
      parties: [
        { country: 'GB', agencies: ['GB-NCA'] },
        { country: 'RO', agencies: ['RO-DIICOT'] },
      ],
    };
    expect(jitAgreementProblems(good, 'GB-NCA')).toEqual([]);
    expect(jitAgreementProblems({ ...good, parties: [good.parties[0]] }, 'GB-NCA')).toEqual([
      { field: 'parties', message: expect.stringContaining('at least two parties') },
    ]);
    expect(jitAgreementProblems(good, 'FR-OCRTEH')).toEqual([
      { field: 'parties', message: expect.stringContaining('FR-OCRTEH must be one of the members') },
    ]);
    const twice = { ...good, parties: [...good.parties, { country: 'FR', agencies: ['GB-NCA'] }] };
    expect(jitAgreementProblems(twice, 'GB-NCA')).toEqual([
      { field: 'parties', message: 'agencies listed more than once: GB-NCA' },
    ]);
    expect(jitAgreementProblems({ ...good, endsOn: '2026-02-01' }, 'GB-NCA')[0]).toMatchObject({ field: 'endsOn' });
  });

  it('extends only to a later day', () => {
    expect(extensionProblem('2026-08-31', '2027-02-28')).toBeNull();
    expect(extensionProblem('2026-08-31', '2026-08-31')).toContain('after the current last day');
  });
});
