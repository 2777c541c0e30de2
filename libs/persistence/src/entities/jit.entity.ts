import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';

/** A joint investigation team, set up by an agreement for a fixed period. Owned by the router. */
@Entity({ name: 'jits' })
export class JitEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  /** Name of the team. May name an operation: never logged. */
  @Column({ type: 'text' })
  name!: string;

  /** The agency that created the team; it manages membership and extensions. */
  @Column({ name: 'lead_agency', type: 'text' })
  leadAgency!: string;

  @Column({ name: 'starts_on', type: 'date' })
  startsOn!: string;

  /** Last day of the agreement; extensions move it later. Messages are refused after it. */
  @Column({ name: 'ends_on', type: 'date' })
  endsOn!: string;

  @Column({ type: 'boolean' })
  eurojust!: boolean;

  @Column({ type: 'boolean' })
  europol!: boolean;

  @Column({ name: 'funding_reference', type: 'text', nullable: true })
  fundingReference!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

/** An agency's membership of a JIT, kept after it leaves (left_at) so history stays true. */
@Entity({ name: 'jit_members' })
@Index('ix_jit_members_agency', ['agencyCode'])
export class JitMemberEntity {
  @PrimaryColumn({ name: 'jit_id', type: 'uuid' })
  jitId!: string;

  @PrimaryColumn({ name: 'agency_code', type: 'text' })
  agencyCode!: string;

  @ManyToOne(() => JitEntity, { nullable: false })
  @JoinColumn({ name: 'jit_id', foreignKeyConstraintName: 'fk_jit_members_jit' })
  jit?: JitEntity;

  /** The party (country) the agency acts for. */
  @Column({ name: 'party_country', type: 'text' })
  partyCountry!: string;

  @Column({ name: 'joined_at', type: 'timestamptz' })
  joinedAt!: Date;

  @Column({ name: 'left_at', type: 'timestamptz', nullable: true })
  leftAt!: Date | null;
}

/** An operational meeting of a JIT. */
@Entity({ name: 'jit_meetings' })
@Index('ix_jit_meetings_jit', ['jitId', 'heldOn'])
export class JitMeetingEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'jit_id', type: 'uuid' })
  jitId!: string;

  @ManyToOne(() => JitEntity, { nullable: false })
  @JoinColumn({ name: 'jit_id', foreignKeyConstraintName: 'fk_jit_meetings_jit' })
  jit?: JitEntity;

  @Column({ name: 'held_on', type: 'date' })
  heldOn!: string;

  @Column({ type: 'text' })
  place!: string;

  @Column({ type: 'text', array: true })
  participants!: string[];

  @Column({ name: 'funded_by', type: 'text' })
  fundedBy!: string;

  @Column({ name: 'recorded_by_agency', type: 'text' })
  recordedByAgency!: string;

  @Column({ name: 'recorded_at', type: 'timestamptz' })
  recordedAt!: Date;
}
