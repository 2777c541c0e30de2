import { Column, Entity, Index, PrimaryColumn, Unique } from 'typeorm';

/**
 * A record a consumer could not apply and wrote to its topic's dead-letter twin, as the router's dead-letter
 * recorder found it there. Administrators list them (codes only, never content) and re-drive one: its record
 * is published again to the topic it came from, where every consumer group takes it once more (each
 * deduplicates on the event id). The record itself is kept for that, and never shown.
 */
@Entity({ name: 'dead_letters' })
@Unique('uq_dead_letters_position', ['dlqTopic', 'dlqPartition', 'dlqOffset'])
@Index('ix_dead_letters_listing', ['deadLetteredAt', 'id'])
@Index('ix_dead_letters_message', ['messageId'], { where: 'message_id IS NOT NULL' })
export class DeadLetterEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  /** Where the recorder read it: the dead-letter topic (without the namespace), partition and offset. */
  @Column({ name: 'dlq_topic', type: 'text' })
  dlqTopic!: string;

  @Column({ name: 'dlq_partition', type: 'int' })
  dlqPartition!: number;

  @Column({ name: 'dlq_offset', type: 'bigint' })
  dlqOffset!: string;

  /** The topic it failed on (without the namespace), and where it was there. */
  @Column({ name: 'source_topic', type: 'text' })
  sourceTopic!: string;

  @Column({ name: 'source_partition', type: 'int' })
  sourcePartition!: number;

  @Column({ name: 'source_offset', type: 'bigint' })
  sourceOffset!: string;

  /** The consumer group that could not apply it. */
  @Column({ name: 'consumer_group', type: 'text' })
  consumerGroup!: string;

  /** permanent, transient (retried to its bound) or undecodable. */
  @Column({ type: 'text' })
  failure!: string;

  /** The failure's class and code, e.g. `SQLSTATE 22021 (data exception)`; never its message. */
  @Column({ type: 'text' })
  error!: string;

  @Column({ name: 'event_id', type: 'text' })
  eventId!: string;

  @Column({ name: 'event_type', type: 'text' })
  eventType!: string;

  @Column({ name: 'correlation_id', type: 'text' })
  correlationId!: string;

  /** For a submitted message: its id and sender, whose sender sees it as rejected (UNPROCESSABLE). */
  @Column({ name: 'message_id', type: 'uuid', nullable: true })
  messageId!: string | null;

  @Column({ name: 'sender_agency', type: 'text', nullable: true })
  senderAgency!: string | null;

  @Column({ name: 'dead_lettered_at', type: 'timestamptz' })
  deadLetteredAt!: Date;

  @Column({ name: 'record_key', type: 'bytea', nullable: true })
  recordKey!: Buffer | null;

  @Column({ name: 'record_value', type: 'bytea', nullable: true })
  recordValue!: Buffer | null;

  /** The record's own headers (the dead-letter ones left out), as they were. */
  @Column({ name: 'record_headers', type: 'jsonb' })
  recordHeaders!: Record<string, string>;

  @Column({ name: 'redriven_at', type: 'timestamptz', nullable: true })
  redrivenAt!: Date | null;

  @Column({ name: 'redriven_by_key_id', type: 'text', nullable: true })
  redrivenByKeyId!: string | null;

  @Column({ name: 'redrive_count', type: 'int', default: 0 })
  redriveCount!: number;
}
