import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A POST made with an `Idempotency-Key` header: claimed before the request is processed, completed with the
 * response it got, so a retry with the same key gets the same answer and creates nothing new. Owned by the
 * gateway; keys are scoped to the caller's agency.
 */
@Entity({ name: 'idempotency_keys' })
export class IdempotencyKeyEntity {
  @PrimaryColumn({ name: 'agency_code', type: 'text' })
  agencyCode!: string;

  @PrimaryColumn({ type: 'text' })
  key!: string;

  /** SHA-256 of method, path and body: the same key with another request is refused. */
  @Column({ name: 'request_hash', type: 'text' })
  requestHash!: string;

  @Column({ name: 'claimed_at', type: 'timestamptz' })
  claimedAt!: Date;

  @Column({ name: 'status_code', type: 'int', nullable: true })
  statusCode!: number | null;

  @Column({ type: 'jsonb', nullable: true })
  response!: unknown;

  @Column({ type: 'text', nullable: true })
  location!: string | null;

  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true })
  completedAt!: Date | null;

  /** Ids and times an unacknowledged attempt made up, for its retry to make the same message. */
  @Column({ type: 'jsonb', nullable: true })
  reserved!: Record<string, string> | null;
}
