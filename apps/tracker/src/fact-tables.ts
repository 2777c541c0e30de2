import {
  ALL_COUNTRIES,
  EXCHANGE_CUBES as EXCHANGE_CUBE_CATALOGUE,
  CellHistograms,
  grainStart,
  grainTable,
  MATCH_CUBES,
  RESPONSE_CUBES,
  type AnswerTimeFact,
  type ExchangeFact,
  type MatchFact,
  type ReportCube,
  type RequestCountFact,
  type StoredGrain,
} from '@liaison/domain';
import type { DataSource, EntityManager } from 'typeorm';

/**
 * The aggregate tables the tracker adds facts to: for each, the key columns (with the fact field and the
 * PostgreSQL type) and the counts, at the grains its cube is kept at (see `ReportCube`). Adding is one upsert
 * per table and grain, whatever the number of rows.
 */
export interface FactTable<T> {
  /** Table name without the grain suffix. */
  table: string;
  grains: readonly StoredGrain[];
  /** Facts are also added, summed over every country, to the rows of country `ALL_COUNTRIES`. */
  allCountries: boolean;
  keys: readonly (readonly [column: string, field: keyof T & string, type: string])[];
  counts: readonly (readonly [column: string, field: keyof T & string])[];
  /** A larger table whose rows hold every key and count of this one: its sums are summed from that one's. */
  summedFrom?: FactTable<T>;
  /** Also set on every row the upsert adds to (`percentiles_stale = true`). */
  touch?: string;
}

export { grainTable };

/** A column named after its fact field: `partnerCountry` is `partner_country`. */
const column = (field: string) => field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** The key of an aggregate table: the country the figures are seen from, the period, then text columns. */
function keys<T extends { country: string; day: string }>(...fields: (keyof T & string)[]): FactTable<T>['keys'] {
  return [
    ['country', 'country', 'text'],
    ['period', 'day', 'date'],
    ...fields.map((field) => [column(field), field, field === 'bucket' ? 'smallint' : 'text'] as const),
  ];
}

function counts<T>(...fields: (keyof T & string)[]): FactTable<T>['counts'] {
  return fields.map((field) => [column(field), field] as const);
}

/** A cube of the catalogue by table name, for its grains and whether it keeps every country's sum. */
function cube(
  cubes: readonly ReportCube<string>[],
  table: string,
): Pick<FactTable<never>, 'table' | 'grains' | 'allCountries'> {
  const found = cubes.find((c) => c.table === table);
  if (!found) throw new Error(`no cube ${table} in the catalogue`);
  return { table: found.table, grains: found.grains, allCountries: found.allCountries };
}

/** Per country: totals by direction, message type and crime area. */
export const COUNTRY_TOTALS: FactTable<ExchangeFact> = {
  ...cube(EXCHANGE_CUBE_CATALOGUE, 'report_country_totals'),
  keys: keys<ExchangeFact>('direction', 'messageType', 'crimeArea'),
  counts: counts<ExchangeFact>('countryMessages'),
};

/** Per country: totals by direction. */
export const COUNTRY_DIRECTIONS: FactTable<ExchangeFact> = {
  ...cube(EXCHANGE_CUBE_CATALOGUE, 'report_country_directions'),
  keys: keys<ExchangeFact>('direction'),
  counts: counts<ExchangeFact>('countryMessages'),
  summedFrom: COUNTRY_TOTALS,
};

/** Per country: messages by direction and partner country. */
export const COUNTRY_PARTNERS: FactTable<ExchangeFact> = {
  ...cube(EXCHANGE_CUBE_CATALOGUE, 'report_country_partners'),
  keys: keys<ExchangeFact>('direction', 'partnerCountry'),
  counts: counts<ExchangeFact>('partnerMessages'),
};

/** Breakdowns by agency (or region), with direction, message type and crime area. */
export const AGENCY_EXCHANGES: FactTable<ExchangeFact> = {
  ...cube(EXCHANGE_CUBE_CATALOGUE, 'report_agency_exchanges'),
  keys: keys<ExchangeFact>('agency', 'direction', 'messageType', 'crimeArea'),
  counts: counts<ExchangeFact>('agencyMessages'),
};

/** Per agency (or region): messages by direction. */
export const AGENCY_TOTALS: FactTable<ExchangeFact> = {
  ...cube(EXCHANGE_CUBE_CATALOGUE, 'report_agency_totals'),
  keys: keys<ExchangeFact>('agency', 'direction'),
  counts: counts<ExchangeFact>('agencyMessages'),
  summedFrom: AGENCY_EXCHANGES,
};

/** Per agency (or region): messages by message type and crime area, every direction together. */
export const AGENCY_KINDS: FactTable<ExchangeFact> = {
  ...cube(EXCHANGE_CUBE_CATALOGUE, 'report_agency_kinds'),
  keys: keys<ExchangeFact>('agency', 'messageType', 'crimeArea'),
  counts: counts<ExchangeFact>('agencyMessages'),
  summedFrom: AGENCY_EXCHANGES,
};

/** Breakdowns by agency (or region), direction and partner country. */
export const AGENCY_PARTNER_EXCHANGES: FactTable<ExchangeFact> = {
  ...cube(EXCHANGE_CUBE_CATALOGUE, 'report_agency_partner_exchanges'),
  keys: keys<ExchangeFact>('agency', 'direction', 'partnerCountry'),
  counts: counts<ExchangeFact>('messages'),
};

/** Breakdowns without an agency by partner country together with message type or crime area. */
export const COUNTRY_EXCHANGES: FactTable<ExchangeFact> = {
  ...cube(EXCHANGE_CUBE_CATALOGUE, 'report_country_exchanges'),
  keys: keys<ExchangeFact>('direction', 'partnerCountry', 'messageType', 'crimeArea'),
  counts: counts<ExchangeFact>('partnerMessages', 'countryMessages'),
};

/** Requests per priority (every partner together). */
export const PRIORITY_REQUESTS: FactTable<RequestCountFact> = {
  ...cube(RESPONSE_CUBES, 'report_priority_requests'),
  keys: keys<RequestCountFact>('priority'),
  counts: counts<RequestCountFact>('requests', 'answered', 'withinDeadline'),
  touch: 'percentiles_stale = true',
};

export const PRIORITY_ANSWER_TIMES: FactTable<AnswerTimeFact> = {
  ...cube(RESPONSE_CUBES, 'report_priority_requests'),
  table: 'report_priority_answer_times',
  keys: keys<AnswerTimeFact>('priority', 'bucket'),
  counts: counts<AnswerTimeFact>('answers'),
};

/** Requests per partner (every priority together). */
export const PARTNER_REQUESTS: FactTable<RequestCountFact> = {
  ...cube(RESPONSE_CUBES, 'report_partner_requests'),
  keys: keys<RequestCountFact>('partnerCountry'),
  counts: counts<RequestCountFact>('requests', 'answered', 'withinDeadline'),
  touch: 'percentiles_stale = true',
};

export const PARTNER_ANSWER_TIMES: FactTable<AnswerTimeFact> = {
  ...cube(RESPONSE_CUBES, 'report_partner_requests'),
  table: 'report_partner_answer_times',
  keys: keys<AnswerTimeFact>('partnerCountry', 'bucket'),
  counts: counts<AnswerTimeFact>('answers'),
};

export const REQUEST_COUNTS: FactTable<RequestCountFact> = {
  ...cube(RESPONSE_CUBES, 'report_request_counts'),
  keys: keys<RequestCountFact>('partnerCountry', 'priority'),
  counts: counts<RequestCountFact>('requests', 'answered', 'withinDeadline'),
  touch: 'percentiles_stale = true',
};

export const ANSWER_TIMES: FactTable<AnswerTimeFact> = {
  ...cube(RESPONSE_CUBES, 'report_request_counts'),
  table: 'report_answer_times',
  keys: keys<AnswerTimeFact>('partnerCountry', 'priority', 'bucket'),
  counts: counts<AnswerTimeFact>('answers'),
};

/** The request counts of each response cube, with the answer times whose percentiles they keep. */
export const RESPONSE_TABLES: readonly { counts: FactTable<RequestCountFact>; answers: FactTable<AnswerTimeFact> }[] = [
  { counts: PRIORITY_REQUESTS, answers: PRIORITY_ANSWER_TIMES },
  { counts: PARTNER_REQUESTS, answers: PARTNER_ANSWER_TIMES },
  { counts: REQUEST_COUNTS, answers: ANSWER_TIMES },
];

export const MATCH_PARTNERS: FactTable<MatchFact> = {
  ...cube(MATCH_CUBES, 'report_match_partners'),
  keys: keys<MatchFact>('partnerCountry'),
  counts: counts<MatchFact>('found', 'released', 'declined', 'confirmed', 'dismissed'),
};

export const MATCH_COUNTS: FactTable<MatchFact> = {
  ...cube(MATCH_CUBES, 'report_match_counts'),
  keys: keys<MatchFact>('partnerCountry', 'entityType', 'strength'),
  counts: counts<MatchFact>('found', 'released', 'declined', 'confirmed', 'dismissed'),
};

export const EXCHANGE_CUBES = [
  COUNTRY_DIRECTIONS,
  COUNTRY_TOTALS,
  COUNTRY_PARTNERS,
  AGENCY_TOTALS,
  AGENCY_KINDS,
  COUNTRY_EXCHANGES,
  AGENCY_EXCHANGES,
  AGENCY_PARTNER_EXCHANGES,
] as const;

export const MATCH_TABLES = [MATCH_PARTNERS, MATCH_COUNTS] as const;

/** Every table, for the rebuild and for tests that compare figures. */
export const FACT_TABLES: readonly FactTable<never>[] = [
  ...EXCHANGE_CUBES,
  ...RESPONSE_TABLES.flatMap(({ counts, answers }) => [counts, answers]),
  ...MATCH_TABLES,
] as FactTable<never>[];

/** One upsert of summed rows into one aggregate table. */
export interface FactStatement {
  sql: string;
  params: unknown[];
}

/** A fact, or a row summed from facts: a period's first day (`day`), the country and the other fields. */
type FactRow = { day: string; country: string } & Record<string, string | number>;

/** The stored grains coarsest-last, and the finer grains each is a whole number of. */
const FINER: Record<StoredGrain, readonly StoredGrain[]> = {
  day: [],
  month: ['day'],
  quarter: ['month', 'day'],
  year: ['quarter', 'month', 'day'],
};

/**
 * Rows summed per row of a table at a grain, sorted by key so that concurrent writers lock rows in one order.
 * Every country's sum is added when `allCountries` (rows summed from rows that hold it already must not add
 * it twice). One pass, building each row's key as a string: the tracker sums every batch into every table and
 * grain, so this is its busiest loop, and it is kept to as few rows as possible by summing each grain from the
 * next finer one, and small tables from larger ones (see `summedRows`).
 */
function sumRows(
  spec: Pick<FactTable<never>, 'keys' | 'counts'>,
  source: readonly FactRow[],
  grain: StoredGrain,
  allCountries: boolean,
): FactRow[] {
  const rest = spec.keys.slice(2).map(([, field]) => field);
  const countFields = spec.counts.map(([, field]) => field);
  const sums = new Map<string, FactRow>();
  const periods = new Map<string, string>();
  const add = (country: string, period: string, fact: FactRow) => {
    let key = `${country}\u0000${period}`;
    for (const field of rest) key += `\u0000${fact[field]}`;
    let row = sums.get(key);
    if (!row) {
      row = { day: period, country } as FactRow;
      for (const field of rest) row[field] = fact[field];
      for (const field of countFields) row[field] = 0;
      sums.set(key, row);
    }
    for (const field of countFields) (row[field] as number) += fact[field] as number;
  };
  for (const fact of source) {
    let period = periods.get(fact.day);
    if (period === undefined) periods.set(fact.day, (period = grainStart(fact.day, grain)));
    add(fact.country, period, fact);
    if (allCountries) add(ALL_COUNTRIES, period, fact);
  }
  return [...sums].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, row]) => row);
}

/**
 * Facts summed into every table and grain asked for: each grain from the next finer one kept, a table from the
 * larger one it is summed from (`SUMMED_FROM`), and only the rest from the facts themselves.
 */
function summedRows(
  tables: readonly FactTable<never>[],
  facts: readonly FactRow[],
  grains?: readonly StoredGrain[],
): Map<FactTable<never>, Map<StoredGrain, FactRow[]>> {
  const summed = new Map<FactTable<never>, Map<StoredGrain, FactRow[]>>();
  const rowsOf = (table: FactTable<never>, grain: StoredGrain): FactRow[] => {
    const byGrain = summed.get(table) ?? summed.set(table, new Map()).get(table)!;
    const done = byGrain.get(grain);
    if (done) return done;
    const finer = FINER[grain].find((g) => table.grains.includes(g));
    const larger = table.summedFrom;
    const fromLarger = larger && [grain, ...FINER[grain]].find((g) => larger.grains.includes(g));
    const rows =
      finer !== undefined
        ? sumRows(table, rowsOf(table, finer), grain, false)
        : larger && fromLarger !== undefined
          ? sumRows(table, rowsOf(larger, fromLarger), grain, false)
          : sumRows(table, facts, grain, table.allCountries);
    byGrain.set(grain, rows);
    return rows;
  };
  for (const table of tables)
    for (const grain of grains ?? table.grains) if (table.grains.includes(grain)) rowsOf(table, grain);
  return summed;
}

/** One upsert of a table's summed rows at a grain; rows that add nothing to its counts are left out. */
function upsert(spec: FactTable<never>, grain: StoredGrain, summed: readonly FactRow[]): FactStatement | null {
  const countFields = spec.counts.map(([, field]) => field);
  const rows = summed.filter((row) => countFields.some((field) => row[field] !== 0));
  if (rows.length === 0) return null;
  const columns = [...spec.keys, ...spec.counts.map(([column, field]) => [column, field, 'bigint'] as const)];
  return {
    sql: `INSERT INTO ${grainTable(spec.table, grain)} AS t (${columns.map(([column]) => column).join(', ')})
       SELECT * FROM unnest(${columns.map(([, , type], i) => `$${i + 1}::${type}[]`).join(', ')})
       ON CONFLICT (${spec.keys.map(([column]) => column).join(', ')}) DO UPDATE SET ${[...spec.counts.map(([column]) => `${column} = t.${column} + EXCLUDED.${column}`), ...(spec.touch ? [spec.touch] : [])].join(', ')}`,
    params: columns.map(([, field]) => rows.map((row) => row[field])),
  };
}

/**
 * The upserts that add facts (counts may be negative: a change) to tables at every grain each is kept at (or at
 * those given), in the order of the tables and grains: concurrent writers lock aggregate rows in one order.
 */
export function tableStatements<T extends { day: string; country: string }>(
  tables: readonly FactTable<T>[],
  facts: readonly T[],
  grains?: readonly StoredGrain[],
): FactStatement[] {
  if (facts.length === 0) return [];
  const summed = summedRows(tables as readonly FactTable<never>[], facts as unknown as FactRow[], grains);
  return (tables as readonly FactTable<never>[]).flatMap((table) =>
    (grains ?? table.grains)
      .filter((grain) => table.grains.includes(grain))
      .flatMap((grain) => upsert(table, grain, summed.get(table)!.get(grain)!) ?? []),
  );
}

/** The upserts that add facts to one table (see `tableStatements`). */
export function factStatements<T extends { day: string; country: string }>(
  spec: FactTable<T>,
  facts: readonly T[],
  grains?: readonly StoredGrain[],
): FactStatement[] {
  return tableStatements([spec], facts, grains);
}

/**
 * Runs upserts prepared beforehand. Aggregate rows are shared by every batch of a period, so a transaction
 * adds to them last and computes nothing in between: the rows stay locked for as short a time as possible.
 */
export async function runFactStatements(
  manager: Pick<EntityManager, 'query'>,
  statements: readonly FactStatement[],
): Promise<void> {
  for (const { sql, params } of statements) await manager.query(sql, params);
}

export async function addFacts<T extends { day: string; country: string }>(
  manager: Pick<EntityManager, 'query'>,
  spec: FactTable<T>,
  facts: readonly T[],
  grains: readonly StoredGrain[] = spec.grains,
): Promise<void> {
  await runFactStatements(manager, factStatements(spec, facts, grains));
}

/** The upserts of exchange facts into every cube; each sums them over the dimensions it does not keep. */
export function exchangeFactStatements(facts: readonly ExchangeFact[]): FactStatement[] {
  return tableStatements(EXCHANGE_CUBES, facts);
}

/** The response cubes' tables, each pair: request counts with percentile buckets, and the answers per bucket. */
export type ResponseTables = (typeof RESPONSE_TABLES)[number];

/**
 * The statement that reads the answers per time bucket of request-count rows: for each row given (by its keys),
 * its keys as fields (`day` for the period) with `bucket` and `answers` (as a double: a number, exact to 2^53).
 * The rows' keys arrive as arrays, so that the answers are read through their primary key, row by row.
 */
export function answersQuery(pair: ResponseTables, grain: StoredGrain, cells: readonly FactRow[]): FactStatement {
  const cellKeys = pair.counts.keys;
  const list = cellKeys.map(([column]) => column).join(', ');
  const fields = cellKeys
    .map(([column, field, type]) => `a.${column}${type === 'date' ? '::text' : ''} AS "${field}"`)
    .join(', ');
  return {
    sql: `SELECT ${fields}, a.bucket, a.answers::float8 AS answers
       FROM unnest(${cellKeys.map(([, , type], i) => `$${i + 1}::${type}[]`).join(', ')}) AS k(${list}) JOIN ${grainTable(pair.answers.table, grain)} a USING (${list})
      WHERE a.answers > 0`,
    params: cellKeys.map(([, field]) => cells.map((row) => row[field])),
  };
}

/**
 * The statement that sets the median and 80th-percentile buckets of request-count rows (null for a row without
 * answers) and marks them fresh: each row given by its keys, with its `median` and `p80`.
 */
export function percentileUpdate(
  pair: ResponseTables,
  grain: StoredGrain,
  cells: readonly { row: FactRow; median: number | null; p80: number | null }[],
): FactStatement {
  const cellKeys = pair.counts.keys;
  const columns = cellKeys.map(([column]) => column);
  return {
    sql: `UPDATE ${grainTable(pair.counts.table, grain)} c SET median_bucket = u.median, p80_bucket = u.p80, percentiles_stale = false
       FROM unnest(${[...cellKeys.map(([, , type]) => type), 'smallint', 'smallint'].map((type, i) => `$${i + 1}::${type}[]`).join(', ')}) AS u(${columns.join(', ')}, median, p80)
      WHERE ${columns.map((c) => `c.${c} = u.${c}`).join(' AND ')}`,
    params: [
      ...cellKeys.map(([, field]) => cells.map(({ row }) => row[field])),
      cells.map((cell) => cell.median),
      cells.map((cell) => cell.p80),
    ],
  };
}

/**
 * Recomputes the percentile buckets of up to `limit` stale rows of each response table and grain, each set of
 * rows in a transaction of its own that first locks them (skipping rows a batch is writing: they are stale
 * again when it commits) and then reads their answers, so that what it reads includes every batch that touched
 * them. The percentiles are picked from the answers here (`CellHistograms`), not in SQL: the locks are held
 * for a read by primary key and an update, and batches adding to the same rows wait as little as possible.
 * Returns how many rows it refreshed.
 */
export async function refreshPercentiles(dataSource: Pick<DataSource, 'transaction'>, limit = 500): Promise<number> {
  let refreshed = 0;
  for (const pair of RESPONSE_TABLES) {
    for (const grain of pair.counts.grains) {
      refreshed += await dataSource.transaction(async (manager) => {
        const columns = pair.counts.keys
          .map(([column, field, type]) => `${column}::${type === 'date' ? 'text' : type} AS "${field}"`)
          .join(', ');
        const stale: FactRow[] = await manager.query(
          `SELECT ${columns} FROM ${grainTable(pair.counts.table, grain)} WHERE percentiles_stale ORDER BY ${pair.counts.keys.map(([column]) => column).join(', ')} LIMIT ${limit} FOR UPDATE SKIP LOCKED`,
        );
        if (stale.length === 0) return 0;
        // Each row's answers per bucket, and from them its percentile buckets.
        const rowKey = (row: FactRow) => pair.counts.keys.map(([, field]) => row[field]).join('\u0000');
        const histograms = new CellHistograms();
        const query = answersQuery(pair, grain, stale);
        const answers: (FactRow & { bucket: number; answers: number })[] = await manager.query(query.sql, query.params);
        for (const row of answers) histograms.add(rowKey(row), row.bucket, row.answers);
        const update = percentileUpdate(
          pair,
          grain,
          stale.map((row) => ({ row, ...histograms.percentiles(rowKey(row)) })),
        );
        await manager.query(update.sql, update.params);
        return stale.length;
      });
    }
  }
  return refreshed;
}

/**
 * The upserts of request counts and answer times into every response cube. Each request-count row they touch is
 * marked stale, and `refreshPercentiles` recomputes its percentile buckets shortly after, once however many
 * batches touched it (reports compute a stale row's percentiles from its answers meanwhile).
 */
export function responseFactStatements(
  counts: readonly RequestCountFact[],
  times: readonly AnswerTimeFact[],
): FactStatement[] {
  return RESPONSE_TABLES.flatMap((pair) => [
    ...factStatements(pair.counts, counts),
    ...factStatements(pair.answers, times),
  ]);
}
