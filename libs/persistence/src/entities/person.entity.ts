import type { Role } from '@liaison/domain';
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { AgencyEntity } from './agency.entity';

/** invited: not yet signed in; active; disabled: may not sign in, and every session of theirs has ended. */
export type PersonStatus = 'invited' | 'active' | 'disabled';
/** How a person signs in: through their agency's identity provider, or with a local password and TOTP. */
export type SignInMethod = 'identity-provider' | 'local';

/**
 * A person who signs in to Liaison: one agency, one role there. Their name and e-mail are kept here only; audit
 * entries name them by id. Invited by an admin of their agency (or, for a deployment's first admin, by
 * provisioning).
 */
@Entity({ name: 'people' })
@Index('ix_people_agency', ['agencyCode', 'email'])
export class PersonEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @ManyToOne(() => AgencyEntity, { nullable: false })
  @JoinColumn({ name: 'agency_code', foreignKeyConstraintName: 'fk_people_agency' })
  agency?: AgencyEntity;

  @Column({ name: 'agency_code', type: 'text' })
  agencyCode!: string;

  /** Trimmed and lower-cased; one person per address in the whole deployment. */
  @Index('uq_people_email', { unique: true })
  @Column({ type: 'text' })
  email!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  role!: Role;

  @Column({ type: 'text', default: 'invited' })
  status!: PersonStatus;

  @Column({ name: 'sign_in', type: 'text' })
  signIn!: SignInMethod;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  /** The principal that invited them: type and id (a person, an API key, or `system` for provisioning). */
  @Column({ name: 'created_by_type', type: 'text' })
  createdByType!: string;

  @Column({ name: 'created_by', type: 'text' })
  createdBy!: string;

  @Column({ name: 'last_sign_in_at', type: 'timestamptz', nullable: true })
  lastSignInAt!: Date | null;

  @Column({ name: 'disabled_at', type: 'timestamptz', nullable: true })
  disabledAt!: Date | null;
}

/**
 * A local account's secrets: the password's argon2id hash and the TOTP secret, encrypted (AES-256-GCM) under a
 * key the database does not hold. No admin view ever reads this table.
 */
@Entity({ name: 'person_credentials' })
export class PersonCredentialEntity {
  @PrimaryColumn({ name: 'person_id', type: 'uuid' })
  personId!: string;

  @ManyToOne(() => PersonEntity, { nullable: false, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'person_id', foreignKeyConstraintName: 'fk_person_credentials_person' })
  person?: PersonEntity;

  @Column({ name: 'password_hash', type: 'text', nullable: true })
  passwordHash!: string | null;

  @Column({ name: 'totp_secret', type: 'text', nullable: true })
  totpSecret!: string | null;

  @Column({ name: 'totp_enrolled_at', type: 'timestamptz', nullable: true })
  totpEnrolledAt!: Date | null;

  /** The newest TOTP time step accepted: a code of that step or an earlier one is refused (no replay). */
  @Column({ name: 'totp_last_step', type: 'bigint', nullable: true })
  totpLastStep!: string | null;

  /** Failed sign-ins in a row (password or code); reset by a successful sign-in. */
  @Column({ name: 'failed_sign_ins', type: 'int', default: 0 })
  failedSignIns!: number;

  @Column({ name: 'locked_until', type: 'timestamptz', nullable: true })
  lockedUntil!: Date | null;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

/** A single-use recovery code, kept as a digest; `used_at` set when it is spent. */
@Entity({ name: 'person_recovery_codes' })
export class PersonRecoveryCodeEntity {
  @PrimaryColumn({ name: 'person_id', type: 'uuid' })
  personId!: string;

  @PrimaryColumn({ name: 'code_hash', type: 'char', length: 64 })
  codeHash!: string;

  @ManyToOne(() => PersonEntity, { nullable: false, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'person_id', foreignKeyConstraintName: 'fk_person_recovery_codes_person' })
  person?: PersonEntity;

  @Column({ name: 'used_at', type: 'timestamptz', nullable: true })
  usedAt!: Date | null;
}

/** An identity at an OpenID provider, `(issuer, subject)`, bound to an invited person at their first sign-in. */
@Entity({ name: 'person_identities' })
export class PersonIdentityEntity {
  @PrimaryColumn({ type: 'text' })
  issuer!: string;

  @PrimaryColumn({ type: 'text' })
  subject!: string;

  @Index('ix_person_identities_person')
  @Column({ name: 'person_id', type: 'uuid' })
  personId!: string;

  @ManyToOne(() => PersonEntity, { nullable: false, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'person_id', foreignKeyConstraintName: 'fk_person_identities_person' })
  person?: PersonEntity;

  @Column({ name: 'linked_at', type: 'timestamptz' })
  linkedAt!: Date;
}

/**
 * A one-time enrolment link (a local account's first password, or the deployment's first admin): only the
 * token's SHA-256 is kept; it expires, and is spent by use.
 */
@Entity({ name: 'enrolment_tokens' })
export class EnrolmentTokenEntity {
  @PrimaryColumn({ name: 'token_hash', type: 'char', length: 64 })
  tokenHash!: string;

  @Index('ix_enrolment_tokens_person')
  @Column({ name: 'person_id', type: 'uuid' })
  personId!: string;

  @ManyToOne(() => PersonEntity, { nullable: false, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'person_id', foreignKeyConstraintName: 'fk_enrolment_tokens_person' })
  person?: PersonEntity;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ name: 'used_at', type: 'timestamptz', nullable: true })
  usedAt!: Date | null;
}

/** An agency's own OpenID provider, set by its admin: whom its people sign in through. */
@Entity({ name: 'identity_providers' })
export class IdentityProviderEntity {
  @PrimaryColumn({ name: 'agency_code', type: 'text' })
  agencyCode!: string;

  @ManyToOne(() => AgencyEntity, { nullable: false })
  @JoinColumn({ name: 'agency_code', foreignKeyConstraintName: 'fk_identity_providers_agency' })
  agency?: AgencyEntity;

  /** The issuer URL, exactly as the provider's discovery document names it. */
  @Column({ type: 'text' })
  issuer!: string;

  @Column({ name: 'client_id', type: 'text' })
  clientId!: string;

  /** The client secret, encrypted like TOTP secrets; never shown again once set. */
  @Column({ name: 'client_secret', type: 'text' })
  clientSecret!: string;

  /** Domains whose addresses sign in through this provider (the sign-in page finds it from the address). */
  @Column({ name: 'email_domains', type: 'text', array: true })
  emailDomains!: string[];

  /** `acr` values that mean a second factor was given, for providers that do not say it in `amr`. */
  @Column({ name: 'second_factor_acr', type: 'text', array: true, default: () => "'{}'" })
  secondFactorAcr!: string[];

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
