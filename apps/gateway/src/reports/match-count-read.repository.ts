import { grainTable, MATCH_COUNT_FIELDS, ReportGrid, type ReportRange } from '@liaison/domain';
import { Injectable } from '@nestjs/common';
import { FactQuery, onePerCell, type CubeChoice, type Filters, type ReportScope } from './fact-query';
import { ReportDatabase } from './report-database';

export const MATCH_DIMENSIONS = ['country', 'partner-country', 'entity-type', 'strength'] as const;
export type MatchDimension = (typeof MATCH_DIMENSIONS)[number];

/** Reads matches from the match cubes. */
@Injectable()
export class MatchCountReadRepository {
  constructor(private readonly db: ReportDatabase) {}

  /**
   * Matches found per period and combination, from the cube chosen for the breakdown, with the decisions taken on
   * them: a cell holds `MATCH_COUNT_FIELDS`.
   */
  async matchGrid(
    chosen: CubeChoice<'matches'>,
    scope: ReportScope,
    range: ReportRange,
    dimensions: readonly MatchDimension[],
    filters: Filters<MatchDimension>,
  ): Promise<ReportGrid> {
    const used = [...dimensions, ...(Object.keys(filters) as MatchDimension[])];
    const query = new FactQuery(grainTable(chosen.cube.table, chosen.grain))
      .periods(range.before.from, range.to, chosen.grain, Object.keys(filters).length > 0)
      .country(chosen.cube, scope, used.includes('country'))
      .filters(filters);
    const grid = new ReportGrid(range, MATCH_COUNT_FIELDS.length);
    const n = dimensions.length;
    // Rows: the period, the dimension values, the counts.
    await this.db.eachRow(
      query.sql(
        dimensions,
        MATCH_COUNT_FIELDS.map((c) => [c, `t.${c}`] as [string, string]),
        { summed: !onePerCell(chosen.cube, scope, dimensions, filters) },
      ),
      query.params,
      (row) =>
        grid.add(
          row[0] as string,
          row.slice(1, 1 + n) as (string | null)[],
          MATCH_COUNT_FIELDS.map((_, i) => Number(row[1 + n + i])),
        ),
    );
    return grid;
  }
}
