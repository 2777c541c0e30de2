import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { AgencyEntity } from './agency.entity';

/** A case (thread): every message belongs to one. Owned by the router. */
@Entity({ name: 'cases' })
export class CaseEntity {
  @PrimaryColumn({ type: 'text' })
  reference!: string;

  @ManyToOne(() => AgencyEntity, { nullable: false })
  @JoinColumn({ name: 'owner_agency', foreignKeyConstraintName: 'fk_cases_owner_agency' })
  owner?: AgencyEntity;

  /** The agency that opened the case. */
  @Column({ name: 'owner_agency', type: 'text' })
  ownerAgency!: string;

  @Column({ name: 'opened_at', type: 'timestamptz' })
  openedAt!: Date;

  /** The message that opened the case. */
  @Column({ name: 'opened_by_message', type: 'uuid' })
  openedByMessage!: string;
}
