import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A user's acknowledgement of an H3 message's restriction, recorded before its content is shown to them.
 * Kept per API key: each user acknowledges for themselves. Owned by the gateway.
 */
@Entity({ name: 'handling_acknowledgements' })
export class HandlingAcknowledgementEntity {
  @PrimaryColumn({ name: 'message_id', type: 'uuid' })
  messageId!: string;

  @PrimaryColumn({ name: 'key_id', type: 'uuid' })
  keyId!: string;

  @Column({ name: 'agency_code', type: 'text' })
  agencyCode!: string;

  @Column({ name: 'acknowledged_at', type: 'timestamptz' })
  acknowledgedAt!: Date;
}
