import type { Classification, Evaluation, HandlingCode, MessageType, Priority, UkHandlingCode } from '@liaison/domain';
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { CaseEntity } from './case.entity';

/** A routed message as the router stored it. Its content is sealed (see `content`); never logged. */
@Entity({ name: 'messages' })
@Index('ix_messages_outbox', ['senderAgency', 'submittedAt', 'id'])
export class MessageEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Index('ix_messages_case')
  @Column({ name: 'case_reference', type: 'text' })
  caseReference!: string;

  @ManyToOne(() => CaseEntity, { nullable: false })
  @JoinColumn({ name: 'case_reference', foreignKeyConstraintName: 'fk_messages_case' })
  case?: CaseEntity;

  @Column({ name: 'sender_agency', type: 'text' })
  senderAgency!: string;

  @Column({ type: 'text', default: 'information' })
  type!: MessageType;

  @Column({ type: 'text', default: 'normal' })
  priority!: Priority;

  @Column({ type: 'text', default: 'basic-protection' })
  classification!: Classification;

  @Column({ name: 'handling_code', type: 'text', default: 'H0' })
  handlingCode!: HandlingCode;

  @Column({ name: 'uk_handling', type: 'text', nullable: true })
  ukHandling!: UkHandlingCode | null;

  /** The provider's evaluation (4x4 or 3x5x2), exactly as given. */
  @Column({ type: 'jsonb', nullable: true })
  evaluation!: Evaluation | null;

  /** For a reply: the request or cross-check it answers. */
  @Column({ name: 'in_reply_to', type: 'uuid', nullable: true })
  inReplyTo!: string | null;

  /**
   * What the message says (subject, body, entities, links, the H3 restriction, the attachments' names): a
   * MessageContent sealed under the case's data key, exactly as it came in MessageSubmitted.sealed_content.
   * Unreadable without the master key; unreadable by anyone once the case is erased.
   */
  @Column({ type: 'bytea' })
  content!: Buffer;

  @Column({ name: 'submitted_at', type: 'timestamptz' })
  submittedAt!: Date;

  @Column({ name: 'routed_at', type: 'timestamptz' })
  routedAt!: Date;

  @Column({ name: 'submitted_by_key_id', type: 'uuid' })
  submittedByKeyId!: string;

  @Column({ name: 'correlation_id', type: 'text' })
  correlationId!: string;

  /** The joint investigation team the message was addressed to; its members may read it. */
  @Index('ix_messages_jit', { where: 'jit_id IS NOT NULL' })
  @Column({ name: 'jit_id', type: 'uuid', nullable: true })
  jitId!: string | null;
}
