import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A submitted message the router refused. Only the facts the sender needs to see why are kept, never the
 * content. The case reference is kept as given: it may name a case that does not exist.
 */
@Entity({ name: 'message_rejections' })
export class MessageRejectionEntity {
  @PrimaryColumn({ name: 'message_id', type: 'uuid' })
  messageId!: string;

  @Column({ name: 'case_reference', type: 'text' })
  caseReference!: string;

  @Column({ name: 'sender_agency', type: 'text' })
  senderAgency!: string;

  /** A RejectionReason name from the contract, e.g. CASE_NOT_ACCESSIBLE. */
  @Column({ type: 'text' })
  reason!: string;

  @Column({ type: 'text' })
  detail!: string;

  @Column({ name: 'submitted_at', type: 'timestamptz' })
  submittedAt!: Date;

  @Column({ name: 'rejected_at', type: 'timestamptz' })
  rejectedAt!: Date;
}
