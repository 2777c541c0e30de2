import { createHash, randomBytes } from 'node:crypto';

/**
 * API keys are 32 random bytes behind a recognisable prefix (`lia_`), so that secret scanners and people
 * can tell what a leaked string is. Only a SHA-256 digest is stored: the keys carry 256 bits of entropy,
 * so a slow password hash would add cost without adding safety.
 */
export const API_KEY_PREFIX = 'lia_';

export function generateApiKey(): string {
  return API_KEY_PREFIX + randomBytes(32).toString('base64url');
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** The first characters of a key, safe to show in listings and logs to tell keys apart. */
export function apiKeyHint(key: string): string {
  return key.slice(0, API_KEY_PREFIX.length + 6);
}
