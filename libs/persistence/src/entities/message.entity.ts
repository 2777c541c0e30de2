import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { CaseEntity } from './case.entity';

/** A routed message as the router stored it. Subject and body are personal data: never logged. */
@Entity({ name: 'messages' })
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
}
