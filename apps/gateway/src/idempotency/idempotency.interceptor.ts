import {
  CallHandler,
  HttpStatus,
  Injectable,
  SetMetadata,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import type { FastifyReply } from 'fastify';
import { createHash } from 'node:crypto';
import { from, lastValueFrom, type Observable } from 'rxjs';
import type { AuthenticatedRequest } from '../auth/caller';
import { ApiProblem } from '../http/problem';
import { ApplicationError, ErrorCode } from '../application/application-error';
import { IdempotencyRepository } from './idempotency.repository';
import { Reservations } from './reservations';

const KEY_PATTERN = /^[A-Za-z0-9._:-]{1,200}$/;

export const SECRET_FIELDS_KEY = 'liaison:secret-response-fields';

/**
 * Response fields never kept for replay (an issued API key is shown once): a replayed answer leaves them out.
 */
export const SecretResponseFields = (...fields: string[]) => SetMetadata(SECRET_FIELDS_KEY, fields);

/**
 * `Idempotency-Key` on any POST: the first request with a key is processed and its answer kept; a retry with
 * the same key and the same request gets that answer again (with `Idempotent-Replayed: true`) and creates
 * nothing; the same key with a different request is a 409. A request that fails frees its key; one the broker
 * left unacknowledged keeps the ids it made up (Reservations), so that its retry publishes the same message.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly keys: IdempotencyRepository,
    private readonly reflector: Reflector,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers['idempotency-key'];
    if (request.method !== 'POST' || header === undefined || !request.caller) return next.handle();
    if (typeof header !== 'string' || !KEY_PATTERN.test(header)) {
      throw ApiProblem.field('Idempotency-Key', 'must be 1 to 200 letters, digits or . _ : -');
    }
    return from(this.handle(context, next, request, header));
  }

  private async handle(
    context: ExecutionContext,
    next: CallHandler,
    request: AuthenticatedRequest,
    key: string,
  ): Promise<unknown> {
    const response = context.switchToHttp().getResponse<FastifyReply>();
    const agency = request.caller!.agency;
    const hash = createHash('sha256').update(requestFingerprint(request)).digest('hex');
    const claim = await this.keys.claim(agency, key, hash, new Date());
    switch (claim.kind) {
      case 'mismatch':
        throw new ApiProblem(
          ErrorCode.IdempotencyConflict,
          'Idempotency-Key was already used for a different request',
          [{ field: 'Idempotency-Key', message: 'already used for a different request' }],
        );
      case 'in-progress':
        throw new ApiProblem(
          ErrorCode.IdempotencyConflict,
          'a request with this Idempotency-Key is still being processed; retry shortly',
          [{ field: 'Idempotency-Key', message: 'request still in progress' }],
        );
      case 'replay':
        void response.header('Idempotent-Replayed', 'true');
        if (claim.location) void response.header('Location', claim.location);
        void response.status(claim.statusCode);
        return claim.response;
      case 'claimed':
        break;
    }
    try {
      const result: unknown = await Reservations.run(
        claim.reserved,
        (values) => this.keys.reserve(agency, key, values),
        () => lastValueFrom(next.handle() as Observable<unknown>, { defaultValue: undefined }),
      );
      const status =
        this.reflector.get<number | undefined>(HTTP_CODE_METADATA, context.getHandler()) ?? HttpStatus.CREATED;
      const location = response.getHeader('location');
      const secret = this.reflector.get<string[] | undefined>(SECRET_FIELDS_KEY, context.getHandler()) ?? [];
      const kept: unknown =
        secret.length > 0 && result !== null && typeof result === 'object'
          ? Object.fromEntries(
              Object.entries(result as Record<string, unknown>).filter(([field]) => !secret.includes(field)),
            )
          : result;
      await this.keys.complete(agency, key, status, kept, typeof location === 'string' ? location : null);
      return result;
    } catch (error) {
      // What it reserved was kept before it published (Reservations.keep): its retry finds it.
      if (mayHaveLanded(error)) await this.keys.releaseForRetry(agency, key);
      else await this.keys.release(agency, key);
      throw error;
    }
  }
}

/** A failure after which the request's message may still reach the broker: it was sent, not acknowledged. */
function mayHaveLanded(error: unknown): boolean {
  return (
    (error instanceof ApplicationError || error instanceof ApiProblem) && error.code === ErrorCode.BrokerUnavailable
  );
}

/**
 * What makes two requests "the same" for a key: method, path and JSON body; for a streamed upload, whose body
 * is not read before the handler runs, the full URL (with the file name) and the declared type and length.
 */
function requestFingerprint(request: AuthenticatedRequest): string {
  if (request.body === undefined) {
    return `${request.method} ${request.originalUrl}\n${request.headers['content-type'] ?? ''} ${request.headers['content-length'] ?? ''}`;
  }
  return `${request.method} ${request.originalUrl.split('?')[0]}\n${JSON.stringify(request.body)}`;
}
