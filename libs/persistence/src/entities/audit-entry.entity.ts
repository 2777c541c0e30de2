import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One entry of the append-only audit log: who (agency, and the person, API key or system part) did what (action) to which object, when.
 * Never content. Each entry is sealed to its predecessor by `hash`, an HMAC under a key the database does not
 * hold (see libs/domain/src/audit.ts); a trigger refuses UPDATE and DELETE, and checkpoints of the chain's head
 * kept outside PostgreSQL reveal entries removed from its end. Appended only by the tracker, in the order of the audit topic.
 */
@Entity({ name: 'audit_log' })
@Index('ix_audit_log_agency', ['agency', 'seq'])
@Index('ix_audit_log_object', ['objectId', 'seq'])
@Index('ix_audit_log_principal', ['principalId', 'seq'])
export class AuditEntryEntity {
  @PrimaryColumn({ type: 'bigint' })
  seq!: string;

  /** The audit event's id: an event delivered twice is appended once. */
  @Index('uq_audit_log_event', { unique: true })
  @Column({ name: 'event_id', type: 'uuid' })
  eventId!: string;

  @Column({ type: 'timestamptz' })
  at!: Date;

  @Column({ type: 'text' })
  action!: string;

  @Column({ type: 'text' })
  agency!: string;

  /** The API key's id when an API key acted; empty otherwise. */
  @Column({ name: 'key_id', type: 'text' })
  keyId!: string;

  /** `person`, `api-key` or `system`; empty in entries from before principals were recorded. */
  @Column({ name: 'principal_type', type: 'text', default: '' })
  principalType!: string;

  /** The person's, key's or system part's id; never a name. */
  @Column({ name: 'principal_id', type: 'text', default: '' })
  principalId!: string;

  @Column({ name: 'object_type', type: 'text' })
  objectType!: string;

  @Column({ name: 'object_id', type: 'text' })
  objectId!: string;

  @Column({ type: 'text' })
  detail!: string;

  @Column({ name: 'prev_hash', type: 'char', length: 64 })
  prevHash!: string;

  @Column({ type: 'char', length: 64 })
  hash!: string;

  /** How `hash` was made: `hmac-sha256` (with the seal key) or `sha256` (entries from before the key). */
  @Column({ type: 'text', default: 'sha256' })
  seal!: string;
}
