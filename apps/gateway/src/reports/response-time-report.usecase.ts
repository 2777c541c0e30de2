import { roundTo } from '@liaison/common';
import {
  chooseCube,
  finerThanCountryByYear,
  inReportOrder,
  RESPONSE_CUBES,
  shownCount,
  type Granularity,
  type ShownCount,
} from '@liaison/domain';
import { ApplicationError } from '../application/application-error';
import { Injectable } from '@nestjs/common';
import type { Caller } from '../auth/caller';
import { ReportScopes, type ReportHeader } from './report-scope';
import type { ReportRequest } from './report-request';
import { ResponseReadRepository, type ResponseDimension } from './response-read.repository';

export const RESPONSE_GRANULARITIES: readonly Granularity[] = ['month', 'quarter', 'year'];

export interface ResponseTimeRow {
  period: string;
  values: (string | null)[];
  requests: ShownCount;
  answered: ShownCount;
  answeredWithinDeadline: ShownCount;
  shareWithinDeadline: number | null;
  medianHours: number | null;
  p80Hours: number | null;
}

export interface ResponseTimeReport {
  header: ReportHeader;
  rows: ResponseTimeRow[];
}

/**
 * Time to answer requests and cross-checks, per partner (the country that owed the answer) and period: the
 * median and 80th percentile (within 5%), and the share answered by the deadline. Requests are counted in the
 * period they were sent, one per recipient agency, read from the smallest cube that keeps the breakdown. Percentiles of a handful of answers would tell one
 * investigation's timings: they are hidden with the counts.
 */
@Injectable()
export class ResponseTimeReportUseCase {
  constructor(
    private readonly responses: ResponseReadRepository,
    private readonly scopes: ReportScopes,
  ) {}

  async run(caller: Caller, request: ReportRequest<ResponseDimension>): Promise<ResponseTimeReport> {
    const { range, dimensions, filters } = request;
    const scope = await this.scopes.of(caller, filters.country);
    const header = this.scopes.header(scope, request, finerThanCountryByYear(range.granularity, dimensions));
    const { smallCountThreshold: threshold, smallCountsHidden: fine } = header;
    const chosen = chooseCube(RESPONSE_CUBES, range.granularity, [...dimensions, ...Object.keys(filters)]);
    if (!chosen) throw ApplicationError.field('by', 'no response cube keeps this breakdown');
    const counts = await this.responses.responseCells(chosen, scope, range, dimensions, filters);
    const rows = inReportOrder(
      counts.filter((cell) => cell.counts.requests > 0),
      range.periods,
    ).map((cell) => {
      const timed = !(fine && cell.counts.answered < threshold);
      const hours = (seconds: number | null) => (timed && seconds !== null ? roundTo(seconds / 3600, 1) : null);
      const requestsShown = shownCount(cell.counts.requests, threshold, fine);
      return {
        period: cell.period,
        values: cell.values,
        requests: requestsShown,
        answered: shownCount(cell.counts.answered, threshold, fine),
        answeredWithinDeadline: shownCount(cell.counts.within_deadline, threshold, fine),
        shareWithinDeadline:
          typeof requestsShown === 'number' && timed
            ? roundTo(cell.counts.within_deadline / cell.counts.requests, 3)
            : null,
        medianHours: hours(cell.medianSeconds),
        p80Hours: hours(cell.p80Seconds),
      };
    });
    return { header, rows };
  }
}
