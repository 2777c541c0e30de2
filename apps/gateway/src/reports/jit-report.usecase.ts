import { roundTo } from '@liaison/common';
import type { ReportRange } from '@liaison/domain';
import { Injectable } from '@nestjs/common';
import { ApplicationError } from '../application/application-error';
import type { Caller } from '../auth/caller';
import { ReportScopes } from './report-scope';
import { TeamReadRepository, type TeamYear } from './team-read.repository';

export interface JitReport {
  country: string | null;
  range: ReportRange;
  liveOn: string;
  live: number;
  years: (TeamYear & { shareCalledByCountry: number | null })[];
}

/**
 * Joint investigation teams: how many are live today, how many were created per year with the country as a
 * party, the operational meetings per year it took part in, and the share it called (recorded by one of its
 * agencies). Years only, at country level: no count is hidden.
 */
@Injectable()
export class JitReportUseCase {
  constructor(
    private readonly teams: TeamReadRepository,
    private readonly scopes: ReportScopes,
  ) {}

  async run(caller: Caller, range: ReportRange, countries: string[] | undefined, now = new Date()): Promise<JitReport> {
    if ((countries?.length ?? 0) > 1)
      throw ApplicationError.field('country', 'the teams report is for one country at a time');
    const scope = await this.scopes.of(caller, countries);
    const country = scope.country ?? countries?.[0] ?? null;
    const today = now.toISOString().slice(0, 10);
    const teams = await this.teams.teams(country, { from: range.from, to: range.to }, today);
    const byYear = new Map(teams.perYear.map((y) => [y.year, y]));
    const years = range.periods.map((year) => {
      const y = byYear.get(year) ?? { year, created: 0, meetings: 0, calledByCountry: 0 };
      return {
        ...y,
        shareCalledByCountry: country !== null && y.meetings > 0 ? roundTo(y.calledByCountry / y.meetings, 3) : null,
      };
    });
    return { country, range, liveOn: today, live: teams.live, years };
  }
}
