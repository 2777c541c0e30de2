import { isIsoDay, utcDay } from './days';

describe('calendar days', () => {
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
});
