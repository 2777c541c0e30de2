import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * What the tracker keeps of single requests, matches, teams and closed cases, to derive their report facts from
 * (and change them when the state changes); their sums are kept in the cubes (`report-cubes.entity.ts`).
 */

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
