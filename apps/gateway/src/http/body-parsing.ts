import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import type { IncomingMessage } from 'node:http';
import { structureProblem } from '@liaison/domain';
import { ApiProblem } from './problem';
import { isPagePath } from './security-headers';
import { ErrorCode } from '../application/application-error';
import { isCsvImport, isFormUpload, isUpload } from './streamed-routes';

/** An error the problem filter turns into a problem response with this status and code. */
export class BodyError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: ErrorCode.MalformedJson | ErrorCode.PayloadTooLarge | ErrorCode.UnsupportedMediaType,
    message: string,
  ) {
    super(message);
  }
}

/** Reads a body up to the limit and hands its bytes to `parse`. */
function readBody(
  payload: IncomingMessage,
  limitBytes: number,
  parse: (bytes: Buffer) => unknown,
  done: (error: Error | null, body?: unknown) => void,
): void {
  const chunks: Buffer[] = [];
  let size = 0;
  let failed = false;
  payload.on('data', (chunk: Buffer) => {
    if (failed) return;
    size += chunk.length;
    if (size > limitBytes) {
      failed = true;
      payload.resume(); // read and discard the rest, so the client gets the answer rather than a reset
      return done(new BodyError(413, ErrorCode.PayloadTooLarge, `request body exceeds ${limitBytes} bytes`));
    }
    chunks.push(chunk);
  });
  payload.on('error', (error) => (failed ? undefined : ((failed = true), done(error))));
  payload.on('end', () => {
    if (failed) return;
    let body: unknown;
    try {
      body = parse(Buffer.concat(chunks));
    } catch (error) {
      return done(error as Error);
    }
    done(null, body);
  });
}

/** A parser of text, given the bytes as UTF-8. */
const utf8 =
  (parse: (text: string) => unknown) =>
  (bytes: Buffer): unknown =>
    parse(bytes.toString('utf8'));

/** A form's fields; a field given twice keeps every value, in order. */
function parseForm(text: string): Record<string, string | string[]> {
  const form: Record<string, string | string[]> = {};
  for (const [name, value] of new URLSearchParams(text)) {
    const before = form[name];
    form[name] = before === undefined ? value : Array.isArray(before) ? [...before, value] : [before, value];
  }
  const issue = structureProblem(form, '');
  if (issue)
    throw ApiProblem.validation([{ field: issue.field === '' ? 'body' : issue.field, message: issue.message }]);
  return form;
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new BodyError(400, ErrorCode.MalformedJson, 'request body is not valid JSON');
  }
  // Before anything walks or copies the body (the idempotency fingerprint, validation): bounded nesting, and
  // no text the database would refuse.
  const issue = structureProblem(body, '');
  if (issue)
    throw ApiProblem.validation([{ field: issue.field === '' ? 'body' : issue.field, message: issue.message }]);
  return body;
}

/**
 * JSON bodies only, up to a limit (attachment uploads aside, which stream in any media type with their own
 * limit, and the import of historical counts, which is CSV text). Malformed JSON is a 400, an oversized body a 413 and a body of another media type a 415, each as a
 * problem response, before any handler runs (so nothing can be half-written).
 */
export function configureBodyParsing(app: NestFastifyApplication, limitBytes: number): void {
  const fastify = app.getHttpAdapter().getInstance();
  fastify.removeAllContentTypeParsers();
  for (const type of ['application/json', /^application\/[\w.+-]+\+json$/]) {
    fastify.addContentTypeParser(
      type,
      (request: FastifyRequest, payload: IncomingMessage, done: (error: Error | null, body?: unknown) => void) =>
        isUpload(request) ? done(null, undefined) : readBody(payload, limitBytes, utf8(parseJson), done),
    );
  }
  fastify.addContentTypeParser(
    'text/csv',
    (request: FastifyRequest, payload: IncomingMessage, done: (error: Error | null, body?: unknown) => void) => {
      if (isUpload(request)) return done(null, undefined);
      if (!isCsvImport(request))
        return done(new BodyError(415, ErrorCode.UnsupportedMediaType, 'request bodies must be application/json'));
      // The bytes as sent: the import decides their encoding (and refuses one that is not UTF-8).
      readBody(payload, limitBytes, (bytes) => bytes, done);
    },
  );
  // Forms of the pages people use (signing in and out, the console); the API takes JSON only.
  fastify.addContentTypeParser(
    'application/x-www-form-urlencoded',
    (request: FastifyRequest, payload: IncomingMessage, done: (error: Error | null, body?: unknown) => void) => {
      if (!isPagePath(request.url))
        return done(new BodyError(415, ErrorCode.UnsupportedMediaType, 'request bodies must be application/json'));
      readBody(payload, limitBytes, utf8(parseForm), done);
    },
  );
  fastify.addContentTypeParser('multipart/form-data', (request, _payload, done) =>
    isFormUpload(request)
      ? done(null, undefined)
      : done(new BodyError(415, ErrorCode.UnsupportedMediaType, 'request bodies must be application/json')),
  );
  fastify.addContentTypeParser('*', (request, _payload, done) => {
    // The import answers a body of another type itself, after the caller is known (a 415 naming text/csv).
    if (isUpload(request) || isCsvImport(request)) return done(null, undefined);
    done(new BodyError(415, ErrorCode.UnsupportedMediaType, 'request bodies must be application/json'));
  });
}
