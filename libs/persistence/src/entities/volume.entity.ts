import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Tracker aggregates: messages per UTC day and country pair. A message to several agencies of one country
 * counts once for that pair. Reports sum these rows and never read messages.
 */
@Entity({ name: 'volume_daily' })
export class VolumeDailyEntity {
  @PrimaryColumn({ type: 'date' })
  day!: string;

  @PrimaryColumn({ name: 'sender_country', type: 'text' })
  senderCountry!: string;

  @PrimaryColumn({ name: 'recipient_country', type: 'text' })
  recipientCountry!: string;

  @Column({ type: 'bigint' })
  messages!: string;
}

/** Tracker aggregates: messages sent per UTC day and sender country, each message counted once. */
@Entity({ name: 'volume_sent_daily' })
export class VolumeSentDailyEntity {
  @PrimaryColumn({ type: 'date' })
  day!: string;

  @PrimaryColumn({ name: 'sender_country', type: 'text' })
  senderCountry!: string;

  @Column({ type: 'bigint' })
  messages!: string;
}
