import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { ErrorCode } from '../application/application-error';
import { bearerKey } from '../auth/api-key.guard';
import type { ApiKeysService } from '../auth/api-keys.service';
import type { RateLimits } from './rate-limits';
import { ApiProblem } from './problem';
import { problemOf, sendProblem } from './problem.filter';

/**
 * API responses are data, never a page: nothing in them may load, run or be framed. (An attachment download
 * narrows this further with a sandbox; see the attachments controller.)
 */
export const API_CONTENT_SECURITY_POLICY =
  "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/**
 * The API description's page loads Swagger UI's own scripts and styles from /docs and nothing from elsewhere.
 * Swagger UI writes style attributes as it renders, hence inline styles; its icons are data: URIs.
 */
export const DOCS_CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; " +
  "frame-ancestors 'none'; base-uri 'none'; form-action 'none'; object-src 'none'";

/**
 * Pages people use (signing in, the console): their own scripts, styles and images only; forms post to the
 * gateway, whose sign-in and sign-out answers may send the browser on to an identity provider (HTTPS, or one on
 * this machine's loopback for a local stack).
 */
export const PAGE_CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "form-action 'self' https: http://127.0.0.1:* http://localhost:*; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

/** Paths of pages people use rather than the API. */
export function isPagePath(url: string): boolean {
  return /^\/(?:auth|console)(?:[/?]|$)/.test(url);
}

/** Paths of the API description: the page, its assets and the OpenAPI document. */
export function isDocsPath(url: string): boolean {
  return /^\/docs(?:[/?-]|$)/.test(url);
}

export interface SecurityHeaderOptions {
  /** Strict-Transport-Security max-age for requests that came over TLS; 0 sends none. */
  hstsMaxAgeSeconds: number;
}

/**
 * Whether a request came over TLS: to this server, or to a trusted proxy that says so in X-Forwarded-Proto.
 * (Fastify's request.protocol believes that header from any peer once any proxy is trusted, so it is not used.)
 */
export function cameOverTls(raw: IncomingMessage, trusted: (address: string, hop: number) => boolean): boolean {
  if ((raw.socket as TLSSocket).encrypted) return true;
  const forwarded = raw.headers['x-forwarded-proto'];
  if (typeof forwarded !== 'string' || raw.socket.remoteAddress === undefined || !trusted(raw.socket.remoteAddress, 0))
    return false;
  return forwarded.split(',').at(-1)?.trim().toLowerCase() === 'https';
}

/** The headers every response carries, before the route adds its own. */
export function securityHeaders(
  request: { url: string; overTls: boolean },
  options: SecurityHeaderOptions,
): Record<string, string> {
  const headers: Record<string, string> = {
    'Content-Security-Policy': isDocsPath(request.url)
      ? DOCS_CONTENT_SECURITY_POLICY
      : isPagePath(request.url)
        ? PAGE_CONTENT_SECURITY_POLICY
        : API_CONTENT_SECURITY_POLICY,
    // For browsers that predate frame-ancestors.
    'X-Frame-Options': 'DENY',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Cache-Control': 'no-store',
  };
  // Browsers act on HSTS only when it arrives over TLS; over plain HTTP it would be a promise nobody checks.
  if (options.hstsMaxAgeSeconds > 0 && request.overTls)
    headers['Strict-Transport-Security'] = `max-age=${options.hstsMaxAgeSeconds}`;
  return headers;
}

/**
 * With DOCS_REQUIRE_KEY, the API description is served only to a caller with a valid API key, of any role,
 * counted against the same limits as the API (a failed attempt against its address). Swagger UI's routes are
 * Fastify's own, outside Nest's guards, so the check is a hook.
 */
export function requireKeyForDocs(fastify: FastifyInstance, keys: ApiKeysService, limits: RateLimits): void {
  fastify.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    if (!isDocsPath(request.url)) return;
    try {
      const key = bearerKey(request.headers.authorization);
      const caller = key ? await keys.authenticate(key) : null;
      if (!caller) {
        await limits.failedAuthentication(request.ip);
        throw new ApiProblem(
          ErrorCode.Unauthenticated,
          key ? 'the API key is not valid' : 'the API description needs an API key: send "Authorization: Bearer <key>"',
        );
      }
      await limits.consume(caller, request.method);
    } catch (error) {
      if (!(error instanceof ApiProblem)) throw error;
      return sendProblem(reply, problemOf(error), request.url, error);
    }
  });
}
