import { AgencyRepository } from '@liaison/persistence';
import { Inject, Injectable } from '@nestjs/common';
import { SERVICE_CONFIG } from '@liaison/runtime';
import { ApplicationError, ErrorCode } from '../application/application-error';
import type { Caller } from '../auth/caller';
import type { GatewayConfig } from '../gateway.config';
import type { ReportScope } from './fact-query';
import type { ReportRequest } from './report-request';

/** What every report with periods says of itself before its rows. */
export interface ReportHeader {
  country: string | null;
  from: string;
  to: string;
  granularity: string;
  dimensions: string[];
  filters: Record<string, string[]>;
  smallCountThreshold: number;
  smallCountsHidden: boolean;
}

/** Whose figures a programme lead may see, and how small counts are hidden from them. */
@Injectable()
export class ReportScopes {
  constructor(
    private readonly agencies: AgencyRepository,
    @Inject(SERVICE_CONFIG) private readonly config: GatewayConfig,
  ) {}

  /** Counts below this are hidden in breakdowns finer than country by year. */
  get smallCountThreshold(): number {
    return this.config.REPORT_SMALL_COUNT_THRESHOLD;
  }

  /**
   * A national programme lead sees its own country (and may name only it); a European or international one
   * (Europol, Eurojust, Interpol) every country.
   */
  async of(caller: Caller, countries: string[] | undefined): Promise<ReportScope> {
    const agency = await this.agencies.find(caller.agency);
    if (!agency) throw new ApplicationError(ErrorCode.UnknownAgency, `agency ${caller.agency} is not in the register`);
    if (agency.country === 'EU' || agency.country === 'INT') return { country: null };
    const other = countries?.find((c) => c !== agency.country);
    if (other !== undefined)
      throw new ApplicationError(
        ErrorCode.Forbidden,
        `a programme lead of ${agency.country} sees ${agency.country}'s figures, not ${other}'s`,
      );
    return { country: agency.country };
  }

  header<D extends string>(scope: ReportScope, request: ReportRequest<D>, fine: boolean): ReportHeader {
    return {
      country: scope.country,
      from: request.range.from,
      to: request.range.to,
      granularity: request.range.granularity,
      dimensions: request.dimensions,
      filters: request.filters as Record<string, string[]>,
      smallCountThreshold: this.smallCountThreshold,
      smallCountsHidden: fine,
    };
  }
}
