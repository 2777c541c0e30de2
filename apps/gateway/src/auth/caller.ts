import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import type { PrincipalType, Role } from '@liaison/domain';
import type { FastifyRequest } from 'fastify';
import type { Session } from '../sessions/session.store';

/**
 * Who is calling: a principal with its agency and role. On `/v1` an API key (ApiKeyGuard); on the console and
 * sign-in routes a person with a session (SessionGuard); `system` for what Liaison does itself (provisioning).
 */
export interface Caller {
  type: PrincipalType;
  /** The API key's id, the person's id, or the system part's name. */
  id: string;
  agency: string;
  role: Role;
  /** A person's session: when they last gave a second factor (ms since the epoch); absent for keys and the system. */
  secondFactorAt?: number | null;
}

/** A caller that is a person, with their session as the request found it. */
export interface PersonCaller extends Caller {
  type: 'person';
  sessionHash: string;
  secondFactorAt: number | null;
  session: Session;
}

export type AuthenticatedRequest = FastifyRequest & { caller?: Caller };

export const ROLES_KEY = 'liaison:roles';
export const PUBLIC_KEY = 'liaison:public';

export const SESSION_ONLY_KEY = 'liaison:session-only';

/**
 * Marks a controller or handler that a person reaches with their session cookie (the console, signing out,
 * step-up); it never takes an API key. Every other route takes an API key and ignores cookies.
 */
export const SessionOnly = () => SetMetadata(SESSION_ONLY_KEY, true);

/** Roles allowed to call a handler. Every handler declares them, or is @Public(). */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

/** Marks a handler that needs no API key (health probes, the API description, the sign-in pages). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

export const CurrentCaller = createParamDecorator((_data: unknown, context: ExecutionContext): Caller => {
  const caller = context.switchToHttp().getRequest<AuthenticatedRequest>().caller;
  if (!caller) throw new Error('CurrentCaller used on a handler that no guard authenticated');
  return caller;
});
