import { ROLES } from '@liaison/domain';
import { Body, Controller, Get, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApplicationError, ErrorCode } from '../application/application-error';
import { CurrentCaller, Public, Roles, SessionOnly, type PersonCaller } from '../auth/caller';
import { CorrelationId } from '../http/correlation-id.decorator';
import { RateLimits } from '../http/rate-limits';
import { LocalSignInUseCase } from './local-sign-in.usecase';
import { codePage, enrolPage, firstPasswordPage, passwordPage, recoveryCodesPage, stopPage } from './sign-in.pages';
import { CodeDto, FirstPasswordDto, PasswordSignInDto } from './sign-in.dto';
import { sessionView, SignInResponder } from './sign-in.responder';

const LINK_NOT_VALID =
  'This enrolment link is not valid: it may have been used or have expired. Ask your administrator for a new one.';

/**
 * Local accounts' sign-in, step by step (password, then a code, or at the first sign-in the set-up of an
 * authenticator app), and the first password through a one-time link. Each route answers a script with JSON and
 * a browser with the next page; the steps are carried by a short-lived HttpOnly cookie, and a finished sign-in
 * sets the session cookie under a new id. No API key is taken here. Not part of `/v1`.
 */
@ApiExcludeController()
@Controller('auth')
export class SignInController {
  constructor(
    private readonly local: LocalSignInUseCase,
    private readonly limits: RateLimits,
    private readonly respond: SignInResponder,
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
    const page = this.respond.wantsPage(request);
    try {
      await this.limits.signInAttempt(request.ip, body.email.trim().toLowerCase());
      const step = await this.local.password(body.email, body.password, correlationId);
      this.respond.startPending(reply, step.pendingToken);
      if (page) return this.respond.html(reply, step.next === 'enrol' ? enrolPage(step.enrolment) : codePage());
      return step.next === 'enrol'
        ? {
            next: 'enrol',
            enrolment: { key: step.enrolment.secret, uri: step.enrolment.uri, qrSvg: step.enrolment.qrSvg },
          }
        : { next: 'second-factor' };
    } catch (error) {
      if (!page) throw error;
      return this.respond.pageOfError(reply, error, (errors) => passwordPage(body.email, errors), 'password');
    }
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
    const page = this.respond.wantsPage(request);
    try {
      await this.limits.signInAttempt(request.ip, null);
      const signedIn = await this.local.secondFactor(this.respond.pendingToken(request), body.code, correlationId);
      const view = this.respond.started(reply, signedIn);
      if (page) return void reply.redirect('/auth/signed-in', 303);
      return view;
    } catch (error) {
      if (!page) throw error;
      return this.respond.pageOfError(reply, error, (errors) => codePage(errors), 'code');
    }
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
    const page = this.respond.wantsPage(request);
    const pendingToken = this.respond.pendingToken(request);
    try {
      await this.limits.signInAttempt(request.ip, null);
      const signedIn = await this.local.enrol(pendingToken, body.code, correlationId);
      const view = this.respond.started(reply, signedIn);
      if (page) return this.respond.html(reply, recoveryCodesPage(signedIn.recoveryCodes ?? []));
      return { ...view, recoveryCodes: signedIn.recoveryCodes ?? [] };
    } catch (error) {
      if (!page) throw error;
      const enrolment = await this.local.pendingEnrolment(pendingToken);
      if (!enrolment)
        return this.respond.html(reply, stopPage('Sign-in failed', 'Start again from the sign-in page.'), 401);
      return this.respond.pageOfError(reply, error, (errors) => enrolPage(enrolment, errors), 'code');
    }
  }

  /** The page an enrolment link opens (or, for a script, who it is for), while the link is valid. */
  @Get('enrol')
  @Public()
  async enrolmentLink(
    @Query('token') token: unknown,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const person = typeof token === 'string' ? await this.local.enrolmentLinkPerson(token) : null;
    if (this.respond.wantsPage(request))
      return person && typeof token === 'string'
        ? this.respond.html(reply, firstPasswordPage(token, person))
        : this.respond.html(reply, stopPage('This link cannot be used', LINK_NOT_VALID), 404);
    if (!person) throw new ApplicationError(ErrorCode.NotFound, LINK_NOT_VALID);
    return { email: person.email, name: person.name };
  }

  @Post('enrol')
  @Public()
  @HttpCode(204)
  async setFirstPassword(
    @Body() body: FirstPasswordDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @CorrelationId() correlationId: string,
  ) {
    const page = this.respond.wantsPage(request);
    try {
      await this.limits.signInAttempt(request.ip, null);
      const person = await this.local.setFirstPassword(body.token, body.password, correlationId);
      if (page) return void reply.redirect(`/auth/continue?email=${encodeURIComponent(person.email)}`, 303);
    } catch (error) {
      if (!page) throw error;
      const person = await this.local.enrolmentLinkPerson(body.token);
      if (!person) return this.respond.html(reply, stopPage('This link cannot be used', LINK_NOT_VALID), 404);
      return this.respond.pageOfError(
        reply,
        error,
        (errors) => firstPasswordPage(body.token, person, errors),
        'password',
      );
    }
  }

  @Get('session')
  @SessionOnly()
  @Roles(...ROLES)
  session(@CurrentCaller() caller: PersonCaller) {
    return sessionView(caller.session, this.respond.store.limits);
  }

  /** A person confirms it is them with a code again: the session gets a new id and a fresh second factor. */
  @Post('step-up')
  @SessionOnly()
  @Roles(...ROLES)
  @HttpCode(200)
  async stepUp(
    @Body() body: CodeDto,
    @CurrentCaller() caller: PersonCaller,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @CorrelationId() correlationId: string,
  ) {
    await this.limits.signInAttempt(request.ip, null);
    return this.respond.started(reply, await this.local.stepUp(caller, body.code, correlationId));
  }
}
