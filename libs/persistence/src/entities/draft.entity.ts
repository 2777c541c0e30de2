import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { PersonEntity } from './person.entity';

/**
 * What a person has written in the console and not yet sent: kept on the server (never in the browser's
 * storage), so it survives a session that timed out. Only its author sees it; sending it removes it.
 */
@Entity({ name: 'drafts' })
@Index('ix_drafts_person', ['personId', 'updatedAt'])
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

  /** The compose form's fields as the person left them. */
  @Column({ type: 'jsonb' })
  content!: Record<string, unknown>;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
