import { Busboy, type BusboyInstance } from '@fastify/busboy';
import { structureProblem } from '@liaison/domain';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { ApplicationError } from '../application/application-error';
import { ApiProblem } from '../http/problem';
import { CsrfProblem } from '../sessions/session-authenticator';
import { sameToken } from '../sessions/csrf';

/** What a multipart form held: its fields as a url-encoded form would give them, and the file stored, if any. */
export interface UploadForm<T> {
  fields: Record<string, string | string[]>;
  /** The stored file of the field named `file`; null when none was chosen or it was refused. */
  stored: T | null;
  /** Why `store` refused the file (too large, a bad name), the rest of the form read all the same. */
  refused: ApplicationError | null;
}

/**
 * Reads the console's multipart form (attaching a file without JavaScript) as it streams in: its first field
 * must be the session's CSRF token (otherwise a CsrfProblem, before anything else is read); the field named
 * `file` goes to `store` as it arrives, named as the person's computer named it; other files are read and
 * dropped. `fileBytes + 1` is the most read of a file, so that `store` sees a file over the limit as such; a
 * field longer than `fieldBytes` is refused, never cut short.
 */
export function readUploadForm<T>(
  request: { raw: IncomingMessage; headers: IncomingHttpHeaders },
  csrfToken: string,
  limits: { fileBytes: number; fieldBytes: number },
  store: (fileName: string, content: Readable) => Promise<T>,
): Promise<UploadForm<T>> {
  return new Promise((resolve, reject) => {
    const fields: Record<string, string | string[]> = {};
    let trusted = false;
    let storing: Promise<T | null> | null = null;
    let refused: ApplicationError | null = null;
    let failed = false;
    const fail = (error: unknown) => {
      if (failed) return;
      failed = true;
      request.raw.unpipe(parser);
      request.raw.resume(); // read and discard the rest, so the person gets the answer rather than a reset
      reject(error instanceof Error ? error : new Error(String(error)));
    };
    let parser: BusboyInstance;
    try {
      parser = new Busboy({
        headers: request.headers as never,
        limits: {
          fieldNameSize: 200,
          fieldSize: limits.fieldBytes,
          fields: 2_000,
          files: 1,
          fileSize: limits.fileBytes + 1,
        },
      });
    } catch {
      return reject(ApplicationError.field('file', 'the form did not arrive whole; choose the file again'));
    }
    parser.on('field', (name: string, value: string, nameTruncated: boolean, valueTruncated: boolean) => {
      if (failed) return;
      if (nameTruncated || valueTruncated)
        return fail(ApplicationError.field(trusted ? name.slice(0, 200) : 'body', 'is too long'));
      if (!trusted) {
        if (name !== '_csrf' || !sameToken(value, csrfToken)) return fail(new CsrfProblem());
        trusted = true;
      }
      const before = fields[name];
      fields[name] = before === undefined ? value : Array.isArray(before) ? [...before, value] : [before, value];
    });
    parser.on('file', (name: string, content: Readable, fileName: string) => {
      if (failed || !trusted || name !== 'file' || storing || !fileName) {
        content.resume();
        if (!failed && !trusted) fail(new CsrfProblem());
        return;
      }
      storing = store(fileName, content).catch((error: unknown) => {
        content.resume();
        if (!(error instanceof ApplicationError)) throw error;
        refused = error;
        return null;
      });
      storing.catch(fail);
    });
    parser.on('fieldsLimit', () => fail(ApplicationError.field('body', 'the form has too many fields')));
    parser.on('error', () =>
      fail(ApplicationError.field('file', 'the form did not arrive whole; choose the file again')),
    );
    parser.on('finish', () => {
      if (failed) return;
      if (!trusted) return fail(new CsrfProblem());
      const issue = structureProblem(fields, '');
      if (issue) return fail(ApiProblem.validation([{ field: issue.field || 'body', message: issue.message }]));
      (storing ?? Promise.resolve(null)).then((stored) => resolve({ fields, stored, refused }), fail);
    });
    request.raw.pipe(parser);
  });
}
