import type { ReportRange, ShownCount } from '@liaison/domain';
import type { ReportHeader } from './report-scope';
import { MAX_SERIES, type BarChart } from './svg-chart';

const AXIS: Record<string, string> = { day: 'Day', month: 'Month', quarter: 'Quarter', year: 'Year' };

/** The span of a report's periods, for a title: `2017` or `2017–2021`. */
export const periodSpan = (range: ReportRange) =>
  range.periods.length === 1 ? range.periods[0] : `${range.periods[0]}–${range.periods[range.periods.length - 1]}`;

/** The same span in a file name (ASCII only: it travels in a header). */
export const fileSpan = (range: ReportRange) =>
  range.periods.length === 1 ? range.periods[0] : `${range.periods[0]}_${range.periods[range.periods.length - 1]}`;

/** Series for a bar chart: one per combination of dimension values, the largest first, the rest as "Other". */
export function chartSeries<R extends { period: string; values: (string | null)[] }>(
  rows: readonly R[],
  periods: readonly string[],
  value: (row: R) => ShownCount | number | null,
  single: string,
): BarChart['series'] {
  const byName = new Map<string, Map<string, number | null>>();
  for (const row of rows) {
    const name = row.values.length === 0 ? single : row.values.map((v) => v ?? 'not recorded').join(' · ');
    const shown = value(row);
    const series = byName.get(name) ?? byName.set(name, new Map()).get(name)!;
    series.set(row.period, typeof shown === 'number' ? shown : null);
  }
  const total = (series: Map<string, number | null>) =>
    [...series.values()].reduce<number>((sum, v) => sum + (v ?? 0), 0);
  const ranked = [...byName].sort(([, a], [, b]) => total(b) - total(a));
  const kept = ranked.length > MAX_SERIES ? ranked.slice(0, MAX_SERIES - 1) : ranked;
  const series = kept.map(([name, values]) => ({
    name,
    values: periods.map((p) => (values.has(p) ? values.get(p)! : 0)),
  }));
  // Nothing counted: one series of noughts, so that the chart still says what it is about.
  if (series.length === 0) series.push({ name: single, values: periods.map(() => 0) });
  if (ranked.length > MAX_SERIES) {
    const rest = ranked.slice(MAX_SERIES - 1);
    series.push({
      name: `Other (${rest.length})`,
      values: periods.map((p) => rest.reduce<number>((sum, [, values]) => sum + (values.get(p) ?? 0), 0)),
    });
  }
  return series;
}

function describe(header: ReportHeader): string {
  const parts = [header.country ? `Seen from ${header.country}` : 'Every country'];
  if (header.dimensions.length > 0) parts.push(`by ${header.dimensions.join(', ')}`);
  for (const [dimension, values] of Object.entries(header.filters)) parts.push(`${dimension}: ${values.join(', ')}`);
  return parts.join(' · ');
}

function hiddenNote(header: ReportHeader): string {
  return header.smallCountsHidden
    ? `Counts below ${header.smallCountThreshold} are hidden (gaps) so that no investigation can be singled out.`
    : 'Source: Liaison tracker.';
}

/**
 * The chart of a breakdown over a report's periods: subtitled with whose figures and which filters, one series
 * per combination of values (see `chartSeries`), and a note on hidden small counts before the report's own.
 */
export function breakdownChart<R extends { period: string; values: (string | null)[] }>(
  header: ReportHeader,
  range: ReportRange,
  chart: {
    title: string;
    yLabel: string;
    rows: readonly R[];
    value: (row: R) => ShownCount | number | null;
    single: string;
    note?: string;
  },
): BarChart {
  return {
    title: `${chart.title}, ${periodSpan(range)}`,
    subtitle: describe(header),
    xLabel: AXIS[range.granularity],
    yLabel: chart.yLabel,
    periods: range.periods,
    series: chartSeries(chart.rows, range.periods, chart.value, chart.single),
    note: [hiddenNote(header), chart.note ?? ''].filter(Boolean).join(' '),
  };
}

/** The teams report's chart: teams created and meetings per year, and those the country called. */
export function teamsChart(report: {
  country: string | null;
  range: ReportRange;
  liveOn: string;
  live: number;
  years: { created: number; meetings: number; calledByCountry: number }[];
}): BarChart {
  const { country, years } = report;
  return {
    title: `Joint investigation teams${country ? ` with ${country}` : ''}, ${periodSpan(report.range)}`,
    subtitle: `${report.live} live on ${report.liveOn}`,
    xLabel: 'Year',
    yLabel: 'Teams and meetings',
    periods: report.range.periods,
    series: [
      { name: 'Teams created', values: years.map((y) => y.created) },
      { name: 'Operational meetings', values: years.map((y) => y.meetings) },
      ...(country ? [{ name: `Meetings called by ${country}`, values: years.map((y) => y.calledByCountry) }] : []),
    ],
    note: 'Source: Liaison tracker.',
  };
}
