import type { CaseStatus, CrimeArea } from '@liaison/domain';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A case (thread): every message belongs to one. Owned by the router. */
@Entity({ name: 'cases' })
export class CaseEntity {
  @PrimaryColumn({ type: 'text' })
  reference!: string;

  /**
   * The agency that opened the case. Agency codes on the exchange tables carry no foreign key: the router
   * checks every code against the register before writing, and agencies are never deleted (see
   * docs/architecture.md, "PostgreSQL").
   */
  @Column({ name: 'owner_agency', type: 'text' })
  ownerAgency!: string;

  @Column({ name: 'opened_at', type: 'timestamptz' })
  openedAt!: Date;

  /** The message that opened the case; null for a case opened on its own (POST /v1/cases). */
  @Column({ name: 'opened_by_message', type: 'uuid', nullable: true })
  openedByMessage!: string | null;

  /**
   * Title and operation name given when the case was opened on its own: a CaseDetails sealed under the case's
   * data key, as it came in CaseOpened.sealed_details; null for a case opened by a message.
   */
  @Column({ type: 'bytea', nullable: true })
  details!: Buffer | null;

  @Column({ name: 'crime_area', type: 'text', nullable: true })
  crimeArea!: CrimeArea | null;

  @Column({ type: 'text', default: 'open' })
  status!: CaseStatus;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt!: Date | null;

  /** The joint investigation team the case is linked to. */
  @Index('ix_cases_jit')
  @Column({ name: 'jit_id', type: 'uuid', nullable: true })
  jitId!: string | null;
}
