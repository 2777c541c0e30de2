import type { Classification, Evaluation, HandlingCode, MessageType, Priority, UkHandlingCode } from '@liaison/domain';
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { CaseEntity } from './case.entity';

/** A routed message as the router stored it. Subject and body are personal data: never logged. */
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

  /** The H3 restriction in the provider's words. */
  @Column({ name: 'handling_restriction', type: 'text', nullable: true })
  handlingRestriction!: string | null;

  @Column({ name: 'uk_handling', type: 'text', nullable: true })
  ukHandling!: UkHandlingCode | null;

  /** The provider's evaluation (4x4 or 3x5x2), exactly as given. */
  @Column({ type: 'jsonb', nullable: true })
  evaluation!: Evaluation | null;

  /** For a reply: the request or cross-check it answers. */
  @Column({ name: 'in_reply_to', type: 'uuid', nullable: true })
  inReplyTo!: string | null;

  /** Structured entities, `{ref, type, ...fields}` each: personal data, never logged. */
  @Column({ type: 'jsonb', nullable: true })
  entities!: Record<string, unknown>[] | null;

  @Column({ name: 'entity_links', type: 'jsonb', nullable: true })
  entityLinks!: { from: string; to: string; relation: string }[] | null;

  @Column({ type: 'text' })
  subject!: string;

  @Column({ type: 'text' })
  body!: string;

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
