import type { TopicSettings } from '@liaison/messaging';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { provision } from '../../scripts/ops/provision';

/**
 * A database, Kafka namespace and audit checkpoint file of the suite's own, made afresh: the faults' thousands
 * of messages, poison records and audit entries, and the cases other suites erase (whose counts the reports keep
 * while their rows go), stay out of the other suites' data. Returns the services' environment and drops the
 * database when `drop` is called.
 */
export async function isolatedEnvironment(
  name: string,
  overrides: NodeJS.ProcessEnv & { KAFKA_BROKERS?: string } = {},
  topics?: TopicSettings,
): Promise<{ env: NodeJS.ProcessEnv; drop: () => Promise<void> }> {
  const url = new URL(process.env.DATABASE_URL!);
  const database = `${url.pathname.slice(1)}_${name}`;
  url.pathname = `/${database}`;
  const namespace = `${process.env.KAFKA_NAMESPACE}${name}.`;
  const brokers = overrides.KAFKA_BROKERS ?? process.env.KAFKA_BROKERS!;
  await provision({
    databaseUrl: url.toString(),
    kafkaBrokers: brokers,
    kafkaNamespace: namespace,
    fresh: true,
    topics,
  });
  return {
    env: {
      ...process.env,
      ...overrides,
      DATABASE_URL: url.toString(),
      KAFKA_NAMESPACE: namespace,
      KAFKA_BROKERS: brokers,
      // Its audit chain's checkpoints too: another chain's in the run's file would read as tampering with that one.
      AUDIT_CHECKPOINT_FILE: join(
        tmpdir(),
        `liaison-${name}-${process.env.LIAISON_TEST_RUN}`,
        'audit-checkpoints.jsonl',
      ),
    },
    drop: async () => {
      const admin = new Client({ connectionString: process.env.DATABASE_URL });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await admin.end();
    },
  };
}
