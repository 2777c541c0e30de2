/** A closed range of UTC calendar days, as programme leads ask for figures ("from 2026-01-01 to 2026-12-31"). */
export interface DayRange {
  from: string;
  to: string;
}

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

export function isIsoDay(value: string): boolean {
  if (!ISO_DAY.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/** The UTC calendar day of an instant, as `YYYY-MM-DD`. */
export function utcDay(instant: Date): string {
  return instant.toISOString().slice(0, 10);
}

export function dayRangeProblem(range: DayRange, maxDays: number): string | null {
  if (!isIsoDay(range.from)) return 'from must be a calendar date, YYYY-MM-DD';
  if (!isIsoDay(range.to)) return 'to must be a calendar date, YYYY-MM-DD';
  if (range.from > range.to) return 'from must not be after to';
  const days = (Date.parse(range.to) - Date.parse(range.from)) / 86_400_000 + 1;
  if (days > maxDays) return `the period may cover at most ${maxDays} days`;
  return null;
}
