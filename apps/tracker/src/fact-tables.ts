import {
  atGrain,
  type AnswerTimeFact,
  type ExchangeFact,
  type MatchFact,
  type RequestCountFact,
  type StoredGrain,
} from '@liaison/domain';
import type { EntityManager } from 'typeorm';

/**
 * The aggregate tables the tracker adds facts to: for each, the key columns (with the fact field and the
 * PostgreSQL type) and the counts. Adding is one upsert per table and grain, whatever the number of rows.
 */
export interface FactTable<T> {
  /** Table name without the grain suffix. */
  table: string;
  grains: readonly StoredGrain[];
  keys: readonly (readonly [column: string, field: keyof T & string, type: string])[];
  counts: readonly (readonly [column: string, field: keyof T & string])[];
}

const SUFFIX: Record<StoredGrain, string> = { day: 'daily', month: 'monthly', year: 'yearly' };

export function grainTable(table: string, grain: StoredGrain): string {
  return `${table}_${SUFFIX[grain]}`;
}

/** A column named after its fact field: `partnerCountry` is `partner_country`. */
const column = (field: string) => field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** The key of an aggregate table: the country the figures are seen from, the period, then text columns. */
function keys<T extends { country: string; day: string }>(...fields: (keyof T & string)[]): FactTable<T>['keys'] {
  return [['country', 'country', 'text'], ['period', 'day', 'date'], ...fields.map((field) => [column(field), field, field === 'bucket' ? 'smallint' : 'text'] as const)];
}

function counts<T>(...fields: (keyof T & string)[]): FactTable<T>['counts'] {
  return fields.map((field) => [column(field), field] as const);
}

/** Breakdowns by agency (or region), with direction, message type and crime area. */
export const AGENCY_EXCHANGES: FactTable<ExchangeFact> = {
  table: 'report_agency_exchanges',
  grains: ['month', 'year'],
  keys: keys<ExchangeFact>('agency', 'direction', 'messageType', 'crimeArea'),
  counts: counts<ExchangeFact>('agencyMessages'),
};

/** Breakdowns by agency (or region), direction and partner country. */
export const AGENCY_PARTNER_EXCHANGES: FactTable<ExchangeFact> = {
  table: 'report_agency_partner_exchanges',
  grains: ['month', 'year'],
  keys: keys<ExchangeFact>('agency', 'direction', 'partnerCountry'),
  counts: counts<ExchangeFact>('messages'),
};

/** Breakdowns without an agency: per country, kept per day too. */
export const COUNTRY_EXCHANGES: FactTable<ExchangeFact> = {
  table: 'report_country_exchanges',
  grains: ['day', 'month', 'year'],
  keys: keys<ExchangeFact>('direction', 'partnerCountry', 'messageType', 'crimeArea'),
  counts: counts<ExchangeFact>('partnerMessages', 'countryMessages'),
};

export const REQUEST_COUNTS: FactTable<RequestCountFact> = {
  table: 'report_request_counts',
  grains: ['month', 'year'],
  keys: keys<RequestCountFact>('partnerCountry', 'priority'),
  counts: counts<RequestCountFact>('requests', 'answered', 'withinDeadline'),
};

export const ANSWER_TIMES: FactTable<AnswerTimeFact> = {
  table: 'report_answer_times',
  grains: ['month', 'year'],
  keys: keys<AnswerTimeFact>('partnerCountry', 'priority', 'bucket'),
  counts: counts<AnswerTimeFact>('answers'),
};

export const MATCH_COUNTS: FactTable<MatchFact> = {
  table: 'report_match_counts',
  grains: ['month', 'year'],
  keys: keys<MatchFact>('partnerCountry', 'entityType', 'strength'),
  counts: counts<MatchFact>('found', 'released', 'declined', 'confirmed', 'dismissed'),
};

/** Every table, for the rebuild and for tests that compare figures. */
export const FACT_TABLES: readonly FactTable<never>[] = [AGENCY_EXCHANGES, AGENCY_PARTNER_EXCHANGES, COUNTRY_EXCHANGES, REQUEST_COUNTS, ANSWER_TIMES, MATCH_COUNTS] as FactTable<never>[];

/** One upsert of summed rows into one aggregate table. */
export interface FactStatement {
  sql: string;
  params: unknown[];
}

/**
 * The upserts that add facts (counts may be negative: a change) to a table at every grain it is kept at (or at
 * those given). Rows are summed per period first and written in key order, so concurrent writers lock aggregate
 * rows in one order; rows that add nothing to the table's counts are left out.
 */
export function factStatements<T extends { day: string }>(spec: FactTable<T>, facts: readonly T[], grains: readonly StoredGrain[] = spec.grains): FactStatement[] {
  if (facts.length === 0) return [];
  const key = (row: T) => spec.keys.map(([, field]) => row[field] as string | number);
  const countFields = spec.counts.map(([, field]) => field);
  const columns = [...spec.keys, ...spec.counts.map(([column, field]) => [column, field, 'bigint'] as const)];
  const keyList = spec.keys.map(([column]) => column).join(', ');
  const statements: FactStatement[] = [];
  for (const grain of grains) {
    const rows = atGrain(facts, grain, key, countFields).filter((row) => countFields.some((field) => row[field] !== 0));
    if (rows.length === 0) continue;
    statements.push({
      sql: `INSERT INTO ${grainTable(spec.table, grain)} AS t (${columns.map(([column]) => column).join(', ')})
       SELECT * FROM unnest(${columns.map(([, , type], i) => `$${i + 1}::${type}[]`).join(', ')})
       ON CONFLICT (${keyList}) DO UPDATE SET ${spec.counts.map(([column]) => `${column} = t.${column} + EXCLUDED.${column}`).join(', ')}`,
      params: columns.map(([, field]) => rows.map((row) => row[field])),
    });
  }
  return statements;
}

/**
 * Runs upserts prepared beforehand. Aggregate rows are shared by every batch of a period, so a transaction
 * adds to them last and computes nothing in between: the rows stay locked for as short a time as possible.
 */
export async function runFactStatements(manager: Pick<EntityManager, 'query'>, statements: readonly FactStatement[]): Promise<void> {
  for (const { sql, params } of statements) await manager.query(sql, params);
}

export async function addFacts<T extends { day: string }>(
  manager: Pick<EntityManager, 'query'>,
  spec: FactTable<T>,
  facts: readonly T[],
  grains: readonly StoredGrain[] = spec.grains,
): Promise<void> {
  await runFactStatements(manager, factStatements(spec, facts, grains));
}

export const EXCHANGE_CUBES = [AGENCY_EXCHANGES, AGENCY_PARTNER_EXCHANGES, COUNTRY_EXCHANGES] as const;

/** The upserts of exchange facts into every cube; each sums them over the dimensions it does not keep. */
export function exchangeFactStatements(facts: readonly ExchangeFact[]): FactStatement[] {
  return EXCHANGE_CUBES.flatMap((cube) => factStatements(cube, facts));
}
