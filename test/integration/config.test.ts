import { startGateway } from '../../apps/gateway/src';
import { startRouter } from '../../apps/router/src';
import { startTracker } from '../../apps/tracker/src';
import { ConfigurationError } from '@liaison/config';

describe('service configuration', () => {
  async function problemsOf(start: Promise<unknown>): Promise<string[]> {
    const error: unknown = await start.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConfigurationError);
    return (error as ConfigurationError).problems;
  }

  it('refuses to start the gateway, listing every bad variable', async () => {
    const problems = await problemsOf(
      startGateway({
        PORT: 'eighty',
        DATABASE_URL: 'mysql://db',
        LIAISON_ADMIN_KEY: 'short',
        MAX_RECIPIENTS: '0',
        LOG_LEVEL: 'verbose',
        PUBLIC_ORIGIN: 'https://liaison.example.org/console',
      }),
    );
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual([
      'AUDIT_SEAL_KEY',
      'DATABASE_URL',
      'IDENTITY_SECRET_KEY',
      'LIAISON_ADMIN_KEY',
      'LOG_LEVEL',
      'MASTER_KEYS',
      'MAX_RECIPIENTS',
      'PORT',
      'PUBLIC_ORIGIN',
    ]);
  });

  it('refuses to start the router and the tracker with a bad broker list or namespace', async () => {
    expect(
      (await problemsOf(startRouter({ KAFKA_BROKERS: 'localhost', ROUTER_MAX_ATTEMPTS: '-1', MASTER_KEYS: 'k1' })))
        .map((p) => p.split(':')[0])
        .sort(),
    ).toEqual(['KAFKA_BROKERS', 'MASTER_KEYS', 'ROUTER_MAX_ATTEMPTS']);
    expect(await problemsOf(startTracker({ KAFKA_NAMESPACE: 'No Spaces', AUDIT_SEAL_KEY: 'k'.repeat(32) }))).toEqual([
      expect.stringMatching(/^KAFKA_NAMESPACE:/),
    ]);
  });

  it('refuses to start the router without master keys, naming what is wrong and never the key', async () => {
    const short = Buffer.alloc(16, 7).toString('base64');
    expect(await problemsOf(startRouter({ MASTER_KEYS: `k1:${short}` }))).toEqual([
      'MASTER_KEYS: key k1 must be 32 bytes in base64 (openssl rand -base64 32)',
    ]);
    expect(await problemsOf(startRouter({ MASTER_KEYS: '' }))).toEqual([
      'MASTER_KEYS: must name at least one key: id:base64 of 32 random bytes',
    ]);
  });

  it('refuses to start the tracker without a key to seal the audit log with', async () => {
    expect(await problemsOf(startTracker({ AUDIT_SEAL_KEY: 'short' }))).toEqual([
      expect.stringMatching(/^AUDIT_SEAL_KEY: must be at least 32 characters/),
    ]);
  });
});
