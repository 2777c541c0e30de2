import {
  finerThanCountryByYear,
  inReportOrder,
  reportDimensions,
  reportFilters,
  reportRange,
  shownChange,
  shownCount,
  shownRow,
  type Granularity,
  type ReportProblem,
  type ReportRange,
  type ShownCount,
} from '@liaison/domain';
import { SERVICE_CONFIG } from '@liaison/messaging';
import { AgencyRepository } from '@liaison/persistence';
import { applyDecorators, Controller, Get, Headers, Inject, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentCaller, Roles, type Caller } from '../auth/caller';
import type { GatewayConfig } from '../gateway.config';
import { ApiProblem } from '../http/problem';
import { ErrorCode } from '../application/application-error';
import { sendReport } from './report-format';
import {
  MATCH_DIMENSIONS,
  ReportReadRepository,
  RESPONSE_DIMENSIONS,
  VOLUME_DIMENSIONS,
  exchangeCube,
  type VolumeDimension,
  type ReportScope,
} from './report-read.repository';
import {
  DeadlineReportView,
  JitReportView,
  MatchReportView,
  ResponseTimeReportView,
  VolumeReportView,
  type ReportHeaderView,
} from './report.views';
import { MAX_SERIES, type BarChart } from './svg-chart';

/** JSON field and CSV column of each dimension. */
const FIELDS: Record<string, string> = {
  country: 'country',
  'partner-country': 'partnerCountry',
  agency: 'agency',
  region: 'region',
  'crime-area': 'crimeArea',
  'message-type': 'messageType',
  direction: 'direction',
  priority: 'priority',
  'entity-type': 'entityType',
  strength: 'strength',
};
const column = (dimension: string) => dimension.replace(/-/g, '_');

/** `rows` mapped one at a time, as they are read. */
function* each<T, U>(rows: Iterable<T>, map: (row: T) => U): Generator<U> {
  for (const row of rows) yield map(row);
}

/** A row's dimension values under their JSON fields. */
function dimensionFields(
  dimensions: readonly string[],
  values: readonly (string | null)[],
): Record<string, string | null> {
  const fields: Record<string, string | null> = {};
  for (let i = 0; i < dimensions.length; i += 1) fields[FIELDS[dimensions[i]]] = values[i];
  return fields;
}

/** A row as the JSON view gives it: its dimension values under their fields, then its other fields. */
function withDimensions<R extends object>(
  dimensions: readonly string[],
  values: readonly (string | null)[],
  fields: R,
): R & Record<string, string | null> {
  return Object.assign(dimensionFields(dimensions, values), fields);
}

const ALL_GRANULARITIES: readonly Granularity[] = ['day', 'month', 'quarter', 'year'];
const STORED_PERIOD_GRANULARITIES: readonly Granularity[] = ['month', 'quarter', 'year'];
const AXIS: Record<Granularity, string> = { day: 'Day', month: 'Month', quarter: 'Quarter', year: 'Year' };

/** A report's query, read and checked. */
interface ParsedQuery<D extends string> {
  range: ReportRange;
  dimensions: D[];
  filters: Partial<Record<D, string[]>>;
  scope: ReportScope;
}

function fail(problem: ReportProblem): never {
  throw ApiProblem.field(problem.field, problem.message);
}

const round = (value: number, places: number) => Math.round(value * 10 ** places) / 10 ** places;

/** Series for a bar chart: one per combination of dimension values, the largest first, the rest as "Other". */
function chartSeries<R extends { period: string; values: (string | null)[] }>(
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

function describe(header: ReportHeaderView): string {
  const parts = [header.country ? `Seen from ${header.country}` : 'Every country'];
  if (header.dimensions.length > 0) parts.push(`by ${header.dimensions.join(', ')}`);
  for (const [dimension, values] of Object.entries(header.filters)) parts.push(`${dimension}: ${values.join(', ')}`);
  return parts.join(' · ');
}

function hiddenNote(header: ReportHeaderView): string {
  return header.smallCountsHidden
    ? `Counts below ${header.smallCountThreshold} are hidden (gaps) so that no investigation can be singled out.`
    : 'Source: Liaison tracker.';
}

/**
 * The chart of a breakdown over a report's periods: subtitled with whose figures and which filters, one series
 * per combination of values (see `chartSeries`), and a note on hidden small counts before the report's own.
 */
function breakdownChart<R extends { period: string; values: (string | null)[] }>(
  header: ReportHeaderView,
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

const periodSpan = (range: ReportRange) =>
  range.periods.length === 1 ? range.periods[0] : `${range.periods[0]}–${range.periods[range.periods.length - 1]}`;
/** The same span in a file name (ASCII only: it travels in a header). */
const fileSpan = (range: ReportRange) =>
  range.periods.length === 1 ? range.periods[0] : `${range.periods[0]}_${range.periods[range.periods.length - 1]}`;

/**
 * Reports for programme leads: figures only, from the tracker's pre-aggregated facts, never content or case
 * references. A national programme lead sees its own country's figures; a European or international one
 * (Europol, Eurojust, Interpol) sees every country's, and may choose one with `country`. Each report is JSON,
 * CSV (`Accept: text/csv`) and, for the main ones, an SVG chart (`Accept: image/svg+xml`).
 */
@ApiTags('reports')
@ApiBearerAuth()
@Controller('v1/reports')
@Roles('programme-lead')
export class ReportController {
  constructor(
    private readonly reports: ReportReadRepository,
    private readonly agencies: AgencyRepository,
    @Inject(SERVICE_CONFIG) private readonly config: GatewayConfig,
  ) {}

  /**
   * Messages per period, broken down by any of country, partner country, agency, region, crime area, message
   * type and direction, with the change against the period before; imported historical counts included and
   * marked. A message is counted once in each direction it travelled from the country's point of view
   * (sent abroad, received from abroad, kept at home), and once per partner in breakdowns by partner.
   */
  @Get('volumes')
  @ReportQueries(VOLUME_DIMENSIONS, ALL_GRANULARITIES, true)
  @ApiOkResponse({ type: VolumeReportView })
  async volumes(
    @Query() query: Record<string, unknown>,
    @CurrentCaller() caller: Caller,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const parsed = await this.parse(caller, query, VOLUME_DIMENSIONS, ALL_GRANULARITIES, []);
    const { range, dimensions, filters, scope } = parsed;
    const used = [...dimensions, ...(Object.keys(filters) as VolumeDimension[])];
    if (range.granularity === 'day' && used.some((d) => d === 'agency' || d === 'region')) {
      throw ApiProblem.field('granularity', 'breakdowns by agency or region are by month, quarter or year');
    }
    if (!exchangeCube(range.granularity, used)) {
      if (range.granularity === 'day')
        throw ApiProblem.field(
          'granularity',
          'by day, a breakdown by partner country cannot also be by crime area or message type: ask by month, or for one of them',
        );
      throw ApiProblem.field(
        'by',
        'a breakdown by agency or region and partner country cannot also be by crime area or message type: ask for one of them at a time',
      );
    }
    const grid = await this.reports.exchangeGrid(scope, range, dimensions, filters);
    const header = this.header(parsed, finerThanCountryByYear(range.granularity, dimensions));
    // Made as each form is written out: an export of every agency is tens of thousands of rows.
    const rows = () => each(grid.rows(), (row) => shownRow(row, header.smallCountThreshold, header.smallCountsHidden));
    const totals = grid
      .totals()
      .map((row) => shownRow(row, header.smallCountThreshold, finerThanCountryByYear(range.granularity, [])));
    return sendReport<VolumeReportView>(reply, accept, {
      name: `liaison-volumes-${fileSpan(range)}`,
      json: () => ({
        ...header,
        rows: each(rows(), (row) =>
          withDimensions(dimensions, row.values, {
            period: row.period,
            messages: row.count,
            imported: row.imported,
            previous: row.previous,
            change: row.change,
            source: row.source,
          }),
        ),
        totals: totals.map((row) => ({
          period: row.period,
          messages: row.count,
          imported: row.imported,
          previous: row.previous,
          change: row.change,
        })),
      }),
      table: () => ({
        header: ['period', ...dimensions.map(column), 'messages', 'imported', 'previous', 'change', 'source'],
        rows: each(rows(), (row) => [
          row.period,
          ...row.values,
          row.count,
          row.imported,
          row.previous,
          row.change,
          row.source,
        ]),
      }),
      chart: () => {
        const shown = [...rows()];
        return breakdownChart(header, range, {
          title: `Messages exchanged${header.country ? ` by ${header.country}` : ''}`,
          yLabel: 'Messages',
          rows: shown,
          value: (row) => row.count,
          single: 'Messages',
          note: shown.some((r) => r.source !== 'tracked') ? 'Includes imported historical figures.' : undefined,
        });
      },
    });
  }

  /**
   * Time to answer requests and cross-checks, per partner (the country that owed the answer) and period: the
   * median and 80th percentile (within 5%), and the share answered by the deadline. Requests are counted in
   * the period they were sent, one per recipient agency.
   */
  @Get('response-times')
  @ReportQueries(RESPONSE_DIMENSIONS, STORED_PERIOD_GRANULARITIES, true)
  @ApiOkResponse({ type: ResponseTimeReportView })
  async responseTimes(
    @Query() query: Record<string, unknown>,
    @CurrentCaller() caller: Caller,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const parsed = await this.parse(caller, query, RESPONSE_DIMENSIONS, STORED_PERIOD_GRANULARITIES, [
      'partner-country',
    ]);
    const { range, dimensions, filters, scope } = parsed;
    const header = this.header(parsed, finerThanCountryByYear(range.granularity, dimensions));
    const counts = await this.reports.responseCells(scope, range, dimensions, filters);
    const { smallCountThreshold: threshold, smallCountsHidden: fine } = header;
    const rows = inReportOrder(
      counts.filter((cell) => cell.counts.requests > 0),
      range.periods,
    ).map((cell) => {
      // Percentiles of a handful of answers would tell one investigation's timings: hidden with the counts.
      const timed = !(fine && cell.counts.answered < threshold);
      const hours = (seconds: number | null) => (timed && seconds !== null ? round(seconds / 3600, 1) : null);
      const requestsShown = shownCount(cell.counts.requests, threshold, fine);
      return {
        period: cell.period,
        values: cell.values,
        requests: requestsShown,
        answered: shownCount(cell.counts.answered, threshold, fine),
        answeredWithinDeadline: shownCount(cell.counts.within_deadline, threshold, fine),
        shareWithinDeadline:
          typeof requestsShown === 'number' && timed
            ? round(cell.counts.within_deadline / cell.counts.requests, 3)
            : null,
        medianHours: hours(cell.medianSeconds),
        p80Hours: hours(cell.p80Seconds),
      };
    });
    const view = (): ResponseTimeReportView => ({
      ...header,
      rows: rows.map(({ values, ...row }) => withDimensions(dimensions, values, row)) as ResponseTimeReportView['rows'],
    });
    return sendReport(reply, accept, {
      name: `liaison-response-times-${fileSpan(range)}`,
      json: view,
      table: () => ({
        header: [
          'period',
          ...dimensions.map(column),
          'requests',
          'answered',
          'answered_within_deadline',
          'share_within_deadline',
          'median_hours',
          'p80_hours',
        ],
        rows: rows.map((r) => [
          r.period,
          ...r.values,
          r.requests,
          r.answered,
          r.answeredWithinDeadline,
          r.shareWithinDeadline,
          r.medianHours,
          r.p80Hours,
        ]),
      }),
      chart: () =>
        breakdownChart(header, range, {
          title: `Median time to answer${header.country ? ` ${header.country}'s requests` : ''}`,
          yLabel: 'Hours (median)',
          rows,
          value: (row) => row.medianHours,
          single: 'Median hours',
          note: 'Requests are counted in the period they were sent.',
        }),
    });
  }

  /** Open requests and cross-checks (one per recipient agency) by where they stand against their deadline now. */
  @Get('deadlines')
  @ReportQueries(RESPONSE_DIMENSIONS, [], false)
  @ApiOkResponse({ type: DeadlineReportView })
  async deadlines(
    @Query() query: Record<string, unknown>,
    @CurrentCaller() caller: Caller,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    this.refuseUnknown(query, RESPONSE_DIMENSIONS, false);
    const dimensions = this.dimensions(query, RESPONSE_DIMENSIONS, ['partner-country']);
    const filters = this.filters(query, RESPONSE_DIMENSIONS);
    const scope = await this.scope(caller, filters.country);
    const now = new Date();
    const threshold = this.config.REPORT_SMALL_COUNT_THRESHOLD;
    // Open requests now are a finer view than a year: small counts are hidden.
    const shown = (count: number) => shownCount(count, threshold, true);
    const open = await this.reports.openRequests(scope, dimensions, filters, now);
    const rows = inReportOrder(open.filter((r) => r.within + r.approaching + r.overdue > 0)).map((r) => ({
      values: r.values,
      withinDeadline: shown(r.within),
      approaching: shown(r.approaching),
      overdue: shown(r.overdue),
    }));
    const view = (): DeadlineReportView => ({
      country: scope.country,
      asOf: now.toISOString(),
      dimensions,
      filters: filters as Record<string, string[]>,
      smallCountThreshold: threshold,
      smallCountsHidden: true,
      rows: rows.map(({ values, ...row }) => withDimensions(dimensions, values, row)),
    });
    return sendReport(reply, accept, {
      name: `liaison-deadlines-${now.toISOString().slice(0, 10)}`,
      json: view,
      table: () => ({
        header: [...dimensions.map(column), 'within_deadline', 'approaching', 'overdue'],
        rows: rows.map((r) => [...r.values, r.withinDeadline, r.approaching, r.overdue]),
      }),
    });
  }

  /** Matches found per period (strong and candidate), with the release decisions and candidate reviews on them. */
  @Get('matches')
  @ReportQueries(MATCH_DIMENSIONS, STORED_PERIOD_GRANULARITIES, true)
  @ApiOkResponse({ type: MatchReportView })
  async matches(
    @Query() query: Record<string, unknown>,
    @CurrentCaller() caller: Caller,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const parsed = await this.parse(caller, query, MATCH_DIMENSIONS, STORED_PERIOD_GRANULARITIES, []);
    const { range, dimensions, filters, scope } = parsed;
    const header = this.header(parsed, finerThanCountryByYear(range.granularity, dimensions));
    const { smallCountThreshold: threshold, smallCountsHidden: fine } = header;
    const grid = await this.reports.matchGrid(scope, range, dimensions, filters);
    const rows = [...grid.rows()].map(({ period, values, counts, previous }) => {
      const [found, released, declined, confirmed, dismissed] = counts.map((count) =>
        shownCount(count, threshold, fine),
      );
      return {
        period,
        values,
        found,
        released,
        declined,
        confirmed,
        dismissed,
        previousFound: shownCount(previous, threshold, fine),
        change: shownChange(counts[0], previous, threshold, fine),
      };
    });
    const view = (): MatchReportView => ({
      ...header,
      rows: rows.map(({ values, ...row }) => withDimensions(dimensions, values, row)) as MatchReportView['rows'],
    });
    return sendReport(reply, accept, {
      name: `liaison-matches-${fileSpan(range)}`,
      json: view,
      table: () => ({
        header: [
          'period',
          ...dimensions.map(column),
          'found',
          'released',
          'declined',
          'confirmed',
          'dismissed',
          'previous_found',
          'change',
        ],
        rows: rows.map((r) => [
          r.period,
          ...r.values,
          r.found,
          r.released,
          r.declined,
          r.confirmed,
          r.dismissed,
          r.previousFound,
          r.change,
        ]),
      }),
      chart: () =>
        breakdownChart(header, range, {
          title: `Matches found${header.country ? ` for ${header.country}` : ''}`,
          yLabel: 'Matches',
          rows,
          value: (row) => row.found,
          single: 'Matches found',
        }),
    });
  }

  /**
   * Joint investigation teams: how many are live today, how many were created per year with the country as a
   * party, the operational meetings per year it took part in, and the share it called (recorded by one of its
   * agencies). Years only, at country level: no count is hidden.
   */
  @Get('jits')
  @ReportQueries(['country'], ['year'], true)
  @ApiOkResponse({ type: JitReportView })
  async jits(
    @Query() query: Record<string, unknown>,
    @CurrentCaller() caller: Caller,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    this.refuseUnknown(query, ['country'], true, false);
    const result = reportRange(query, { granularities: ['year'], maxPeriods: 100 });
    if ('problem' in result) fail(result.problem);
    const { range } = result;
    const filters = this.filters(query, ['country'] as const);
    if ((filters.country?.length ?? 0) > 1)
      throw ApiProblem.field('country', 'the teams report is for one country at a time');
    const scope = await this.scope(caller, filters.country);
    const country = scope.country ?? filters.country?.[0] ?? null;
    const today = new Date().toISOString().slice(0, 10);
    const teams = await this.reports.teams(country, { from: range.from, to: range.to }, today);
    const byYear = new Map(teams.perYear.map((y) => [y.year, y]));
    const years = range.periods.map((year) => {
      const y = byYear.get(year) ?? { year, created: 0, meetings: 0, calledByCountry: 0 };
      return {
        ...y,
        shareCalledByCountry: country !== null && y.meetings > 0 ? round(y.calledByCountry / y.meetings, 3) : null,
      };
    });
    const view = (): JitReportView => ({
      country,
      from: range.from,
      to: range.to,
      liveOn: today,
      live: teams.live,
      years,
    });
    return sendReport(reply, accept, {
      name: `liaison-jits-${fileSpan(range)}`,
      json: view,
      table: () => ({
        header: ['year', 'created', 'meetings', 'called_by_country', 'share_called_by_country', 'live_today'],
        rows: years.map((y) => [y.year, y.created, y.meetings, y.calledByCountry, y.shareCalledByCountry, teams.live]),
      }),
      chart: () => ({
        title: `Joint investigation teams${country ? ` with ${country}` : ''}, ${periodSpan(range)}`,
        subtitle: `${teams.live} live on ${today}`,
        xLabel: 'Year',
        yLabel: 'Teams and meetings',
        periods: range.periods,
        series: [
          { name: 'Teams created', values: years.map((y) => y.created) },
          { name: 'Operational meetings', values: years.map((y) => y.meetings) },
          ...(country ? [{ name: `Meetings called by ${country}`, values: years.map((y) => y.calledByCountry) }] : []),
        ],
        note: 'Source: Liaison tracker.',
      }),
    });
  }

  private async parse<D extends string>(
    caller: Caller,
    query: Record<string, unknown>,
    offered: readonly D[],
    granularities: readonly Granularity[],
    defaultDimensions: D[],
  ): Promise<ParsedQuery<D>> {
    this.refuseUnknown(query, offered, true);
    const result = reportRange(query, {
      granularities,
      maxPeriods:
        query.granularity === 'day' ||
        (query.granularity === undefined && /^\d{4}-\d{2}-\d{2}$/.test(String(query.from)))
          ? this.config.REPORT_MAX_DAYS
          : 1200,
    });
    if ('problem' in result) fail(result.problem);
    const dimensions = this.dimensions(query, offered, defaultDimensions);
    const filters = this.filters(query, offered);
    const scope = await this.scope(caller, (filters as Partial<Record<string, string[]>>).country);
    return { range: result.range, dimensions, filters, scope };
  }

  private dimensions<D extends string>(query: Record<string, unknown>, offered: readonly D[], defaults: D[]): D[] {
    if (query.by === undefined) return defaults;
    const result = reportDimensions(query.by, offered);
    if ('problem' in result) fail(result.problem);
    return result.dimensions;
  }

  private filters<D extends string>(
    query: Record<string, unknown>,
    offered: readonly D[],
  ): Partial<Record<D, string[]>> {
    const result = reportFilters(query, offered);
    if ('problem' in result) fail(result.problem);
    return result.filters;
  }

  /** A parameter the report does not know is refused, so that a misspelt filter never passes for no filter. */
  private refuseUnknown(query: Record<string, unknown>, offered: readonly string[], periods: boolean, by = true): void {
    const known = new Set<string>([
      ...offered,
      ...(periods ? ['from', 'to', 'granularity'] : []),
      ...(by ? ['by'] : []),
    ]);
    const unknown = Object.keys(query).find((name) => !known.has(name));
    if (unknown !== undefined)
      throw ApiProblem.field(unknown, `${unknown} is not a parameter of this report; use ${[...known].join(', ')}`);
  }

  /** A national programme lead sees its own country; a European or international one every country. */
  private async scope(caller: Caller, countries: string[] | undefined): Promise<ReportScope> {
    const agency = await this.agencies.find(caller.agency);
    if (!agency) throw new ApiProblem(ErrorCode.UnknownAgency, `agency ${caller.agency} is not in the register`);
    if (agency.country === 'EU' || agency.country === 'INT') return { country: null };
    const other = countries?.find((c) => c !== agency.country);
    if (other !== undefined)
      throw new ApiProblem(
        ErrorCode.Forbidden,
        `a programme lead of ${agency.country} sees ${agency.country}'s figures, not ${other}'s`,
      );
    return { country: agency.country };
  }

  private header<D extends string>(parsed: ParsedQuery<D>, fine: boolean): ReportHeaderView {
    return {
      country: parsed.scope.country,
      from: parsed.range.from,
      to: parsed.range.to,
      granularity: parsed.range.granularity,
      dimensions: parsed.dimensions,
      filters: parsed.filters as Record<string, string[]>,
      smallCountThreshold: this.config.REPORT_SMALL_COUNT_THRESHOLD,
      smallCountsHidden: fine,
    };
  }
}

/** OpenAPI for a report's query parameters and media types. */
function ReportQueries(dimensions: readonly string[], granularities: readonly Granularity[], charted: boolean) {
  const periods = granularities.length > 0;
  return applyDecorators(
    ...(periods
      ? [
          ApiQuery({
            name: 'from',
            required: true,
            description: 'First period: a year (2017), quarter (2017-Q3), month (2017-07) or day (2017-07-14)',
            example: '2017',
          }),
          ApiQuery({ name: 'to', required: false, description: 'Last period (default: from)', example: '2017' }),
          ApiQuery({
            name: 'granularity',
            required: false,
            enum: granularities,
            description: "Period length of the rows (default: from's)",
          }),
        ]
      : []),
    ...(dimensions.length > 1
      ? [
          ApiQuery({
            name: 'by',
            required: false,
            description: `Comma-separated dimensions to break counts down by: ${dimensions.join(', ')}`,
          }),
        ]
      : []),
    ...dimensions.map((d) =>
      ApiQuery({ name: d, required: false, description: `Only counts with these ${d} values (comma-separated)` }),
    ),
    ApiProduces('application/json', 'text/csv', ...(charted ? ['image/svg+xml'] : [])),
  );
}
