import { createHash, randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * One run's infrastructure names. The database and the Kafka namespace are unique to the run, so tests
 * never see a developer's stack (or an earlier run) on the same broker and server.
 */
export function testEnvironment(): Record<string, string> {
  const run = process.env.LIAISON_TEST_RUN ?? `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  return {
    LIAISON_TEST_RUN: run,
    DATABASE_URL: process.env.LIAISON_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/liaison_test',
    KAFKA_BROKERS: process.env.KAFKA_BROKERS ?? '127.0.0.1:9092',
    KAFKA_NAMESPACE: `test.${run}.`,
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    LOG_LEVEL: process.env.LIAISON_TEST_LOG_LEVEL ?? 'warn',
    LOG_FORMAT: 'pretty',
    // Tests wait for recomputed percentiles: a second, not the half minute a live tracker waits.
    TRACKER_PERCENTILE_REFRESH_MS: '1000',
    // One seal key per run, derived from the run's name so that every test process of the run shares it.
    AUDIT_SEAL_KEY: createHash('sha256').update(`liaison-test-audit-${run}`).digest('base64url'),
    IDENTITY_SECRET_KEY: createHash('sha256').update(`liaison-test-identity-${run}`).digest('base64url'),
    // The run's master key, which wraps every case's data key.
    MASTER_KEYS: `test:${createHash('sha256').update(`liaison-test-master-${run}`).digest('base64')}`,
    AUDIT_CHECKPOINT_FILE: join(tmpdir(), `liaison-test-${run}`, 'audit-checkpoints.jsonl'),
    AUDIT_CHECKPOINT_INTERVAL_MS: '1000',
    // Limits far above what any test asks, but for the test of the limits, which starts its own gateway.
    RATE_LIMIT_KEY_READS: '100000',
    RATE_LIMIT_KEY_WRITES: '100000',
    RATE_LIMIT_AGENCY_READS: '100000',
    RATE_LIMIT_AGENCY_WRITES: '100000',
    RATE_LIMIT_FAILED_AUTH: '100000',
    RATE_LIMIT_SIGN_IN_ADDRESS: '100000',
    // Every worker's operations server on a free port: several instances share a test process.
    METRICS_PORT: '0',
    // The tests' webhook receivers listen on this machine.
    WEBHOOK_ALLOW_LOOPBACK: 'true',
  };
}
