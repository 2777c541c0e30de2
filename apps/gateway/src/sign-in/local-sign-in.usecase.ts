import {
  accountEmail,
  afterFailedSignIn,
  generateRecoveryCodes,
  hashRecoveryCode,
  hashSecretToken,
  isLocked,
  isRecoveryCodeShaped,
  passwordProblem,
} from '@liaison/domain';
import type { PersonEntity } from '@liaison/persistence';
import { Injectable } from '@nestjs/common';
import { ApplicationError, ErrorCode } from '../application/application-error';
import { AuditTrail, type AuditedAction } from '../audit/audit-trail';
import type { Caller } from '../auth/caller';
import { PasswordHasher } from '../people/password-hasher';
import { PersonRepository } from '../people/person.repository';
import { SecretBox } from '../people/secret-box';
import { TotpAuthenticator, type TotpEnrolment } from '../people/totp-authenticator';
import { SessionStore, type Session } from '../sessions/session.store';

/** What a failed step says, whatever failed: nothing tells whether the account exists, is locked or disabled. */
const NOT_SIGNED_IN = 'the e-mail address, password or code is not right, or the account cannot sign in now';

export type PasswordStep =
  { next: 'second-factor'; pendingToken: string } | { next: 'enrol'; pendingToken: string; enrolment: TotpEnrolment };

export interface SignedIn {
  sessionId: string;
  session: Session;
  /** Shown once, at enrolment. */
  recoveryCodes?: string[];
}

/** The audit's view of a person: their id and agency, never their name or address. */
function personCaller(person: PersonEntity): Caller {
  return { type: 'person', id: person.id, agency: person.agencyCode, role: person.role };
}

/**
 * Local accounts, for bootstrap, break-glass and agencies without an identity provider: a password (argon2id),
 * then a TOTP code (enrolled at the first sign-in, with ten recovery codes). Five failures in a row, of either
 * step, lock the account for 15 minutes. Every failure looks the same to the person trying, and takes the same
 * time whether or not the account exists; the audit trail records each with the reason.
 */
@Injectable()
export class LocalSignInUseCase {
  constructor(
    private readonly people: PersonRepository,
    private readonly hasher: PasswordHasher,
    private readonly totp: TotpAuthenticator,
    private readonly box: SecretBox,
    private readonly sessions: SessionStore,
    private readonly audit: AuditTrail,
  ) {}

  /** First step: the address and password. */
  async password(email: string, password: string, correlationId: string, now = new Date()): Promise<PasswordStep> {
    if (email.trim() === '') throw ApplicationError.field('email', 'enter your e-mail address');
    if (password === '') throw ApplicationError.field('password', 'enter your password');
    const person = await this.people.findByEmail(accountEmail(email));
    const usable = person && person.signIn === 'local' && person.status !== 'disabled' ? person : null;
    const credentials = usable ? await this.people.credentials(usable.id) : null;
    const matches = await this.hasher.verify(credentials?.passwordHash ?? null, password);
    if (!person || !usable || !credentials) {
      await this.recordFailure(
        person,
        person ? (person.status === 'disabled' ? 'disabled' : 'not-local') : 'unknown-account',
        correlationId,
      );
      throw this.failed();
    }
    if (isLocked(credentials.failures, now)) {
      await this.recordFailure(person, 'locked', correlationId);
      throw this.failed();
    }
    if (!matches) {
      await this.countFailure(person, credentials.failures, 'wrong-password', correlationId, now);
      throw this.failed();
    }
    if (credentials.passwordHash && this.hasher.needsRehash(credentials.passwordHash))
      await this.people.setPassword(person.id, await this.hasher.hash(password), now);
    if (credentials.totpSecret) {
      const pendingToken = await this.sessions.startPending({
        kind: 'local',
        personId: person.id,
        stage: 'second-factor',
      });
      return { next: 'second-factor', pendingToken };
    }
    const enrolment = await this.totp.enrolment(person.email);
    const pendingToken = await this.sessions.startPending({
      kind: 'local',
      personId: person.id,
      stage: 'enrol',
      sealedSecret: this.box.seal(enrolment.secret, `pending-totp:${person.id}`),
    });
    return { next: 'enrol', pendingToken, enrolment };
  }

  /** Second step: a code from the authenticator app, or one of the recovery codes. */
  async secondFactor(pendingToken: string, code: string, correlationId: string, now = new Date()): Promise<SignedIn> {
    if (code.trim() === '') throw ApplicationError.field('code', 'enter the code from your authenticator app');
    const pending = await this.sessions.pending(pendingToken);
    const person =
      pending?.kind === 'local' && pending.stage === 'second-factor' ? await this.people.find(pending.personId) : null;
    const credentials = person && person.status !== 'disabled' ? await this.people.credentials(person.id) : null;
    if (!person || !credentials?.totpSecret) throw this.failed();
    if (isLocked(credentials.failures, now)) {
      await this.recordFailure(person, 'locked', correlationId);
      throw this.failed();
    }
    const accepted = await this.acceptCode(
      person,
      credentials.totpSecret,
      credentials.totpLastStep,
      code,
      correlationId,
      now,
    );
    if (!accepted) {
      await this.countFailure(person, credentials.failures, 'wrong-code', correlationId, now);
      throw this.failed();
    }
    await this.sessions.endPending(pendingToken);
    return this.start(person, correlationId, now);
  }

  /** At the first sign-in: a code from the newly added authenticator confirms it; the recovery codes are made. */
  async enrol(pendingToken: string, code: string, correlationId: string, now = new Date()): Promise<SignedIn> {
    const found = await this.sessions.pending(pendingToken);
    const pending = found?.kind === 'local' && found.stage === 'enrol' ? found : null;
    const person = pending?.sealedSecret ? await this.people.find(pending.personId) : null;
    if (!person || !pending?.sealedSecret || person.status === 'disabled') throw this.failed();
    const secret = this.box.open(pending.sealedSecret, `pending-totp:${person.id}`);
    const step = await this.totp.acceptedStep(secret, code.trim(), null, now.getTime());
    if (step === null)
      throw ApplicationError.field(
        'code',
        'the code is not right: enter the 6 digits your authenticator app shows now',
      );
    const recoveryCodes = generateRecoveryCodes();
    await this.audit.record(
      personCaller(person),
      { action: 'person.second-factor-enrolled', objectType: 'person', objectId: person.id },
      correlationId,
    );
    await this.people.enrolSecondFactor(
      person.id,
      this.box.seal(secret, `totp:${person.id}`),
      step,
      recoveryCodes.map(hashRecoveryCode),
      now,
    );
    await this.sessions.endPending(pendingToken);
    return { ...(await this.start(person, correlationId, now)), recoveryCodes };
  }

  /** A person signed in confirms it is them again (step-up): the session gets a new id and a fresh second factor. */
  async stepUp(
    caller: Caller & { sessionHash: string },
    code: string,
    correlationId: string,
    now = new Date(),
  ): Promise<SignedIn> {
    const person = await this.people.find(caller.id);
    const credentials = person ? await this.people.credentials(person.id) : null;
    if (!person || !credentials?.totpSecret)
      throw ApplicationError.field('code', 'this account has no authenticator app to confirm with');
    if (isLocked(credentials.failures, now)) throw this.failed();
    if (!(await this.acceptCode(person, credentials.totpSecret, credentials.totpLastStep, code, correlationId, now))) {
      await this.countFailure(person, credentials.failures, 'wrong-code', correlationId, now);
      throw ApplicationError.field('code', 'the code is not right');
    }
    const rotated = await this.sessions.rotate(caller.sessionHash, { secondFactorAt: now.getTime() }, now.getTime());
    if (!rotated) throw new ApplicationError(ErrorCode.Unauthenticated, 'the session has ended; sign in again');
    await this.audit.record(
      personCaller(person),
      { action: 'person.stepped-up', objectType: 'person', objectId: person.id },
      correlationId,
    );
    return { sessionId: rotated.id, session: rotated.session };
  }

  /** Sets the first password through a one-time enrolment link; the second factor is enrolled at first sign-in. */
  async setFirstPassword(
    token: string,
    password: string,
    correlationId: string,
    now = new Date(),
  ): Promise<PersonEntity> {
    const personId = await this.people.enrolmentLinkPerson(hashSecretToken(token), now);
    const person = personId ? await this.people.find(personId) : null;
    if (!person || person.status === 'disabled')
      throw new ApplicationError(
        ErrorCode.NotFound,
        'this enrolment link is not valid: it may have been used or have expired',
      );
    const problem = passwordProblem(password, { email: person.email, name: person.name });
    if (problem) throw ApplicationError.field('password', `the password ${problem}`);
    const hash = await this.hasher.hash(password);
    if ((await this.people.spendEnrolmentLink(hashSecretToken(token), now)) !== person.id)
      throw new ApplicationError(
        ErrorCode.NotFound,
        'this enrolment link is not valid: it may have been used or have expired',
      );
    await this.audit.record(
      personCaller(person),
      { action: 'person.enrolled', objectType: 'person', objectId: person.id },
      correlationId,
    );
    await this.people.setPassword(person.id, hash, now);
    return person;
  }

  /** The authenticator app set-up a sign-in is waiting for, to show again; null when there is none. */
  async pendingEnrolment(pendingToken: string): Promise<TotpEnrolment | null> {
    const found = await this.sessions.pending(pendingToken);
    if (found?.kind !== 'local' || found.stage !== 'enrol' || !found.sealedSecret) return null;
    const person = await this.people.find(found.personId);
    if (!person) return null;
    return this.totp.describe(this.box.open(found.sealedSecret, `pending-totp:${person.id}`), person.email);
  }

  /** The person an enrolment link is for, while it is valid (to greet them); null otherwise. */
  async enrolmentLinkPerson(token: string, now = new Date()): Promise<PersonEntity | null> {
    const personId = await this.people.enrolmentLinkPerson(hashSecretToken(token), now);
    return personId ? this.people.find(personId) : null;
  }

  private async acceptCode(
    person: PersonEntity,
    sealedSecret: string,
    lastStep: number | null,
    code: string,
    correlationId: string,
    now: Date,
  ): Promise<boolean> {
    const typed = code.trim();
    if (isRecoveryCodeShaped(typed)) {
      if (!(await this.people.spendRecoveryCode(person.id, hashRecoveryCode(typed), now))) return false;
      await this.audit.record(
        personCaller(person),
        { action: 'person.recovery-code-used', objectType: 'person', objectId: person.id },
        correlationId,
      );
      return true;
    }
    const secret = this.box.open(sealedSecret, `totp:${person.id}`);
    const step = await this.totp.acceptedStep(secret, typed.replace(/\s/g, ''), lastStep, now.getTime());
    return step !== null && (await this.people.acceptTotpStep(person.id, step));
  }

  private async start(person: PersonEntity, correlationId: string, now: Date): Promise<SignedIn> {
    await this.audit.record(
      personCaller(person),
      { action: 'person.signed-in', objectType: 'person', objectId: person.id, detail: 'local' },
      correlationId,
    );
    await this.people.saveFailures(person.id, { failures: 0, lockedUntil: null });
    await this.people.recordSignIn(person.id, now);
    const { id, session } = await this.sessions.create(
      { id: person.id, agency: person.agencyCode, role: person.role, name: person.name },
      'local',
      now.getTime(),
      {},
      now.getTime(),
    );
    return { sessionId: id, session };
  }

  private async countFailure(
    person: PersonEntity,
    failures: { failures: number; lockedUntil: Date | null },
    reason: string,
    correlationId: string,
    now: Date,
  ): Promise<void> {
    const next = afterFailedSignIn(failures, now);
    await this.people.saveFailures(person.id, next);
    await this.recordFailure(person, reason, correlationId);
    if (next.lockedNow)
      await this.audit.record(
        personCaller(person),
        { action: 'person.locked-out', objectType: 'person', objectId: person.id },
        correlationId,
      );
  }

  private recordFailure(person: PersonEntity | null, reason: string, correlationId: string): Promise<void> {
    const action: AuditedAction = {
      action: 'person.sign-in-failed',
      objectType: 'person',
      objectId: person?.id ?? '',
      detail: reason,
    };
    const who: Caller = person ? personCaller(person) : { type: 'person', id: '', agency: '', role: 'officer' };
    return this.audit.record(who, action, correlationId);
  }

  private failed(): ApplicationError {
    return new ApplicationError(ErrorCode.SignInFailed, NOT_SIGNED_IN);
  }
}
