import { ConfigurationError, loadConfig } from '@liaison/config';
import { GatewayConfig, proxyAddresses } from './gateway.config';

const SEALED = {
  AUDIT_SEAL_KEY: 'a-seal-key-of-at-least-thirty-two-characters',
  IDENTITY_SECRET_KEY: 'an-identity-key-of-at-least-thirty-two-characters',
  MASTER_KEYS: `k1:${Buffer.alloc(32, 1).toString('base64')}`,
};

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(GatewayConfig, { ...SEALED, ...env });
    return [];
  } catch (error) {
    if (error instanceof ConfigurationError) return error.problems;
    throw error;
  }
}

describe('gateway configuration of sessions', () => {
  it('ends sessions after 15 minutes idle and 12 hours in all by default, and wants an origin without a path', () => {
    expect(loadConfig(GatewayConfig, SEALED)).toMatchObject({ SESSION_IDLE_MINUTES: 15, SESSION_ABSOLUTE_HOURS: 12 });
    expect(problems({ PUBLIC_ORIGIN: 'https://liaison.example.org' })).toEqual([]);
    expect(problems({ PUBLIC_ORIGIN: 'https://liaison.example.org/console' })).toEqual([
      expect.stringMatching(/^PUBLIC_ORIGIN: must be an origin/),
    ]);
    expect(problems({ IDENTITY_SECRET_KEY: 'short' })).toEqual([
      expect.stringMatching(/^IDENTITY_SECRET_KEY: must be at least 32/),
    ]);
  });
});

describe('gateway configuration of its transport', () => {
  it('speaks plain HTTP behind no trusted proxy, with HSTS of a year for TLS, and an open API description, by default', () => {
    const config = loadConfig(GatewayConfig, SEALED);
    expect(config).toMatchObject({ TRUST_PROXY: '', HSTS_MAX_AGE_SECONDS: 31_536_000, DOCS_REQUIRE_KEY: false });
    expect(config.TLS_CERT_FILE).toBeUndefined();
  });

  it('wants the certificate and its key together', () => {
    expect(problems({ TLS_CERT_FILE: '/etc/liaison/cert.pem' })).toEqual([
      'TLS_KEY_FILE: must be set with TLS_CERT_FILE',
    ]);
    expect(problems({ TLS_KEY_FILE: '/etc/liaison/key.pem' })).toEqual([
      'TLS_CERT_FILE: must be set with TLS_KEY_FILE',
    ]);
    expect(problems({ TLS_CERT_FILE: '/etc/liaison/cert.pem', TLS_KEY_FILE: '/etc/liaison/key.pem' })).toEqual([]);
  });

  it('takes proxies as addresses, ranges or the names of ranges, and refuses anything else', () => {
    expect(problems({ TRUST_PROXY: '10.0.0.1, 192.168.0.0/16,loopback, ::1' })).toEqual([]);
    expect(proxyAddresses(' 10.0.0.1, ,loopback ')).toEqual(['10.0.0.1', 'loopback']);
    for (const setting of ['proxy.example', '10.0.0.0/33', 'true'])
      expect(problems({ TRUST_PROXY: setting })).toEqual([expect.stringMatching(/^TRUST_PROXY: must be IP addresses/)]);
  });

  it('reads DOCS_REQUIRE_KEY as true or false only, and HSTS max-age as whole seconds', () => {
    expect(loadConfig(GatewayConfig, { ...SEALED, DOCS_REQUIRE_KEY: 'true', HSTS_MAX_AGE_SECONDS: '0' })).toMatchObject(
      { DOCS_REQUIRE_KEY: true, HSTS_MAX_AGE_SECONDS: 0 },
    );
    expect(problems({ DOCS_REQUIRE_KEY: 'yes' })).toEqual(['DOCS_REQUIRE_KEY: must be true or false']);
    expect(problems({ HSTS_MAX_AGE_SECONDS: '-1' })).toHaveLength(1);
  });
});
