import { Column, Entity, PrimaryColumn } from 'typeorm';

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

  /** The message that opened the case. */
  @Column({ name: 'opened_by_message', type: 'uuid' })
  openedByMessage!: string;
}
