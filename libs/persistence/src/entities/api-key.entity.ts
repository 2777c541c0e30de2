import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import type { Role } from '@liaison/domain';
import { AgencyEntity } from './agency.entity';

/** An API key: only its SHA-256 digest is kept, never the key itself. */
@Entity({ name: 'api_keys' })
export class ApiKeyEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Index('uq_api_keys_key_hash', { unique: true })
  @Column({ name: 'key_hash', type: 'text' })
  keyHash!: string;

  /** The first characters of the key, to tell keys apart in listings. */
  @Column({ type: 'text' })
  hint!: string;

  @ManyToOne(() => AgencyEntity, { nullable: false })
  @JoinColumn({ name: 'agency_code', foreignKeyConstraintName: 'fk_api_keys_agency' })
  agency?: AgencyEntity;

  @Column({ name: 'agency_code', type: 'text' })
  agencyCode!: string;

  @Column({ type: 'text' })
  role!: Role;

  @Column({ type: 'text' })
  label!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  /** The principal that created this key (a person, an admin key); null for the bootstrapped admin key. */
  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy!: string | null;

  /** `person` or `api-key`: what `created_by` names; null for the bootstrapped admin key. */
  @Column({ name: 'created_by_type', type: 'text', nullable: true })
  createdByType!: string | null;

  /** When the key was last used, to the minute (written at most once a minute per key and gateway). */
  @Column({ name: 'last_used_at', type: 'timestamptz', nullable: true })
  lastUsedAt!: Date | null;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;
}
