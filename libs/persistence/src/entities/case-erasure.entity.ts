import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A case's erasure, from the request on: the fact kept (which case, who, when, on which ground), never what the
 * case said. Written by the gateway in the transaction that destroys the case's key; the gateway publishes
 * CaseErased from it (again, until it has been published) and reads each part's progress from
 * `case_erasure_parts`.
 */
@Entity({ name: 'case_erasures' })
// The erasures still under way, for the gateway's sweep.
@Index('ix_case_erasures_pending', ['requestedAt'], { where: 'completed_at IS NULL' })
export class CaseErasureEntity {
  @PrimaryColumn({ name: 'case_reference', type: 'text', primaryKeyConstraintName: 'PK_case_erasures' })
  caseReference!: string;

  @Column({ name: 'owner_agency', type: 'text' })
  ownerAgency!: string;

  /** The agencies that took part in the case when it was erased (owner included). */
  @Column({ type: 'text', array: true })
  participants!: string[];

  /** The SHA-256 of every file attached to the case's messages that was stored in clear, before files were sealed. */
  @Column({ name: 'attachment_sha256', type: 'text', array: true })
  attachmentSha256!: string[];

  /** The sealed files attached to the case's messages. */
  @Column({ name: 'attachment_files', type: 'uuid', array: true, default: '{}' })
  attachmentFiles!: string[];

  /** no-longer-needed, unlawfully-processed, data-subject-request or ordered. */
  @Column({ type: 'text' })
  ground!: string;

  /** `person` or `api-key`, and its id. */
  @Column({ name: 'requested_by_type', type: 'text' })
  requestedByType!: string;

  @Column({ name: 'requested_by_id', type: 'text' })
  requestedById!: string;

  @Column({ name: 'requested_at', type: 'timestamptz' })
  requestedAt!: Date;

  /** When CaseErased was acknowledged by the broker; null until then. */
  @Column({ name: 'published_at', type: 'timestamptz', nullable: true })
  publishedAt!: Date | null;

  /** When every part had erased its copies; null until then. */
  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true })
  completedAt!: Date | null;
}

/** One part of an erasure done: a service has deleted its copies of the case (gateway, router, matcher, notifier). */
@Entity({ name: 'case_erasure_parts' })
export class CaseErasurePartEntity {
  @PrimaryColumn({ name: 'case_reference', type: 'text', primaryKeyConstraintName: 'PK_case_erasure_parts' })
  caseReference!: string;

  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'PK_case_erasure_parts' })
  part!: string;

  @Column({ name: 'done_at', type: 'timestamptz' })
  doneAt!: Date;
}

/**
 * A legal hold on a case: while it stands, the case cannot be erased (by a review or on request). Placed and
 * released by a supervisor of the owning agency, both audited; releasing deletes the row.
 */
@Entity({ name: 'case_holds' })
export class CaseHoldEntity {
  @PrimaryColumn({ name: 'case_reference', type: 'text', primaryKeyConstraintName: 'PK_case_holds' })
  caseReference!: string;

  /** Why the case is held (an order, proceedings), as the supervisor wrote it. Shown to the owner only. */
  @Column({ type: 'text' })
  reason!: string;

  @Column({ name: 'placed_by_type', type: 'text' })
  placedByType!: string;

  @Column({ name: 'placed_by_id', type: 'text' })
  placedById!: string;

  @Column({ name: 'placed_at', type: 'timestamptz' })
  placedAt!: Date;
}
