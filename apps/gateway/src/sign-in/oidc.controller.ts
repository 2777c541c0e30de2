import { ROLES } from '@liaison/domain';
import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { IdentityProviderEntity } from '@liaison/persistence';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentCaller, Public, Roles, SessionOnly, type PersonCaller } from '../auth/caller';
import { CorrelationId } from '../http/correlation-id.decorator';
import { RateLimits } from '../http/rate-limits';
import { OidcSignInAgain, OidcSignInRefused, OidcSignInUseCase } from './oidc-sign-in.usecase';
import { SignInResponder } from './sign-in.responder';

/**
 * Sign-in (and step-up) through an agency's own OpenID provider: the browser is sent there and comes back to
 * `/auth/callback`; refusals are pages that say why.
 */
@ApiExcludeController()
@Controller('auth')
export class OidcController {
  constructor(
    private readonly oidc: OidcSignInUseCase,
    private readonly limits: RateLimits,
    private readonly respond: SignInResponder,
  ) {}

  /** Starts a sign-in through the identity provider of the agency chosen, or of the address's domain. */
  @Get('oidc')
  @Public()
  async begin(
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
    return this.sendToProvider(reply, provider, {
      purpose: 'sign-in',
      ...(typeof email === 'string' ? { loginHint: email } : {}),
    });
  }

  /** A step-up through the identity provider: it is asked to authenticate the person again (max_age=0). */
  @Get('oidc/step-up')
  @SessionOnly()
  @Roles(...ROLES)
  async stepUp(
    @CurrentCaller() caller: PersonCaller,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string | void> {
    const provider = await this.oidc.providerFor({ agency: caller.agency });
    return this.sendToProvider(reply, provider, { purpose: 'step-up', caller });
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
    const callbackUrl = new URL(request.url, this.respond.sessions.origin);
    try {
      const done = await this.oidc.complete(this.respond.pendingToken(request), callbackUrl, correlationId);
      this.respond.started(reply, done);
      void reply.redirect('/auth/signed-in', 303);
    } catch (error) {
      this.respond.sessions.cookies.clear(reply, this.respond.sessions.cookies.pending);
      if (error instanceof OidcSignInAgain)
        return this.sendToProvider(reply, error.provider, { purpose: 'sign-in', again: true });
      if (error instanceof OidcSignInRefused) return this.respond.refused(reply, error);
      throw error;
    }
  }

  /** Sends the browser to the provider, with the round trip's cookie; a page that says why when it cannot. */
  private async sendToProvider(
    reply: FastifyReply,
    provider: IdentityProviderEntity | null,
    step: Parameters<OidcSignInUseCase['begin']>[2],
  ): Promise<string | void> {
    if (!provider) return this.respond.refused(reply, new OidcSignInRefused('no-provider'));
    try {
      const { url, pendingToken } = await this.oidc.begin(
        provider,
        `${this.respond.sessions.origin}/auth/callback`,
        step,
      );
      this.respond.startPending(reply, pendingToken);
      void reply.redirect(url.href, 303);
    } catch (error) {
      if (error instanceof OidcSignInRefused) return this.respond.refused(reply, error);
      throw error;
    }
  }
}
