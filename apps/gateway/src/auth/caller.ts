import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import type { Role } from '@liaison/domain';
import type { FastifyRequest } from 'fastify';

/** Who is calling: resolved from the API key by ApiKeyGuard before any handler runs. */
export interface Caller {
  keyId: string;
  agency: string;
  role: Role;
}

export type AuthenticatedRequest = FastifyRequest & { caller?: Caller };

export const ROLES_KEY = 'liaison:roles';
export const PUBLIC_KEY = 'liaison:public';

/** Roles allowed to call a handler. Every handler declares them, or is @Public(). */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

/** Marks a handler that needs no API key (health probes, the API description). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

export const CurrentCaller = createParamDecorator((_data: unknown, context: ExecutionContext): Caller => {
  const caller = context.switchToHttp().getRequest<AuthenticatedRequest>().caller;
  if (!caller) throw new Error('CurrentCaller used on a handler that ApiKeyGuard did not authenticate');
  return caller;
});
