import { SERVICE_CONFIG } from '@liaison/runtime';
import { Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { ErrorCode } from '../application/application-error';
import { AuditTrail } from '../audit/audit-trail';
import type { PersonCaller } from '../auth/caller';
import type { GatewayConfig } from '../gateway.config';
import { ApiProblem } from '../http/problem';
import { isOwnRequest } from './csrf';
import { SessionCookies } from './session-cookie';
import { SessionStore } from './session.store';

/** A state-changing request without its session's CSRF token, or from another origin. */
export class CsrfProblem extends ApiProblem {
  constructor() {
    super(ErrorCode.Forbidden, 'this form has expired or did not come from Liaison; reload the page and try again');
  }
}

/** Requests that change nothing; any other method must carry the CSRF token and come from the console's origin. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Resolves a session cookie to the person signed in: one Redis round trip that also records the activity
 * (idle timer). A session found ended is ended for good and its expiry audited once, by whichever replica or
 * sweep finds it first. Background polls send `X-Liaison-Background: 1` so that they do not keep a session
 * alive that its person has left.
 */
@Injectable()
export class SessionAuthenticator {
  readonly cookies: SessionCookies;
  private configuredOrigin: string;

  constructor(
    private readonly store: SessionStore,
    private readonly audit: AuditTrail,
    @Inject(SERVICE_CONFIG) config: GatewayConfig,
  ) {
    this.cookies = new SessionCookies(config);
    this.configuredOrigin = config.PUBLIC_ORIGIN;
  }

  /** The origin state-changing requests must come from: PUBLIC_ORIGIN, or else where the gateway listens. */
  get origin(): string {
    return this.configuredOrigin;
  }

  /** Called once listening, so that a gateway without PUBLIC_ORIGIN knows its own address (port 0 in tests). */
  listeningAt(url: string): void {
    if (this.configuredOrigin === '') this.configuredOrigin = new URL(url).origin;
  }

  async authenticate(request: FastifyRequest): Promise<PersonCaller> {
    const id = this.cookies.read(request, this.cookies.session);
    if (!id) throw new ApiProblem(ErrorCode.Unauthenticated, 'sign in first: this page needs a session');
    const touch = request.headers['x-liaison-background'] !== '1';
    const found = await this.store.find(id, { touch });
    if (found.state === 'ended') {
      if (await this.store.claimExpired(found.hash, found.session.personId))
        await this.auditExpiry(found.session, found.reason, request.id);
      throw new ApiProblem(ErrorCode.Unauthenticated, 'your session has ended; sign in again');
    }
    if (found.state === 'unknown')
      throw new ApiProblem(ErrorCode.Unauthenticated, 'your session has ended; sign in again');
    const { session, hash } = found;
    if (!SAFE_METHODS.has(request.method) && !isOwnRequest(request, session.csrfToken, this.origin))
      throw new CsrfProblem();
    return {
      type: 'person',
      id: session.personId,
      agency: session.agency,
      role: session.role,
      secondFactorAt: session.secondFactorAt,
      sessionHash: hash,
      session,
    };
  }

  auditExpiry(
    session: { personId: string; agency: string; role: PersonCaller['role'] },
    reason: string,
    correlationId: string,
  ): Promise<void> {
    return this.audit.record(
      { type: 'person', id: session.personId, agency: session.agency, role: session.role },
      { action: 'person.session-expired', objectType: 'person', objectId: session.personId, detail: reason },
      correlationId,
    );
  }
}
