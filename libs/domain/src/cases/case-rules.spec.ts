import { closeProblem, CRIME_AREAS, crimeAreaOrNone } from './case-rules';

describe('case rules', () => {
  it('list the seven crime areas', () => {
    expect(CRIME_AREAS).toHaveLength(7);
    expect(CRIME_AREAS).toContain('labour-exploitation');
  });

  it('let only the owner close an open case', () => {
    expect(closeProblem({ ownerAgency: 'GB-WMP', status: 'open' }, 'GB-WMP')).toBeNull();
    expect(closeProblem({ ownerAgency: 'GB-WMP', status: 'open' }, 'RO-ENU')).toMatch(/only the owning agency GB-WMP/);
    expect(closeProblem({ ownerAgency: 'GB-WMP', status: 'closed' }, 'GB-WMP')).toMatch(/already closed/);
  });

  it('read a received crime area as one of the seven, or none', () => {
    expect(crimeAreaOrNone('labour-exploitation')).toBe('labour-exploitation');
    expect(crimeAreaOrNone('')).toBeNull();
    expect(crimeAreaOrNone('cyber-fraud')).toBeNull();
  });
});
