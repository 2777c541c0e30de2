import { randomUUID } from 'node:crypto';

export const CORRELATION_HEADER = 'x-correlation-id';

/**
 * Takes the caller's correlation id when it is a short, printable token (so a client can follow its own
 * request through the logs), otherwise issues a new one. Anything else could inject text into log lines.
 */
export function correlationIdFrom(candidate: unknown): string {
  if (typeof candidate === 'string' && /^[A-Za-z0-9._:-]{8,100}$/.test(candidate)) return candidate;
  return randomUUID();
}
