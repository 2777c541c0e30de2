import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { PersonEntity } from './person.entity';

/**
 * What a person has written in the console and not yet sent: kept on the server (never in the browser's
 * storage), so it survives a session that timed out. Only its author sees it; sending it removes it.
 */
@Entity({ name: 'drafts' })
@Index('ix_drafts_person', ['personId', 'updatedAt'])
@Index('ix_drafts_case', ['caseReference'], { where: 'case_reference IS NOT NULL' })
export class DraftEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @ManyToOne(() => PersonEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'person_id', foreignKeyConstraintName: 'fk_drafts_person' })
  person?: PersonEntity;

  @Column({ name: 'person_id', type: 'uuid' })
  personId!: string;

  @Column({ name: 'agency_code', type: 'text' })
  agencyCode!: string;

  /** The case it is written in, so that the case's erasure finds it; null for a message opening a new case. */
  @Column({ name: 'case_reference', type: 'text', nullable: true })
  caseReference!: string | null;

  @Column({ name: 'master_key_id', type: 'text' })
  masterKeyId!: string;

  /** The draft's own data key, wrapped under the master key. */
  @Column({ name: 'wrapped_key', type: 'bytea' })
  wrappedKey!: Buffer;

  /** The compose form's fields as the person left them (JSON), sealed under the draft's key. */
  @Column({ type: 'bytea' })
  sealed!: Buffer;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
