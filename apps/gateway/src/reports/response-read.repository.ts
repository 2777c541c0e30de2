import {
  bucketSeconds,
  cellKey,
  CellHistograms,
  factColumn,
  grainTable,
  parsePeriod,
  periodLabel,
  type ReportRange,
} from '@liaison/domain';
import { Injectable } from '@nestjs/common';
import {
  cells,
  dimensionKey,
  FactQuery,
  type CubeChoice,
  type FactCell,
  type Filters,
  type ReportScope,
} from './fact-query';
import { ReportDatabase } from './report-database';

export const RESPONSE_DIMENSIONS = ['country', 'partner-country', 'priority'] as const;
export type ResponseDimension = (typeof RESPONSE_DIMENSIONS)[number];

/** Requests per period and combination, with the median and 80th-percentile times to answer (seconds). */
export interface ResponseCell extends FactCell<'requests' | 'answered' | 'within_deadline'> {
  medianSeconds: number | null;
  p80Seconds: number | null;
}

/** Open requests of a combination by where they stand against their deadline. */
export interface OpenRequestCell {
  values: string[];
  within: number;
  approaching: number;
  overdue: number;
}

const seconds = (bucket: number | null | undefined) =>
  bucket === null || bucket === undefined || bucket < 0 ? null : bucketSeconds(bucket);

/** Reads requests and their answers from the response cubes, and open requests from the tracker's request state. */
@Injectable()
export class ResponseReadRepository {
  constructor(private readonly db: ReportDatabase) {}

  /**
   * Requests sent (one per recipient), answered and answered within the deadline, with the median and 80th
   * percentile time to answer them, from the cube chosen for the breakdown. A cell that is one stored row takes the percentiles kept on it; cells that
   * sum several rows (filters with several values), or whose row is being recomputed, merge their answers per
   * bucket.
   */
  async responseCells(
    chosen: CubeChoice<'requests'>,
    scope: ReportScope,
    range: ReportRange,
    dimensions: readonly ResponseDimension[],
    filters: Filters<ResponseDimension>,
  ): Promise<ResponseCell[]> {
    const used = [...dimensions, ...(Object.keys(filters) as ResponseDimension[])];
    const { cube, grain } = chosen;
    // The range's periods, or only those given. (One condition on the period: given two, the planner misjudges
    // how many rows they leave and reads the whole table.)
    const build = (table: string, periods?: string[]) => {
      const query = new FactQuery(grainTable(table, grain));
      if (periods) query.onlyPeriods(periods);
      else query.periods(range.from, range.to, grain, Object.keys(filters).length > 0);
      return query.country(cube, scope, used.includes('country')).filters(filters);
    };
    const countQuery = build(cube.table);
    const counted = cells(
      await this.db.read(
        countQuery.sql(
          dimensions,
          [
            ...cube.counts.map((field) => [factColumn(field), `t.${factColumn(field)}`] as [string, string]),
            ['stored', '1'],
          ],
          {
            aggregates: [
              ['median_bucket', 'min(coalesce(t.median_bucket, -1))'],
              ['p80_bucket', 'min(coalesce(t.p80_bucket, -1))'],
              ['stale', 'max(t.percentiles_stale::int)'],
            ],
          },
        ),
        countQuery.params,
      ),
      dimensions.length,
      ['requests', 'answered', 'within_deadline', 'stored', 'median_bucket', 'p80_bucket', 'stale'],
      range.granularity,
    );
    // Cells that sum several stored rows, or whose row's percentiles are being recomputed (answers were added
    // moments ago): their answers per bucket merged, and the percentiles read from them, in one query for those
    // cells' periods. Response cubes are kept at every grain a response report offers, so a stored period is a
    // report period.
    const stored = (cell: (typeof counted)[number]) => cell.counts.stored === 1 && cell.counts.stale === 0;
    const histograms = new CellHistograms();
    const merged = counted.filter((cell) => !stored(cell) && cell.counts.answered > 0);
    if (merged.length > 0) {
      if (grain !== range.granularity) throw new RangeError(`response times by ${range.granularity} are not kept`);
      const bucketQuery = build(cube.answers!, [...new Set(merged.map((cell) => parsePeriod(cell.period)!.from))]);
      // Each cell's answers per bucket, summed in the database; the percentiles picked here (`CellHistograms`),
      // which costs far less than ranking them in SQL.
      for (const row of await this.db.read(
        bucketQuery.sql([...dimensions, 'bucket'], [['answers', 't.answers']]),
        bucketQuery.params,
      )) {
        const key = cellKey(
          periodLabel(row.period as string, range.granularity),
          dimensions.map((_, i) => row[`d${i}`] as string | null),
        );
        histograms.add(key, Number(row[`d${dimensions.length}`]), Number(row.answers));
      }
    }
    return counted.map((cell) => {
      const kept = stored(cell);
      const computed = histograms.percentiles(cellKey(cell.period, cell.values));
      return {
        period: cell.period,
        values: cell.values,
        counts: {
          requests: cell.counts.requests,
          answered: cell.counts.answered,
          within_deadline: cell.counts.within_deadline,
        },
        medianSeconds: seconds(kept ? cell.counts.median_bucket : computed.median),
        p80Seconds: seconds(kept ? cell.counts.p80_bucket : computed.p80),
      };
    });
  }

  /**
   * Open requests (one per recipient) as they stand against their deadline now. The tracker keeps how many are
   * open per country, partner and priority; those not yet overdue (within their deadline, or approaching it)
   * are counted from the requests whose deadline is still to come, a few weeks' worth; the overdue ones are the
   * rest. So the report costs the same however many overdue requests have piled up over the years.
   */
  async openRequests(
    scope: ReportScope,
    dimensions: readonly ResponseDimension[],
    filters: Filters<ResponseDimension>,
    now: Date,
  ): Promise<OpenRequestCell[]> {
    const column = dimensionKey;
    const params: unknown[] = [now];
    // Each condition on a column, for the open counts (`o.`) and for the requests still to come due.
    const conditions: ((table: string) => string)[] = [];
    if (scope.country !== null) {
      params.push(scope.country);
      const param = `$${params.length}`;
      conditions.push((table) => `${table}country = ${param}`);
    }
    for (const [dimension, values] of Object.entries(filters) as [ResponseDimension, string[]][]) {
      params.push(values);
      const param = `$${params.length}`;
      conditions.push((table) => `${table}${column(dimension)} = ANY(${param}::text[])`);
    }
    const and = (table: string) => conditions.map((condition) => ` AND ${condition(table)}`).join('');
    const selected = dimensions.map((d, i) => `o.${column(d)} AS d${i}`);
    const rows = await this.db.read(
      `SELECT ${[...selected, 'sum(coalesce(p.within, 0)) AS within', 'sum(coalesce(p.approaching, 0)) AS approaching', 'sum(o.open - coalesce(p.within, 0) - coalesce(p.approaching, 0)) AS overdue'].join(', ')}
         FROM report_open_requests o
         LEFT JOIN (SELECT country, partner_country, priority, count(*) FILTER (WHERE approaching_at > $1) AS within, count(*) FILTER (WHERE approaching_at <= $1) AS approaching
                      FROM report_requests WHERE answered_at IS NULL AND closed_at IS NULL AND deadline > $1${and('')} GROUP BY 1, 2, 3) p
           USING (country, partner_country, priority)
        WHERE o.open > 0${and('o.')}${dimensions.length > 0 ? ` GROUP BY ${dimensions.map((_, i) => i + 1).join(', ')}` : ''}`,
      params,
    );
    return rows.map((row) => ({
      values: dimensions.map((_, i) => row[`d${i}`] as string),
      within: Number(row.within),
      approaching: Number(row.approaching),
      overdue: Number(row.overdue),
    }));
  }
}
