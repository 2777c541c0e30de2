import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';

/** The request's correlation id (set by the HTTP logger from X-Correlation-Id, or issued), for events. */
export const CorrelationId = createParamDecorator((_data: unknown, context: ExecutionContext): string => {
  const id = context.switchToHttp().getRequest<Request & { id?: unknown }>().id;
  return typeof id === 'string' ? id : '';
});
