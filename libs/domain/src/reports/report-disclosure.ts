import type { Granularity } from './report-period';

/** What a volume report can break its counts down by. */
export const REPORT_DIMENSIONS = [
  'country',
  'partner-country',
  'agency',
  'region',
  'crime-area',
  'message-type',
  'direction',
] as const;
export type ReportDimension = (typeof REPORT_DIMENSIONS)[number];

/** Breakdowns no finer than these are published as they are, whatever their counts. */
const COUNTRY_LEVEL: ReadonlySet<string> = new Set(['country', 'partner-country', 'direction']);

/**
 * Whether a breakdown is finer than country by year: periods shorter than a year, or cells split by anything
 * below a country (agency, region, crime area, message type, priority, entity type...). In those, a small count
 * can point at one investigation.
 */
export function finerThanCountryByYear(granularity: Granularity, dimensions: readonly string[]): boolean {
  return granularity !== 'year' || dimensions.some((d) => !COUNTRY_LEVEL.has(d));
}

/** A count as a report may show it: below the threshold (and above nought) it is shown only as `<threshold`. */
export type ShownCount = number | `<${number}`;

export function shownCount(count: number, threshold: number, fine: boolean): ShownCount {
  return fine && count > 0 && count < threshold ? `<${threshold}` : count;
}

/**
 * The change of a count against the previous period, as a share of the previous (0.25 is 25% more), or null when
 * there is nothing to compare with or either count is hidden (a change would give a hidden count away).
 */
export function shownChange(current: number, previous: number, threshold: number, fine: boolean): number | null {
  if (
    typeof shownCount(current, threshold, fine) !== 'number' ||
    typeof shownCount(previous, threshold, fine) !== 'number'
  )
    return null;
  if (previous === 0) return null;
  return Math.round(((current - previous) / previous) * 1000) / 1000;
}
