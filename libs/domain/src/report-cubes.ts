import type { ReportDimension } from './report-disclosure';
import type { Granularity } from './report-period';
import { grainStart, type StoredGrain } from './report-facts';

/**
 * The tracker's aggregate tables ("cubes"), described by what they can answer: the report dimensions they keep,
 * the grains they are kept at, and whether they also keep every country's figures summed. A report reads the
 * smallest cube that holds its breakdown and filters, at the coarsest grain that divides its periods, so that it
 * sums as few rows as possible: ideally one per cell it shows.
 */

/** The country key of rows that sum every country's figures: what a European or international lead reads. */
export const ALL_COUNTRIES = '*';

export interface ReportCube<D extends string> {
  /** Table name without the grain suffix. */
  table: string;
  /** The dimensions its rows are kept by (the country the figures are seen from is always one). */
  dimensions: readonly D[];
  grains: readonly StoredGrain[];
  /** Also kept summed over every country, as country `ALL_COUNTRIES`. */
  allCountries: boolean;
}

/** The stored grains whose periods each lie within one period of a granularity, coarsest first. */
const FITTING: Record<Granularity, readonly StoredGrain[]> = {
  day: ['day'],
  month: ['month', 'day'],
  quarter: ['quarter', 'month', 'day'],
  year: ['year', 'quarter', 'month', 'day'],
};

/**
 * The first cube (cubes are listed smallest first) that keeps every dimension a report breaks down or filters
 * by, with the coarsest grain it is kept at that fits the report's periods; null when no cube holds them.
 * `region` is held by any cube that keeps `agency` (a region is its agencies' sum).
 */
export function chooseCube<C extends ReportCube<string>>(
  cubes: readonly C[],
  granularity: Granularity,
  used: readonly (C['dimensions'][number] | 'country')[],
): { cube: C; grain: StoredGrain } | null {
  for (const cube of cubes) {
    const held = new Set<string>(cube.dimensions);
    if (held.has('agency')) held.add('region');
    if (!used.every((dimension) => dimension === 'country' || held.has(dimension))) continue;
    const grain = FITTING[granularity].find((g) => cube.grains.includes(g));
    if (grain) return { cube, grain };
  }
  return null;
}

/**
 * Which rows of a cube a report reads for a scope: one country's; the all-countries rows, when the report
 * neither breaks down nor filters by country and the cube keeps them; or every country's own rows.
 */
export function countryRows(
  cube: ReportCube<string>,
  scope: string | null,
  byCountry: boolean,
): { country: string } | { everyCountry: true } {
  if (scope !== null) return { country: scope };
  if (cube.allCountries && !byCountry) return { country: ALL_COUNTRIES };
  return { everyCountry: true };
}

const SUFFIX: Record<StoredGrain, string> = { day: 'daily', month: 'monthly', quarter: 'quarterly', year: 'yearly' };

/** The table that keeps a cube at a grain: `report_country_totals_monthly`. */
export function grainTable(table: string, grain: StoredGrain): string {
  return `${table}_${SUFFIX[grain]}`;
}

/** A cube of exchange facts, and the count in it that counts a message once for a breakdown (see `exchangeFacts`). */
export interface ExchangeCube extends ReportCube<ReportDimension> {
  measure: (byPartner: boolean) => string;
}

/**
 * The cubes of exchange facts, smallest first. Without agency, the figures per country: by direction; by
 * direction, message type and crime area; by direction and partner country (these three per day too); and
 * everything but the agency together; each also summed over every country. With agency (or region): by
 * direction; by message type and crime area, every direction together (an export of every agency by kind
 * then reads one row per cell); by direction, message type and crime area; or by direction and partner
 * country. Per day, then, a breakdown by partner country cannot also be by message type or crime area.
 */
export const EXCHANGE_CUBES: readonly ExchangeCube[] = [
  {
    table: 'report_country_directions',
    dimensions: ['direction'],
    grains: ['day', 'month', 'year'],
    allCountries: true,
    measure: () => 'country_messages',
  },
  {
    table: 'report_country_totals',
    dimensions: ['direction', 'message-type', 'crime-area'],
    grains: ['day', 'month', 'year'],
    allCountries: true,
    measure: () => 'country_messages',
  },
  {
    table: 'report_country_partners',
    dimensions: ['direction', 'partner-country'],
    grains: ['day', 'month', 'year'],
    allCountries: true,
    measure: () => 'partner_messages',
  },
  {
    table: 'report_agency_totals',
    dimensions: ['agency', 'direction'],
    grains: ['month', 'year'],
    allCountries: false,
    measure: () => 'agency_messages',
  },
  {
    table: 'report_agency_kinds',
    dimensions: ['agency', 'message-type', 'crime-area'],
    grains: ['month', 'year'],
    allCountries: false,
    measure: () => 'agency_messages',
  },
  {
    table: 'report_country_exchanges',
    dimensions: ['direction', 'partner-country', 'message-type', 'crime-area'],
    grains: ['month', 'year'],
    allCountries: true,
    measure: (byPartner) => (byPartner ? 'partner_messages' : 'country_messages'),
  },
  {
    table: 'report_agency_exchanges',
    dimensions: ['agency', 'direction', 'message-type', 'crime-area'],
    grains: ['month', 'year'],
    allCountries: false,
    measure: () => 'agency_messages',
  },
  {
    table: 'report_agency_partner_exchanges',
    dimensions: ['agency', 'direction', 'partner-country'],
    grains: ['month', 'year'],
    allCountries: false,
    measure: () => 'messages',
  },
];

export type ResponseDimension = 'country' | 'partner-country' | 'priority';

/**
 * A cube of requests and their answers: request counts, with the median and 80th-percentile buckets of each
 * row's answers kept beside them, and the answers per time bucket (to merge rows a report sums).
 */
export interface ResponseCube extends ReportCube<ResponseDimension> {
  answers: string;
}

/**
 * Per priority (every partner together), per partner, then per partner and priority; kept per quarter too, so
 * that a quarter's percentiles are stored.
 */
export const RESPONSE_CUBES: readonly ResponseCube[] = [
  {
    table: 'report_priority_requests',
    answers: 'report_priority_answer_times',
    dimensions: ['priority'],
    grains: ['month', 'quarter', 'year'],
    allCountries: true,
  },
  {
    table: 'report_partner_requests',
    answers: 'report_partner_answer_times',
    dimensions: ['partner-country'],
    grains: ['month', 'quarter', 'year'],
    allCountries: true,
  },
  {
    table: 'report_request_counts',
    answers: 'report_answer_times',
    dimensions: ['partner-country', 'priority'],
    grains: ['month', 'quarter', 'year'],
    allCountries: true,
  },
];

export type MatchDimension = 'country' | 'partner-country' | 'entity-type' | 'strength';

/** Matches per partner, then per partner, entity type and strength. */
export const MATCH_CUBES: readonly ReportCube<MatchDimension>[] = [
  { table: 'report_match_partners', dimensions: ['partner-country'], grains: ['month', 'year'], allCountries: true },
  {
    table: 'report_match_counts',
    dimensions: ['partner-country', 'entity-type', 'strength'],
    grains: ['month', 'year'],
    allCountries: true,
  },
];

/** The first days of the stored periods of a grain from the one holding `from` to the one holding `to`. */
export function storedPeriods(from: string, to: string, grain: StoredGrain): string[] {
  const step: Record<StoredGrain, (date: Date) => void> = {
    day: (date) => date.setUTCDate(date.getUTCDate() + 1),
    month: (date) => date.setUTCMonth(date.getUTCMonth() + 1),
    quarter: (date) => date.setUTCMonth(date.getUTCMonth() + 3),
    year: (date) => date.setUTCFullYear(date.getUTCFullYear() + 1),
  };
  const periods: string[] = [];
  for (
    const date = new Date(`${grainStart(from, grain)}T00:00:00Z`);
    date.toISOString().slice(0, 10) <= to;
    step[grain](date)
  )
    periods.push(date.toISOString().slice(0, 10));
  return periods;
}
