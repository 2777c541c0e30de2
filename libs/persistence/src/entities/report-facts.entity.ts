import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * The tracker's report facts. Reports sum these rows and never read messages, cases or matches. Aggregates are
 * kept per day, month, quarter or year (a table per grain), so that a report over five years sums five rows per
 * combination instead of 1,826. Every table starts its key with the country the figures are seen from, so a
 * national programme lead's report reads only its own country's rows.
 */

/** The start of every aggregate table's key: the country the figures are seen from, and the period. */
abstract class FactKey {
  @PrimaryColumn({ type: 'text', collation: 'C' })
  country!: string;

  /** First day of the period (the day itself, the month's first, or the year's first). */
  @PrimaryColumn({ type: 'date' })
  period!: string;
}

/**
 * Routed messages seen from every country they touch (see `exchangeFacts`), kept as seven cubes so that a
 * report sums the smallest one holding its breakdown (see `EXCHANGE_CUBES`): per country, totals by direction,
 * by direction, type and area, by direction and partner, and everything but the agency; per agency, totals by
 * direction, and with type and area, or with partner. The per-country cubes also keep every country's figures summed (country
 * `*`). Key columns compare bytewise (collation C): they hold codes, never prose.
 */
abstract class CountryDirectionColumns extends FactKey {
  @PrimaryColumn({ type: 'text', collation: 'C' })
  direction!: string;

  @Column({ name: 'country_messages', type: 'bigint' })
  countryMessages!: string;
}

@Entity({ name: 'report_country_directions_daily' })
export class CountryDirectionDailyEntity extends CountryDirectionColumns {}

@Entity({ name: 'report_country_directions_monthly' })
export class CountryDirectionMonthlyEntity extends CountryDirectionColumns {}

@Entity({ name: 'report_country_directions_yearly' })
export class CountryDirectionYearlyEntity extends CountryDirectionColumns {}

abstract class CountryTotalColumns extends FactKey {
  @PrimaryColumn({ type: 'text', collation: 'C' })
  direction!: string;

  @PrimaryColumn({ name: 'message_type', type: 'text', collation: 'C' })
  messageType!: string;

  @PrimaryColumn({ name: 'crime_area', type: 'text', collation: 'C' })
  crimeArea!: string;

  @Column({ name: 'country_messages', type: 'bigint' })
  countryMessages!: string;
}

@Entity({ name: 'report_country_totals_daily' })
export class CountryTotalDailyEntity extends CountryTotalColumns {}

@Entity({ name: 'report_country_totals_monthly' })
export class CountryTotalMonthlyEntity extends CountryTotalColumns {}

@Entity({ name: 'report_country_totals_yearly' })
export class CountryTotalYearlyEntity extends CountryTotalColumns {}

abstract class CountryPartnerColumns extends FactKey {
  @PrimaryColumn({ type: 'text', collation: 'C' })
  direction!: string;

  @PrimaryColumn({ name: 'partner_country', type: 'text', collation: 'C' })
  partnerCountry!: string;

  @Column({ name: 'partner_messages', type: 'bigint' })
  partnerMessages!: string;
}

@Entity({ name: 'report_country_partners_daily' })
export class CountryPartnerDailyEntity extends CountryPartnerColumns {}

@Entity({ name: 'report_country_partners_monthly' })
export class CountryPartnerMonthlyEntity extends CountryPartnerColumns {}

@Entity({ name: 'report_country_partners_yearly' })
export class CountryPartnerYearlyEntity extends CountryPartnerColumns {}

abstract class AgencyTotalColumns extends FactKey {
  @PrimaryColumn({ type: 'text', collation: 'C' })
  agency!: string;

  @PrimaryColumn({ type: 'text', collation: 'C' })
  direction!: string;

  @Column({ name: 'agency_messages', type: 'bigint' })
  agencyMessages!: string;
}

@Entity({ name: 'report_agency_totals_monthly' })
export class AgencyTotalMonthlyEntity extends AgencyTotalColumns {}

@Entity({ name: 'report_agency_totals_yearly' })
export class AgencyTotalYearlyEntity extends AgencyTotalColumns {}

abstract class AgencyKindColumns extends FactKey {
  @PrimaryColumn({ type: 'text', collation: 'C' })
  agency!: string;

  @PrimaryColumn({ name: 'message_type', type: 'text', collation: 'C' })
  messageType!: string;

  /** Empty when the case has none. */
  @PrimaryColumn({ name: 'crime_area', type: 'text', collation: 'C' })
  crimeArea!: string;

  /** Messages of the agency in every direction, each counted once per direction (the sum of its directions). */
  @Column({ name: 'agency_messages', type: 'bigint' })
  agencyMessages!: string;
}

@Entity({ name: 'report_agency_kinds_monthly' })
export class AgencyKindMonthlyEntity extends AgencyKindColumns {}

@Entity({ name: 'report_agency_kinds_yearly' })
export class AgencyKindYearlyEntity extends AgencyKindColumns {}

abstract class AgencyExchangeColumns extends FactKey {
  @PrimaryColumn({ type: 'text', collation: 'C' })
  agency!: string;

  /** outbound, inbound or domestic. */
  @PrimaryColumn({ type: 'text', collation: 'C' })
  direction!: string;

  @PrimaryColumn({ name: 'message_type', type: 'text', collation: 'C' })
  messageType!: string;

  /** Empty when the case has none. */
  @PrimaryColumn({ name: 'crime_area', type: 'text', collation: 'C' })
  crimeArea!: string;

  /** Messages of the agency in the direction, each counted once. */
  @Column({ name: 'agency_messages', type: 'bigint' })
  agencyMessages!: string;
}

@Entity({ name: 'report_agency_exchanges_monthly' })
export class AgencyExchangeMonthlyEntity extends AgencyExchangeColumns {}

@Entity({ name: 'report_agency_exchanges_yearly' })
export class AgencyExchangeYearlyEntity extends AgencyExchangeColumns {}

/** Messages per agency, direction and partner country, each counted once per agency and partner. */
abstract class AgencyPartnerExchangeColumns extends FactKey {
  @PrimaryColumn({ type: 'text', collation: 'C' })
  agency!: string;

  @PrimaryColumn({ type: 'text', collation: 'C' })
  direction!: string;

  @PrimaryColumn({ name: 'partner_country', type: 'text', collation: 'C' })
  partnerCountry!: string;

  @Column({ type: 'bigint' })
  messages!: string;
}

@Entity({ name: 'report_agency_partner_exchanges_monthly' })
export class AgencyPartnerExchangeMonthlyEntity extends AgencyPartnerExchangeColumns {}

@Entity({ name: 'report_agency_partner_exchanges_yearly' })
export class AgencyPartnerExchangeYearlyEntity extends AgencyPartnerExchangeColumns {}

/** The facts summed over a country's agencies: what reports without agency or region read. */
abstract class CountryExchangeFactColumns extends FactKey {
  @PrimaryColumn({ type: 'text', collation: 'C' })
  direction!: string;

  @PrimaryColumn({ name: 'partner_country', type: 'text', collation: 'C' })
  partnerCountry!: string;

  @PrimaryColumn({ name: 'message_type', type: 'text', collation: 'C' })
  messageType!: string;

  @PrimaryColumn({ name: 'crime_area', type: 'text', collation: 'C' })
  crimeArea!: string;

  @Column({ name: 'partner_messages', type: 'bigint' })
  partnerMessages!: string;

  @Column({ name: 'country_messages', type: 'bigint' })
  countryMessages!: string;
}

@Entity({ name: 'report_country_exchanges_monthly' })
export class CountryExchangeMonthlyEntity extends CountryExchangeFactColumns {}

@Entity({ name: 'report_country_exchanges_yearly' })
export class CountryExchangeYearlyEntity extends CountryExchangeFactColumns {}

/**
 * One recipient's part in a request or cross-check: the state the tracker needs to time its answer and to tell
 * open requests' standing against their deadline. Holds no content and no case reference beyond the key
 * needed to close a case's open requests.
 */
@Entity({ name: 'report_requests' })
// Open requests not yet overdue, read from this index alone (an index-only scan from now on): the ones within
// their deadline or approaching it. The overdue ones are the rest of `report_open_requests`.
@Index('ix_report_requests_pending', ['deadline', 'country', 'partnerCountry', 'priority', 'approachingAt'], {
  where: 'answered_at IS NULL AND closed_at IS NULL',
})
@Index('ix_report_requests_case', ['caseReference'])
export class ReportRequestEntity {
  @PrimaryColumn({ name: 'message_id', type: 'uuid' })
  messageId!: string;

  @PrimaryColumn({ name: 'recipient_agency', type: 'text', collation: 'C' })
  recipientAgency!: string;

  @Column({ name: 'case_reference', type: 'text' })
  caseReference!: string;

  /** The requesting agency's country. */
  @Column({ type: 'text' })
  country!: string;

  /** The recipient's country. */
  @Column({ name: 'partner_country', type: 'text' })
  partnerCountry!: string;

  @Column({ type: 'text' })
  priority!: string;

  @Column({ name: 'sent_at', type: 'timestamptz' })
  sentAt!: Date;

  /** When the request starts approaching its deadline (when recipients are reminded). */
  @Column({ name: 'approaching_at', type: 'timestamptz' })
  approachingAt!: Date;

  @Column({ type: 'timestamptz' })
  deadline!: Date;

  @Column({ name: 'answered_at', type: 'timestamptz', nullable: true })
  answeredAt!: Date | null;

  /** When the request's case was closed: unanswered, it no longer waits for an answer. */
  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt!: Date | null;
}

/**
 * Open requests (one per recipient: neither answered nor in a closed case) per requesting country, partner and
 * priority, kept with every change of a request's state in the same transaction. Those not yet overdue are
 * few (sent within their deadline) and are read from `report_requests`; the overdue ones, which pile up over
 * years, are these counts less those.
 */
@Entity({ name: 'report_open_requests' })
export class ReportOpenRequestsEntity {
  @PrimaryColumn({ type: 'text' })
  country!: string;

  @PrimaryColumn({ name: 'partner_country', type: 'text' })
  partnerCountry!: string;

  @PrimaryColumn({ type: 'text' })
  priority!: string;

  @Column({ type: 'bigint' })
  open!: string;
}

/** What request-count rows hold: counts, and the buckets of their answers' median and 80th percentile. */
abstract class RequestCountFields extends FactKey {
  @Column({ type: 'bigint' })
  requests!: string;

  @Column({ type: 'bigint' })
  answered!: string;

  @Column({ name: 'within_deadline', type: 'bigint' })
  withinDeadline!: string;

  /** Null while nothing is answered. */
  @Column({ name: 'median_bucket', type: 'smallint', nullable: true })
  medianBucket!: number | null;

  @Column({ name: 'p80_bucket', type: 'smallint', nullable: true })
  p80Bucket!: number | null;

  /** Answers were added since the percentile buckets were computed: the tracker recomputes them shortly. */
  @Column({ name: 'percentiles_stale', type: 'boolean', default: true })
  percentilesStale!: boolean;
}

/** Requests per period and priority (every partner together). */
abstract class PriorityRequestColumns extends RequestCountFields {
  @PrimaryColumn({ type: 'text', collation: 'C' })
  priority!: string;
}

@Index(['country', 'period'], { where: 'percentiles_stale' })
@Entity({ name: 'report_priority_requests_monthly' })
export class PriorityRequestMonthlyEntity extends PriorityRequestColumns {}

@Index(['country', 'period'], { where: 'percentiles_stale' })
@Entity({ name: 'report_priority_requests_quarterly' })
export class PriorityRequestQuarterlyEntity extends PriorityRequestColumns {}

@Index(['country', 'period'], { where: 'percentiles_stale' })
@Entity({ name: 'report_priority_requests_yearly' })
export class PriorityRequestYearlyEntity extends PriorityRequestColumns {}

/**
 * Requests sent per period and partner (or priority, or both), one per recipient, answered, and answered within the
 * deadline; with the buckets (`responseBucket`) of the median and 80th-percentile time to answer them, kept
 * from the row's answers per bucket, so that a report showing the row as it is reads no histogram.
 */
abstract class PartnerRequestColumns extends RequestCountFields {
  @PrimaryColumn({ name: 'partner_country', type: 'text', collation: 'C' })
  partnerCountry!: string;
}

@Index(['country', 'period'], { where: 'percentiles_stale' })
@Entity({ name: 'report_partner_requests_monthly' })
export class PartnerRequestMonthlyEntity extends PartnerRequestColumns {}

@Index(['country', 'period'], { where: 'percentiles_stale' })
@Entity({ name: 'report_partner_requests_quarterly' })
export class PartnerRequestQuarterlyEntity extends PartnerRequestColumns {}

@Index(['country', 'period'], { where: 'percentiles_stale' })
@Entity({ name: 'report_partner_requests_yearly' })
export class PartnerRequestYearlyEntity extends PartnerRequestColumns {}

abstract class RequestCountColumns extends PartnerRequestColumns {
  @PrimaryColumn({ type: 'text', collation: 'C' })
  priority!: string;
}

@Index(['country', 'period'], { where: 'percentiles_stale' })
@Entity({ name: 'report_request_counts_monthly' })
export class RequestCountMonthlyEntity extends RequestCountColumns {}

@Index(['country', 'period'], { where: 'percentiles_stale' })
@Entity({ name: 'report_request_counts_quarterly' })
export class RequestCountQuarterlyEntity extends RequestCountColumns {}

@Index(['country', 'period'], { where: 'percentiles_stale' })
@Entity({ name: 'report_request_counts_yearly' })
export class RequestCountYearlyEntity extends RequestCountColumns {}

/** Answers per time bucket: the bucket is the last key column. */
abstract class AnswerFields extends FactKey {
  @PrimaryColumn({ type: 'smallint' })
  bucket!: number;

  @Column({ type: 'bigint' })
  answers!: string;
}

abstract class PriorityAnswerTimeColumns extends AnswerFields {
  @PrimaryColumn({ type: 'text', collation: 'C' })
  priority!: string;
}

@Entity({ name: 'report_priority_answer_times_monthly' })
export class PriorityAnswerTimeMonthlyEntity extends PriorityAnswerTimeColumns {}

@Entity({ name: 'report_priority_answer_times_quarterly' })
export class PriorityAnswerTimeQuarterlyEntity extends PriorityAnswerTimeColumns {}

@Entity({ name: 'report_priority_answer_times_yearly' })
export class PriorityAnswerTimeYearlyEntity extends PriorityAnswerTimeColumns {}

/** Answers to requests sent per period and priority or partner (or both), per time-to-answer bucket (`responseBucket`). */
abstract class PartnerAnswerTimeColumns extends AnswerFields {
  @PrimaryColumn({ name: 'partner_country', type: 'text', collation: 'C' })
  partnerCountry!: string;
}

@Entity({ name: 'report_partner_answer_times_monthly' })
export class PartnerAnswerTimeMonthlyEntity extends PartnerAnswerTimeColumns {}

@Entity({ name: 'report_partner_answer_times_quarterly' })
export class PartnerAnswerTimeQuarterlyEntity extends PartnerAnswerTimeColumns {}

@Entity({ name: 'report_partner_answer_times_yearly' })
export class PartnerAnswerTimeYearlyEntity extends PartnerAnswerTimeColumns {}

abstract class AnswerTimeColumns extends PartnerAnswerTimeColumns {
  @PrimaryColumn({ type: 'text', collation: 'C' })
  priority!: string;
}

@Entity({ name: 'report_answer_times_monthly' })
export class AnswerTimeMonthlyEntity extends AnswerTimeColumns {}

@Entity({ name: 'report_answer_times_quarterly' })
export class AnswerTimeQuarterlyEntity extends AnswerTimeColumns {}

@Entity({ name: 'report_answer_times_yearly' })
export class AnswerTimeYearlyEntity extends AnswerTimeColumns {}

/** A match as reports count it: its sides' agencies and countries, kind and decisions; never the cases or the key. */
@Entity({ name: 'report_matches' })
export class ReportMatchEntity {
  @PrimaryColumn({ name: 'match_id', type: 'uuid' })
  matchId!: string;

  /** Null until the match is seen found (an update can arrive first). */
  @Column({ name: 'found_on', type: 'date', nullable: true })
  foundOn!: string | null;

  @Column({ name: 'entity_type', type: 'text' })
  entityType!: string;

  @Column({ type: 'text' })
  strength!: string;

  @Column({ name: 'a_agency', type: 'text' })
  aAgency!: string;

  @Column({ name: 'a_country', type: 'text' })
  aCountry!: string;

  @Column({ name: 'a_decision', type: 'text' })
  aDecision!: string;

  @Column({ name: 'b_agency', type: 'text' })
  bAgency!: string;

  @Column({ name: 'b_country', type: 'text' })
  bCountry!: string;

  @Column({ name: 'b_decision', type: 'text' })
  bDecision!: string;

  @Column({ name: 'candidate_state', type: 'text', nullable: true })
  candidateState!: string | null;

  /** When the state was last changed; an older update never replaces a newer one. */
  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

/** Matches found per period, seen from each country holding a side (see `matchFacts`), by partner country. */
abstract class MatchPartnerColumns extends FactKey {
  @PrimaryColumn({ name: 'partner_country', type: 'text', collation: 'C' })
  partnerCountry!: string;

  @Column({ type: 'bigint' })
  found!: string;

  @Column({ type: 'bigint' })
  released!: string;

  @Column({ type: 'bigint' })
  declined!: string;

  @Column({ type: 'bigint' })
  confirmed!: string;

  @Column({ type: 'bigint' })
  dismissed!: string;
}

@Entity({ name: 'report_match_partners_monthly' })
export class MatchPartnerMonthlyEntity extends MatchPartnerColumns {}

@Entity({ name: 'report_match_partners_yearly' })
export class MatchPartnerYearlyEntity extends MatchPartnerColumns {}

/** The same by entity type and strength too. */
abstract class MatchCountColumns extends MatchPartnerColumns {
  @PrimaryColumn({ name: 'entity_type', type: 'text', collation: 'C' })
  entityType!: string;

  @PrimaryColumn({ type: 'text', collation: 'C' })
  strength!: string;
}

@Entity({ name: 'report_match_counts_monthly' })
export class MatchCountMonthlyEntity extends MatchCountColumns {}

@Entity({ name: 'report_match_counts_yearly' })
export class MatchCountYearlyEntity extends MatchCountColumns {}

/** A joint investigation team as reports count it: its countries and dates, never its name or cases. */
@Entity({ name: 'report_jits' })
export class ReportJitEntity {
  @PrimaryColumn({ name: 'jit_id', type: 'uuid' })
  jitId!: string;

  /** The agency that created the team and leads it, and its country. */
  @Column({ name: 'lead_agency', type: 'text' })
  leadAgency!: string;

  @Column({ name: 'lead_country', type: 'text' })
  leadCountry!: string;

  /** Agencies that are members now: only they may record meetings. */
  @Column({ type: 'text', array: true })
  members!: string[];

  /** Every country that has been a party. */
  @Column({ type: 'text', array: true })
  countries!: string[];

  @Column({ name: 'created_on', type: 'date' })
  createdOn!: string;

  @Column({ name: 'starts_on', type: 'date' })
  startsOn!: string;

  @Column({ name: 'ends_on', type: 'date' })
  endsOn!: string;
}

/** An operational meeting as reports count it: when, which countries took part and which called it. */
@Entity({ name: 'report_jit_meetings' })
export class ReportJitMeetingEntity {
  @PrimaryColumn({ name: 'meeting_id', type: 'uuid' })
  meetingId!: string;

  @Column({ name: 'jit_id', type: 'uuid' })
  jitId!: string;

  @Column({ name: 'held_on', type: 'date' })
  heldOn!: string;

  /** Country of the agency that recorded (called) the meeting. */
  @Column({ name: 'called_by_country', type: 'text' })
  calledByCountry!: string;

  /** Countries of the participating agencies, and of the caller. */
  @Column({ type: 'text', array: true })
  countries!: string[];
}

/** Cases the tracker has seen closed: a request it learns of later (it was routed before the close) is closed too. */
@Entity({ name: 'report_closed_cases' })
export class ReportClosedCaseEntity {
  @PrimaryColumn({ name: 'case_reference', type: 'text', primaryKeyConstraintName: 'PK_report_closed_cases' })
  caseReference!: string;

  @Column({ name: 'closed_at', type: 'timestamptz' })
  closedAt!: Date;
}
