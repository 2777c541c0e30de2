import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Events a consumer has applied. Written in the same transaction as the consumer's own changes, so a
 * redelivered event is recognised and changes nothing.
 */
@Entity({ name: 'processed_events' })
export class ProcessedEventEntity {
  @PrimaryColumn({ type: 'text' })
  consumer!: string;

  @PrimaryColumn({ name: 'event_id', type: 'uuid' })
  eventId!: string;

  @Column({ name: 'processed_at', type: 'timestamptz', default: () => 'now()' })
  processedAt!: Date;
}
