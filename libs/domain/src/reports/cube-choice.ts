import { EXCHANGE_CUBES, exchangeMeasure, factColumn, type ReportCube } from './cube-catalogue';
import type { ReportDimension } from './report-disclosure';
import type { Granularity } from './report-period';
import { grainStart, type StoredGrain } from './report-facts';

/**
 * Which cube (see `cube-catalogue.ts`) a report reads, at which grain, and which of its rows: the smallest cube
 * that holds its breakdown and filters, at the coarsest grain that divides its periods.
 */

/** The country key of rows that sum every country's figures: what a European or international lead reads. */
export const ALL_COUNTRIES = '*';

/** What choosing a cube needs to know of it: the dimensions its rows are kept by, besides the country. */
export interface CubeShape {
  table: string;
  dimensions: readonly string[];
  grains: readonly StoredGrain[];
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
export function chooseCube<C extends CubeShape>(
  cubes: readonly C[],
  granularity: Granularity,
  used: readonly string[],
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
  cube: Pick<CubeShape, 'allCountries'>,
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

/** A cube of exchange facts chosen for a report: its table at the grain read, and the count summed. */
export interface ExchangeCubeChoice {
  cube: ReportCube<'exchanges'>;
  grain: StoredGrain;
  table: string;
  measure: string;
}

/**
 * The cube of exchange facts that holds a breakdown (its dimensions and filters together), the grain read, and
 * the count in it that counts a message once for that breakdown (see `exchangeFacts`); null for the breakdowns
 * no cube holds: by agency (or region) and partner country together with crime area or message type, and by
 * agency or region per day.
 */
export function exchangeCube(granularity: Granularity, used: readonly ReportDimension[]): ExchangeCubeChoice | null {
  const chosen = chooseCube(EXCHANGE_CUBES, granularity, used);
  if (!chosen) return null;
  return {
    ...chosen,
    table: grainTable(chosen.cube.table, chosen.grain),
    measure: factColumn(exchangeMeasure(chosen.cube, used.includes('partner-country'))),
  };
}
