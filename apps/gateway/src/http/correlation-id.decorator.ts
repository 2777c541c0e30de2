import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

/**
 * The request's correlation id, for events and log lines: Fastify's request id, which the gateway takes from
 * X-Correlation-Id when it is a safe token or else issues (see `genReqId` in gateway.app.ts).
 */
export const CorrelationId = createParamDecorator(
  (_data: unknown, context: ExecutionContext): string => context.switchToHttp().getRequest<FastifyRequest>().id,
);
