import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A case the gateway has accepted for an agency (a message that opens it, or an explicit opening) and handed to
 * the broker: until the router has stored the case, this is how the same agency may write into it at once and
 * see it (read your own writes). Owned by the gateway.
 */
@Entity({ name: 'accepted_cases' })
export class AcceptedCaseEntity {
  @PrimaryColumn({ type: 'text' })
  reference!: string;

  @Column({ name: 'agency_code', type: 'text' })
  agencyCode!: string;

  @Column({ name: 'accepted_at', type: 'timestamptz' })
  acceptedAt!: Date;
}
