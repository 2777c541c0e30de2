import { inReportOrder, shownCount, type ShownCount } from '@liaison/domain';
import { Injectable } from '@nestjs/common';
import type { Caller } from '../auth/caller';
import type { Filters } from './fact-query';
import { ReviewRepository } from '../reviews/review.repository';
import { ReportScopes } from './report-scope';
import { ResponseReadRepository, type ResponseDimension } from './response-read.repository';

export interface DeadlineReport {
  country: string | null;
  asOf: Date;
  dimensions: ResponseDimension[];
  filters: Filters<ResponseDimension>;
  smallCountThreshold: number;
  rows: { values: string[]; withinDeadline: ShownCount; approaching: ShownCount; overdue: ShownCount }[];
  /** Cases of the scope's agencies past their review date now (see `/v1/reviews`). */
  overdueReviews: ShownCount;
}

/**
 * Open requests and cross-checks (one per recipient agency) by where they stand against their deadline now, and
 * the cases past their review date. Now is a finer view than a year: small counts are hidden.
 */
@Injectable()
export class DeadlineReportUseCase {
  constructor(
    private readonly responses: ResponseReadRepository,
    private readonly scopes: ReportScopes,
    private readonly reviews: ReviewRepository,
  ) {}

  async run(
    caller: Caller,
    request: { dimensions: ResponseDimension[]; filters: Filters<ResponseDimension> },
    now = new Date(),
  ): Promise<DeadlineReport> {
    const { dimensions, filters } = request;
    const scope = await this.scopes.of(caller, filters.country);
    const threshold = this.scopes.smallCountThreshold;
    const shown = (count: number) => shownCount(count, threshold, true);
    const open = await this.responses.openRequests(scope, dimensions, filters, now);
    const rows = inReportOrder(open.filter((r) => r.within + r.approaching + r.overdue > 0)).map((r) => ({
      values: r.values,
      withinDeadline: shown(r.within),
      approaching: shown(r.approaching),
      overdue: shown(r.overdue),
    }));
    const overdueReviews = shown(await this.reviews.overdueIn(scope.country, now));
    return {
      country: scope.country,
      asOf: now,
      dimensions,
      filters,
      smallCountThreshold: threshold,
      rows,
      overdueReviews,
    };
  }
}
