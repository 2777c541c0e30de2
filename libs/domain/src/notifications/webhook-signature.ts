import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Webhook signatures, in the Standard Webhooks format (standardwebhooks.com), so receivers can verify with an
 * existing library: `webhook-id` (the delivery's id, the same on every retry), `webhook-timestamp` (unix
 * seconds) and `webhook-signature: v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<raw body>">`, keyed with the
 * endpoint's secret as its UTF-8 bytes (the libraries' "raw" secret format). The id and the time are signed
 * with the body: a receiver can refuse a replayed delivery, one older than its tolerance, and a forged one.
 *
 * Deliveries also carry the earlier `Liaison-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`,
 * for receivers written against it.
 */
export const STANDARD_ID_HEADER = 'webhook-id';
export const STANDARD_TIMESTAMP_HEADER = 'webhook-timestamp';
export const STANDARD_SIGNATURE_HEADER = 'webhook-signature';

/** The Standard Webhooks headers of a delivery sent at `timestamp` (unix seconds). */
export function standardWebhookHeaders(
  secret: string,
  id: string,
  timestamp: number,
  body: string | Buffer,
): Record<string, string> {
  const signature = createHmac('sha256', Buffer.from(secret, 'utf8'))
    .update(`${id}.${timestamp}.`)
    .update(body)
    .digest('base64');
  return {
    [STANDARD_ID_HEADER]: id,
    [STANDARD_TIMESTAMP_HEADER]: String(timestamp),
    [STANDARD_SIGNATURE_HEADER]: `v1,${signature}`,
  };
}

export const WEBHOOK_SIGNATURE_HEADER = 'liaison-signature';
export const WEBHOOK_DELIVERY_HEADER = 'liaison-delivery-id';
export const WEBHOOK_EVENT_HEADER = 'liaison-event';

/** How far a signature's time may be from the receiver's clock, by default. */
export const WEBHOOK_TOLERANCE_SECONDS = 300;

function digest(secret: string, timestamp: number, body: string | Buffer): string {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex');
}

/** The signature header's value for a body sent at `timestamp` (unix seconds). */
export function signWebhook(secret: string, timestamp: number, body: string | Buffer): string {
  return `t=${timestamp},v1=${digest(secret, timestamp, body)}`;
}

export type WebhookVerification =
  { valid: true; timestamp: number } | { valid: false; reason: 'missing' | 'malformed' | 'stale' | 'mismatch' };

/** What a receiver does with a delivery: checks the signature over the raw body, and its age. */
export function verifyWebhook(
  secret: string,
  header: string | undefined,
  body: string | Buffer,
  nowSeconds: number,
  toleranceSeconds = WEBHOOK_TOLERANCE_SECONDS,
): WebhookVerification {
  if (!header) return { valid: false, reason: 'missing' };
  const parts = new Map(header.split(',').map((part) => part.trim().split('=', 2) as [string, string]));
  const timestamp = Number(parts.get('t'));
  const given = parts.get('v1');
  if (!Number.isSafeInteger(timestamp) || !given || !/^[0-9a-f]{64}$/.test(given))
    return { valid: false, reason: 'malformed' };
  if (Math.abs(nowSeconds - timestamp) > toleranceSeconds) return { valid: false, reason: 'stale' };
  const expected = Buffer.from(digest(secret, timestamp, body), 'hex');
  return timingSafeEqual(expected, Buffer.from(given, 'hex'))
    ? { valid: true, timestamp }
    : { valid: false, reason: 'mismatch' };
}

/**
 * Retry schedule: the first retry after 10 s, doubling to at most an hour between attempts, until the
 * attempts span 24 hours; after the last the delivery is failed, for an admin to see and send again. Each wait
 * is spread by up to a fifth either way (jitter), so that deliveries that failed together (a receiver down)
 * do not all come back at the same moment.
 */
export const WEBHOOK_RETRY_WINDOW_MS = 24 * 60 * 60 * 1000;
const FIRST_RETRY_MS = 10_000;
const LONGEST_WAIT_MS = 60 * 60 * 1000;

/** The wait before retry number `retry` (1 for the first retry); `random` in [0, 1) spreads it by ±20%. */
export function webhookRetryDelay(retry: number, firstRetryMs = FIRST_RETRY_MS, random = 0.5): number {
  const nominal = Math.min(firstRetryMs * 2 ** Math.max(0, retry - 1), LONGEST_WAIT_MS);
  return Math.round(nominal * (0.8 + 0.4 * random));
}

/** Attempts in all (the first and every retry) so that the retries span the 24-hour window. */
export const WEBHOOK_MAX_ATTEMPTS = (() => {
  let waited = 0;
  let retries = 0;
  while (waited < WEBHOOK_RETRY_WINDOW_MS) waited += webhookRetryDelay(++retries);
  return retries + 1;
})();
