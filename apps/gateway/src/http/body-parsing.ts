import type { INestApplication } from '@nestjs/common';
import express, { type NextFunction, type Request, type Response } from 'express';
import { problemBody } from './problem.filter';
import { ProblemCode } from './problem';

function send(res: Response, code: ProblemCode, status: number, detail: string): void {
  res.status(status).type('application/problem+json').send(JSON.stringify({ ...problemBody(code, status, detail), instance: res.req.originalUrl.split('?')[0] }));
}

/** The one route whose body is a file, read as a stream by its handler. */
function isUpload(req: Request): boolean {
  return req.method === 'POST' && req.path === '/v1/attachments';
}

/**
 * JSON bodies only (attachment uploads aside), up to a limit. Malformed JSON is a 400, an oversized body a 413 and a body of another
 * media type a 415, each as a problem response, before any handler runs (so nothing can be half-written).
 */
export function configureBodyParsing(app: INestApplication, limitBytes: number): void {
  const json = express.json({ limit: limitBytes, strict: true, type: ['application/json', 'application/*+json'] });
  app.use((req: Request, res: Response, next: NextFunction) => {
    // Attachments stream straight to the store, in any media type, with their own limit.
    if (isUpload(req)) return next();
    const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
    if (hasBody && !req.is(['application/json', 'application/*+json'])) {
      send(res, ProblemCode.UnsupportedMediaType, 415, 'request bodies must be application/json');
      return;
    }
    next();
  });
  app.use((req: Request, res: Response, next: NextFunction) => (isUpload(req) ? next() : json(req, res, next)));
  app.use((error: { type?: string; status?: number }, _req: Request, res: Response, next: NextFunction) => {
    if (error.type === 'entity.too.large') return send(res, ProblemCode.PayloadTooLarge, 413, `request body exceeds ${limitBytes} bytes`);
    if (error.type === 'entity.parse.failed') return send(res, ProblemCode.MalformedJson, 400, 'request body is not valid JSON');
    if (error.type === 'encoding.unsupported' || error.type === 'charset.unsupported') {
      return send(res, ProblemCode.UnsupportedMediaType, 415, 'request body must be UTF-8 JSON');
    }
    if (error.status && error.status < 500) return send(res, ProblemCode.Validation, error.status, 'request body could not be read');
    next(error);
  });
}
