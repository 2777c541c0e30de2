import { CanActivate, Injectable, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply } from 'fastify';
import type { Role } from '@liaison/domain';
import { ApiProblem } from '../http/problem';
import { ErrorCode } from '../application/application-error';
import { RateLimits } from '../http/rate-limits';
import { RequestPacer } from '../http/request-pacer';
import { ApiKeysService } from './api-keys.service';
import { SessionAuthenticator } from '../sessions/session-authenticator';
import { PUBLIC_KEY, ROLES_KEY, SESSION_ONLY_KEY, type AuthenticatedRequest, type Caller } from './caller';

/**
 * Runs on every route. A @SessionOnly() route takes only a person's session cookie (SessionAuthenticator: 401
 * without a live session, 403 for a state-changing request without its CSRF token and origin). Every other
 * route resolves `Authorization: Bearer <key>` to a caller (401 when missing, malformed,
 * unknown or revoked), counts the request against the caller's rate limits (429), checks the handler's
 * @Roles (403), and waits for the request's turn at its key's and agency's rate (RequestPacer). A route that declares neither roles nor
 * @Public() is refused, so a new endpoint can never be open by accident.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly keys: ApiKeysService,
    private readonly limits: RateLimits,
    private readonly pacer: RequestPacer,
    private readonly sessions: SessionAuthenticator,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets: [ReturnType<ExecutionContext['getHandler']>, ReturnType<ExecutionContext['getClass']>] = [
      context.getHandler(),
      context.getClass(),
    ];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    if (this.reflector.getAllAndOverride<boolean>(SESSION_ONLY_KEY, targets)) {
      const started = performance.now();
      const person = await this.sessions.authenticate(request);
      // What the session check cost this request, as a standard Server-Timing entry: browsers' developer tools
      // show it, and bench:signin reads it under load. It names a duration only, never the session.
      context
        .switchToHttp()
        .getResponse<FastifyReply>()
        .header('server-timing', `session;dur=${(performance.now() - started).toFixed(3)}`);
      request.caller = person;
      this.requireRole(person, targets);
      return true;
    }
    const key = bearerKey(request.headers.authorization);
    const caller = key ? await this.keys.authenticate(key) : null;
    if (!caller) {
      await this.limits.failedAuthentication(request.ip);
      throw new ApiProblem(
        ErrorCode.Unauthenticated,
        key ? 'the API key is not valid' : 'send an API key as "Authorization: Bearer <key>"',
      );
    }
    await this.limits.consume(caller, request.method);
    request.caller = caller;
    this.requireRole(caller, targets);
    await this.pacer.pace(caller, request.method);
    return true;
  }

  private requireRole(
    caller: Caller,
    targets: [ReturnType<ExecutionContext['getHandler']>, ReturnType<ExecutionContext['getClass']>],
  ): void {
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (!roles || !roles.includes(caller.role)) {
      throw new ApiProblem(ErrorCode.Forbidden, `this operation is not available to the ${caller.role} role`);
    }
  }
}

/** The key in an `Authorization: Bearer <key>` header, or null when there is none. */
export function bearerKey(authorization: string | undefined): string | null {
  return /^Bearer ([^\s]+)$/.exec(authorization ?? '')?.[1] ?? null;
}
