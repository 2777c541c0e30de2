import { ROLES } from '@liaison/domain';
import { Controller, Get, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AuditTrail } from '../audit/audit-trail';
import { consolePathOrNull } from '../sessions/session-cookie';
import { CurrentCaller, Public, Roles, SessionOnly, type PersonCaller } from '../auth/caller';
import { CorrelationId } from '../http/correlation-id.decorator';
import { OidcSignInUseCase } from './oidc-sign-in.usecase';
import { passwordPage, signedOutPage, SIGN_IN_CSS, signInPage } from './sign-in.pages';
import { SignInResponder } from './sign-in.responder';

/** The sign-in page, the way on from it, and signing out. */
@ApiExcludeController()
@Controller('auth')
export class SessionController {
  constructor(
    private readonly oidc: OidcSignInUseCase,
    private readonly respond: SignInResponder,
    private readonly audit: AuditTrail,
  ) {}

  @Get('sign-in.css')
  @Public()
  stylesheet(@Res({ passthrough: true }) reply: FastifyReply): string {
    void reply.type('text/css; charset=utf-8').header('Cache-Control', 'public, max-age=3600');
    return SIGN_IN_CSS;
  }

  @Get('sign-in')
  @Public()
  signIn(@Res({ passthrough: true }) reply: FastifyReply): string {
    return this.respond.html(reply, signInPage());
  }

  /** On from the sign-in page: to the agency's identity provider when its domain has one, else a password. */
  @Get('continue')
  @Public()
  async continue(
    @Query('email') email: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string | void> {
    const address = typeof email === 'string' ? email.trim() : '';
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(address))
      return this.respond.html(
        reply,
        signInPage([{ field: 'email', message: 'Enter your work e-mail address, like name@agency.example' }], address),
        400,
      );
    if (await this.oidc.providerFor({ email: address }))
      return void reply.redirect(`/auth/oidc?email=${encodeURIComponent(address)}`, 303);
    return this.respond.html(reply, passwordPage(address));
  }

  /** Where a sign-in ends: the console page the person was going to, or its home. */
  @Get('signed-in')
  @SessionOnly()
  @Roles(...ROLES)
  signedIn(@Req() request: FastifyRequest, @Res() reply: FastifyReply): void {
    const cookies = this.respond.sessions.cookies;
    const next = consolePathOrNull(cookies.read(request, cookies.next)) ?? '/console';
    cookies.clear(reply, cookies.next);
    void reply.redirect(next, 303);
  }

  @Get('signed-out')
  @Public()
  signedOut(@Res({ passthrough: true }) reply: FastifyReply): string {
    return this.respond.html(reply, signedOutPage());
  }

  /**
   * Ends the session, and for a sign-in through an identity provider its session there too (RP-initiated
   * logout): the browser is sent to the provider, which sends it back to the signed-out page.
   */
  @Post('sign-out')
  @SessionOnly()
  @Roles(...ROLES)
  async signOut(
    @CurrentCaller() caller: PersonCaller,
    @Res({ passthrough: true }) reply: FastifyReply,
    @CorrelationId() correlationId: string,
  ): Promise<void> {
    const session = caller.session;
    await this.audit.record(
      caller,
      { action: 'person.signed-out', objectType: 'person', objectId: caller.id },
      correlationId,
    );
    await this.respond.store.end(caller.sessionHash, caller.id);
    this.respond.sessions.cookies.clear(reply, this.respond.sessions.cookies.session);
    const signedOut = `${this.respond.sessions.origin}/auth/signed-out`;
    const atProvider = await this.oidc.endSessionUrl(session, signedOut);
    void reply.redirect(atProvider?.href ?? '/auth/signed-out', 303);
  }

  /** Ends every session of the person, on every device. */
  @Post('sign-out-everywhere')
  @SessionOnly()
  @Roles(...ROLES)
  @HttpCode(200)
  async signOutEverywhere(
    @CurrentCaller() caller: PersonCaller,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @CorrelationId() correlationId: string,
  ) {
    await this.audit.record(
      caller,
      { action: 'person.signed-out-everywhere', objectType: 'person', objectId: caller.id },
      correlationId,
    );
    const ended = await this.respond.store.endAll(caller.id);
    this.respond.sessions.cookies.clear(reply, this.respond.sessions.cookies.session);
    if (this.respond.wantsPage(request)) return void reply.redirect('/auth/signed-out', 303);
    return { ended };
  }
}
