import { signWebhook, WEBHOOK_DELIVERY_HEADER, WEBHOOK_EVENT_HEADER, WEBHOOK_SIGNATURE_HEADER } from '@liaison/domain';
import type { DeliveryWork } from './notification.repository';

export interface AttemptResult {
  ok: boolean;
  status: number | null;
  /** Why it failed, fit for an admin to read: a status or a network error; never the body or the URL. */
  error: string | null;
}

/**
 * One signed POST of a notification to an endpoint. The body is the notification as the API lists it; the
 * signature covers the timestamp and that exact body. Any 2xx is delivered; redirects are not followed (a
 * receiver moving must be registered again, so a notification never lands somewhere an admin did not name).
 */
export async function sendWebhook(work: DeliveryWork, timeoutMs: number, now = Date.now()): Promise<AttemptResult> {
  const body = JSON.stringify(work.notification);
  try {
    const response = await fetch(work.url, {
      method: 'POST',
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Liaison-Webhooks/1',
        [WEBHOOK_SIGNATURE_HEADER]: signWebhook(work.secret, Math.floor(now / 1000), body),
        [WEBHOOK_DELIVERY_HEADER]: work.id,
        [WEBHOOK_EVENT_HEADER]: work.notification.event,
      },
      body,
    });
    await response.arrayBuffer().catch(() => undefined); // read to the end so the connection is reused
    const ok = response.status >= 200 && response.status < 300;
    return { ok, status: response.status, error: ok ? null : `receiver answered HTTP ${response.status}` };
  } catch (error) {
    return { ok: false, status: null, error: describe(error, timeoutMs) };
  }
}

function describe(error: unknown, timeoutMs: number): string {
  if (error instanceof DOMException && (error.name === 'TimeoutError' || error.name === 'AbortError')) return `no answer within ${timeoutMs} ms`;
  const cause = (error as { cause?: { code?: string } }).cause;
  return cause?.code ? `could not reach the receiver (${cause.code})` : 'could not reach the receiver';
}
