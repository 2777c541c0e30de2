import { createHmac } from 'node:crypto';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import {
  signWebhook,
  standardWebhookHeaders,
  verifyWebhook,
  WEBHOOK_MAX_ATTEMPTS,
  WEBHOOK_RETRY_WINDOW_MS,
  webhookRetryDelay,
} from './webhook-signature';

describe('webhook signatures', () => {
  const secret = 'whsec-test-0123456789abcdef';
  const body = '{"event":"match.found","matchId":"m-1"}';
  const t = 1_795_400_000;

  it('is HMAC-SHA256 over the timestamp, a dot and the raw body, as an independent receiver computes it', () => {
    const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
    expect(signWebhook(secret, t, body)).toBe(`t=${t},v1=${expected}`);
  });

  it('verifies a fresh, untouched delivery', () => {
    expect(verifyWebhook(secret, signWebhook(secret, t, body), body, t + 30)).toEqual({ valid: true, timestamp: t });
  });

  it.each([
    ['a changed body', signWebhook(secret, t, body), `${body} `, t, 'mismatch'],
    ['another secret', signWebhook('another-secret-0000000000', t, body), body, t, 'mismatch'],
    ['a changed timestamp', signWebhook(secret, t, body).replace(`t=${t}`, `t=${t + 1}`), body, t, 'mismatch'],
    ['an old delivery replayed', signWebhook(secret, t, body), body, t + 301, 'stale'],
    ['no header', undefined, body, t, 'missing'],
    ['a garbled header', 'v1=zz', body, t, 'malformed'],
  ])('refuses %s', (_what, header, received, now, reason) => {
    expect(verifyWebhook(secret, header, received, now)).toEqual({ valid: false, reason });
  });
});

describe('Standard Webhooks signatures', () => {
  const secret = 'a-shared-secret-of-at-least-32-characters';
  const body = '{"event":"match.found","matchId":"m-1"}';
  const now = Math.floor(Date.now() / 1000);

  it('verify with the standardwebhooks library, the secret in its raw format, the delivery id signed', () => {
    const headers = standardWebhookHeaders(secret, 'delivery-1', now, body);
    expect(new Webhook(secret, { format: 'raw' }).verify(body, headers)).toEqual(JSON.parse(body));
    expect(headers['webhook-id']).toBe('delivery-1');
  });

  it.each([
    ['another delivery id', { 'webhook-id': 'delivery-2' }, body],
    ['a changed body', {}, `${body} `],
    ['an old delivery replayed', { 'webhook-timestamp': String(now - 301) }, body],
  ])('refuse %s', (_what, changed, received) => {
    const headers = { ...standardWebhookHeaders(secret, 'delivery-1', now, body), ...changed };
    expect(() => new Webhook(secret, { format: 'raw' }).verify(received, headers)).toThrow(WebhookVerificationError);
  });
});

describe('webhook retries', () => {
  it('spread each wait by up to a fifth either way, so failures together do not retry together', () => {
    expect(webhookRetryDelay(1, 10_000, 0)).toBe(8_000);
    expect(webhookRetryDelay(1, 10_000, 0.999999)).toBe(12_000);
    expect(webhookRetryDelay(12, 10_000, 0)).toBe(2_880_000);
  });

  it('back off exponentially from 10 s to at most an hour', () => {
    expect([1, 2, 3, 4].map((n) => webhookRetryDelay(n))).toEqual([10_000, 20_000, 40_000, 80_000]);
    expect(webhookRetryDelay(12)).toBe(3_600_000);
    expect(webhookRetryDelay(40)).toBe(3_600_000);
  });

  it('span 24 hours and stop within the hour after', () => {
    const retries = WEBHOOK_MAX_ATTEMPTS - 1;
    const waited = Array.from({ length: retries }, (_, i) => webhookRetryDelay(i + 1)).reduce((a, b) => a + b, 0);
    expect(waited).toBeGreaterThanOrEqual(WEBHOOK_RETRY_WINDOW_MS);
    expect(waited - webhookRetryDelay(retries)).toBeLessThan(WEBHOOK_RETRY_WINDOW_MS);
  });
});
