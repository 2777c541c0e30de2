import {
  cellKey,
  countryRows,
  factColumn,
  KEY_DIMENSIONS,
  periodLabel,
  storedPeriods,
  UNSPECIFIED_CRIME_AREA,
  type CubeFacts,
  type CubeShape,
  type ReportCube,
  type Granularity,
  type KeyField,
  type StoredGrain,
} from '@liaison/domain';

/** Whose figures a report shows: one country's (a national programme lead's), or every country's (null). */
export interface ReportScope {
  country: string | null;
}

export type Filters<D extends string> = Partial<Record<D, string[]>>;

/** The cube a report reads and the grain it reads it at (see `chooseCube`): the use case's choice. */
export interface CubeChoice<K extends CubeFacts> {
  cube: ReportCube<K>;
  grain: StoredGrain;
}

/** A count read from the facts: its period's label, the dimension values in the asked order, the count(s). */
export interface FactCell<C extends string> {
  period: string;
  values: (string | null)[];
  counts: Record<C, number>;
}

const FIELD_OF = new Map(
  (Object.entries(KEY_DIMENSIONS) as [KeyField, string | null][]).flatMap(([field, dimension]) =>
    dimension === null ? [] : [[dimension, field] as const],
  ),
);

/**
 * The column of a dimension (or of a key field that answers none, such as an answer's time `bucket`) on a cube's
 * or the request state's rows: `partner-country` is `partner_country`.
 */
export function dimensionKey(dimension: string): string {
  if (dimension === 'country') return 'country';
  const field = FIELD_OF.get(dimension) ?? (dimension in KEY_DIMENSIONS ? dimension : undefined);
  if (field === undefined) throw new RangeError(`no cube keeps ${dimension}`);
  return factColumn(field);
}

/**
 * The expression a report reads a dimension from, on a cube's row `t` (derived from the catalogue: the column of
 * the key field that answers it). A region is its agency's, from the register (`a`); an empty crime area is
 * shown as unspecified, as imported counts write it.
 */
export function dimensionColumn(dimension: string): string {
  if (dimension === 'country') return 't.country';
  if (dimension === 'region') return "coalesce(a.region, '')";
  if (dimension === 'crime-area') return `coalesce(nullif(t.crime_area, ''), '${UNSPECIFIED_CRIME_AREA}')`;
  return `t.${dimensionKey(dimension)}`;
}

/** Builds one aggregate query on a cube's table: period and dimension columns, summed counts, scope and filters. */
export class FactQuery {
  readonly params: unknown[] = [];
  readonly where: string[] = [];

  constructor(readonly table: string) {}

  param(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }

  /**
   * The periods read. With filters on key columns after the period, as the list of stored periods: the index is
   * then entered once per period and filter value instead of scanned across the range.
   */
  periods(from: string, to: string, grain: StoredGrain, filtered: boolean): this {
    this.where.push(
      filtered
        ? `t.period = ANY(${this.param(storedPeriods(from, to, grain))}::date[])`
        : `t.period BETWEEN ${this.param(from)} AND ${this.param(to)}`,
    );
    return this;
  }

  /** Only the stored periods given. */
  onlyPeriods(periods: readonly string[]): this {
    this.where.push(`t.period = ANY(${this.param(periods)}::date[])`);
    return this;
  }

  /** The rows of the cube a scope reads: its country's, every country summed, or each country's own. */
  country(cube: CubeShape, scope: ReportScope, byCountry: boolean): this {
    const rows = countryRows(cube, scope.country, byCountry);
    this.where.push('country' in rows ? `t.country = ${this.param(rows.country)}` : `t.country <> ${this.param('*')}`);
    return this;
  }

  filters(filters: Filters<string>): this {
    for (const [dimension, values] of Object.entries(filters))
      this.where.push(`${dimensionColumn(dimension)} = ANY(${this.param(values)}::text[])`);
    return this;
  }

  /**
   * Grouped by the stored period (a day, month or year) and the dimensions asked for, as columns `d0`, `d1`...;
   * `cells` or a `ReportGrid` labels and merges them for the report. Unless `summed` is false: then the stored
   * rows themselves, for a `ReportGrid` to sum, when they are about one per cell already (see `onePerCell`) and
   * summing them here would cost more than passing them on.
   */
  sql(
    dimensions: readonly string[],
    sums: readonly [alias: string, expression: string][],
    options: { joins?: string; aggregates?: readonly [alias: string, aggregate: string][]; summed?: boolean } = {},
  ): string {
    const { joins = '', aggregates = [], summed = true } = options;
    const columns = dimensions.map(dimensionColumn);
    const selected = [
      `t.period::text AS period`,
      ...columns.map((c, i) => `${c} AS d${i}`),
      ...sums.map(([alias, e]) => (summed ? `sum(${e})::bigint AS ${alias}` : `${e} AS ${alias}`)),
      ...aggregates.map(([alias, a]) => `${a} AS ${alias}`),
    ];
    const sql = `SELECT ${selected.join(', ')} FROM ${this.table} t ${joins} WHERE ${this.where.join(' AND ')}`;
    return summed ? `${sql} GROUP BY ${['t.period', ...columns].join(', ')}` : sql;
  }
}

/**
 * Whether a breakdown reads one stored row per cell (per stored period): the country and every key the cube
 * keeps are fixed, by the scope, the dimensions asked for or a filter to one value (an agency fixes its
 * country). Then the rows are passed on as they are; otherwise they are summed in the database first. Either
 * way is correct (a `ReportGrid` sums what is passed on); this only decides where the summing costs less.
 */
export function onePerCell(
  cube: CubeShape,
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
export function cells<C extends string>(
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
