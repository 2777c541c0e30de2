import { ArgumentsHost, Catch, HttpException, HttpStatus, Optional, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { PinoLogger } from 'nestjs-pino';
import { classifyFailure } from '@liaison/messaging';
import { BodyError } from './body-parsing';
import { ApiProblem, problemTitle } from './problem';
import { ApplicationError, ErrorCode, type FieldError } from '../application/application-error';
import { ConsoleErrorPages, isConsolePageRequest } from '../console/console-errors';

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  errors?: FieldError[];
  errorId?: string;
}

const BY_STATUS: Partial<Record<number, ErrorCode>> = {
  [HttpStatus.NOT_FOUND]: ErrorCode.NotFound,
  [HttpStatus.UNAUTHORIZED]: ErrorCode.Unauthenticated,
  [HttpStatus.FORBIDDEN]: ErrorCode.Forbidden,
  [HttpStatus.PAYLOAD_TOO_LARGE]: ErrorCode.PayloadTooLarge,
  [HttpStatus.UNSUPPORTED_MEDIA_TYPE]: ErrorCode.UnsupportedMediaType,
  [HttpStatus.BAD_REQUEST]: ErrorCode.Validation,
};

export function problemBody(code: ErrorCode, status: number, detail: string, errors?: FieldError[]): ProblemBody {
  return {
    type: `urn:liaison:problem:${code}`,
    title: problemTitle(code),
    status,
    detail,
    ...(errors?.length ? { errors } : {}),
  };
}

/**
 * The one place errors become HTTP responses: RFC 9457 problem details for everything. Unexpected errors
 * are 500s with an error id that is logged with the stack, and nothing else about them leaves the server.
 */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  constructor(
    private readonly logger: PinoLogger,
    @Optional() private readonly consolePages?: ConsoleErrorPages,
  ) {
    this.logger.setContext(ProblemFilter.name);
  }

  catch(thrown: unknown, host: ArgumentsHost): void {
    // A use case's refusal is answered as the HTTP problem its code stands for; a store that does not answer
    // (PostgreSQL restarting, Redis away) as a 503 to retry, not as the gateway's own fault.
    const exception =
      thrown instanceof ApplicationError ? ApiProblem.of(thrown) : (storeUnavailable(thrown, this.logger) ?? thrown);
    const response = host.switchToHttp().getResponse<FastifyReply>();
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    let body: ProblemBody;
    const clientError = httpClientError(exception);
    if (exception instanceof ApiProblem) {
      body = problemOf(exception);
    } else if (exception instanceof BodyError) {
      body = problemBody(exception.code, exception.statusCode, exception.message);
    } else if (clientError) {
      body = problemBody(
        BY_STATUS[clientError.statusCode] ?? ErrorCode.Validation,
        clientError.statusCode,
        clientError.message,
      );
    } else if (exception instanceof HttpException && exception.getStatus() < 500) {
      const status = exception.getStatus();
      body = problemBody(BY_STATUS[status] ?? ErrorCode.Validation, status, exception.message);
    } else {
      const errorId = randomUUID();
      this.logger.error({ err: exception, errorId }, 'unexpected error');
      body = {
        ...problemBody(ErrorCode.Internal, 500, `An unexpected error occurred; quote error id ${errorId}.`),
        errorId,
      };
    }
    if (this.consolePages && isConsolePageRequest(request)) {
      this.consolePages.send(request, response, body, exception).catch((error: unknown) => {
        this.logger.error({ err: error }, 'the error page could not be rendered');
        if (!response.sent) sendProblem(response, body, request.originalUrl ?? request.url, exception);
      });
      return;
    }
    sendProblem(response, body, request.originalUrl ?? request.url, exception);
  }
}

/**
 * Sends a problem: with the path it concerns, Retry-After when the refusal says when to come back, and the
 * scheme to authenticate with on a 401.
 */
export function sendProblem(reply: FastifyReply, body: ProblemBody, url: string, cause?: unknown): FastifyReply {
  body.instance = url.split('?')[0];
  const retryAfter = (cause as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
  if (cause instanceof ApiProblem && typeof retryAfter === 'number')
    void reply.header('Retry-After', String(retryAfter));
  if (body.status === 401) void reply.header('WWW-Authenticate', 'Bearer realm="Liaison API"');
  return reply.status(body.status).type('application/problem+json').send(JSON.stringify(body));
}

/** Seconds a caller is asked to wait while a store the gateway needs does not answer. */
const STORE_RETRY_AFTER_SECONDS = 2;

/**
 * A 503 for an error that is a store's outage rather than a fault of the request or of the code: a connection
 * refused or cut, a database shutting down or starting (the classification the consumers retry by).
 */
function storeUnavailable(thrown: unknown, logger: PinoLogger): ApiProblem | undefined {
  if (!(thrown instanceof Error) || thrown instanceof HttpException || classifyFailure(thrown) !== 'transient')
    return undefined;
  logger.warn({ err: thrown }, 'a store did not answer');
  return new ApiProblem(
    ErrorCode.StoreUnavailable,
    'a store the gateway needs did not answer; retry later (with the same Idempotency-Key)',
    [],
    STORE_RETRY_AFTER_SECONDS,
  );
}

/** The problem body of an ApiProblem. */
export function problemOf(problem: ApiProblem): ProblemBody {
  return problemBody(problem.code, problem.getStatus(), problem.detail, problem.errors);
}

/** A 4xx raised by the HTTP server itself (Fastify's errors carry their status), as opposed to a bug. */
function httpClientError(exception: unknown): { statusCode: number; message: string } | null {
  if (exception instanceof HttpException || !(exception instanceof Error)) return null;
  const statusCode = (exception as { statusCode?: unknown }).statusCode;
  return typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500
    ? { statusCode, message: exception.message }
    : null;
}
