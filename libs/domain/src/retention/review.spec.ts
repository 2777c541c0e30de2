import {
  addMonths,
  DEFAULT_REVIEW_AFTER_MONTHS,
  reviewExtensionProblem,
  reviewDueAt,
  reviewPeriod,
  reviewDay,
  reviewPeriodProblem,
} from './review';

describe('case review', () => {
  const at = (iso: string) => new Date(iso);

  it('adds calendar months, keeping the day or taking the month’s last', () => {
    expect(addMonths(at('2023-01-15T10:00:00Z'), 36).toISOString()).toBe('2026-01-15T10:00:00.000Z');
    expect(addMonths(at('2024-01-31T00:00:00Z'), 1).toISOString()).toBe('2024-02-29T00:00:00.000Z');
    expect(addMonths(at('2024-02-29T00:00:00Z'), 12).toISOString()).toBe('2025-02-28T00:00:00.000Z');
  });

  it('takes the agency’s rule for the crime area, then for all its cases, then three years', () => {
    const rules = [
      { agency: 'GB-WMP', crimeArea: null, reviewAfterMonths: 24 },
      { agency: 'GB-WMP', crimeArea: 'sexual-exploitation' as const, reviewAfterMonths: 72 },
      { agency: 'RO-ENU', crimeArea: 'labour-exploitation' as const, reviewAfterMonths: 12 },
    ];
    expect(reviewPeriod(rules, 'GB-WMP', 'sexual-exploitation')).toBe(72);
    expect(reviewPeriod(rules, 'GB-WMP', 'labour-exploitation')).toBe(24);
    expect(reviewPeriod(rules, 'GB-WMP', null)).toBe(24);
    expect(reviewPeriod(rules, 'RO-ENU', null)).toBe(DEFAULT_REVIEW_AFTER_MONTHS);
    expect(reviewPeriod(rules, 'RO-ENU', 'labour-exploitation')).toBe(12);
    expect(reviewPeriod([], 'NL-ENU', 'labour-exploitation')).toBe(36);
  });

  it('is due a period after the last activity, or at an extension that reaches further', () => {
    const last = at('2023-06-01T00:00:00Z');
    expect(reviewDueAt(last, 36, null).toISOString()).toBe('2026-06-01T00:00:00.000Z');
    expect(reviewDueAt(last, 36, at('2027-01-01T00:00:00Z')).toISOString()).toBe('2027-01-01T00:00:00.000Z');
    // New activity after an extension moves the review past it.
    expect(reviewDueAt(at('2026-12-01T00:00:00Z'), 36, at('2027-01-01T00:00:00Z')).toISOString()).toBe(
      '2029-12-01T00:00:00.000Z',
    );
  });

  it('refuses periods and extensions out of bounds, naming the bound', () => {
    expect(reviewPeriodProblem(36)).toBeNull();
    expect(reviewPeriodProblem(0)).toContain('from 1 to 120');
    expect(reviewPeriodProblem(121)).toContain('from 1 to 120');
    expect(reviewPeriodProblem(1.5)).toContain('whole number');
    const now = at('2026-12-06T00:00:00Z');
    expect(reviewExtensionProblem(at('2027-06-01T00:00:00Z'), now)).toBeNull();
    expect(reviewExtensionProblem(at('2026-12-05T00:00:00Z'), now)).toBe('must be a date after today');
    expect(reviewExtensionProblem(at('2037-01-01T00:00:00Z'), now)).toBe('must be within 120 months of today');
  });

  it('reads an extension’s day only when it is a calendar day', () => {
    expect(reviewDay('2027-02-28')?.toISOString()).toBe('2027-02-28T00:00:00.000Z');
    expect(reviewDay('2028-02-29')?.toISOString()).toBe('2028-02-29T00:00:00.000Z');
    expect(reviewDay('2027-02-31')).toBeNull();
    expect(reviewDay('2027-13-01')).toBeNull();
    expect(reviewDay('27-2-1')).toBeNull();
  });
});
