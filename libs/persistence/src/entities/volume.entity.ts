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

/**
 * Tracker aggregates: routed messages seen from every country they touch, per UTC day, our agency, direction
 * (outbound, inbound, domestic), partner country, message type and crime area (empty when the case has none).
 * The four counts add up without counting a message twice per agency, per partner country and per country
 * (see `exchangeFacts`). Reports sum these rows and never read messages.
 */
@Entity({ name: 'report_exchanges_daily' })
export class ExchangeDailyEntity {
  @PrimaryColumn({ type: 'date' })
  day!: string;

  @PrimaryColumn({ type: 'text' })
  agency!: string;

  @PrimaryColumn({ type: 'text' })
  direction!: string;

  @PrimaryColumn({ name: 'partner_country', type: 'text' })
  partnerCountry!: string;

  @PrimaryColumn({ name: 'message_type', type: 'text' })
  messageType!: string;

  @PrimaryColumn({ name: 'crime_area', type: 'text' })
  crimeArea!: string;

  @Column({ type: 'bigint' })
  messages!: string;

  @Column({ name: 'agency_messages', type: 'bigint' })
  agencyMessages!: string;

  @Column({ name: 'partner_messages', type: 'bigint' })
  partnerMessages!: string;

  @Column({ name: 'country_messages', type: 'bigint' })
  countryMessages!: string;
}
