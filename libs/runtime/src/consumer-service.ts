import { NestFactory } from '@nestjs/core';
import type { INestMicroservice } from '@nestjs/common';
import { Logger } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { KafkaBatchServer, PassThroughRpcFilter, provisionTopics, topicSettings } from '@liaison/messaging';
import { Operations } from './operations';
import type { ServiceRuntime } from './service-runtime';

export interface ConsumerService {
  app: INestMicroservice;
  server: KafkaBatchServer;
  /** The operations server's address: `${operationsUrl}/metrics`, `/health/live`, `/health/ready`. */
  operationsUrl: string;
}

/**
 * Starts a Kafka-consuming service: makes sure its topics exist, builds the Nest app on a KafkaBatchServer
 * and starts consuming. Resolves once the consumer has joined its group.
 */
export async function startConsumerService(
  runtime: ServiceRuntime,
  module: unknown,
  options: {
    groupId: string;
    maxAttempts?: number;
    partitionsConsumedConcurrently?: number;
    maxBytesPerPartition?: number;
    maxEventsPerBatch?: number;
  },
): Promise<ConsumerService> {
  await provisionTopics(runtime.kafka, runtime.config.KAFKA_NAMESPACE, topicSettings(runtime.config));
  const server = new KafkaBatchServer({
    kafka: runtime.kafka,
    namespace: runtime.config.KAFKA_NAMESPACE,
    groupId: options.groupId,
    logger: runtime.logger.child({ component: 'consumer' }),
    maxAttempts: options.maxAttempts,
    partitionsConsumedConcurrently: options.partitionsConsumedConcurrently,
    maxBytesPerPartition: options.maxBytesPerPartition,
    maxEventsPerBatch: options.maxEventsPerBatch,
    metrics: runtime.metrics,
    tracing: runtime.tracing,
  });
  const app = await NestFactory.createMicroservice(module as never, { strategy: server, bufferLogs: true });
  // A transient failure is not counted against a record while the database does not answer.
  const database = app.get(DataSource);
  server.probe = async () => (await database.query('SELECT 1'), true);
  app.useLogger(app.get(Logger));
  app.useGlobalFilters(new PassThroughRpcFilter());
  app.enableShutdownHooks();
  await app.listen();
  const operations = app.get(Operations);
  const { METRICS_PORT, METRICS_HOST } = runtime.config;
  const port = await operations.serve(METRICS_PORT, METRICS_HOST, async () => {
    const checks = { consumer: server.membership(), postgres: await operations.database() };
    return { ready: checks.consumer.ok && checks.postgres.ok, checks };
  });
  runtime.logger.info({ port }, 'operations server listening (/metrics, /health/live, /health/ready)');
  return {
    app,
    server,
    operationsUrl: `http://${METRICS_HOST.includes(':') ? `[${METRICS_HOST}]` : METRICS_HOST}:${port}`,
  };
}
