import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Each case's own data key, wrapped under a master key that only configuration holds (see CaseKeys in
 * @liaison/protection). Written by the gateway when it opens a case (or by the router for a case first seen in a
 * record from before sealing). Erasing the case destroys the key and keeps the row: what was sealed under the
 * key stays unreadable everywhere, and a late record of the case is known to belong to an erased one.
 */
@Entity({ name: 'case_keys' })
export class CaseKeyEntity {
  @PrimaryColumn({ name: 'case_reference', type: 'text', primaryKeyConstraintName: 'PK_case_keys' })
  caseReference!: string;

  /** Which master key wrapped it; null once erased. */
  @Column({ name: 'master_key_id', type: 'text', nullable: true })
  masterKeyId!: string | null;

  /** The data key sealed (AES-256-GCM) under that master key; null once erased. */
  @Column({ type: 'bytea', nullable: true })
  wrapped!: Buffer | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'erased_at', type: 'timestamptz', nullable: true })
  erasedAt!: Date | null;
}

/**
 * Keys that belong to no case (SystemKeys in @liaison/protection): `match-index`, the HMAC key of the blind match
 * index, and `match-exclusions`, which seals the values admins excluded. Wrapped like the case keys; made once by
 * whichever service needs one first and never changed, only rewrapped.
 */
@Entity({ name: 'system_keys' })
export class SystemKeyEntity {
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'PK_system_keys' })
  name!: string;

  @Column({ name: 'master_key_id', type: 'text' })
  masterKeyId!: string;

  @Column({ type: 'bytea' })
  wrapped!: Buffer;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
