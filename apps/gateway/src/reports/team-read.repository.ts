import { Injectable } from '@nestjs/common';
import { ReportDatabase } from './report-database';

/** A year of joint investigation teams, as the teams report counts it. */
export interface TeamYear {
  year: string;
  created: number;
  meetings: number;
  calledByCountry: number;
}

/** Reads the teams and meetings the tracker keeps (`report_jits`, `report_jit_meetings`). */
@Injectable()
export class TeamReadRepository {
  constructor(private readonly db: ReportDatabase) {}

  /**
   * Joint investigation teams a country is party to (every team, for all countries): live on a day, created per
   * year; and operational meetings per year, those the country took part in and those it called.
   */
  async teams(
    country: string | null,
    years: { from: string; to: string },
    today: string,
  ): Promise<{ live: number; perYear: TeamYear[] }> {
    const party = country === null ? 'true' : '$3 = ANY(countries)';
    const params = country === null ? [years.from, years.to] : [years.from, years.to, country];
    const query = (sql: string, values: unknown[]): Promise<Record<string, unknown>[]> =>
      this.db.dataSource.query(sql, values);
    const [liveRows, createdRows, meetingRows] = await Promise.all([
      query(
        `SELECT count(*) AS n FROM report_jits WHERE starts_on <= $1 AND ends_on >= $1${country === null ? '' : ' AND $2 = ANY(countries)'}`,
        country === null ? [today] : [today, country],
      ),
      query(
        `SELECT to_char(created_on, 'YYYY') AS year, count(*) AS n FROM report_jits WHERE created_on BETWEEN $1 AND $2 AND ${party} GROUP BY 1`,
        params,
      ),
      query(
        `SELECT to_char(held_on, 'YYYY') AS year, count(*) AS n, count(*) FILTER (WHERE ${country === null ? 'false' : 'called_by_country = $3'}) AS called
           FROM report_jit_meetings WHERE held_on BETWEEN $1 AND $2 AND ${party} GROUP BY 1`,
        params,
      ),
    ]);
    const perYear = new Map<string, TeamYear>();
    const year = (y: string) =>
      perYear.get(y) ?? perYear.set(y, { year: y, created: 0, meetings: 0, calledByCountry: 0 }).get(y)!;
    for (const row of createdRows) year(row.year as string).created = Number(row.n);
    for (const row of meetingRows)
      Object.assign(year(row.year as string), { meetings: Number(row.n), calledByCountry: Number(row.called) });
    return { live: Number(liveRows[0].n), perYear: [...perYear.values()] };
  }
}
