import { Column, Entity, Index, PrimaryColumn, Unique } from 'typeorm';

/**
 * An in-app notification to an agency: a new match, a match decision, a message received, a request nearing
 * or past its deadline. Its payload holds only what the agency may read through the API (never a message's
 * subject or body, never the other side's details of a match it has not been given). Owned by the notifier.
 */
@Entity({ name: 'notifications' })
@Unique('uq_notifications_source', ['agency', 'event', 'sourceId'])
@Index('ix_notifications_agency', ['agency', 'createdAt', 'id'])
@Index('ix_notifications_unread', ['agency', 'createdAt'], { where: 'read_at IS NULL' })
export class NotificationEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'text' })
  agency!: string;

  /** match.found, match.updated, message.received, deadline.approaching or deadline.overdue. */
  @Column({ type: 'text' })
  event!: string;

  /** What it is about (a match, review or message id): one notification per agency, event and source. */
  @Column({ name: 'source_id', type: 'text' })
  sourceId!: string;

  @Column({ type: 'jsonb' })
  payload!: Record<string, unknown>;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'read_at', type: 'timestamptz', nullable: true })
  readAt!: Date | null;
}

/** A force system's endpoint that receives an agency's notifications as signed webhooks; registered by an admin. */
@Entity({ name: 'webhook_endpoints' })
@Index('ix_webhook_endpoints_agency', ['agency'], { where: 'removed_at IS NULL' })
export class WebhookEndpointEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'text' })
  agency!: string;

  @Column({ type: 'text' })
  url!: string;

  /** The shared HMAC secret; never returned by the API or logged. */
  @Column({ type: 'text' })
  secret!: string;

  /** The notification events it receives. */
  @Column({ type: 'text', array: true })
  events!: string[];

  @Column({ name: 'created_by_key_id', type: 'uuid' })
  createdByKeyId!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'removed_at', type: 'timestamptz', nullable: true })
  removedAt!: Date | null;
}

/**
 * One notification's delivery to one endpoint. Its id is the `Liaison-Delivery-Id` a receiver deduplicates
 * on; it stays the same across retries and re-sends.
 */
@Entity({ name: 'webhook_deliveries' })
@Unique('uq_webhook_deliveries_notification', ['endpointId', 'notificationId'])
@Index('ix_webhook_deliveries_state', ['state', 'createdAt'])
export class WebhookDeliveryEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'endpoint_id', type: 'uuid' })
  endpointId!: string;

  @Column({ name: 'notification_id', type: 'uuid' })
  notificationId!: string;

  @Column({ type: 'text' })
  agency!: string;

  @Column({ type: 'text' })
  event!: string;

  /** pending (queued or retrying), delivered, or failed (retries exhausted; an admin may re-send). */
  @Column({ type: 'text' })
  state!: string;

  /** Attempts since it was created or last re-sent. */
  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  /** How many times an admin re-sent it. */
  @Column({ type: 'integer', default: 0 })
  resends!: number;

  @Column({ name: 'last_status', type: 'integer', nullable: true })
  lastStatus!: number | null;

  /** Why the last attempt failed (HTTP status or network error); never the body. */
  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'last_attempt_at', type: 'timestamptz', nullable: true })
  lastAttemptAt!: Date | null;

  @Column({ name: 'delivered_at', type: 'timestamptz', nullable: true })
  deliveredAt!: Date | null;

  @Column({ name: 'failed_at', type: 'timestamptz', nullable: true })
  failedAt!: Date | null;
}
