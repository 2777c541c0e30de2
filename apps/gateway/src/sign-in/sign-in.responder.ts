import { Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApplicationError } from '../application/application-error';
import { ApiProblem } from '../http/problem';
import { RateLimitedProblem } from '../http/rate-limits';
import { SessionAuthenticator } from '../sessions/session-authenticator';
import { SessionStore, type Session } from '../sessions/session.store';
import type { SignedIn } from './local-sign-in.usecase';
import type { OidcSignInRefused } from './oidc-sign-in.usecase';
import { refusalPage, stopPage, type PageError } from './sign-in.pages';

/** What a signed-in page (or the console's script) needs to know of its session. */
export function sessionView(session: Session, limits: { idleMs: number; absoluteMs: number }) {
  return {
    person: session.personId,
    agency: session.agency,
    role: session.role,
    via: session.via,
    csrfToken: session.csrfToken,
    secondFactorAt: session.secondFactorAt ? new Date(session.secondFactorAt).toISOString() : null,
    idleEndsAt: new Date(
      Math.min(session.lastSeenAt + limits.idleMs, session.createdAt + limits.absoluteMs),
    ).toISOString(),
    endsAt: new Date(session.createdAt + limits.absoluteMs).toISOString(),
  };
}

/**
 * How the sign-in routes answer: JSON to a script, pages to a browser (a form post, or a GET that accepts HTML);
 * the cookies of a sign-in under way and of the session begun.
 */
@Injectable()
export class SignInResponder {
  constructor(
    readonly sessions: SessionAuthenticator,
    readonly store: SessionStore,
  ) {}

  /** Whether the request is a browser's: a form it posted, or a page it asked for. */
  wantsPage(request: FastifyRequest): boolean {
    const type = request.headers['content-type'] ?? '';
    if (request.method !== 'GET') return type.startsWith('application/x-www-form-urlencoded');
    return (request.headers.accept ?? '').includes('text/html');
  }

  pendingToken(request: FastifyRequest): string {
    return this.sessions.cookies.read(request, this.sessions.cookies.pending) ?? '';
  }

  startPending(reply: FastifyReply, token: string): void {
    this.sessions.cookies.write(reply, this.sessions.cookies.pending, token, 600);
  }

  /** Sets the session cookie of a sign-in just finished (a new id every time) and forgets the one under way. */
  started(reply: FastifyReply, signedIn: Pick<SignedIn, 'sessionId' | 'session'>) {
    const cookies = this.sessions.cookies;
    cookies.clear(reply, cookies.pending);
    cookies.write(reply, cookies.session, signedIn.sessionId);
    return sessionView(signedIn.session, this.store.limits);
  }

  html(reply: FastifyReply, body: string, status = 200): string {
    void reply.code(status).type('text/html; charset=utf-8');
    return body;
  }

  refused(reply: FastifyReply, refusal: OidcSignInRefused): string {
    const status = refusal.reason === 'no-provider' ? 404 : refusal.reason === 'provider-error' ? 502 : 403;
    return this.html(reply, refusalPage(refusal.reason), status);
  }

  /**
   * For a browser: the page again with the errors of a refused step, or a page that says why it cannot go on.
   * Anything else is thrown on, and the problem filter answers it.
   */
  pageOfError(reply: FastifyReply, error: unknown, again: (errors: PageError[]) => string, field: string): string {
    if (error instanceof ApplicationError || error instanceof ApiProblem) {
      const status = error instanceof ApiProblem ? error.getStatus() : ApiProblem.of(error).getStatus();
      if (error instanceof RateLimitedProblem) void reply.header('Retry-After', String(error.retryAfterSeconds));
      if (status === 404 || status === 429)
        return this.html(reply, stopPage('You cannot go on from here', error.detail), status);
      const errors = error.errors.length > 0 ? error.errors : [{ field, message: error.detail }];
      return this.html(reply, again(errors.map((e) => ({ field: e.field, message: sentence(e.message) }))), status);
    }
    throw error;
  }
}

function sentence(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
