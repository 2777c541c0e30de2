import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { CaseEntity } from './case.entity';

/** Agencies taking part in a case: its owner and every sender or recipient of a message in it. */
@Entity({ name: 'case_participants' })
export class CaseParticipantEntity {
  @PrimaryColumn({ name: 'case_reference', type: 'text' })
  caseReference!: string;

  @PrimaryColumn({ name: 'agency_code', type: 'text' })
  agencyCode!: string;

  @ManyToOne(() => CaseEntity, { nullable: false })
  @JoinColumn({ name: 'case_reference', foreignKeyConstraintName: 'fk_case_participants_case' })
  case?: CaseEntity;

  @Column({ name: 'joined_at', type: 'timestamptz' })
  joinedAt!: Date;
}
