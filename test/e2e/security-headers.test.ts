import { ApiClient } from '@liaison/testing';
import { startGateway, type Gateway } from '../../apps/gateway/src';
import { httpsGet, selfSignedCertificate, type TestCertificate } from '../support/tls';

const ADMIN_KEY = `headers-admin-key-${process.env.LIAISON_TEST_RUN}-000000`;
const YEAR = 365 * 24 * 3600;

/**
 * The headers that keep browsers safe around the API: HSTS wherever TLS ends (at the gateway itself, or at a
 * proxy it trusts), a content security policy that lets nothing run or frame an API response, one that lets the
 * API description run only its own scripts and never be framed, and the API description closed to callers
 * without a key where DOCS_REQUIRE_KEY says so.
 */
describe('security headers', () => {
  let certificate: TestCertificate;
  let tls: Gateway;
  let proxied: Gateway;
  let open: Gateway;

  beforeAll(async () => {
    certificate = selfSignedCertificate();
    const env = { ...process.env, PORT: '0', LIAISON_ADMIN_KEY: ADMIN_KEY };
    tls = await startGateway({
      ...env,
      TLS_CERT_FILE: certificate.certFile,
      TLS_KEY_FILE: certificate.keyFile,
      DOCS_REQUIRE_KEY: 'true',
      HSTS_MAX_AGE_SECONDS: String(YEAR),
    });
    proxied = await startGateway({ ...env, TRUST_PROXY: '127.0.0.1', HSTS_MAX_AGE_SECONDS: '600' });
    open = await startGateway(env);
  }, 90_000);

  afterAll(async () => {
    await Promise.all([tls, proxied, open].map((gateway) => gateway?.app.close()));
  });

  it('speaks HTTPS with the configured certificate, sends HSTS and shuts every API response off from pages', async () => {
    expect(tls.url).toMatch(/^https:\/\//);
    const response = await httpsGet(`${tls.url}/v1/api-keys`, certificate.pem, {
      Authorization: `Bearer ${ADMIN_KEY}`,
    });
    expect(response.status).toBe(200);
    expect(response.headers).toMatchObject({
      'strict-transport-security': `max-age=${YEAR}`,
      'content-security-policy': expect.stringContaining("default-src 'none'") as string,
      'x-frame-options': 'DENY',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-store',
    });
    expect(response.headers['content-security-policy']).toContain("frame-ancestors 'none'");
  });

  it('sends HSTS over plain HTTP only when a trusted proxy says the request came over TLS', async () => {
    const viaProxy = await fetch(`${proxied.url}/health/live`, { headers: { 'X-Forwarded-Proto': 'https' } });
    expect(viaProxy.headers.get('strict-transport-security')).toBe('max-age=600');
    const direct = await fetch(`${proxied.url}/health/live`);
    expect(direct.headers.get('strict-transport-security')).toBeNull();
    // A gateway that trusts no proxy believes no forwarded header.
    const untrusted = await fetch(`${open.url}/health/live`, { headers: { 'X-Forwarded-Proto': 'https' } });
    expect(untrusted.headers.get('strict-transport-security')).toBeNull();
    expect(untrusted.headers.get('x-frame-options')).toBe('DENY');
  });

  it('believes the client address a trusted proxy forwards, so failed authentications are counted per client', async () => {
    // Past the failed-authentication limit for one forwarded address, another forwarded address still gets 401.
    const limited = await startGateway({
      ...process.env,
      PORT: '0',
      TRUST_PROXY: '127.0.0.1',
      RATE_LIMIT_FAILED_AUTH: '2',
      RATE_LIMIT_WINDOW_SECONDS: '60',
    });
    try {
      const client = '198.51.100.7';
      const attempt = (address: string) =>
        fetch(`${limited.url}/v1/inbox`, {
          headers: { Authorization: 'Bearer wrong-key', 'X-Forwarded-For': address },
        });
      const statuses = [];
      for (let i = 0; i < 3; i += 1) statuses.push((await attempt(client)).status);
      expect(statuses).toEqual([401, 401, 429]);
      expect((await attempt('203.0.113.9')).status).toBe(401);
    } finally {
      await limited.app.close();
    }
  });

  it('lets the API description load only its own scripts and styles, and never be framed', async () => {
    const page = await fetch(`${open.url}/docs`);
    expect(page.status).toBe(200);
    const policy = page.headers.get('content-security-policy');
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).not.toContain('unsafe-eval');
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    // The description is open where DOCS_REQUIRE_KEY is not set.
    expect((await fetch(`${open.url}/docs-json`)).status).toBe(200);
  });

  it('with DOCS_REQUIRE_KEY, serves the API description and its assets only to a caller with a valid key', async () => {
    for (const path of ['/docs', '/docs/', '/docs-json', '/docs/swagger-ui-init.js']) {
      const anonymous = await httpsGet(`${tls.url}${path}`, certificate.pem);
      expect({ path, status: anonymous.status }).toEqual({ path, status: 401 });
      expect(anonymous.headers['www-authenticate']).toBe('Bearer realm="Liaison API"');
      expect(JSON.parse(anonymous.body)).toMatchObject({
        type: 'urn:liaison:problem:unauthenticated',
        detail: expect.stringContaining('API key') as string,
      });
    }
    const wrong = await httpsGet(`${tls.url}/docs-json`, certificate.pem, { Authorization: 'Bearer not-a-key' });
    expect(wrong.status).toBe(401);
    expect(JSON.parse(wrong.body)).toMatchObject({ detail: 'the API key is not valid' });
    const described = await httpsGet(`${tls.url}/docs-json`, certificate.pem, { Authorization: `Bearer ${ADMIN_KEY}` });
    expect(described.status).toBe(200);
    expect(JSON.parse(described.body)).toMatchObject({
      openapi: expect.stringMatching(/^3\./) as string,
      info: { title: 'Liaison API' },
    });
    // The API itself answers as before.
    expect((await httpsGet(`${tls.url}/health/live`, certificate.pem)).status).toBe(200);
  });

  it('names the authentication scheme on every 401 from the API', async () => {
    const refused = await new ApiClient(open.url).get('/v1/inbox');
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toBe('Bearer realm="Liaison API"');
  });
});
