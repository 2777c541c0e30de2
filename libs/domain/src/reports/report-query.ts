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
  options: { granularities: readonly Granularity[]; maxPeriods: number; today?: string },
): { range: ReportRange } | { problem: ReportProblem } {
  if (typeof query.from !== 'string' || query.from === '')
    return { problem: { field: 'from', message: `from is required: ${PERIOD_FORMS}` } };
  const first = parsePeriod(query.from);
  if (!first) return { problem: { field: 'from', message: `from must be ${PERIOD_FORMS}` } };
  const toText = query.to === undefined || query.to === '' ? query.from : query.to;
  const last = typeof toText === 'string' ? parsePeriod(toText) : null;
  if (!last) return { problem: { field: 'to', message: `to must be ${PERIOD_FORMS}` } };
  const granularity = (
    query.granularity === undefined || query.granularity === '' ? first.granularity : query.granularity
  ) as Granularity;
  if (!options.granularities.includes(granularity)) {
    return {
      problem: { field: 'granularity', message: `granularity must be one of ${options.granularities.join(', ')}` },
    };
  }
  const firstPeriod = parsePeriod(periodLabel(first.from, granularity))!;
  if (firstPeriod.from !== first.from)
    return { problem: { field: 'from', message: `from ${first.label} does not start a ${granularity}` } };
  const lastPeriod = parsePeriod(periodLabel(last.to, granularity))!;
  if (lastPeriod.to !== last.to)
    return { problem: { field: 'to', message: `to ${last.label} does not end a ${granularity}` } };
  if (last.to < first.from) return { problem: { field: 'to', message: 'to must not be before from' } };
  // Nothing is counted in years to come; the bound also keeps every period's neighbours in four-digit years.
  const lastYear = Number((options.today ?? new Date().toISOString()).slice(0, 4)) + 1;
  if (Number(first.from.slice(0, 4)) > lastYear)
    return { problem: { field: 'from', message: `from must not be after ${lastYear}` } };
  if (Number(last.to.slice(0, 4)) > lastYear)
    return { problem: { field: 'to', message: `to must not be after ${lastYear}` } };
  const periods: string[] = [];
  // Stops at the last period itself: the day after 9999-12-31 has no four-digit year.
  for (let day = first.from; ;) {
    periods.push(periodLabel(day, granularity));
    if (periods.length > options.maxPeriods) {
      return {
        problem: {
          field: 'to',
          message: `a report may cover at most ${options.maxPeriods} periods of a ${granularity}`,
        },
      };
    }
    const end = parsePeriod(periodLabel(day, granularity))!.to;
    if (end >= last.to) break;
    day = addDays(end, 1);
  }
  return { range: { granularity, from: first.from, to: last.to, periods, before: previousPeriod(firstPeriod) } };
}

/** The dimensions named in `by` (comma-separated), each at most once and each one the report offers. */
export function reportDimensions<D extends string>(
  by: unknown,
  offered: readonly D[],
): { dimensions: D[] } | { problem: ReportProblem } {
  if (by === undefined || by === '') return { dimensions: [] };
  if (typeof by !== 'string')
    return { problem: { field: 'by', message: 'by must be a comma-separated list of dimensions' } };
  const names = by.split(',').map((name) => name.trim());
  for (const name of names) {
    if (!(offered as readonly string[]).includes(name))
      return {
        problem: {
          field: 'by',
          message: `${name || '(empty)'} is not a dimension of this report; use ${offered.join(', ')}`,
        },
      };
  }
  if (new Set(names).size !== names.length) return { problem: { field: 'by', message: 'by names a dimension twice' } };
  return { dimensions: names as D[] };
}

const FILTER_VALUE = /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$/;

/** Filters: for each dimension named as a parameter, the values (comma-separated) a count must have. */
export function reportFilters<D extends string>(
  query: Record<string, unknown>,
  offered: readonly D[],
): { filters: Partial<Record<D, string[]>> } | { problem: ReportProblem } {
  const filters: Partial<Record<D, string[]>> = {};
  for (const dimension of offered) {
    const raw = query[dimension];
    if (raw === undefined || raw === '') continue;
    if (typeof raw !== 'string')
      return { problem: { field: dimension, message: `${dimension} must be given once, as a comma-separated list` } };
    const values = raw.split(',').map((v) => v.trim());
    const bad = values.find((v) => !FILTER_VALUE.test(v));
    if (bad !== undefined)
      return { problem: { field: dimension, message: `${dimension} value "${bad.slice(0, 64)}" is not a code` } };
    filters[dimension] = [...new Set(values)];
  }
  return { filters };
}

/** A count of one period and one combination of dimension values, with the count before it, as it is shown. */
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

/** A row of a `ReportGrid`: a combination's counts in one period, and its first count in the period before. */
export interface GridRow {
  period: string;
  values: (string | null)[];
  counts: readonly number[];
  previous: number;
}

/** Sorts after every code: values not recorded come last. */
const NOT_RECORDED = '\uffff';

type Level = Map<string, Level | number>;

/**
 * The counts of a report, per period of its range (and the period before it, which changes are measured
 * against) and combination of dimension values, as they are read from stored periods: each is added to the
 * report period that holds it, summed with what is there.
 *
 * `rows` gives one row per period and combination with a first count in the period or the one before it (a
 * fall to nothing shows), in report order: by period, then by values in code-point order (the database's C
 * collation), values not recorded last. Each combination keeps its counts in one array over the periods from
 * its first to its last count, so a report of tens of thousands of rows needs no table of cells, and its rows
 * are ordered by sorting numbers, not strings. `rows` makes them one at a time, as they are written out.
 */
export class ReportGrid {
  /** Index 0 is the period before the range; 1… its periods. */
  private readonly labels: string[];
  private readonly indexOfLabel: Map<string, number>;
  private readonly indexOfDay = new Map<string, number>();
  /** Combinations by their values, one map per dimension (no key is built per row): the last holds numbers. */
  private readonly combinations: Level = new Map();
  private readonly values: (string | null)[][] = [];
  /** Per combination: the first period it has counts in, and its counts from there (`width` per period). */
  private readonly firsts: number[] = [];
  private readonly sums: number[][] = [];
  private readonly none: readonly number[];

  constructor(
    private readonly range: ReportRange,
    /** How many counts a cell holds; the first is the one compared with the period before. */
    readonly width: number,
  ) {
    this.labels = [range.before.label, ...range.periods];
    this.indexOfLabel = new Map(this.labels.map((label, i) => [label, i]));
    this.none = new Array<number>(width).fill(0);
  }

  /**
   * Adds counts to a combination in the report period holding `day` (the first day of a stored period: a day,
   * month, quarter or year no longer than the report's periods); counts outside the range and the period before
   * it are left out. The grid may keep `counts` as the combination's sums when the combination is new.
   */
  add(day: string, values: (string | null)[], counts: number[]): void {
    let period = this.indexOfDay.get(day);
    if (period === undefined)
      this.indexOfDay.set(day, (period = this.indexOfLabel.get(periodLabel(day, this.range.granularity)) ?? -1));
    if (period < 0) return;
    const combination = this.combination(values);
    if (combination === this.sums.length) {
      this.firsts.push(period);
      this.sums.push(counts);
      return;
    }
    const width = this.width;
    let sums = this.sums[combination];
    const first = this.firsts[combination];
    if (period < first) {
      // Before its first count (rows need not come in order): the span starts earlier, by at least its length
      // again, so that rows in any order move each span a few times at most.
      const start = Math.max(0, Math.min(period, first - sums.length / width));
      sums = this.sums[combination] = new Array<number>((first - start) * width).fill(0).concat(sums);
      this.firsts[combination] = start;
    } else
      for (let end = first + sums.length / width; end <= period; end += 1)
        for (let i = 0; i < width; i += 1) sums.push(0);
    const at = (period - this.firsts[combination]) * width;
    for (let i = 0; i < width; i += 1) sums[at + i] += counts[i];
  }

  /** The number of a combination of values, a new one (the next) the first time they are seen. */
  private combination(values: readonly (string | null)[]): number {
    let level = this.combinations;
    for (let i = 0; i < values.length - 1; i += 1) {
      const value = values[i] ?? NOT_RECORDED;
      let next = level.get(value) as Level | undefined;
      if (next === undefined) level.set(value, (next = new Map()));
      level = next;
    }
    const value = values.length === 0 ? '' : (values[values.length - 1] ?? NOT_RECORDED);
    let combination = level.get(value) as number | undefined;
    if (combination === undefined) {
      level.set(value, (combination = this.values.length));
      this.values.push(values as (string | null)[]);
    }
    return combination;
  }

  /** The rows, made one at a time in report order. */
  *rows(): Generator<GridRow> {
    const periods = this.labels.length;
    const n = this.values.length;
    const width = this.width;
    // Combinations ranked by their values, then each row's place as period × combinations + rank.
    const keys = this.values.map((values) => values.map((value) => value ?? NOT_RECORDED).join('\u0000'));
    const ranked = keys
      .map((_, combination) => combination)
      .sort((a, b) => (keys[a] < keys[b] ? -1 : keys[a] > keys[b] ? 1 : 0));
    let cells = 0;
    for (const sums of this.sums) cells += sums.length / width + 1;
    const places = new Float64Array(cells);
    let count = 0;
    for (let r = 0; r < n; r += 1) {
      const combination = ranked[r];
      const first = this.firsts[combination];
      const last = Math.min(first + this.sums[combination].length / width, periods - 1);
      // Each period counted in, and the one after the last (a fall to nothing); the range's periods only.
      for (let period = Math.max(first, 1); period <= last; period += 1) places[count++] = period * n + r;
    }
    const sorted = places.subarray(0, count).sort();
    for (let i = 0; i < count; i += 1) {
      const period = Math.floor(sorted[i] / n);
      const combination = ranked[sorted[i] - period * n];
      const sums = this.sums[combination];
      const at = (period - this.firsts[combination]) * width;
      const previous = at > 0 ? sums[at - width] : 0;
      // After its last count, a fall to nothing.
      const counted = at < sums.length;
      if (previous === 0 && (!counted || sums[at] === 0)) continue;
      yield {
        period: this.labels[period],
        values: this.values[combination],
        counts: counted ? sums.slice(at, at + width) : this.none,
        previous,
      };
    }
  }

  /** Every combination summed per period, as rows without values. */
  totals(): GridRow[] {
    const periods = this.labels.length;
    const width = this.width;
    const totals = Array.from({ length: periods }, () => new Array<number>(width).fill(0));
    this.sums.forEach((sums, combination) => {
      for (let at = 0, period = this.firsts[combination]; at < sums.length; at += width, period += 1)
        for (let i = 0; i < width; i += 1) totals[period][i] += sums[at + i];
    });
    const rows: GridRow[] = [];
    for (let period = 1; period < periods; period += 1) {
      if (totals[period][0] === 0 && totals[period - 1][0] === 0) continue;
      rows.push({ period: this.labels[period], values: [], counts: totals[period], previous: totals[period - 1][0] });
    }
    return rows;
  }
}

/**
 * A volume row as shown: its count (`counts[0]`), the part of it imported (`counts[1]`), the count before and
 * the change, with small counts hidden where the breakdown is fine enough to point at one investigation.
 */
export function shownRow(row: GridRow, threshold: number, fine: boolean): ShownRow {
  const [count, imported] = row.counts;
  return {
    period: row.period,
    values: row.values,
    count: shownCount(count, threshold, fine),
    imported: shownCount(imported, threshold, fine),
    previous: shownCount(row.previous, threshold, fine),
    change: shownChange(count, row.previous, threshold, fine),
    source: imported === 0 ? 'tracked' : imported === count ? 'imported' : 'tracked+imported',
  };
}

/**
 * Rows in the order a report lists them: by period, then by their values in code-point order (the order of
 * the database's C collation; codes sort the same in every locale), values not recorded last.
 */
export function inReportOrder<R extends { period?: string; values: readonly (string | null)[] }>(
  rows: R[],
  periods: readonly string[] = [],
): R[] {
  const index = new Map(periods.map((period, i) => [period, i]));
  const keyed = rows.map((row) => ({
    row,
    period: row.period === undefined ? 0 : index.get(row.period)!,
    key: row.values.map((v) => v ?? '\uffff').join('\u0000'),
  }));
  keyed.sort((a, b) => a.period - b.period || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return keyed.map(({ row }) => row);
}
