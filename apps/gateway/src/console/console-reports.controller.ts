import { REPORT_DIMENSIONS } from '@liaison/domain';
import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentCaller, Roles, SessionOnly, type PersonCaller } from '../auth/caller';
import { ApplicationError } from '../application/application-error';
import { ApiProblem } from '../http/problem';
import { ReportController } from '../reports/report.controller';
import { sendReport } from '../reports/report-format';
import { ConsolePages } from './console-pages';

const GRANULARITY_WORDS: Record<string, string> = { month: 'Month', quarter: 'Quarter', year: 'Year', day: 'Day' };
const DIMENSION_WORDS: Record<string, string> = {
  country: 'Country',
  'partner-country': 'Partner country',
  agency: 'Agency',
  region: 'Region',
  'crime-area': 'Crime area',
  'message-type': 'Kind of message',
  direction: 'Direction',
};

/** The form's fields, as the report's query (only those filled in). */
function reportQuery(query: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of ['from', 'to', 'granularity', 'by'])
    if (typeof query[name] === 'string' && query[name] !== '') out[name] = query[name];
  return out;
}

/** The last twelve months, the view a lead first sees. */
function lastTwelveMonths(now = new Date()): Record<string, string> {
  const month = (offset: number) => {
    const date = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 1));
    return date.toISOString().slice(0, 7);
  };
  return { from: month(-11), to: month(0), granularity: 'month' };
}

/**
 * The programme lead's figures: message volumes for a period, as a chart, as the same figures in a table
 * beneath it, and as CSV. Figures only: the report never holds content. The chart, table and CSV come from the
 * same report forms as `GET /v1/reports/volumes`, so all three agree with the API.
 */
@ApiExcludeController()
@Controller('console/reports')
@SessionOnly()
@Roles('programme-lead')
export class ConsoleReportsController {
  constructor(
    private readonly pages: ConsolePages,
    private readonly reports: ReportController,
  ) {}

  @Get()
  async page(@Query() raw: Record<string, unknown>, @CurrentCaller() caller: PersonCaller, @Res() reply: FastifyReply) {
    const query = Object.keys(reportQuery(raw)).length ? reportQuery(raw) : lastTwelveMonths();
    const form = {
      ...query,
      granularities: ['month', 'quarter', 'year', 'day'].map((value) => ({
        value,
        text: GRANULARITY_WORDS[value],
        selected: (query.granularity ?? 'month') === value,
      })),
      dimensions: [
        { value: '', text: 'No breakdown', selected: !query.by },
        ...REPORT_DIMENSIONS.filter((d) => DIMENSION_WORDS[d]).map((value) => ({
          value,
          text: DIMENSION_WORDS[value],
          selected: query.by === value,
        })),
      ],
    };
    let forms;
    try {
      forms = await this.reports.volumeForms(query, caller);
    } catch (thrown) {
      const error = thrown instanceof ApplicationError ? ApiProblem.of(thrown) : thrown;
      if (!(error instanceof ApiProblem) || error.getStatus() !== 400) throw thrown;
      const errors = error.errors.map((e) => ({ href: `#${e.field === 'by' ? 'by' : e.field}`, text: e.message }));
      return void (await this.pages.render(
        reply,
        caller,
        'reports',
        'reports',
        {
          title: 'Message volumes',
          form,
          errors,
        },
        400,
      ));
    }
    const table = forms.table();
    const search = new URLSearchParams(query).toString();
    await this.pages.render(reply, caller, 'reports', 'reports', {
      title: 'Message volumes',
      form,
      chart: `/console/reports/volumes.svg?${search}`,
      csv: `/console/reports/volumes.csv?${search}`,
      header: table.header,
      rows: [...table.rows],
    });
  }

  /** The chart, as an image the page shows (the table beneath it holds the same figures). */
  @Get('volumes.svg')
  async chart(
    @Query() raw: Record<string, unknown>,
    @CurrentCaller() caller: PersonCaller,
    @Res() reply: FastifyReply,
  ) {
    const body = sendReport(
      reply,
      { accept: 'image/svg+xml' },
      await this.reports.volumeForms(reportQuery(raw), caller),
    );
    return reply.send(body);
  }

  @Get('volumes.csv')
  async csv(@Query() raw: Record<string, unknown>, @CurrentCaller() caller: PersonCaller, @Res() reply: FastifyReply) {
    const body = sendReport(
      reply,
      { accept: 'text/csv', separator: raw.separator },
      await this.reports.volumeForms(reportQuery(raw), caller),
    );
    return reply.send(body);
  }
}
