import type { DeliveryState } from '@liaison/domain';
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { MessageEntity } from './message.entity';

/** One per recipient agency of a routed message: what puts the message in that agency's inbox. */
@Entity({ name: 'deliveries' })
@Index('ix_deliveries_inbox', ['recipientAgency', 'deliveredAt', 'messageId'])
// The console's counts: what an agency has not opened, and what it has yet to answer.
@Index('ix_deliveries_unopened', ['recipientAgency'], { where: "state = 'delivered'" })
@Index('ix_deliveries_unanswered', ['recipientAgency', 'answerDeadline'], {
  where: 'answered_at IS NULL AND answer_deadline IS NOT NULL',
})
export class DeliveryEntity {
  @PrimaryColumn({ name: 'message_id', type: 'uuid' })
  messageId!: string;

  @PrimaryColumn({ name: 'recipient_agency', type: 'text' })
  recipientAgency!: string;

  @ManyToOne(() => MessageEntity, { nullable: false })
  @JoinColumn({ name: 'message_id', foreignKeyConstraintName: 'fk_deliveries_message' })
  message?: MessageEntity;

  @Column({ type: 'text' })
  state!: DeliveryState;

  @Column({ name: 'delivered_at', type: 'timestamptz' })
  deliveredAt!: Date;

  /** When a user of the recipient agency first opened the message. */
  @Column({ name: 'read_at', type: 'timestamptz', nullable: true })
  readAt!: Date | null;

  /** When the recipient agency replied to it (requests and cross-checks). */
  @Column({ name: 'answered_at', type: 'timestamptz', nullable: true })
  answeredAt!: Date | null;

  /** When this recipient's answer is due; null for messages that expect no answer. */
  @Column({ name: 'answer_deadline', type: 'timestamptz', nullable: true })
  answerDeadline!: Date | null;

  /** For a delivery made by a forward: the recipient agency that passed the message on. */
  @Column({ name: 'forwarded_by', type: 'text', nullable: true })
  forwardedBy!: string | null;
}
