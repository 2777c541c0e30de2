import { ABANDONED_AFTER_MS, IdempotencyRepository } from '../../apps/gateway/src';
import { createDataSource } from '@liaison/persistence';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';

/** The claim on an Idempotency-Key, against the real table: each outcome, including the takeover of an abandoned one. */
describe('idempotency keys (real PostgreSQL)', () => {
  let db: DataSource;
  let keys: IdempotencyRepository;
  const start = new Date('2026-11-22T10:00:00Z');
  const later = (ms: number) => new Date(start.getTime() + ms);

  beforeAll(async () => {
    db = await createDataSource({
      url: process.env.DATABASE_URL!,
      poolSize: 2,
      applicationName: 'idempotency-test',
    }).initialize();
    keys = new IdempotencyRepository(db);
  });

  afterAll(async () => {
    await db.destroy();
  });

  it('claims a new key, and tells a concurrent retry that the first request is still running', async () => {
    const key = randomUUID();
    expect(await keys.claim('GB-NCA', key, 'hash-a', start)).toEqual({ kind: 'claimed', reserved: {} });
    expect(await keys.claim('GB-NCA', key, 'hash-a', later(1_000))).toEqual({ kind: 'in-progress' });
    expect(await keys.claim('GB-NCA', key, 'hash-b', later(1_000))).toEqual({ kind: 'mismatch' });
    // Keys belong to an agency: another agency's same key is its own.
    expect(await keys.claim('RO-ENU', key, 'hash-a', later(1_000))).toEqual({ kind: 'claimed', reserved: {} });
  });

  it('replays the answer once the first request completed', async () => {
    const key = randomUUID();
    await keys.claim('GB-NCA', key, 'hash-a', start);
    await keys.complete('GB-NCA', key, 202, { id: 'x' }, '/v1/messages/x');
    expect(await keys.claim('GB-NCA', key, 'hash-a', later(1_000))).toEqual({
      kind: 'replay',
      statusCode: 202,
      response: { id: 'x' },
      location: '/v1/messages/x',
    });
  });

  it('lets a retry take over a claim whose request died, and only then', async () => {
    const key = randomUUID();
    await keys.claim('GB-NCA', key, 'hash-a', start);
    expect(await keys.claim('GB-NCA', key, 'hash-a', later(ABANDONED_AFTER_MS - 1_000))).toEqual({
      kind: 'in-progress',
    });
    expect(await keys.claim('GB-NCA', key, 'hash-a', later(ABANDONED_AFTER_MS + 1_000))).toEqual({
      kind: 'claimed',
      reserved: {},
    });
    expect(await keys.claim('GB-NCA', key, 'hash-a', later(ABANDONED_AFTER_MS + 2_000))).toEqual({
      kind: 'in-progress',
    });
  });

  it('keeps what an unacknowledged request reserved, for its retry to take at once', async () => {
    const key = randomUUID();
    await keys.claim('GB-NCA', key, 'hash-a', start);
    const reserved = { messageId: randomUUID(), caseReference: 'LIA-2026-ABCDEFGH0', submittedAt: start.toISOString() };
    await keys.reserve('GB-NCA', key, reserved);
    await keys.releaseForRetry('GB-NCA', key);
    // Retried at once (no wait for the claim to be abandoned), with the same request: the same values.
    expect(await keys.claim('GB-NCA', key, 'hash-a', later(1_000))).toEqual({ kind: 'claimed', reserved });
    // Another request under the key is still refused.
    expect(await keys.claim('GB-NCA', key, 'hash-b', later(2_000))).toEqual({ kind: 'mismatch' });
    await keys.complete('GB-NCA', key, 201, { id: reserved.messageId }, null);
    expect(await keys.claim('GB-NCA', key, 'hash-a', later(3_000))).toMatchObject({ kind: 'replay' });
  });

  it('gives a request that died after keeping its values to the retry that takes it over', async () => {
    const key = randomUUID();
    await keys.claim('GB-NCA', key, 'hash-a', start);
    const reserved = { messageId: randomUUID(), submittedAt: start.toISOString() };
    await keys.reserve('GB-NCA', key, reserved);
    expect(await keys.claim('GB-NCA', key, 'hash-a', later(1_000))).toEqual({ kind: 'in-progress' });
    expect(await keys.claim('GB-NCA', key, 'hash-a', later(ABANDONED_AFTER_MS + 1_000))).toEqual({
      kind: 'claimed',
      reserved,
    });
  });

  it('frees the key of a request that failed', async () => {
    const key = randomUUID();
    await keys.claim('GB-NCA', key, 'hash-a', start);
    await keys.release('GB-NCA', key);
    expect(await keys.claim('GB-NCA', key, 'hash-b', later(1_000))).toEqual({ kind: 'claimed', reserved: {} });
  });
});
