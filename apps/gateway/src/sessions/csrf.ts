import { timingSafeEqual } from 'node:crypto';
import { isFormUpload } from '../http/streamed-routes';

/**
 * Whether a state-changing request from a session is the console's own: it carries the session's CSRF token
 * (header `X-CSRF-Token` or form field `_csrf`) and comes from the console's origin. The origin is read from
 * `Origin`; pages are served with `Referrer-Policy: no-referrer`, under which a browser sends `Origin: null` with
 * a form, so then from `Sec-Fetch-Site` (set by the browser, never by a page's script), and last from `Referer`.
 * Either check alone has known gaps; together they close them. The one multipart form (attaching a file
 * without JavaScript) is streamed, not parsed before its handler: here only its origin is checked, and its
 * token, the form's first field, by `readUploadForm` before anything else of it is read.
 */
export function isOwnRequest(
  request: { method?: string; url?: string; headers: Record<string, string | string[] | undefined>; body?: unknown },
  csrfToken: string,
  origin: string,
): boolean {
  if (request.method && request.url && isFormUpload({ method: request.method, url: request.url }))
    return fromOrigin(request.headers, origin);
  const header = request.headers['x-csrf-token'];
  const field =
    request.body && typeof request.body === 'object' ? (request.body as Record<string, unknown>)._csrf : undefined;
  const presented = typeof header === 'string' ? header : typeof field === 'string' ? field : '';
  return sameToken(presented, csrfToken) && fromOrigin(request.headers, origin);
}

export function sameToken(presented: string, expected: string): boolean {
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function fromOrigin(headers: Record<string, string | string[] | undefined>, origin: string): boolean {
  const sent = headers.origin;
  if (typeof sent === 'string' && sent !== 'null') return sent === origin;
  const site = headers['sec-fetch-site'];
  if (typeof site === 'string') return site === 'same-origin';
  if (sent === 'null') return false;
  const referer = headers.referer;
  if (typeof referer !== 'string') return false;
  try {
    return new URL(referer).origin === origin;
  } catch {
    return false;
  }
}
