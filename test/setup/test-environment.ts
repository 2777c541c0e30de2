import { randomBytes } from 'node:crypto';

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
    // The tests' webhook receivers listen on this machine.
    WEBHOOK_ALLOW_LOOPBACK: 'true',
  };
}
