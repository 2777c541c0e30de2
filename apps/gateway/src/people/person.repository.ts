import type { Role, SignInFailures } from '@liaison/domain';
import {
  EnrolmentTokenEntity,
  PersonCredentialEntity,
  PersonEntity,
  PersonIdentityEntity,
  PersonRecoveryCodeEntity,
  type PersonStatus,
  queryReturning,
} from '@liaison/persistence';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

/** A local account's secrets, as sign-in needs them. */
export interface LocalCredentials {
  passwordHash: string | null;
  /** The TOTP secret, still sealed (SecretBox); null until a second factor is enrolled. */
  totpSecret: string | null;
  totpLastStep: number | null;
  failures: SignInFailures;
}

/** People, their local credentials, identities at identity providers and enrolment links. */
@Injectable()
export class PersonRepository {
  constructor(private readonly dataSource: DataSource) {}

  private get people() {
    return this.dataSource.getRepository(PersonEntity);
  }

  /** Inserts a person (with an enrolment link's digest, when given) in one transaction; false when the address is taken. */
  async insert(person: PersonEntity, enrolment?: { tokenHash: string; expiresAt: Date }): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const inserted: unknown[] = await manager.query(
        `INSERT INTO people (id, agency_code, email, name, role, status, sign_in, created_at, created_by_type, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (email) DO NOTHING RETURNING id`,
        [
          person.id,
          person.agencyCode,
          person.email,
          person.name,
          person.role,
          person.status,
          person.signIn,
          person.createdAt,
          person.createdByType,
          person.createdBy,
        ],
      );
      if (inserted.length === 0) return false;
      if (enrolment) await this.addEnrolment(manager, person.id, enrolment, person.createdAt);
      return true;
    });
  }

  async addEnrolmentLink(
    personId: string,
    enrolment: { tokenHash: string; expiresAt: Date },
    now: Date,
  ): Promise<void> {
    await this.addEnrolment(this.dataSource.manager, personId, enrolment, now);
  }

  private async addEnrolment(
    manager: EntityManager,
    personId: string,
    enrolment: { tokenHash: string; expiresAt: Date },
    now: Date,
  ): Promise<void> {
    // A new link replaces any earlier one not yet used.
    await manager.query('DELETE FROM enrolment_tokens WHERE person_id = $1 AND used_at IS NULL', [personId]);
    await manager.insert(EnrolmentTokenEntity, {
      tokenHash: enrolment.tokenHash,
      personId,
      createdAt: now,
      expiresAt: enrolment.expiresAt,
      usedAt: null,
    });
  }

  find(id: string): Promise<PersonEntity | null> {
    return this.people.findOneBy({ id });
  }

  findByEmail(email: string): Promise<PersonEntity | null> {
    return this.people.findOneBy({ email });
  }

  /** An agency's people, newest first, before a (created at, id) position. */
  async list(agency: string, limit: number, before: { at: Date; id: string } | null): Promise<PersonEntity[]> {
    const query = this.people
      .createQueryBuilder('p')
      .where('p.agency_code = :agency', { agency })
      .orderBy('p.created_at', 'DESC')
      .addOrderBy('p.id', 'DESC')
      .limit(limit);
    if (before) query.andWhere('(p.created_at, p.id) < (:at, :id)', before);
    return query.getMany();
  }

  async changeRole(id: string, role: Role): Promise<void> {
    await this.people.update({ id }, { role });
  }

  async setStatus(id: string, status: PersonStatus, at: Date): Promise<void> {
    await this.people.update({ id }, { status, disabledAt: status === 'disabled' ? at : null });
  }

  async recordSignIn(id: string, at: Date): Promise<void> {
    await this.people.update({ id }, { lastSignInAt: at, status: 'active' });
  }

  async credentials(personId: string): Promise<LocalCredentials | null> {
    const row = await this.dataSource.getRepository(PersonCredentialEntity).findOneBy({ personId });
    if (!row) return null;
    return {
      passwordHash: row.passwordHash,
      totpSecret: row.totpEnrolledAt ? row.totpSecret : null,
      totpLastStep: row.totpLastStep === null ? null : Number(row.totpLastStep),
      failures: { failures: row.failedSignIns, lockedUntil: row.lockedUntil },
    };
  }

  async setPassword(personId: string, passwordHash: string, at: Date): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO person_credentials (person_id, password_hash, updated_at) VALUES ($1, $2, $3)
       ON CONFLICT (person_id) DO UPDATE SET password_hash = $2, updated_at = $3`,
      [personId, passwordHash, at],
    );
  }

  /**
   * Records a second factor enrolled: the sealed secret, the step of the code that confirmed it, and the recovery
   * codes' digests, replacing any earlier ones.
   */
  async enrolSecondFactor(
    personId: string,
    sealedSecret: string,
    step: number,
    codeHashes: string[],
    at: Date,
  ): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.query(
        `UPDATE person_credentials SET totp_secret = $2, totp_enrolled_at = $3, totp_last_step = $4, updated_at = $3
          WHERE person_id = $1`,
        [personId, sealedSecret, at, step],
      );
      await manager.delete(PersonRecoveryCodeEntity, { personId });
      await manager.insert(
        PersonRecoveryCodeEntity,
        codeHashes.map((codeHash) => ({ personId, codeHash, usedAt: null })),
      );
    });
  }

  /** Forgets the second factor and its recovery codes: the person enrols again at their next sign-in. */
  async resetSecondFactor(personId: string, at: Date): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.query(
        `UPDATE person_credentials SET totp_secret = NULL, totp_enrolled_at = NULL, totp_last_step = NULL, updated_at = $2
          WHERE person_id = $1`,
        [personId, at],
      );
      await manager.delete(PersonRecoveryCodeEntity, { personId });
    });
  }

  /** Accepts a TOTP step only when it is later than the last one accepted (atomic: a code works once, even raced). */
  async acceptTotpStep(personId: string, step: number): Promise<boolean> {
    const rows = await queryReturning(
      this.dataSource,
      `UPDATE person_credentials SET totp_last_step = $2
        WHERE person_id = $1 AND (totp_last_step IS NULL OR totp_last_step < $2) RETURNING person_id`,
      [personId, step],
    );
    return rows.length === 1;
  }

  /** Spends a recovery code; false when it is not one of the person's or was used already. */
  async spendRecoveryCode(personId: string, codeHash: string, at: Date): Promise<boolean> {
    const rows = await queryReturning(
      this.dataSource,
      `UPDATE person_recovery_codes SET used_at = $3 WHERE person_id = $1 AND code_hash = $2 AND used_at IS NULL
       RETURNING person_id`,
      [personId, codeHash, at],
    );
    return rows.length === 1;
  }

  async saveFailures(personId: string, failures: SignInFailures): Promise<void> {
    await this.dataSource.query(
      'UPDATE person_credentials SET failed_sign_ins = $2, locked_until = $3 WHERE person_id = $1',
      [personId, failures.failures, failures.lockedUntil],
    );
  }

  /** Spends an enrolment link: the person it was for, or null when it is unknown, used or expired. */
  async spendEnrolmentLink(tokenHash: string, now: Date): Promise<string | null> {
    const rows = await queryReturning<{ person_id: string }>(
      this.dataSource,
      `UPDATE enrolment_tokens SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2
       RETURNING person_id`,
      [tokenHash, now],
    );
    return rows[0]?.person_id ?? null;
  }

  /** The person an unspent, unexpired enrolment link is for (without spending it). */
  async enrolmentLinkPerson(tokenHash: string, now: Date): Promise<string | null> {
    const rows: { person_id: string }[] = await this.dataSource.query(
      'SELECT person_id FROM enrolment_tokens WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2',
      [tokenHash, now],
    );
    return rows[0]?.person_id ?? null;
  }

  async identityPerson(issuer: string, subject: string): Promise<string | null> {
    const row = await this.dataSource.getRepository(PersonIdentityEntity).findOneBy({ issuer, subject });
    return row?.personId ?? null;
  }

  /** Binds `(issuer, subject)` to a person; false when that identity is bound to someone else already. */
  async linkIdentity(issuer: string, subject: string, personId: string, at: Date): Promise<boolean> {
    await this.dataSource.query(
      `INSERT INTO person_identities (issuer, subject, person_id, linked_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (issuer, subject) DO NOTHING`,
      [issuer, subject, personId, at],
    );
    return (await this.identityPerson(issuer, subject)) === personId;
  }
}
