import {
  type ExchangeCubeChoice,
  periodLabel,
  ReportGrid,
  type ReportDimension,
  type ReportRange,
} from '@liaison/domain';
import { Injectable } from '@nestjs/common';
import { FactQuery, onePerCell, type Filters, type ReportScope } from './fact-query';
import { ReportDatabase } from './report-database';

interface ImportedRow {
  country: string;
  period_from: string;
  period_to: string;
  direction: string;
  partner_country: string;
  crime_area: string;
  message_type: string;
  messages: string;
}

/** An imported count's value for a dimension: imported counts carry no agency, so none for agency or region. */
function importedValue(row: ImportedRow, dimension: ReportDimension): string | null {
  switch (dimension) {
    case 'country':
      return row.country;
    case 'partner-country':
      return row.partner_country;
    case 'crime-area':
      return row.crime_area;
    case 'message-type':
      return row.message_type;
    case 'direction':
      return row.direction;
    case 'agency':
    case 'region':
      return null;
  }
}

/** Reads message volumes from the exchange cubes and the imported historical counts. */
@Injectable()
export class VolumeReadRepository {
  constructor(private readonly db: ReportDatabase) {}

  /**
   * Messages per period and combination of dimensions, from the period before the range (for changes) to its
   * end, from the cube chosen for the breakdown (`exchangeCube`); the count summed is the one that counts a
   * message once for the breakdown asked for (see `exchangeFacts`). Imported counts are added, each as its own
   * second count too: a cell holds [messages, imported].
   */
  async exchangeGrid(
    chosen: ExchangeCubeChoice,
    scope: ReportScope,
    range: ReportRange,
    dimensions: readonly ReportDimension[],
    filters: Filters<ReportDimension>,
  ): Promise<ReportGrid> {
    const used = [...dimensions, ...(Object.keys(filters) as ReportDimension[])];
    const { cube, grain, table, measure } = chosen;
    const query = new FactQuery(table)
      .periods(range.before.from, range.to, grain, Object.keys(filters).length > 0)
      .country(cube, scope, used.includes('country'))
      .filters(filters);
    const joins = dimensions.includes('region') || filters.region ? 'LEFT JOIN agencies a ON a.code = t.agency' : '';
    const grid = new ReportGrid(range, 2);
    const n = dimensions.length;
    // Rows: the period, the dimension values, the count.
    const [imported] = await Promise.all([
      this.importedCounts(scope, range, dimensions, filters),
      this.db.eachRow(
        query.sql(dimensions, [['messages', `t.${measure}`]], {
          joins,
          summed: !onePerCell(cube, scope, dimensions, filters),
        }),
        query.params,
        (row) => grid.add(row[0] as string, row.slice(1, 1 + n) as (string | null)[], [Number(row[1 + n]), 0]),
      ),
    ]);
    for (const { day, values, messages } of imported) grid.add(day, values, [messages, messages]);
    return grid;
  }

  /**
   * The imported counts that each fall within one period of the report (a yearly count cannot be shown by
   * month), with their first day and dimension values. They carry no agency: a breakdown by agency or region
   * shows them as not recorded, and a filter on either leaves them out.
   */
  private async importedCounts(
    scope: ReportScope,
    range: ReportRange,
    dimensions: readonly ReportDimension[],
    filters: Filters<ReportDimension>,
  ): Promise<{ day: string; values: (string | null)[]; messages: number }[]> {
    if (filters.agency || filters.region) return [];
    const params: unknown[] = [range.before.from, range.to];
    let where = 'period_from >= $1 AND period_to <= $2';
    if (scope.country !== null) {
      params.push(scope.country);
      where += ' AND country = $3';
    }
    const rows: ImportedRow[] = await this.db.dataSource.query(
      `SELECT country, period_from::text, period_to::text, direction, partner_country, crime_area, message_type, messages FROM report_imported_counts WHERE ${where}`,
      params,
    );
    return rows
      .filter(
        (row) => periodLabel(row.period_to, range.granularity) === periodLabel(row.period_from, range.granularity),
      )
      .filter((row) =>
        (Object.entries(filters) as [ReportDimension, string[]][]).every(([d, values]) =>
          values.includes(importedValue(row, d) ?? ''),
        ),
      )
      .map((row) => ({
        day: row.period_from,
        values: dimensions.map((d) => importedValue(row, d)),
        messages: Number(row.messages),
      }));
  }
}
