import { mapLazily } from '@liaison/common';
import type { Granularity } from '@liaison/domain';
import { SERVICE_CONFIG } from '@liaison/runtime';
import { Controller, Get, Headers, Inject, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentCaller, Roles, type Caller } from '../auth/caller';
import type { GatewayConfig } from '../gateway.config';
import { DeadlineReportUseCase } from './deadline-report.usecase';
import { JitReportUseCase } from './jit-report.usecase';
import { MATCH_DIMENSIONS } from './match-count-read.repository';
import { MatchReportUseCase } from './match-report.usecase';
import { breakdownChart, fileSpan, teamsChart } from './report-chart.presenter';
import { sendReport, type ReportForms } from './report-format';
import { ReportQueries } from './report-openapi';
import {
  parseReportRequest,
  refuseUnknown,
  requestedDimensions,
  requestedFilters,
  requestedRange,
  type ReportOffer,
} from './report-request';
import { RESPONSE_DIMENSIONS, type ResponseDimension } from './response-read.repository';
import { RESPONSE_GRANULARITIES, ResponseTimeReportUseCase } from './response-time-report.usecase';
import {
  DeadlineReportView,
  JitReportView,
  MatchReportView,
  ResponseTimeReportView,
  VolumeReportView,
} from './report.views';
import { VOLUME_DIMENSIONS, VOLUME_GRANULARITIES, VolumeReportUseCase } from './volume-report.usecase';

/** JSON field of each dimension. */
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
/** CSV column of each dimension. */
const column = (dimension: string) => dimension.replace(/-/g, '_');

/** A row as the JSON view gives it: its dimension values under their fields, then its other fields. */
function withDimensions<R extends object>(
  dimensions: readonly string[],
  values: readonly (string | null)[],
  fields: R,
): R & Record<string, string | null> {
  const named: Record<string, string | null> = {};
  for (let i = 0; i < dimensions.length; i += 1) named[FIELDS[dimensions[i]]] = values[i];
  return Object.assign(named, fields);
}

/**
 * Reports for programme leads: figures only, from the tracker's pre-aggregated facts, never content or case
 * references. A national programme lead sees its own country's figures; a European or international one
 * (Europol, Eurojust, Interpol) sees every country's, and may choose one with `country`. Each report is JSON,
 * CSV (`Accept: text/csv`) and, for the main ones, an SVG chart (`Accept: image/svg+xml`). Each action reads the
 * query, runs the report's use case, and writes the result in the form asked for.
 */
@ApiTags('reports')
@ApiBearerAuth()
@Controller('v1/reports')
@Roles('programme-lead')
export class ReportController {
  constructor(
    private readonly volumeReport: VolumeReportUseCase,
    private readonly responseTimeReport: ResponseTimeReportUseCase,
    private readonly deadlineReport: DeadlineReportUseCase,
    private readonly matchReport: MatchReportUseCase,
    private readonly jitReport: JitReportUseCase,
    @Inject(SERVICE_CONFIG) private readonly config: GatewayConfig,
  ) {}

  private offer<D extends string>(
    dimensions: readonly D[],
    granularities: readonly Granularity[],
    defaultDimensions: D[],
  ): ReportOffer<D> {
    return { dimensions, granularities, defaultDimensions, maxDays: this.config.REPORT_MAX_DAYS };
  }

  /**
   * Messages per period, broken down by any of country, partner country, agency, region, crime area, message
   * type and direction, with the change against the period before; imported historical counts included and
   * marked. A message is counted once in each direction it travelled from the country's point of view
   * (sent abroad, received from abroad, kept at home), and once per partner in breakdowns by partner.
   */
  @Get('volumes')
  @ReportQueries(VOLUME_DIMENSIONS, VOLUME_GRANULARITIES, true)
  @ApiOkResponse({ type: VolumeReportView })
  async volumes(
    @Query() query: Record<string, unknown>,
    @CurrentCaller() caller: Caller,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return sendReport<VolumeReportView>(
      reply,
      { accept, separator: query.separator },
      await this.volumeForms(query, caller),
    );
  }

  /** The volume report in each of its forms (JSON, table, chart): the API's and the console's alike. */
  async volumeForms(query: Record<string, unknown>, caller: Caller): Promise<ReportForms<VolumeReportView>> {
    const request = parseReportRequest(query, this.offer(VOLUME_DIMENSIONS, VOLUME_GRANULARITIES, []));
    const { range, dimensions } = request;
    const report = await this.volumeReport.run(caller, request);
    const { header } = report;
    return {
      name: `liaison-volumes-${fileSpan(range)}`,
      json: () => ({
        ...header,
        rows: mapLazily(report.rows(), (row) =>
          withDimensions(dimensions, row.values, {
            period: row.period,
            messages: row.count,
            imported: row.imported,
            previous: row.previous,
            change: row.change,
            source: row.source,
          }),
        ),
        totals: report.totals.map((row) => ({
          period: row.period,
          messages: row.count,
          imported: row.imported,
          previous: row.previous,
          change: row.change,
        })),
      }),
      table: () => ({
        header: ['period', ...dimensions.map(column), 'messages', 'imported', 'previous', 'change', 'source'],
        rows: mapLazily(report.rows(), (row) => [
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
        const shown = [...report.rows()];
        return breakdownChart(header, range, {
          title: `Messages exchanged${header.country ? ` by ${header.country}` : ''}`,
          yLabel: 'Messages',
          rows: shown,
          value: (row) => row.count,
          single: 'Messages',
          note: shown.some((r) => r.source !== 'tracked') ? 'Includes imported historical figures.' : undefined,
        });
      },
    };
  }

  /**
   * Time to answer requests and cross-checks, per partner (the country that owed the answer) and period: the
   * median and 80th percentile (within 5%), and the share answered by the deadline. Requests are counted in
   * the period they were sent, one per recipient agency.
   */
  @Get('response-times')
  @ReportQueries(RESPONSE_DIMENSIONS, RESPONSE_GRANULARITIES, true)
  @ApiOkResponse({ type: ResponseTimeReportView })
  async responseTimes(
    @Query() query: Record<string, unknown>,
    @CurrentCaller() caller: Caller,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const request = parseReportRequest(
      query,
      this.offer<ResponseDimension>(RESPONSE_DIMENSIONS, RESPONSE_GRANULARITIES, ['partner-country']),
    );
    const { range, dimensions } = request;
    const { header, rows } = await this.responseTimeReport.run(caller, request);
    return sendReport(
      reply,
      { accept, separator: query.separator },
      {
        name: `liaison-response-times-${fileSpan(range)}`,
        json: (): ResponseTimeReportView => ({
          ...header,
          rows: rows.map(({ values, ...row }) =>
            withDimensions(dimensions, values, row),
          ) as ResponseTimeReportView['rows'],
        }),
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
      },
    );
  }

  /**
   * Open requests and cross-checks (one per recipient agency) by where they stand against their deadline now; the
   * JSON also counts the cases past their review date.
   */
  @Get('deadlines')
  @ReportQueries(RESPONSE_DIMENSIONS, [], false)
  @ApiOkResponse({ type: DeadlineReportView })
  async deadlines(
    @Query() query: Record<string, unknown>,
    @CurrentCaller() caller: Caller,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    refuseUnknown(query, RESPONSE_DIMENSIONS, { periods: false, by: true });
    const report = await this.deadlineReport.run(caller, {
      dimensions: requestedDimensions(query, RESPONSE_DIMENSIONS, ['partner-country']),
      filters: requestedFilters(query, RESPONSE_DIMENSIONS),
    });
    const { dimensions, rows } = report;
    return sendReport(
      reply,
      { accept, separator: query.separator },
      {
        name: `liaison-deadlines-${report.asOf.toISOString().slice(0, 10)}`,
        json: (): DeadlineReportView => ({
          country: report.country,
          asOf: report.asOf.toISOString(),
          dimensions,
          filters: report.filters as Record<string, string[]>,
          smallCountThreshold: report.smallCountThreshold,
          smallCountsHidden: true,
          rows: rows.map(({ values, ...row }) => withDimensions(dimensions, values, row)),
          overdueReviews: report.overdueReviews,
        }),
        table: () => ({
          header: [...dimensions.map(column), 'within_deadline', 'approaching', 'overdue'],
          rows: rows.map((r) => [...r.values, r.withinDeadline, r.approaching, r.overdue]),
        }),
      },
    );
  }

  /** Matches found per period (strong and candidate), with the release decisions and candidate reviews on them. */
  @Get('matches')
  @ReportQueries(MATCH_DIMENSIONS, RESPONSE_GRANULARITIES, true)
  @ApiOkResponse({ type: MatchReportView })
  async matches(
    @Query() query: Record<string, unknown>,
    @CurrentCaller() caller: Caller,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const request = parseReportRequest(query, this.offer(MATCH_DIMENSIONS, RESPONSE_GRANULARITIES, []));
    const { range, dimensions } = request;
    const { header, rows } = await this.matchReport.run(caller, request);
    return sendReport(
      reply,
      { accept, separator: query.separator },
      {
        name: `liaison-matches-${fileSpan(range)}`,
        json: (): MatchReportView => ({
          ...header,
          rows: rows.map(({ values, ...row }) => withDimensions(dimensions, values, row)) as MatchReportView['rows'],
        }),
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
      },
    );
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
    refuseUnknown(query, ['country'], { periods: true, by: false });
    const range = requestedRange(query, ['year'], 100);
    const report = await this.jitReport.run(caller, range, requestedFilters(query, ['country'] as const).country);
    const { years } = report;
    return sendReport(
      reply,
      { accept, separator: query.separator },
      {
        name: `liaison-jits-${fileSpan(range)}`,
        json: (): JitReportView => ({
          country: report.country,
          from: range.from,
          to: range.to,
          liveOn: report.liveOn,
          live: report.live,
          years,
        }),
        table: () => ({
          header: ['year', 'created', 'meetings', 'called_by_country', 'share_called_by_country', 'live_today'],
          rows: years.map((y) => [
            y.year,
            y.created,
            y.meetings,
            y.calledByCountry,
            y.shareCalledByCountry,
            report.live,
          ]),
        }),
        chart: () => teamsChart(report),
      },
    );
  }
}
