import { createHmac } from 'node:crypto';
import { signWebhook, verifyWebhook, WEBHOOK_MAX_ATTEMPTS, WEBHOOK_RETRY_WINDOW_MS, webhookRetryDelay, webhookUrlProblem } from './webhook-signature';

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

describe('webhook retries', () => {
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

describe('webhook URLs', () => {
  it('takes https anywhere and plain http only to this machine', () => {
    expect(webhookUrlProblem('https://hooks.wmp.police.example/liaison')).toBeNull();
    expect(webhookUrlProblem('http://127.0.0.1:8080/hook')).toBeNull();
    expect(webhookUrlProblem('http://hooks.wmp.police.example/liaison')).toMatch(/https/);
    expect(webhookUrlProblem('ftp://127.0.0.1/hook')).toMatch(/https/);
  });

  it('refuses relative URLs, credentials and fragments', () => {
    expect(webhookUrlProblem('/hook')).toBe('must be an absolute URL');
    expect(webhookUrlProblem('https://user:pass@hooks.example/x')).toMatch(/credentials/);
    expect(webhookUrlProblem('https://hooks.example/x#frag')).toMatch(/fragment/);
  });

  it('can start retrying sooner, with the same doubling', () => {
    expect([1, 2, 3].map((n) => webhookRetryDelay(n, 200))).toEqual([200, 400, 800]);
  });
});
