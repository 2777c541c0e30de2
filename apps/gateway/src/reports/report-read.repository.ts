import {
  bucketSeconds,
  cellKey,
  chooseCube,
  countryRows,
  EXCHANGE_CUBES,
  grainTable,
  MATCH_COUNTS,
  MATCH_CUBES,
  storedPeriods,
  parsePeriod,
  CellHistograms,
  periodLabel,
  REPORT_DIMENSIONS,
  ReportGrid,
  RESPONSE_CUBES,
  UNSPECIFIED_CRIME_AREA,
  type ExchangeCube,
  type Granularity,
  type ReportCube,
  type ReportDimension,
  type ReportRange,
  type StoredGrain,
} from '@liaison/domain';
import { Injectable } from '@nestjs/common';
import { Query, type PoolClient, type QueryArrayConfig } from 'pg';
import { DataSource, type QueryRunner } from 'typeorm';

/** Whose figures a report shows: one country's (a national programme lead's), or every country's (null). */
export interface ReportScope {
  country: string | null;
}

const REPORT_WORK_MEM = '64MB';

/** What volume reports break counts down by. */
export const VOLUME_DIMENSIONS = REPORT_DIMENSIONS;
export type VolumeDimension = ReportDimension;

export const RESPONSE_DIMENSIONS = ['country', 'partner-country', 'priority'] as const;
export type ResponseDimension = (typeof RESPONSE_DIMENSIONS)[number];

export const MATCH_DIMENSIONS = ['country', 'partner-country', 'entity-type', 'strength'] as const;
export type MatchDimension = (typeof MATCH_DIMENSIONS)[number];

/** A count read from the facts: its period's label, the dimension values in the asked order, the count(s). */
export interface FactCell<C extends string> {
  period: string;
  values: (string | null)[];
  counts: Record<C, number>;
}

type Filters<D extends string> = Partial<Record<D, string[]>>;

/** Requests per period and combination, with the median and 80th-percentile times to answer (seconds). */
export interface ResponseCell extends FactCell<'requests' | 'answered' | 'within_deadline'> {
  medianSeconds: number | null;
  p80Seconds: number | null;
}

/**
 * The cube of exchange facts that holds a breakdown (its dimensions and filters together), the grain read, and
 * the count in it that counts a message once for that breakdown (see `exchangeFacts`); null for the breakdowns
 * no cube holds: by agency (or region) and partner country together with crime area or message type, and by
 * agency or region per day.
 */
export function exchangeCube(
  granularity: Granularity,
  used: readonly VolumeDimension[],
): { cube: ExchangeCube; grain: StoredGrain; table: string; measure: string } | null {
  const chosen = chooseCube(EXCHANGE_CUBES, granularity, used);
  if (!chosen) return null;
  return {
    ...chosen,
    table: grainTable(chosen.cube.table, chosen.grain),
    measure: chosen.cube.measure(used.includes('partner-country')),
  };
}

/**
 * The periods a report reads. With filters on key columns after the period, as the list of stored periods: the
 * index is then entered once per period and filter value instead of scanned across the range.
 */
function wherePeriods(query: FactQuery, from: string, to: string, grain: StoredGrain, filtered: boolean): void {
  query.where.push(
    filtered
      ? `t.period = ANY(${query.param(storedPeriods(from, to, grain))}::date[])`
      : `t.period BETWEEN ${query.param(from)} AND ${query.param(to)}`,
  );
}

/** The rows of a cube a report reads: the scope's country, every country summed, or each country's own. */
function whereCountry(query: FactQuery, cube: ReportCube<string>, scope: ReportScope, byCountry: boolean): void {
  const rows = countryRows(cube, scope.country, byCountry);
  query.where.push('country' in rows ? `t.country = ${query.param(rows.country)}` : `t.country <> ${query.param('*')}`);
}

/** Builds one aggregate query: period and dimension columns, summed counts, scope, range and filters. */
class FactQuery {
  readonly params: unknown[] = [];
  readonly where: string[] = [];

  constructor(
    readonly table: string,
    readonly periodColumn: string,
  ) {}

  param(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }

  /**
   * Grouped by the stored period (a day, month or year) and the columns asked for; `cells` or a `ReportGrid`
   * labels and merges them for the report. Unless `summed` is false: then the stored rows themselves, for a
   * `ReportGrid` to sum, when they are about one per cell already (see `onePerCell`) and summing them here would
   * cost more than passing them on.
   */
  sql(
    columns: readonly string[],
    sums: readonly [alias: string, expression: string][],
    options: { joins?: string; aggregates?: readonly [alias: string, aggregate: string][]; summed?: boolean } = {},
  ): string {
    const { joins = '', aggregates = [], summed = true } = options;
    const selected = [
      `${this.periodColumn}::text AS period`,
      ...columns.map((c, i) => `${c} AS d${i}`),
      ...sums.map(([alias, e]) => (summed ? `sum(${e})::bigint AS ${alias}` : `${e} AS ${alias}`)),
      ...aggregates.map(([alias, a]) => `${a} AS ${alias}`),
    ];
    const sql = `SELECT ${selected.join(', ')} FROM ${this.table} t ${joins} WHERE ${this.where.join(' AND ')}`;
    return summed ? `${sql} GROUP BY ${[this.periodColumn, ...columns].join(', ')}` : sql;
  }
}

/**
 * Whether a breakdown reads one stored row per cell (per stored period): the country and every key the cube
 * keeps are fixed, by the scope, the dimensions asked for or a filter to one value (an agency fixes its
 * country). Then the rows are passed on as they are; otherwise they are summed in the database first. Either
 * way is correct (a `ReportGrid` sums what is passed on); this only decides where the summing costs less.
 */
export function onePerCell(
  cube: ReportCube<string>,
  scope: ReportScope,
  dimensions: readonly string[],
  filters: Filters<string>,
): boolean {
  const fixed = (dimension: string) => dimensions.includes(dimension) || filters[dimension]?.length === 1;
  const oneCountry =
    'country' in countryRows(cube, scope.country, dimensions.includes('country') || 'country' in filters);
  const country = oneCountry || fixed('country') || (cube.dimensions.includes('agency') && fixed('agency'));
  return country && cube.dimensions.every(fixed);
}

/**
 * The report's cells from rows grouped by stored period: each labelled with the report period holding it (a
 * quarter from its months), and rows of one period and combination summed.
 */
function cells<C extends string>(
  rows: Record<string, unknown>[],
  dimensions: number,
  counts: readonly C[],
  granularity: Granularity,
): FactCell<C>[] {
  const merged = new Map<string, FactCell<C>>();
  const labels = new Map<string, string>();
  const columns = Array.from({ length: dimensions }, (_, i) => `d${i}`);
  for (const row of rows) {
    let period = labels.get(row.period as string);
    if (period === undefined)
      labels.set(row.period as string, (period = periodLabel(row.period as string, granularity)));
    const values = columns.map((column) => row[column] as string | null);
    const key = cellKey(period, values);
    const cell = merged.get(key);
    if (cell) for (const c of counts) cell.counts[c] += Number(row[c]);
    else {
      const sums = {} as Record<C, number>;
      for (const c of counts) sums[c] = Number(row[c]);
      merged.set(key, { period, values, counts: sums });
    }
  }
  return [...merged.values()];
}

/** Reads the tracker's report facts and the imported counts; never messages, cases or matches themselves. */
@Injectable()
export class ReportReadRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Runs report queries in one transaction with room to aggregate in memory: a five-year breakdown groups
   * hundreds of thousands of rows, which the default 4 MB of work memory would spill to disk.
   */
  private async inReportTransaction<T>(run: (runner: QueryRunner) => Promise<T>): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    try {
      await runner.startTransaction();
      await runner.query(`SET LOCAL work_mem = '${REPORT_WORK_MEM}'`);
      const result = await run(runner);
      await runner.commitTransaction();
      return result;
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      throw error;
    } finally {
      await runner.release();
    }
  }

  /** A report query's rows, each as an object of its columns. */
  private read(sql: string, params: unknown[]): Promise<Record<string, unknown>[]> {
    return this.inReportTransaction((runner) => runner.query(sql, params));
  }

  /**
   * Runs a report query, handing each row to `take` as it arrives (its columns in order) and keeping none: a
   * five-year export of every agency reads tens of thousands of rows, which then never pile up beside the
   * report made from them. The rows are all read before the report is written, so a failed read is still an
   * error answer.
   */
  private eachRow(sql: string, params: unknown[], take: (row: unknown[]) => void): Promise<void> {
    return this.inReportTransaction(async (runner) => {
      const client = (await runner.connect()) as PoolClient;
      await new Promise<void>((resolve, reject) => {
        let failed: Error | undefined;
        const config: QueryArrayConfig = { text: sql, values: params, rowMode: 'array' };
        const query = client.query(new Query<unknown[]>(config));
        query.on('row', (row: unknown[]) => {
          try {
            if (failed === undefined) take(row);
          } catch (error) {
            failed = error instanceof Error ? error : new Error('a report row could not be read');
          }
        });
        query.on('error', reject);
        query.on('end', () => (failed === undefined ? resolve() : reject(failed)));
      });
    });
  }

  /**
   * Messages per period and combination of dimensions, from the period before the range (for changes) to its
   * end, from the smallest cube that holds the breakdown; the count summed is the one that counts a message once
   * for the breakdown asked for (see `exchangeFacts`). Imported counts are added, each as its own second count
   * too: a cell holds [messages, imported].
   */
  async exchangeGrid(
    scope: ReportScope,
    range: ReportRange,
    dimensions: readonly VolumeDimension[],
    filters: Filters<VolumeDimension>,
  ): Promise<ReportGrid> {
    const used = [...dimensions, ...(Object.keys(filters) as VolumeDimension[])];
    const chosen = exchangeCube(range.granularity, used);
    if (!chosen) throw new RangeError('no cube holds this breakdown');
    const { cube, grain, table, measure } = chosen;
    const columns: Record<VolumeDimension, string> = {
      country: 't.country',
      'partner-country': 't.partner_country',
      agency: 't.agency',
      region: "coalesce(a.region, '')",
      'crime-area': `coalesce(nullif(t.crime_area, ''), '${UNSPECIFIED_CRIME_AREA}')`,
      'message-type': 't.message_type',
      direction: 't.direction',
    };
    const query = new FactQuery(table, 't.period');
    wherePeriods(query, range.before.from, range.to, grain, Object.keys(filters).length > 0);
    whereCountry(query, cube, scope, used.includes('country'));
    for (const [dimension, values] of Object.entries(filters) as [VolumeDimension, string[]][])
      query.where.push(`${columns[dimension]} = ANY(${query.param(values)}::text[])`);
    const joins = dimensions.includes('region') || filters.region ? 'LEFT JOIN agencies a ON a.code = t.agency' : '';
    const grid = new ReportGrid(range, 2);
    const n = dimensions.length;
    // Rows: the period, the dimension values, the count.
    const [imported] = await Promise.all([
      this.importedCounts(scope, range, dimensions, filters),
      this.eachRow(
        query.sql(
          dimensions.map((d) => columns[d]),
          [['messages', `t.${measure}`]],
          { joins, summed: !onePerCell(cube, scope, dimensions, filters) },
        ),
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
    dimensions: readonly VolumeDimension[],
    filters: Filters<VolumeDimension>,
  ): Promise<{ day: string; values: (string | null)[]; messages: number }[]> {
    if (filters.agency || filters.region) return [];
    const params: unknown[] = [range.before.from, range.to];
    let where = 'period_from >= $1 AND period_to <= $2';
    if (scope.country !== null) {
      params.push(scope.country);
      where += ' AND country = $3';
    }
    const rows: {
      country: string;
      period_from: string;
      period_to: string;
      direction: string;
      partner_country: string;
      crime_area: string;
      message_type: string;
      messages: string;
    }[] = await this.dataSource.query(
      `SELECT country, period_from::text, period_to::text, direction, partner_country, crime_area, message_type, messages FROM report_imported_counts WHERE ${where}`,
      params,
    );
    const valueOf = (row: (typeof rows)[number], dimension: VolumeDimension): string | null => {
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
    };
    return rows
      .filter(
        (row) => periodLabel(row.period_to, range.granularity) === periodLabel(row.period_from, range.granularity),
      )
      .filter((row) =>
        (Object.entries(filters) as [VolumeDimension, string[]][]).every(([d, values]) =>
          values.includes(valueOf(row, d) ?? ''),
        ),
      )
      .map((row) => ({
        day: row.period_from,
        values: dimensions.map((d) => valueOf(row, d)),
        messages: Number(row.messages),
      }));
  }

  /**
   * Requests sent (one per recipient), answered and answered within the deadline, with the median and 80th
   * percentile time to answer them. A cell that is one stored row takes the percentiles kept on it; cells that
   * sum several rows (filters with several values), or whose row is being recomputed, merge their answers per
   * bucket.
   */
  async responseCells(
    scope: ReportScope,
    range: ReportRange,
    dimensions: readonly ResponseDimension[],
    filters: Filters<ResponseDimension>,
  ): Promise<ResponseCell[]> {
    const used = [...dimensions, ...(Object.keys(filters) as ResponseDimension[])];
    const chosen = chooseCube(RESPONSE_CUBES, range.granularity, used);
    if (!chosen) throw new RangeError('no cube holds this breakdown');
    const { cube, grain } = chosen;
    const columns: Record<ResponseDimension, string> = {
      country: 't.country',
      'partner-country': 't.partner_country',
      priority: 't.priority',
    };
    // The range's periods, or only those given. (One condition on the period: given two, the planner misjudges
    // how many rows they leave and reads the whole table.)
    const build = (table: string, periods?: string[]) => {
      const query = new FactQuery(grainTable(table, grain), 't.period');
      if (periods) query.where.push(`t.period = ANY(${query.param(periods)}::date[])`);
      else wherePeriods(query, range.from, range.to, grain, Object.keys(filters).length > 0);
      whereCountry(query, cube, scope, used.includes('country'));
      for (const [dimension, values] of Object.entries(filters) as [ResponseDimension, string[]][])
        query.where.push(`${columns[dimension]} = ANY(${query.param(values)}::text[])`);
      return query;
    };
    const dimensionColumns = dimensions.map((d) => columns[d]);
    const countQuery = build(cube.table);
    const counted = cells(
      await this.read(
        countQuery.sql(
          dimensionColumns,
          [
            ['requests', 't.requests'],
            ['answered', 't.answered'],
            ['within_deadline', 't.within_deadline'],
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
      const bucketQuery = build(cube.answers, [...new Set(merged.map((cell) => parsePeriod(cell.period)!.from))]);
      // Each cell's answers per bucket, summed in the database; the percentiles picked here (`CellHistograms`),
      // which costs far less than ranking them in SQL.
      for (const row of await this.read(
        bucketQuery.sql([...dimensionColumns, 't.bucket'], [['answers', 't.answers']]),
        bucketQuery.params,
      )) {
        const key = cellKey(
          periodLabel(row.period as string, range.granularity),
          dimensions.map((_, i) => row[`d${i}`] as string | null),
        );
        histograms.add(key, Number(row[`d${dimensions.length}`]), Number(row.answers));
      }
    }
    const seconds = (bucket: number | null | undefined) =>
      bucket === null || bucket === undefined || bucket < 0 ? null : bucketSeconds(bucket);
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
  ): Promise<{ values: string[]; within: number; approaching: number; overdue: number }[]> {
    const columns: Record<ResponseDimension, string> = {
      country: 'country',
      'partner-country': 'partner_country',
      priority: 'priority',
    };
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
      conditions.push((table) => `${table}${columns[dimension]} = ANY(${param}::text[])`);
    }
    const and = (table: string) => conditions.map((condition) => ` AND ${condition(table)}`).join('');
    const selected = dimensions.map((d, i) => `o.${columns[d]} AS d${i}`);
    const rows = await this.read(
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

  /** Matches found per period and combination, with the decisions taken on them: a cell holds `MATCH_COUNTS`. */
  async matchGrid(
    scope: ReportScope,
    range: ReportRange,
    dimensions: readonly MatchDimension[],
    filters: Filters<MatchDimension>,
  ): Promise<ReportGrid> {
    const columns: Record<MatchDimension, string> = {
      country: 't.country',
      'partner-country': 't.partner_country',
      'entity-type': 't.entity_type',
      strength: 't.strength',
    };
    const used = [...dimensions, ...(Object.keys(filters) as MatchDimension[])];
    const chosen = chooseCube(MATCH_CUBES, range.granularity, used);
    if (!chosen) throw new RangeError('no cube holds this breakdown');
    const query = new FactQuery(grainTable(chosen.cube.table, chosen.grain), 't.period');
    wherePeriods(query, range.before.from, range.to, chosen.grain, Object.keys(filters).length > 0);
    whereCountry(query, chosen.cube, scope, used.includes('country'));
    for (const [dimension, values] of Object.entries(filters) as [MatchDimension, string[]][])
      query.where.push(`${columns[dimension]} = ANY(${query.param(values)}::text[])`);
    const grid = new ReportGrid(range, MATCH_COUNTS.length);
    const n = dimensions.length;
    // Rows: the period, the dimension values, the counts.
    await this.eachRow(
      query.sql(
        dimensions.map((d) => columns[d]),
        MATCH_COUNTS.map((c) => [c, `t.${c}`] as [string, string]),
        { summed: !onePerCell(chosen.cube, scope, dimensions, filters) },
      ),
      query.params,
      (row) =>
        grid.add(
          row[0] as string,
          row.slice(1, 1 + n) as (string | null)[],
          MATCH_COUNTS.map((_, i) => Number(row[1 + n + i])),
        ),
    );
    return grid;
  }

  /**
   * Joint investigation teams a country is party to (every team, for all countries): live on a day, created per
   * year; and operational meetings per year, those the country took part in and those it called.
   */
  async teams(
    country: string | null,
    years: { from: string; to: string },
    today: string,
  ): Promise<{
    live: number;
    perYear: { year: string; created: number; meetings: number; calledByCountry: number }[];
  }> {
    const party = country === null ? 'true' : '$3 = ANY(countries)';
    const params = country === null ? [years.from, years.to] : [years.from, years.to, country];
    const [liveRows, createdRows, meetingRows] = await Promise.all<Record<string, unknown>[]>([
      this.dataSource.query(
        `SELECT count(*) AS n FROM report_jits WHERE starts_on <= $1 AND ends_on >= $1${country === null ? '' : ' AND $2 = ANY(countries)'}`,
        country === null ? [today] : [today, country],
      ),
      this.dataSource.query(
        `SELECT to_char(created_on, 'YYYY') AS year, count(*) AS n FROM report_jits WHERE created_on BETWEEN $1 AND $2 AND ${party} GROUP BY 1`,
        params,
      ),
      this.dataSource.query(
        `SELECT to_char(held_on, 'YYYY') AS year, count(*) AS n, count(*) FILTER (WHERE ${country === null ? 'false' : 'called_by_country = $3'}) AS called
           FROM report_jit_meetings WHERE held_on BETWEEN $1 AND $2 AND ${party} GROUP BY 1`,
        params,
      ),
    ]);
    const perYear = new Map<string, { year: string; created: number; meetings: number; calledByCountry: number }>();
    const year = (y: string) =>
      perYear.get(y) ?? perYear.set(y, { year: y, created: 0, meetings: 0, calledByCountry: 0 }).get(y)!;
    for (const row of createdRows) year(row.year as string).created = Number(row.n);
    for (const row of meetingRows)
      Object.assign(year(row.year as string), { meetings: Number(row.n), calledByCountry: Number(row.called) });
    return { live: Number(liveRows[0].n), perYear: [...perYear.values()] };
  }
}
