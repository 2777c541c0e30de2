import { createDataSource, seedAgencies } from '@liaison/persistence';
import { CommonConfig, loadConfig } from '@liaison/config';
import { createKafka, parseBrokers, provisionTopics, topicSettings, type TopicSettings } from '@liaison/messaging';
import { createLogger } from '@liaison/observability';
import { Client } from 'pg';

export interface ProvisionSettings {
  databaseUrl: string;
  kafkaBrokers: string;
  kafkaNamespace: string;
  /** Drop and recreate the database first (tests). */
  fresh?: boolean;
  /** Only the database (benchmarks that do not use Kafka). */
  skipTopics?: boolean;
  /** Replication, minimum in-sync copies and partitions; by default as the environment's KAFKA_* settings say. */
  topics?: TopicSettings;
}

/** Creates the database if it does not exist (or anew), runs the migrations and the seed, creates the topics. */
export async function provision(settings: ProvisionSettings): Promise<void> {
  const url = new URL(settings.databaseUrl);
  const database = decodeURIComponent(url.pathname.slice(1));
  if (!/^[a-z_][a-z0-9_]*$/.test(database))
    throw new Error(`database name ${database} must be lower-case letters, digits and _`);
  const adminUrl = new URL(settings.databaseUrl);
  adminUrl.pathname = '/postgres';
  const admin = new Client({ connectionString: adminUrl.toString() });
  await admin.connect();
  try {
    if (settings.fresh) await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE ${database}`);
  } finally {
    await admin.end();
  }

  const dataSource = await createDataSource({
    url: settings.databaseUrl,
    poolSize: 2,
    applicationName: 'liaison-provision',
  }).initialize();
  try {
    await dataSource.runMigrations({ transaction: 'each' });
    await seedAgencies(dataSource);
  } finally {
    await dataSource.destroy();
  }

  if (settings.skipTopics) return;
  const logger = createLogger({ service: 'provision', level: 'warn', format: 'pretty' });
  await provisionTopics(
    createKafka(
      {
        brokers: parseBrokers(settings.kafkaBrokers),
        clientId: 'liaison-provision',
        namespace: settings.kafkaNamespace,
      },
      logger,
    ),
    settings.kafkaNamespace,
    settings.topics ?? topicSettings(loadConfig(CommonConfig, process.env)),
  );
}

if (require.main === module) {
  provision({
    databaseUrl: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/liaison',
    kafkaBrokers: process.env.KAFKA_BROKERS ?? '127.0.0.1:9092',
    kafkaNamespace: process.env.KAFKA_NAMESPACE ?? '',
  }).then(
    () => console.log('provisioned: database migrated and seeded, topics created'),
    (error: unknown) => {
      console.error('provisioning failed:', error);
      process.exit(1);
    },
  );
}
