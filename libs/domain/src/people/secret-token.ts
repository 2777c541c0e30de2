import { createHash, randomBytes } from 'node:crypto';

/**
 * An opaque 256-bit secret (a session id, an enrolment link's token), base64url. Only its digest is ever stored,
 * so a copy of the store cannot be replayed.
 */
export function generateSecretToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashSecretToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** True when the text has the shape of a token from generateSecretToken (checked before any lookup). */
export function isSecretTokenShaped(text: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(text);
}
