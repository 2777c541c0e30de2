import 'tsconfig-paths/register';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { provision } from '../../scripts/ops/provision';
import { testEnvironment } from './test-environment';

/** Starts PostgreSQL, Redis and Kafka if needed, builds the console's assets, then builds this run's database and topics from scratch. */
export default async function globalSetup(): Promise<void> {
  const root = join(__dirname, '..', '..');
  execFileSync(join(root, 'deploy/local/up.sh'), { stdio: 'inherit' });
  execFileSync(process.execPath, [join(root, 'scripts/ops/console-assets.mjs')], { stdio: 'inherit' });
  const env = testEnvironment();
  Object.assign(process.env, env);
  await provision({
    databaseUrl: env.DATABASE_URL,
    kafkaBrokers: env.KAFKA_BROKERS,
    kafkaNamespace: env.KAFKA_NAMESPACE,
    fresh: true,
  });
}
