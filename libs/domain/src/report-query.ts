import { shownChange, shownCount, type ShownCount } from './report-disclosure';
import { parsePeriod, periodLabel, previousPeriod, type Granularity, type ReportPeriod } from './report-period';

/**
 * What a report asks for, read from its query string: the periods (from, to, granularity), the dimensions to
 * break the counts down by, and filters on dimensions. Every problem names the parameter it is in.
 */
export interface ReportProblem {
  field: string;
  message: string;
}

export interface ReportRange {
  granularity: Granularity;
  /** First day of the first period and last day of the last. */
  from: string;
  to: string;
  /** The periods' labels, in order. */
  periods: string[];
  /** The period before the first, which changes are measured against. */
  before: ReportPeriod;
}

const PERIOD_FORMS = 'a year (2017), quarter (2017-Q3), month (2017-07) or day (2017-07-14)';

function addDays(day: string, days: number): string {
  return new Date(Date.parse(day) + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * The periods from `from` to `to` (both period labels) at a granularity (by default `from`'s own). Each end must
 * be a whole number of periods of the granularity: `from=2017&granularity=month` is the twelve months of 2017,
 * `from=2017-07&granularity=year` is refused.
 */
export function reportRange(
  query: { from?: unknown; to?: unknown; granularity?: unknown },
  options: { granularities: readonly Granularity[]; maxPeriods: number },
): { range: ReportRange } | { problem: ReportProblem } {
  if (typeof query.from !== 'string' || query.from === '') return { problem: { field: 'from', message: `from is required: ${PERIOD_FORMS}` } };
  const first = parsePeriod(query.from);
  if (!first) return { problem: { field: 'from', message: `from must be ${PERIOD_FORMS}` } };
  const toText = query.to === undefined || query.to === '' ? query.from : query.to;
  const last = typeof toText === 'string' ? parsePeriod(toText) : null;
  if (!last) return { problem: { field: 'to', message: `to must be ${PERIOD_FORMS}` } };
  const granularity = (query.granularity === undefined || query.granularity === '' ? first.granularity : query.granularity) as Granularity;
  if (!options.granularities.includes(granularity)) {
    return { problem: { field: 'granularity', message: `granularity must be one of ${options.granularities.join(', ')}` } };
  }
  const firstPeriod = parsePeriod(periodLabel(first.from, granularity))!;
  if (firstPeriod.from !== first.from) return { problem: { field: 'from', message: `from ${first.label} does not start a ${granularity}` } };
  const lastPeriod = parsePeriod(periodLabel(last.to, granularity))!;
  if (lastPeriod.to !== last.to) return { problem: { field: 'to', message: `to ${last.label} does not end a ${granularity}` } };
  if (last.to < first.from) return { problem: { field: 'to', message: 'to must not be before from' } };
  const periods: string[] = [];
  for (let day = first.from; day <= last.to; day = addDays(parsePeriod(periodLabel(day, granularity))!.to, 1)) {
    periods.push(periodLabel(day, granularity));
    if (periods.length > options.maxPeriods) {
      return { problem: { field: 'to', message: `a report may cover at most ${options.maxPeriods} periods of a ${granularity}` } };
    }
  }
  return { range: { granularity, from: first.from, to: last.to, periods, before: previousPeriod(firstPeriod) } };
}

/** The dimensions named in `by` (comma-separated), each at most once and each one the report offers. */
export function reportDimensions<D extends string>(by: unknown, offered: readonly D[]): { dimensions: D[] } | { problem: ReportProblem } {
  if (by === undefined || by === '') return { dimensions: [] };
  if (typeof by !== 'string') return { problem: { field: 'by', message: 'by must be a comma-separated list of dimensions' } };
  const names = by.split(',').map((name) => name.trim());
  for (const name of names) {
    if (!(offered as readonly string[]).includes(name)) return { problem: { field: 'by', message: `${name || '(empty)'} is not a dimension of this report; use ${offered.join(', ')}` } };
  }
  if (new Set(names).size !== names.length) return { problem: { field: 'by', message: 'by names a dimension twice' } };
  return { dimensions: names as D[] };
}

const FILTER_VALUE = /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$/;

/** Filters: for each dimension named as a parameter, the values (comma-separated) a count must have. */
export function reportFilters<D extends string>(query: Record<string, unknown>, offered: readonly D[]): { filters: Partial<Record<D, string[]>> } | { problem: ReportProblem } {
  const filters: Partial<Record<D, string[]>> = {};
  for (const dimension of offered) {
    const raw = query[dimension];
    if (raw === undefined || raw === '') continue;
    if (typeof raw !== 'string') return { problem: { field: dimension, message: `${dimension} must be given once, as a comma-separated list` } };
    const values = raw.split(',').map((v) => v.trim());
    const bad = values.find((v) => !FILTER_VALUE.test(v));
    if (bad !== undefined) return { problem: { field: dimension, message: `${dimension} value "${bad.slice(0, 64)}" is not a code` } };
    filters[dimension] = [...new Set(values)];
  }
  return { filters };
}

/** A count of one period and one combination of dimension values, before it is shown. */
export interface ReportCell {
  period: string;
  /** The dimension values in the order of the report's dimensions (null: not recorded, e.g. an imported count's agency). */
  values: (string | null)[];
  count: number;
  /** The part of `count` that was imported rather than tracked. */
  imported: number;
}

export interface ShownRow {
  period: string;
  values: (string | null)[];
  count: ShownCount;
  imported: ShownCount;
  /** The same combination's count in the period before; null where hidden. */
  previous: ShownCount;
  /** Change against the previous period as a share of it (0.25: a quarter more); null where it cannot be shown. */
  change: number | null;
  /** Where the count comes from: the tracker, imported figures, or both. */
  source: 'tracked' | 'imported' | 'tracked+imported';
}

/**
 * A cell's identity in a report, as one string: its period and dimension values (null: not recorded). Codes and
 * periods hold no control characters, so the separators cannot be confused with them.
 */
export function cellKey(period: string, values: readonly (string | null)[]): string {
  let key = period;
  for (const value of values) key += value === null ? '\u0000\u0001' : `\u0000${value}`;
  return key;
}

/**
 * The rows of a report: one per requested period and combination that has a count in the period or the one
 * before it (so that a fall to nothing shows), with the change against the period before, and small counts
 * hidden where the breakdown is fine enough to point at one investigation.
 */
export function shownRows(cells: readonly ReportCell[], range: ReportRange, threshold: number, fine: boolean): ShownRow[] {
  const previousOf = new Map<string, string>();
  const nextOf = new Map<string, string>();
  range.periods.forEach((period, i) => {
    const before = i === 0 ? range.before.label : range.periods[i - 1];
    previousOf.set(period, before);
    nextOf.set(before, period);
  });
  const key = cellKey;
  const byKey = new Map(cells.map((cell) => [key(cell.period, cell.values), cell]));
  const rows: ShownRow[] = [];
  const row = (period: string, values: (string | null)[], cell: ReportCell | undefined) => {
    const previous = byKey.get(key(previousOf.get(period)!, values))?.count ?? 0;
    const count = cell?.count ?? 0;
    if (count === 0 && previous === 0) return;
    rows.push({
      period,
      values,
      count: shownCount(count, threshold, fine),
      imported: shownCount(cell?.imported ?? 0, threshold, fine),
      previous: shownCount(previous, threshold, fine),
      change: shownChange(count, previous, threshold, fine),
      source: !cell || cell.imported === 0 ? 'tracked' : cell.imported === cell.count ? 'imported' : 'tracked+imported',
    });
  };
  for (const cell of cells) {
    if (previousOf.has(cell.period)) row(cell.period, cell.values, cell);
    // A combination counted in a period and not in the next still shows in the next, as a fall to nothing.
    const next = nextOf.get(cell.period);
    if (next !== undefined && !byKey.has(key(next, cell.values))) row(next, cell.values, undefined);
  }
  return inReportOrder(rows, range.periods);
}

/**
 * Rows in the order a report lists them: by period, then by their values in code-point order (the order of
 * the database's C collation; codes sort the same in every locale), values not recorded last.
 */
export function inReportOrder<R extends { period?: string; values: readonly (string | null)[] }>(rows: R[], periods: readonly string[] = []): R[] {
  const index = new Map(periods.map((period, i) => [period, i]));
  const keyed = rows.map((row) => ({ row, period: row.period === undefined ? 0 : index.get(row.period)!, key: row.values.map((v) => v ?? '\uffff').join('\u0000') }));
  keyed.sort((a, b) => a.period - b.period || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return keyed.map(({ row }) => row);
}
