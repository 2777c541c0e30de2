import type {} from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isIP } from 'node:net';
import type { GatewayConfig } from '../gateway.config';

/**
 * How the session cookie is written. `__Host-` with Secure, HttpOnly and SameSite=Lax (Strict would break links
 * to the console from e-mail), path `/` and no domain, so no other host or path can set or read it. Only a
 * gateway speaking plain HTTP on a loopback address (a developer's machine) drops Secure, and with it the
 * `__Host-` prefix, which browsers refuse without Secure.
 */
export class SessionCookies {
  readonly secure: boolean;
  readonly session: string;
  readonly pending: string;
  /** Where a person was going when asked to sign in: a console path, taken up once signed in. */
  readonly next: string;

  constructor(config: Pick<GatewayConfig, 'TLS_CERT_FILE' | 'HOST' | 'PUBLIC_ORIGIN'>) {
    const plainLoopback =
      !config.TLS_CERT_FILE &&
      isLoopback(config.HOST) &&
      (config.PUBLIC_ORIGIN === '' || config.PUBLIC_ORIGIN.startsWith('http://'));
    this.secure = !plainLoopback;
    const prefix = this.secure ? '__Host-' : '';
    this.session = `${prefix}liaison-session`;
    this.pending = `${prefix}liaison-sign-in`;
    this.next = `${prefix}liaison-next`;
  }

  read(request: FastifyRequest, name: string): string | null {
    return request.cookies?.[name] ?? null;
  }

  write(reply: FastifyReply, name: string, value: string, maxAgeSeconds?: number): void {
    void reply.setCookie(name, value, {
      path: '/',
      httpOnly: true,
      secure: this.secure,
      sameSite: 'lax',
      ...(maxAgeSeconds !== undefined ? { maxAge: maxAgeSeconds } : {}),
    });
  }

  clear(reply: FastifyReply, name: string): void {
    void reply.clearCookie(name, { path: '/', httpOnly: true, secure: this.secure, sameSite: 'lax' });
  }
}

/** A console path to go on to after signing in, or null for anything else (never another site). */
export function consolePathOrNull(path: string | null | undefined): string | null {
  return typeof path === 'string' && /^\/console(?:[/?][^\\\s]*)?$/.test(path) && !path.startsWith('//') ? path : null;
}

function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1';
}
