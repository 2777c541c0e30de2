import { ROLES } from '@liaison/domain';
import { Body, Controller, Get, Post, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApplicationError } from '../application/application-error';
import { CurrentCaller, Roles, SessionOnly, type PersonCaller } from '../auth/caller';
import { CorrelationId } from '../http/correlation-id.decorator';
import { consolePathOrNull } from '../sessions/session-cookie';
import { LocalSignInUseCase } from '../sign-in/local-sign-in.usecase';
import { SignInResponder } from '../sign-in/sign-in.responder';
import { ConsolePages } from './console-pages';

/**
 * "Confirm it is you" (step-up) before an action that needs a fresh second factor: a code from the
 * authenticator app for a local account, another round trip to the agency's identity provider otherwise. Then
 * back to the page the person came from, with a new session id.
 */
@ApiExcludeController()
@Controller('console/confirm')
@SessionOnly()
@Roles(...ROLES)
export class ConsoleConfirmController {
  constructor(
    private readonly pages: ConsolePages,
    private readonly local: LocalSignInUseCase,
    private readonly respond: SignInResponder,
  ) {}

  @Get()
  async page(
    @Query('next') next: string | undefined,
    @CurrentCaller() caller: PersonCaller,
    @Res() reply: FastifyReply,
  ) {
    const back = consolePathOrNull(next) ?? '/console';
    if (caller.session.via === 'identity-provider') {
      const cookies = this.respond.sessions.cookies;
      cookies.write(reply, cookies.next, back, 15 * 60);
    }
    await this.pages.render(reply, caller, 'home', 'confirm', {
      title: 'Confirm it is you',
      next: back,
      viaProvider: caller.session.via === 'identity-provider',
    });
  }

  @Post()
  async confirm(
    @Body() form: Record<string, unknown>,
    @CurrentCaller() caller: PersonCaller,
    @CorrelationId() correlationId: string,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const next = consolePathOrNull(typeof form?.next === 'string' ? form.next : null) ?? '/console';
    const code = typeof form?.code === 'string' ? form.code.replace(/\s+/g, '') : '';
    try {
      const signedIn = await this.local.stepUp(caller, code, correlationId);
      this.respond.started(reply, signedIn);
      void reply.redirect(next, 303);
    } catch (error) {
      if (!(error instanceof ApplicationError) || error.errors.length === 0) throw error;
      await this.pages.render(
        reply,
        caller,
        'home',
        'confirm',
        {
          title: 'Confirm it is you',
          next,
          errors: [
            { href: '#code', text: 'The code is not right: enter the 6 digits your authenticator app shows now' },
          ],
          errorOf: { code: { text: 'Enter the 6 digits your authenticator app shows now' } },
        },
        400,
      );
    }
  }
}
