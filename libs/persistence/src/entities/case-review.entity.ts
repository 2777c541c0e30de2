import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * An agency's review period (`@liaison/domain`'s retention rules): for all its cases (crime area '') or for one
 * crime area. The row of agency '*' is the default for every agency without one. Owned by the gateway.
 */
@Entity({ name: 'retention_rules' })
export class RetentionRuleEntity {
  @PrimaryColumn({ name: 'agency_code', type: 'text', primaryKeyConstraintName: 'PK_retention_rules' })
  agencyCode!: string;

  @PrimaryColumn({ name: 'crime_area', type: 'text', primaryKeyConstraintName: 'PK_retention_rules' })
  crimeArea!: string;

  @Column({ name: 'review_after_months', type: 'integer' })
  reviewAfterMonths!: number;

  @Column({ name: 'set_by_type', type: 'text' })
  setByType!: string;

  @Column({ name: 'set_by_id', type: 'text' })
  setById!: string;

  @Column({ name: 'set_at', type: 'timestamptz' })
  setAt!: Date;
}

/**
 * A case's latest review decision: an extension (until when, and why), or a closure. Every decision is in the
 * audit trail; this row is what the review date is computed from. Owned by the gateway.
 */
@Entity({ name: 'case_reviews' })
export class CaseReviewEntity {
  @PrimaryColumn({ name: 'case_reference', type: 'text', primaryKeyConstraintName: 'PK_case_reviews' })
  caseReference!: string;

  /** extend or close. */
  @Column({ type: 'text' })
  decision!: string;

  /** Kept at least until then (an extension); the review after it falls then. */
  @Column({ name: 'extended_until', type: 'timestamptz', nullable: true })
  extendedUntil!: Date | null;

  /** Why it is kept, as the supervisor wrote it. Shown to the owner's supervisors only. */
  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  @Column({ name: 'decided_by_type', type: 'text' })
  decidedByType!: string;

  @Column({ name: 'decided_by_id', type: 'text' })
  decidedById!: string;

  @Column({ name: 'decided_at', type: 'timestamptz' })
  decidedAt!: Date;
}

/**
 * A case whose processing is restricted (Directive (EU) 2016/680 Art. 16(3)): kept, but it takes no part in
 * matching, is left out of every list and search, and only its owner's supervisors can read it. Written by the
 * gateway; the matcher reads it while matching.
 */
@Entity({ name: 'case_restrictions' })
export class CaseRestrictionEntity {
  @PrimaryColumn({ name: 'case_reference', type: 'text', primaryKeyConstraintName: 'PK_case_restrictions' })
  caseReference!: string;

  /** Why (a contested accuracy, data kept as evidence), as the supervisor wrote it. Shown to the owner only. */
  @Column({ type: 'text' })
  reason!: string;

  @Column({ name: 'placed_by_type', type: 'text' })
  placedByType!: string;

  @Column({ name: 'placed_by_id', type: 'text' })
  placedById!: string;

  @Column({ name: 'placed_at', type: 'timestamptz' })
  placedAt!: Date;
}
