import { dayRangeProblem, isIsoDay, utcDay } from './volume-period';

describe('day ranges', () => {
  it('recognises real calendar days only', () => {
    expect(isIsoDay('2024-02-29')).toBe(true);
    expect(isIsoDay('2023-02-29')).toBe(false);
    expect(isIsoDay('2026-13-01')).toBe(false);
    expect(isIsoDay('2026-1-01')).toBe(false);
    expect(isIsoDay('2026-01-01T00:00:00Z')).toBe(false);
  });

  it('takes the UTC day of an instant', () => {
    expect(utcDay(new Date('2026-06-30T23:59:59.999Z'))).toBe('2026-06-30');
    expect(utcDay(new Date('2026-07-01T01:30:00+02:00'))).toBe('2026-06-30');
  });

  it('accepts a one-day and a multi-year range', () => {
    expect(dayRangeProblem({ from: '2026-01-01', to: '2026-01-01' }, 3700)).toBeNull();
    expect(dayRangeProblem({ from: '2015-01-01', to: '2024-12-31' }, 3700)).toBeNull();
  });

  it('names what is wrong', () => {
    expect(dayRangeProblem({ from: 'last year', to: '2026-01-01' }, 10)).toMatch(/^from /);
    expect(dayRangeProblem({ from: '2026-01-01', to: '2026-02-30' }, 10)).toMatch(/^to /);
    expect(dayRangeProblem({ from: '2026-02-01', to: '2026-01-01' }, 10)).toMatch(/after/);
    expect(dayRangeProblem({ from: '2026-01-01', to: '2026-01-11' }, 10)).toMatch(/at most 10 days/);
    expect(dayRangeProblem({ from: '2026-01-01', to: '2026-01-10' }, 10)).toBeNull();
  });
});
