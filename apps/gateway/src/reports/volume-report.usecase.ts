import { mapLazily } from '@liaison/common';
import {
  exchangeCube,
  finerThanCountryByYear,
  REPORT_DIMENSIONS,
  shownRow,
  type Granularity,
  type ReportDimension,
  type ShownRow,
} from '@liaison/domain';
import { Injectable } from '@nestjs/common';
import { ApplicationError } from '../application/application-error';
import type { Caller } from '../auth/caller';
import { ReportScopes, type ReportHeader } from './report-scope';
import type { ReportRequest } from './report-request';
import { VolumeReadRepository } from './volume-read.repository';

export const VOLUME_DIMENSIONS = REPORT_DIMENSIONS;
export const VOLUME_GRANULARITIES: readonly Granularity[] = ['day', 'month', 'quarter', 'year'];

export interface VolumeReport {
  header: ReportHeader;
  /** The rows, made as they are read out: an export of every agency is tens of thousands of rows. */
  rows: () => Iterable<ShownRow>;
  totals: ShownRow[];
}

/**
 * Messages per period, broken down by any of country, partner country, agency, region, crime area, message type
 * and direction, with the change against the period before; imported historical counts included and marked. A
 * breakdown finer than country by year hides its small counts; the totals are hidden only by day or month.
 */
@Injectable()
export class VolumeReportUseCase {
  constructor(
    private readonly volumes: VolumeReadRepository,
    private readonly scopes: ReportScopes,
  ) {}

  async run(caller: Caller, request: ReportRequest<ReportDimension>): Promise<VolumeReport> {
    const { range, dimensions, filters } = request;
    const scope = await this.scopes.of(caller, filters.country);
    const used = [...dimensions, ...(Object.keys(filters) as ReportDimension[])];
    if (range.granularity === 'day' && used.some((d) => d === 'agency' || d === 'region'))
      throw ApplicationError.field('granularity', 'breakdowns by agency or region are by month, quarter or year');
    const chosen = exchangeCube(range.granularity, used);
    if (!chosen) {
      if (range.granularity === 'day')
        throw ApplicationError.field(
          'granularity',
          'by day, a breakdown by partner country cannot also be by crime area or message type: ask by month, or for one of them',
        );
      throw ApplicationError.field(
        'by',
        'a breakdown by agency or region and partner country cannot also be by crime area or message type: ask for one of them at a time',
      );
    }
    const grid = await this.volumes.exchangeGrid(chosen, scope, range, dimensions, filters);
    const header = this.scopes.header(scope, request, finerThanCountryByYear(range.granularity, dimensions));
    const { smallCountThreshold: threshold, smallCountsHidden: fine } = header;
    return {
      header,
      rows: () => mapLazily(grid.rows(), (row) => shownRow(row, threshold, fine)),
      totals: grid.totals().map((row) => shownRow(row, threshold, finerThanCountryByYear(range.granularity, []))),
    };
  }
}
