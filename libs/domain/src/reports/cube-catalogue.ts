import type { ExchangeFact } from './exchange-facts';
import type { AnswerTimeFact, MatchFact, RequestCountFact, StoredGrain } from './report-facts';

/**
 * The tracker's aggregate tables ("cubes"), each declared once: the facts it sums, the fact fields that key its
 * rows (after the country the figures are seen from and the period, which key every cube), the counts it adds
 * up, the grains it is kept at, and whether it also keeps every country's figures summed. The entities, the
 * tracker's summing and writing, and the reports' reads are all derived from these declarations.
 *
 * A report reads the smallest cube that holds its breakdown and filters, at the coarsest grain that divides its
 * periods (see `chooseCube`), so that it sums as few rows as possible: ideally one per cell it shows. Cubes of a
 * kind are therefore listed smallest first.
 */

/** The report dimension each key field answers; a response time bucket is a key but no dimension. */
export const KEY_DIMENSIONS = {
  agency: 'agency',
  direction: 'direction',
  partnerCountry: 'partner-country',
  messageType: 'message-type',
  crimeArea: 'crime-area',
  priority: 'priority',
  entityType: 'entity-type',
  strength: 'strength',
  bucket: null,
} as const;
export type KeyField = keyof typeof KEY_DIMENSIONS;
export type CubeDimension = Exclude<(typeof KEY_DIMENSIONS)[KeyField], null>;

/** What a cube sums, and the fact type of each. */
export interface CubeFactTypes {
  exchanges: ExchangeFact;
  requests: RequestCountFact;
  answers: AnswerTimeFact;
  matches: MatchFact;
}
export type CubeFacts = keyof CubeFactTypes;

export interface CubeDeclaration<K extends CubeFacts = CubeFacts> {
  /** Table name without the grain suffix. */
  table: string;
  facts: K;
  keys: readonly (KeyField & keyof CubeFactTypes[K])[];
  counts: readonly (keyof CubeFactTypes[K] & string)[];
  grains: readonly StoredGrain[];
  /** Also kept summed over every country, as country `ALL_COUNTRIES`. */
  allCountries: boolean;
  /**
   * A larger cube of the same facts that keeps every key and count of this one, so that this one's rows are summed
   * from that one's rather than from the facts (fewer rows to sum).
   */
  summedFrom?: string;
  /** A cube of request counts: the cube that keeps its rows' answers per time bucket, whose percentiles it keeps. */
  answers?: string;
}

/**
 * A declared cube (its keys and counts checked against its facts' fields when declared) with what follows from
 * it: the dimensions its keys answer.
 */
export interface ReportCube<K extends CubeFacts = CubeFacts> extends Omit<CubeDeclaration<K>, 'keys' | 'counts'> {
  keys: readonly KeyField[];
  counts: readonly string[];
  dimensions: readonly CubeDimension[];
}

function cube<K extends CubeFacts>(declaration: CubeDeclaration<K>): ReportCube<K> {
  const dimensions = declaration.keys.flatMap((key): CubeDimension[] => {
    const dimension = KEY_DIMENSIONS[key];
    return dimension === null ? [] : [dimension];
  });
  return { ...declaration, dimensions };
}

/** A fact field's column: `partnerCountry` is `partner_country`. */
export function factColumn(field: string): string {
  return field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/**
 * Exchange facts (see `exchangeFacts`). Without agency, the figures per country: by direction; by direction,
 * message type and crime area; by direction and partner country (these three per day too); and everything but
 * the agency together; each also summed over every country. With agency (or region): by direction; by message
 * type and crime area, every direction together (an export of every agency by kind then reads one row per
 * cell); by direction, message type and crime area; or by direction and partner country. Per day, then, a
 * breakdown by partner country cannot also be by message type or crime area.
 */
export const EXCHANGE_CUBES: readonly ReportCube<'exchanges'>[] = [
  cube({
    table: 'report_country_directions',
    facts: 'exchanges',
    keys: ['direction'],
    counts: ['countryMessages'],
    grains: ['day', 'month', 'year'],
    allCountries: true,
    summedFrom: 'report_country_totals',
  }),
  cube({
    table: 'report_country_totals',
    facts: 'exchanges',
    keys: ['direction', 'messageType', 'crimeArea'],
    counts: ['countryMessages'],
    grains: ['day', 'month', 'year'],
    allCountries: true,
  }),
  cube({
    table: 'report_country_partners',
    facts: 'exchanges',
    keys: ['direction', 'partnerCountry'],
    counts: ['partnerMessages'],
    grains: ['day', 'month', 'year'],
    allCountries: true,
  }),
  cube({
    table: 'report_agency_totals',
    facts: 'exchanges',
    keys: ['agency', 'direction'],
    counts: ['agencyMessages'],
    grains: ['month', 'year'],
    allCountries: false,
    summedFrom: 'report_agency_exchanges',
  }),
  cube({
    table: 'report_agency_kinds',
    facts: 'exchanges',
    keys: ['agency', 'messageType', 'crimeArea'],
    counts: ['agencyMessages'],
    grains: ['month', 'year'],
    allCountries: false,
    summedFrom: 'report_agency_exchanges',
  }),
  cube({
    table: 'report_country_exchanges',
    facts: 'exchanges',
    keys: ['direction', 'partnerCountry', 'messageType', 'crimeArea'],
    counts: ['countryMessages', 'partnerMessages'],
    grains: ['month', 'year'],
    allCountries: true,
  }),
  cube({
    table: 'report_agency_exchanges',
    facts: 'exchanges',
    keys: ['agency', 'direction', 'messageType', 'crimeArea'],
    counts: ['agencyMessages'],
    grains: ['month', 'year'],
    allCountries: false,
  }),
  cube({
    table: 'report_agency_partner_exchanges',
    facts: 'exchanges',
    keys: ['agency', 'direction', 'partnerCountry'],
    counts: ['messages'],
    grains: ['month', 'year'],
    allCountries: false,
  }),
];

/**
 * The count of an exchange cube that counts a message once for a breakdown (see `exchangeFacts`): once per
 * partner country when the breakdown is by partner and the cube keeps that count, otherwise its first count.
 */
export function exchangeMeasure(cube: ReportCube<'exchanges'>, byPartner: boolean): string {
  return byPartner && cube.counts.includes('partnerMessages') ? 'partnerMessages' : cube.counts[0];
}

const RESPONSE_GRAINS: readonly StoredGrain[] = ['month', 'quarter', 'year'];

/** The counts of a request-count cube; its rows also keep the buckets of their answers' median and 80th percentile. */
export const REQUEST_COUNT_FIELDS = ['requests', 'answered', 'withinDeadline'] as const;

/**
 * Requests and their answers: request counts per priority (every partner together), per partner, then per
 * partner and priority, each with the answers of its rows per time bucket in a cube of its own. Kept per quarter
 * too, so that a quarter's percentiles are stored.
 */
export const RESPONSE_CUBES: readonly ReportCube<'requests'>[] = [
  cube({
    table: 'report_priority_requests',
    facts: 'requests',
    keys: ['priority'],
    counts: REQUEST_COUNT_FIELDS,
    grains: RESPONSE_GRAINS,
    allCountries: true,
    answers: 'report_priority_answer_times',
  }),
  cube({
    table: 'report_partner_requests',
    facts: 'requests',
    keys: ['partnerCountry'],
    counts: REQUEST_COUNT_FIELDS,
    grains: RESPONSE_GRAINS,
    allCountries: true,
    answers: 'report_partner_answer_times',
  }),
  cube({
    table: 'report_request_counts',
    facts: 'requests',
    keys: ['partnerCountry', 'priority'],
    counts: REQUEST_COUNT_FIELDS,
    grains: RESPONSE_GRAINS,
    allCountries: true,
    answers: 'report_answer_times',
  }),
];

/** Answers per time bucket (see `responseBucket`), the bucket last in the key: one cube per request-count cube. */
export const ANSWER_CUBES: readonly ReportCube<'answers'>[] = RESPONSE_CUBES.map((counts) =>
  cube({
    table: counts.answers!,
    facts: 'answers',
    keys: [...(counts.keys as readonly ('partnerCountry' | 'priority')[]), 'bucket'],
    counts: ['answers'],
    grains: counts.grains,
    allCountries: counts.allCountries,
  }),
);

/** The counts of a match cube: matches found, and the decisions taken on them. */
export const MATCH_COUNT_FIELDS = ['found', 'released', 'declined', 'confirmed', 'dismissed'] as const;

/** Matches (see `matchFacts`) per partner, then per partner, entity type and strength. */
export const MATCH_CUBES: readonly ReportCube<'matches'>[] = [
  cube({
    table: 'report_match_partners',
    facts: 'matches',
    keys: ['partnerCountry'],
    counts: MATCH_COUNT_FIELDS,
    grains: ['month', 'year'],
    allCountries: true,
  }),
  cube({
    table: 'report_match_counts',
    facts: 'matches',
    keys: ['partnerCountry', 'entityType', 'strength'],
    counts: MATCH_COUNT_FIELDS,
    grains: ['month', 'year'],
    allCountries: true,
  }),
];

/** Every cube: for the entities, the rebuild, and tests that compare figures. */
export const REPORT_CUBES: readonly ReportCube[] = [
  ...EXCHANGE_CUBES,
  ...RESPONSE_CUBES,
  ...ANSWER_CUBES,
  ...MATCH_CUBES,
] as readonly ReportCube[];

/** A cube by its table name. */
export function reportCube<K extends CubeFacts>(table: string, facts?: K): ReportCube<K> {
  const found = REPORT_CUBES.find((c) => c.table === table && (facts === undefined || c.facts === facts));
  if (!found) throw new Error(`no cube ${table} in the catalogue`);
  return found as unknown as ReportCube<K>;
}
