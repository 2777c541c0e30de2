import {
  reportDimensions,
  reportFilters,
  reportRange,
  type Granularity,
  type ReportProblem,
  type ReportRange,
} from '@liaison/domain';
import { ApplicationError } from '../application/application-error';
import type { Filters } from './fact-query';

/** A report asked for: its periods, the dimensions it breaks counts down by, and the values it keeps. */
export interface ReportRequest<D extends string> {
  range: ReportRange;
  dimensions: D[];
  filters: Filters<D>;
}

/** What a report offers: the dimensions, the granularities, the dimensions by default, the most periods by day. */
export interface ReportOffer<D extends string> {
  dimensions: readonly D[];
  granularities: readonly Granularity[];
  defaultDimensions: D[];
  maxDays: number;
}

function fail(problem: ReportProblem): never {
  throw ApplicationError.field(problem.field, problem.message);
}

/** A parameter the report does not know is refused, so that a misspelt filter never passes for no filter. */
export function refuseUnknown(
  query: Record<string, unknown>,
  offered: readonly string[],
  options: { periods: boolean; by: boolean },
): void {
  const known = new Set<string>([
    ...offered,
    'separator',
    ...(options.periods ? ['from', 'to', 'granularity'] : []),
    ...(options.by ? ['by'] : []),
  ]);
  const unknown = Object.keys(query).find((name) => !known.has(name));
  if (unknown !== undefined)
    throw ApplicationError.field(unknown, `${unknown} is not a parameter of this report; use ${[...known].join(', ')}`);
}

/** The dimensions asked for (`by`), or the report's default. */
export function requestedDimensions<D extends string>(
  query: Record<string, unknown>,
  offered: readonly D[],
  defaults: D[],
): D[] {
  if (query.by === undefined) return defaults;
  const result = reportDimensions(query.by, offered);
  if ('problem' in result) fail(result.problem);
  return result.dimensions;
}

/** The values asked for of each dimension offered. */
export function requestedFilters<D extends string>(query: Record<string, unknown>, offered: readonly D[]): Filters<D> {
  const result = reportFilters(query, offered);
  if ('problem' in result) fail(result.problem);
  return result.filters;
}

/** The periods asked for (`from`, `to`, `granularity`), at most `maxPeriods` of them. */
export function requestedRange(
  query: Record<string, unknown>,
  granularities: readonly Granularity[],
  maxPeriods: number,
): ReportRange {
  const result = reportRange(query, { granularities, maxPeriods });
  if ('problem' in result) fail(result.problem);
  return result.range;
}

/** A report's query parameters, read and checked; any problem is a validation error naming the parameter. */
export function parseReportRequest<D extends string>(
  query: Record<string, unknown>,
  offer: ReportOffer<D>,
): ReportRequest<D> {
  refuseUnknown(query, offer.dimensions, { periods: true, by: true });
  const byDay =
    query.granularity === 'day' || (query.granularity === undefined && /^\d{4}-\d{2}-\d{2}$/.test(String(query.from)));
  return {
    range: requestedRange(query, offer.granularities, byDay ? offer.maxDays : 1200),
    dimensions: requestedDimensions(query, offer.dimensions, offer.defaultDimensions),
    filters: requestedFilters(query, offer.dimensions),
  };
}
