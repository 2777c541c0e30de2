import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

/** The request's correlation id (set by the HTTP logger from X-Correlation-Id, or issued), for events. */
export const CorrelationId = createParamDecorator((_data: unknown, context: ExecutionContext): string => {
  // The HTTP logger sets it on the underlying Node request (Fastify's own request id is another thing).
  const id = (context.switchToHttp().getRequest<FastifyRequest>().raw as { id?: unknown }).id;
  return typeof id === 'string' ? id : '';
});
