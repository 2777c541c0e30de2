/** Routes whose bodies their handlers read themselves, rather than the body parser (no imports: the session
 * check uses them too). */

/** The one route whose body is a file, read as a stream by its handler. */
export function isUpload(request: { method: string; url: string }): boolean {
  if (request.method !== 'POST') return false;
  const path = request.url.split('?')[0];
  return path === '/v1/attachments' || /^\/console\/drafts\/[^/]+\/attachments$/.test(path);
}

/**
 * The console's form that attaches a file without JavaScript (multipart/form-data): read as a stream by its
 * handler, its CSRF token first (`readUploadForm`), never parsed before the caller is known.
 */
export function isFormUpload(request: { method: string; url: string }): boolean {
  return request.method === 'POST' && /^\/console\/drafts\/[^/]+\/upload$/.test(request.url.split('?')[0]);
}

/** The one route whose body is CSV text (historical counts), given to its handler as a string. */
export function isCsvImport(request: { method: string; url: string }): boolean {
  return request.method === 'POST' && request.url.split('?')[0] === '/v1/reports/imports';
}
