import { accountEmail, generateSecretToken, hashSecretToken, type Role } from '@liaison/domain';
import { AgencyRepository, type PersonEntity, type SignInMethod } from '@liaison/persistence';
import { SERVICE_CONFIG } from '@liaison/runtime';
import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { ApplicationError, ErrorCode } from '../application/application-error';
import { AuditTrail } from '../audit/audit-trail';
import type { Caller } from '../auth/caller';
import type { GatewayConfig } from '../gateway.config';
import { SessionStore } from '../sessions/session.store';
import { IdentityProviderRepository } from './identity-provider.repository';
import { PersonRepository } from './person.repository';
import { administeredAgency } from './agency-scope';
import { requireFreshSecondFactor } from './step-up';

export interface Invitation {
  email: string;
  name: string;
  role: Role;
  /** Local password and TOTP instead of the agency's identity provider (bootstrap, break-glass). */
  signIn?: SignInMethod;
}

export interface InvitedPerson {
  person: PersonEntity;
  /** For a local account: the one-time enrolment link's token, shown once. */
  enrolmentToken: string | null;
  enrolmentExpiresAt: Date | null;
}

/**
 * An agency's admin manages its people: invites them, changes their role, disables and enables them, resets
 * their second factor and ends their sessions. Every change is audited and, for a person acting, needs a fresh
 * second factor. An admin sees names, addresses and roles, never a password or a TOTP secret. A change of role
 * or a disabling ends the person's sessions at once, so no session keeps privileges it should no longer have.
 */
@Injectable()
export class PeopleUseCase {
  constructor(
    private readonly people: PersonRepository,
    private readonly agencies: AgencyRepository,
    private readonly providers: IdentityProviderRepository,
    private readonly sessions: SessionStore,
    private readonly audit: AuditTrail,
    @Inject(SERVICE_CONFIG) private readonly config: GatewayConfig,
  ) {}

  /**
   * Invites a person to the admin's agency; an admin API key or the system (the operator) may name another
   * agency, to invite its first admin.
   */
  async invite(
    invitation: Invitation,
    admin: Caller,
    correlationId: string,
    requestedAgency?: string,
  ): Promise<InvitedPerson> {
    requireFreshSecondFactor(admin);
    const agency = await administeredAgency(admin, requestedAgency, this.agencies);
    const hasProvider = (await this.providers.find(agency)) !== null;
    const signIn: SignInMethod = invitation.signIn ?? (hasProvider ? 'identity-provider' : 'local');
    if (signIn === 'identity-provider' && !hasProvider)
      throw ApplicationError.field('signIn', `agency ${agency} has no identity provider; invite with signIn "local"`);
    const now = new Date();
    const person: PersonEntity = {
      id: randomUUID(),
      agencyCode: agency,
      email: accountEmail(invitation.email),
      name: invitation.name.trim(),
      role: invitation.role,
      status: 'invited',
      signIn,
      createdAt: now,
      createdByType: admin.type,
      createdBy: admin.id,
      lastSignInAt: null,
      disabledAt: null,
    };
    // Checked before the audit entry, so a refused invitation records nothing; the insert still refuses the
    // address if another invitation takes it meanwhile.
    if (await this.people.findByEmail(person.email)) throw this.addressTaken();
    const token = signIn === 'local' ? generateSecretToken() : null;
    const expiresAt = token ? new Date(now.getTime() + this.config.ENROLMENT_LINK_HOURS * 3_600_000) : null;
    await this.audit.record(
      admin,
      { action: 'person.invited', objectType: 'person', objectId: person.id, detail: `${person.role} ${signIn}` },
      correlationId,
    );
    const inserted = await this.people.insert(
      person,
      token && expiresAt ? { tokenHash: hashSecretToken(token), expiresAt } : undefined,
    );
    if (!inserted) throw this.addressTaken();
    return { person, enrolmentToken: token, enrolmentExpiresAt: expiresAt };
  }

  /** A new enrolment link for a local account not yet enrolled (the first one lost or expired). */
  async reissueEnrolmentLink(id: string, admin: Caller, correlationId: string): Promise<InvitedPerson> {
    requireFreshSecondFactor(admin);
    const person = await this.ofAgency(id, admin);
    if (person.signIn !== 'local' || person.status !== 'invited')
      throw ApplicationError.field('id', 'only a local account that has not signed in yet gets an enrolment link');
    const token = generateSecretToken();
    const now = new Date();
    const expiresAt = new Date(now.getTime() + this.config.ENROLMENT_LINK_HOURS * 3_600_000);
    await this.audit.record(
      admin,
      { action: 'person.invited', objectType: 'person', objectId: id, detail: 'new link' },
      correlationId,
    );
    await this.people.addEnrolmentLink(id, { tokenHash: hashSecretToken(token), expiresAt }, now);
    return { person, enrolmentToken: token, enrolmentExpiresAt: expiresAt };
  }

  async changeRole(id: string, role: Role, admin: Caller, correlationId: string): Promise<PersonEntity> {
    requireFreshSecondFactor(admin);
    const person = await this.ofAgency(id, admin);
    if (person.role === role) return person;
    await this.audit.record(
      admin,
      { action: 'person.role-changed', objectType: 'person', objectId: id, detail: `${person.role} -> ${role}` },
      correlationId,
    );
    await this.people.changeRole(id, role);
    await this.sessions.endAll(id);
    return { ...person, role };
  }

  async disable(id: string, admin: Caller, correlationId: string): Promise<PersonEntity> {
    requireFreshSecondFactor(admin);
    const person = await this.ofAgency(id, admin);
    if (admin.type === 'person' && admin.id === id) throw ApplicationError.field('id', 'you cannot disable yourself');
    await this.audit.record(admin, { action: 'person.disabled', objectType: 'person', objectId: id }, correlationId);
    const at = new Date();
    await this.people.setStatus(id, 'disabled', at);
    await this.sessions.endAll(id);
    return { ...person, status: 'disabled', disabledAt: at };
  }

  async enable(id: string, admin: Caller, correlationId: string): Promise<PersonEntity> {
    requireFreshSecondFactor(admin);
    const person = await this.ofAgency(id, admin);
    if (person.status !== 'disabled') return person;
    await this.audit.record(admin, { action: 'person.enabled', objectType: 'person', objectId: id }, correlationId);
    const status = person.lastSignInAt ? 'active' : 'invited';
    await this.people.setStatus(id, status, new Date());
    return { ...person, status, disabledAt: null };
  }

  /** Forgets a local account's second factor (a lost phone): the person enrols again at their next sign-in. */
  async resetSecondFactor(id: string, admin: Caller, correlationId: string): Promise<void> {
    requireFreshSecondFactor(admin);
    const person = await this.ofAgency(id, admin);
    if (person.signIn !== 'local')
      throw ApplicationError.field('id', "this person's second factor is kept by their identity provider");
    await this.audit.record(
      admin,
      { action: 'person.second-factor-reset', objectType: 'person', objectId: id },
      correlationId,
    );
    await this.people.resetSecondFactor(id, new Date());
    await this.sessions.endAll(id);
  }

  async revokeSessions(id: string, admin: Caller, correlationId: string): Promise<number> {
    requireFreshSecondFactor(admin);
    await this.ofAgency(id, admin);
    await this.audit.record(
      admin,
      { action: 'person.sessions-revoked', objectType: 'person', objectId: id },
      correlationId,
    );
    return this.sessions.endAll(id);
  }

  list(admin: Caller, limit: number, before: { at: Date; id: string } | null): Promise<PersonEntity[]> {
    return this.people.list(admin.agency, limit, before);
  }

  private addressTaken(): ApplicationError {
    return new ApplicationError(
      ErrorCode.PersonExists,
      'email: a person with this e-mail address is already registered',
      [{ field: 'email', message: 'a person with this e-mail address is already registered' }],
    );
  }

  /** A person of the admin's own agency; anyone else is "not found", as if they did not exist. */
  async ofAgency(id: string, admin: Caller): Promise<PersonEntity> {
    const person = await this.people.find(id);
    if (!person || person.agencyCode !== admin.agency)
      throw new ApplicationError(ErrorCode.NotFound, `no person ${id}`);
    return person;
  }
}
