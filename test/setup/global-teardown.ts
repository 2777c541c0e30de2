import {
  createKafka,
  deleteNamespaceQueues,
  deleteNamespaceTopics,
  jobConnection,
  parseBrokers,
} from '../../libs/messaging/src';
import { createLogger } from '../../libs/observability/src';

/** Removes this run's topics from the broker and its job queues from Redis (the database is recreated by the next run). */
export default async function globalTeardown(): Promise<void> {
  const namespace = process.env.KAFKA_NAMESPACE;
  if (!namespace?.startsWith('test.')) return;
  const logger = createLogger({ service: 'test-teardown', level: 'error', format: 'pretty' });
  const kafka = createKafka(
    {
      brokers: parseBrokers(process.env.KAFKA_BROKERS ?? '127.0.0.1:9092'),
      clientId: 'liaison-test-teardown',
      namespace,
    },
    logger,
  );
  const redis = jobConnection(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', 'producer');
  try {
    await Promise.all([deleteNamespaceTopics(kafka, namespace), deleteNamespaceQueues(redis, namespace)]);
  } finally {
    redis.disconnect();
  }
}
