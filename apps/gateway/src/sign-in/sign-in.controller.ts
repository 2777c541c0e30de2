import { Body, Controller, Get, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApplicationError, ErrorCode } from '../application/application-error';
import { AuditTrail } from '../audit/audit-trail';
import { CurrentCaller, Public, ROLES_ALL, Roles, SessionOnly, type PersonCaller } from '../auth/caller';
import { CorrelationId } from '../http/correlation-id.decorator';
import { RateLimits } from '../http/rate-limits';
import { SessionAuthenticator } from '../sessions/session-authenticator';
import { SessionStore, type Session } from '../sessions/session.store';
import { LocalSignInUseCase, type SignedIn } from './local-sign-in.usecase';
import { OidcSignInAgain, OidcSignInRefused, OidcSignInUseCase } from './oidc-sign-in.usecase';
import { page, refusalPage, signedInPage, signedOutPage } from './sign-in.pages';
import { CodeDto, FirstPasswordDto, PasswordSignInDto } from './sign-in.dto';

/** What a signed-in page needs to know of its session. */
function sessionView(session: Session, limits: { idleMs: number; absoluteMs: number }) {
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
 * Signing in and out as a person. The steps of a local sign-in (password, then a code, or at the first sign-in
 * the enrolment of an authenticator app) are carried between requests by a short-lived HttpOnly cookie; a
 * finished sign-in sets the session cookie, under a new id every time. These routes take no API key, and the
 * signed-in ones take only the session (and, to change anything, its CSRF token from the console's origin).
 * Not part of the `/v1` API: the console (and a browser) is their client.
 */
@ApiExcludeController()
@Controller('auth')
export class SignInController {
  constructor(
    private readonly local: LocalSignInUseCase,
    private readonly oidc: OidcSignInUseCase,
    private readonly limits: RateLimits,
    private readonly sessions: SessionAuthenticator,
    private readonly store: SessionStore,
    private readonly audit: AuditTrail,
  ) {}

  @Post('sign-in')
  @Public()
  @HttpCode(200)
  async password(
    @Body() body: PasswordSignInDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @CorrelationId() correlationId: string,
  ) {
    await this.limits.signInAttempt(request.ip, body.email.trim().toLowerCase());
    const step = await this.local.password(body.email, body.password, correlationId);
    this.sessions.cookies.write(reply, this.sessions.cookies.pending, step.pendingToken, 600);
    return step.next === 'enrol'
      ? {
          next: 'enrol',
          enrolment: { key: step.enrolment.secret, uri: step.enrolment.uri, qrSvg: step.enrolment.qrSvg },
        }
      : { next: 'second-factor' };
  }

  @Post('second-factor')
  @Public()
  @HttpCode(200)
  async secondFactor(
    @Body() body: CodeDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @CorrelationId() correlationId: string,
  ) {
    await this.limits.signInAttempt(request.ip, null);
    const signedIn = await this.local.secondFactor(this.pendingToken(request), body.code, correlationId);
    return this.started(reply, signedIn);
  }

  @Post('enrol-second-factor')
  @Public()
  @HttpCode(200)
  async enrolSecondFactor(
    @Body() body: CodeDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @CorrelationId() correlationId: string,
  ) {
    await this.limits.signInAttempt(request.ip, null);
    const signedIn = await this.local.enrol(this.pendingToken(request), body.code, correlationId);
    return { ...this.started(reply, signedIn), recoveryCodes: signedIn.recoveryCodes ?? [] };
  }

  /** Who an enrolment link is for, while it is valid. */
  @Get('enrol')
  @Public()
  async enrolmentLink(@Query('token') token: unknown) {
    const person = typeof token === 'string' ? await this.local.enrolmentLinkPerson(token) : null;
    if (!person)
      throw new ApplicationError(
        ErrorCode.NotFound,
        'this enrolment link is not valid: it may have been used or have expired',
      );
    return { email: person.email, name: person.name };
  }

  @Post('enrol')
  @Public()
  @HttpCode(204)
  async setFirstPassword(
    @Body() body: FirstPasswordDto,
    @Req() request: FastifyRequest,
    @CorrelationId() correlationId: string,
  ): Promise<void> {
    await this.limits.signInAttempt(request.ip, null);
    await this.local.setFirstPassword(body.token, body.password, correlationId);
  }

  @Get('session')
  @SessionOnly()
  @Roles(...ROLES_ALL)
  async session(@CurrentCaller() caller: PersonCaller) {
    const found = await this.store.byHash(caller.sessionHash);
    if (!found) throw new ApplicationError(ErrorCode.Unauthenticated, 'your session has ended; sign in again');
    return sessionView(found, this.store.limits);
  }

  @Post('step-up')
  @SessionOnly()
  @Roles(...ROLES_ALL)
  @HttpCode(200)
  async stepUp(
    @Body() body: CodeDto,
    @CurrentCaller() caller: PersonCaller,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @CorrelationId() correlationId: string,
  ) {
    await this.limits.signInAttempt(request.ip, null);
    return this.started(reply, await this.local.stepUp(caller, body.code, correlationId));
  }

  /**
   * Ends the session, and for a sign-in through an identity provider its session there too (RP-initiated
   * logout): the browser is sent to the provider, which sends it back to the signed-out page.
   */
  @Post('sign-out')
  @SessionOnly()
  @Roles(...ROLES_ALL)
  async signOut(
    @CurrentCaller() caller: PersonCaller,
    @Res({ passthrough: true }) reply: FastifyReply,
    @CorrelationId() correlationId: string,
  ): Promise<void> {
    const session = await this.store.byHash(caller.sessionHash);
    await this.audit.record(
      caller,
      { action: 'person.signed-out', objectType: 'person', objectId: caller.id },
      correlationId,
    );
    await this.store.end(caller.sessionHash, caller.id);
    this.sessions.cookies.clear(reply, this.sessions.cookies.session);
    const signedOut = `${this.sessions.origin}/auth/signed-out`;
    const atProvider = session ? await this.oidc.endSessionUrl(session, signedOut) : null;
    void reply.redirect(atProvider?.href ?? '/auth/signed-out', 303);
  }

  @Get('signed-out')
  @Public()
  signedOut(@Res({ passthrough: true }) reply: FastifyReply): string {
    void reply.type('text/html; charset=utf-8');
    return signedOutPage();
  }

  @Get('signed-in')
  @SessionOnly()
  @Roles(...ROLES_ALL)
  async signedIn(
    @CurrentCaller() caller: PersonCaller,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    const session = await this.store.byHash(caller.sessionHash);
    void reply.type('text/html; charset=utf-8');
    return signedInPage(caller, session?.csrfToken ?? '');
  }

  /** The sign-in page: an address (or agency) finds the agency's identity provider. */
  @Get('sign-in')
  @Public()
  signInPage(@Res({ passthrough: true }) reply: FastifyReply): string {
    void reply.type('text/html; charset=utf-8');
    return page(
      'Sign in to Liaison',
      `<form method="get" action="/auth/oidc">
<label for="email">Your work e-mail address</label>
<input id="email" name="email" type="email" autocomplete="username" spellcheck="false" required>
<button type="submit">Continue</button>
</form>`,
    );
  }

  /** Starts a sign-in through the identity provider of the agency chosen, or of the address's domain. */
  @Get('oidc')
  @Public()
  async beginOidc(
    @Query('email') email: unknown,
    @Query('agency') agency: unknown,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string | void> {
    await this.limits.signInAttempt(request.ip, null);
    const provider = await this.oidc.providerFor({
      email: typeof email === 'string' ? email : undefined,
      agency: typeof agency === 'string' ? agency : undefined,
    });
    if (!provider) return this.refused(reply, new OidcSignInRefused('no-provider'));
    try {
      const { url, pendingToken } = await this.oidc.begin(provider, this.callbackUri(), {
        purpose: 'sign-in',
        ...(typeof email === 'string' ? { loginHint: email } : {}),
      });
      this.sessions.cookies.write(reply, this.sessions.cookies.pending, pendingToken, 600);
      void reply.redirect(url.href, 303);
    } catch (error) {
      if (error instanceof OidcSignInRefused) return this.refused(reply, error);
      throw error;
    }
  }

  /** A step-up through the identity provider: it is asked to authenticate the person again (max_age=0). */
  @Get('oidc/step-up')
  @SessionOnly()
  @Roles(...ROLES_ALL)
  async stepUpOidc(
    @CurrentCaller() caller: PersonCaller,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string | void> {
    const provider = await this.oidc.providerFor({ agency: caller.agency });
    if (!provider) return this.refused(reply, new OidcSignInRefused('no-provider'));
    try {
      const { url, pendingToken } = await this.oidc.begin(provider, this.callbackUri(), { purpose: 'step-up', caller });
      this.sessions.cookies.write(reply, this.sessions.cookies.pending, pendingToken, 600);
      void reply.redirect(url.href, 303);
    } catch (error) {
      if (error instanceof OidcSignInRefused) return this.refused(reply, error);
      throw error;
    }
  }

  /** Where the identity provider sends the browser back: the answer is checked, and the session begins. */
  @Get('callback')
  @Public()
  async callback(
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @CorrelationId() correlationId: string,
  ): Promise<string | void> {
    await this.limits.signInAttempt(request.ip, null);
    const callbackUrl = new URL(request.url, this.sessions.origin);
    try {
      const done = await this.oidc.complete(this.pendingToken(request), callbackUrl, correlationId);
      this.started(reply, { sessionId: done.sessionId, session: done.session });
      void reply.redirect('/auth/signed-in', 303);
    } catch (error) {
      this.sessions.cookies.clear(reply, this.sessions.cookies.pending);
      if (error instanceof OidcSignInAgain) {
        const { url, pendingToken } = await this.oidc.begin(error.provider, this.callbackUri(), {
          purpose: 'sign-in',
          again: true,
        });
        this.sessions.cookies.write(reply, this.sessions.cookies.pending, pendingToken, 600);
        return void reply.redirect(url.href, 303);
      }
      if (error instanceof OidcSignInRefused) return this.refused(reply, error);
      throw error;
    }
  }

  private callbackUri(): string {
    return `${this.sessions.origin}/auth/callback`;
  }

  private refused(reply: FastifyReply, refusal: OidcSignInRefused): string {
    const status = refusal.reason === 'no-provider' ? 404 : refusal.reason === 'provider-error' ? 502 : 403;
    void reply.code(status).type('text/html; charset=utf-8');
    return refusalPage(refusal.reason);
  }

  private pendingToken(request: FastifyRequest): string {
    return this.sessions.cookies.read(request, this.sessions.cookies.pending) ?? '';
  }

  private started(reply: FastifyReply, signedIn: SignedIn) {
    const cookies = this.sessions.cookies;
    cookies.clear(reply, cookies.pending);
    cookies.write(reply, cookies.session, signedIn.sessionId);
    return sessionView(signedIn.session, this.store.limits);
  }
}
