import { Column, Entity, Index, PrimaryColumn, Unique } from 'typeorm';

/**
 * The entity index: which case holds which match key, and whose message put it there (the data owner).
 * Owned by the matcher, written in batches. Blind: each key is its kind and a keyed digest (MatchKeyBlinder in
 * @liaison/protection), and the normalised identifier itself is sealed beside it under the holding case's key, so
 * a dump names no value; only the value a data owner has released is ever shown. Every read goes by key, through the primary
 * key on the key's 64-bit hash (a third of the size of the keys themselves, and compared as one integer); the
 * key itself is compared too, so two keys of one hash are never confused. One case and agency hold a given hash
 * once: of two different keys with one hash in one case (a chance far below one in a billion over ten million
 * keys), the first would be kept.
 */
@Entity({ name: 'match_keys' })
export class MatchKeyEntity {
  /** `hashtextextended(key, 0)`, computed by the statement that writes the row. */
  @PrimaryColumn({ name: 'key_hash', type: 'bigint' })
  keyHash!: string;

  @PrimaryColumn({ name: 'case_reference', type: 'text' })
  caseReference!: string;

  @PrimaryColumn({ type: 'text' })
  agency!: string;

  /** The blind key, `<kind>:#<digest>` (its kind is its prefix, and the kind gives its strength). */
  @Column({ type: 'text' })
  key!: string;

  /** The key in clear, sealed under the case's key (liaison.match-key/<case>/<blind key>). */
  @Column({ name: 'sealed_value', type: 'bytea' })
  sealedValue!: Buffer;

  /** Found in a message's free text rather than given as a structured entity. */
  @Column({ type: 'boolean' })
  extracted!: boolean;

  /** The first message of the case that carried the key. */
  @Column({ name: 'message_id', type: 'uuid' })
  messageId!: string;

  @Column({ name: 'entity_ref', type: 'text', nullable: true })
  entityRef!: string | null;

  @Column({ name: 'indexed_at', type: 'timestamptz' })
  indexedAt!: Date;
}

/**
 * Keys found held by more distinct cases than the cap: they link nothing more, the matcher no longer reads
 * their holders, and admins see them listed. How many cases hold one is counted when it is listed.
 */
@Entity({ name: 'match_keys_over_correlated' })
@Index('ix_match_keys_over_correlated_at', ['overCorrelatedAt'])
export class OverCorrelatedKeyEntity {
  @PrimaryColumn({ type: 'text' })
  key!: string;

  @Column({ name: 'over_correlated_at', type: 'timestamptz' })
  overCorrelatedAt!: Date;
}

/** Keys an admin has excluded from matching (a shared hotel switchboard, say); applies at once. */
@Entity({ name: 'match_key_exclusions' })
export class MatchKeyExclusionEntity {
  @PrimaryColumn({ type: 'text' })
  key!: string;

  @Column({ type: 'text' })
  reason!: string;

  @Column({ name: 'excluded_by_key_id', type: 'uuid' })
  excludedByKeyId!: string;

  @Column({ name: 'excluded_at', type: 'timestamptz' })
  excludedAt!: Date;

  /** The key in clear, sealed under the `match-exclusions` system key; null when the gateway did not know it. */
  @Column({ name: 'sealed_value', type: 'bytea', nullable: true })
  sealedValue!: Buffer | null;
}

/**
 * Two cases sharing a key. Side a is the case whose reference sorts first. Each side's owner decides whether
 * its details are released to the other; a candidate (person-key) match is also confirmed or dismissed.
 */
@Entity({ name: 'matches' })
@Unique('uq_matches_pair_key', ['key', 'caseA', 'agencyA', 'caseB', 'agencyB'])
@Index('ix_matches_agency_a', ['agencyA', 'foundAt'])
@Index('ix_matches_agency_b', ['agencyB', 'foundAt'])
// The console's count of decisions an agency owes.
@Index('ix_matches_pending_a', ['agencyA'], { where: "decision_a = 'pending'" })
@Index('ix_matches_pending_b', ['agencyB'], { where: "decision_b = 'pending'" })
@Index('ix_matches_unannounced', ['messageId'], { where: 'announced_at IS NULL' })
// Dismissed candidates are read for the cases of every batch that carries a person: kept small and indexed.
@Index('ix_matches_dismissed_a', ['caseA'], { where: "candidate_state = 'dismissed'" })
@Index('ix_matches_dismissed_b', ['caseB'], { where: "candidate_state = 'dismissed'" })
export class MatchEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'text' })
  key!: string;

  @Column({ type: 'text' })
  kind!: string;

  @Column({ type: 'text' })
  strength!: string;

  @Column({ name: 'case_a', type: 'text' })
  caseA!: string;

  @Column({ name: 'agency_a', type: 'text' })
  agencyA!: string;

  @Column({ name: 'case_b', type: 'text' })
  caseB!: string;

  @Column({ name: 'agency_b', type: 'text' })
  agencyB!: string;

  /** The message whose keys made the match. */
  @Column({ name: 'message_id', type: 'uuid' })
  messageId!: string;

  @Column({ name: 'found_at', type: 'timestamptz' })
  foundAt!: Date;

  /** pending, released or declined: side a's owner on releasing its details to side b. */
  @Column({ name: 'decision_a', type: 'text', default: 'pending' })
  decisionA!: string;

  @Column({ name: 'decided_a_at', type: 'timestamptz', nullable: true })
  decidedAAt!: Date | null;

  @Column({ name: 'decision_b', type: 'text', default: 'pending' })
  decisionB!: string;

  @Column({ name: 'decided_b_at', type: 'timestamptz', nullable: true })
  decidedBAt!: Date | null;

  /** When the matcher published MatchFound for it; null until then (published again after a failure). */
  @Column({ name: 'announced_at', type: 'timestamptz', nullable: true })
  announcedAt!: Date | null;

  /** For candidates only: suggested, confirmed or dismissed. */
  @Column({ name: 'candidate_state', type: 'text', nullable: true })
  candidateState!: string | null;
}

/**
 * Every owner's review of a match (release, decline, confirm, dismiss) the matcher received, applied or not,
 * with the match's state after it. The review id makes redelivery harmless; the stored state is what the
 * matcher announces again when its first announcement failed.
 */
@Entity({ name: 'match_reviews' })
@Index('ix_match_reviews_match', ['matchId', 'reviewedAt'])
export class MatchReviewEntity {
  @PrimaryColumn({ name: 'review_id', type: 'uuid' })
  reviewId!: string;

  @Column({ name: 'match_id', type: 'uuid' })
  matchId!: string;

  @Column({ type: 'text' })
  agency!: string;

  /** release, decline, confirm or dismiss. */
  @Column({ type: 'text' })
  action!: string;

  @Column({ name: 'reviewed_by_key_id', type: 'uuid' })
  reviewedByKeyId!: string;

  @Column({ name: 'reviewed_at', type: 'timestamptz' })
  reviewedAt!: Date;

  /** Null when applied; otherwise why not (the side was already decided, say). */
  @Column({ type: 'text', nullable: true })
  refused!: string | null;

  @Column({ name: 'decision_a', type: 'text' })
  decisionA!: string;

  @Column({ name: 'decision_b', type: 'text' })
  decisionB!: string;

  @Column({ name: 'candidate_state', type: 'text', nullable: true })
  candidateState!: string | null;

  @Column({ name: 'applied_at', type: 'timestamptz' })
  appliedAt!: Date;

  /** When the matcher published MatchUpdated for it; null until then, and for refused reviews. */
  @Column({ name: 'announced_at', type: 'timestamptz', nullable: true })
  announcedAt!: Date | null;
}
