import {
  chooseCube,
  finerThanCountryByYear,
  MATCH_CUBES,
  shownChange,
  shownCount,
  type ShownCount,
} from '@liaison/domain';
import { ApplicationError } from '../application/application-error';
import { Injectable } from '@nestjs/common';
import type { Caller } from '../auth/caller';
import { MatchCountReadRepository, type MatchDimension } from './match-count-read.repository';
import { ReportScopes, type ReportHeader } from './report-scope';
import type { ReportRequest } from './report-request';

export interface MatchReportRow {
  period: string;
  values: (string | null)[];
  found: ShownCount;
  released: ShownCount;
  declined: ShownCount;
  confirmed: ShownCount;
  dismissed: ShownCount;
  previousFound: ShownCount;
  change: number | null;
}

export interface MatchReport {
  header: ReportHeader;
  rows: MatchReportRow[];
}

/**
 * Matches found per period (strong and candidate), with the release decisions and candidate reviews on them, read
 * from the smallest cube that keeps the breakdown.
 */
@Injectable()
export class MatchReportUseCase {
  constructor(
    private readonly matches: MatchCountReadRepository,
    private readonly scopes: ReportScopes,
  ) {}

  async run(caller: Caller, request: ReportRequest<MatchDimension>): Promise<MatchReport> {
    const { range, dimensions, filters } = request;
    const scope = await this.scopes.of(caller, filters.country);
    const header = this.scopes.header(scope, request, finerThanCountryByYear(range.granularity, dimensions));
    const { smallCountThreshold: threshold, smallCountsHidden: fine } = header;
    const chosen = chooseCube(MATCH_CUBES, range.granularity, [...dimensions, ...Object.keys(filters)]);
    if (!chosen) throw ApplicationError.field('by', 'no match cube keeps this breakdown');
    const grid = await this.matches.matchGrid(chosen, scope, range, dimensions, filters);
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
    return { header, rows };
  }
}
