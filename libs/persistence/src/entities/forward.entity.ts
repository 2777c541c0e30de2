import type { ForwardState } from '@liaison/domain';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A recipient passing a message on to another agency. Delivered at once, or, for an H2 message, held as a
 * permission request (`pending`) until a supervisor of the provider grants or denies it. Owned by the router.
 */
@Entity({ name: 'forwards' })
@Index('ix_forwards_provider', ['providerAgency', 'state', 'requestedAt'])
@Index('ix_forwards_message', ['messageId'])
export class ForwardEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'message_id', type: 'uuid' })
  messageId!: string;

  /** The sender of the message: the agency whose permission an H2 forward needs. */
  @Column({ name: 'provider_agency', type: 'text' })
  providerAgency!: string;

  @Column({ name: 'from_agency', type: 'text' })
  fromAgency!: string;

  @Column({ name: 'to_agency', type: 'text' })
  toAgency!: string;

  @Column({ type: 'text' })
  state!: ForwardState;

  @Column({ name: 'requested_by_key_id', type: 'uuid' })
  requestedByKeyId!: string;

  @Column({ name: 'requested_at', type: 'timestamptz' })
  requestedAt!: Date;

  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true })
  decidedAt!: Date | null;

  @Column({ name: 'decided_by_key_id', type: 'uuid', nullable: true })
  decidedByKeyId!: string | null;
}
