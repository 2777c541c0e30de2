import { NestFactory } from '@nestjs/core';
import type { INestMicroservice } from '@nestjs/common';
import { Logger } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { KafkaBatchServer, PassThroughRpcFilter, provisionTopics } from '@liaison/messaging';
import type { ServiceRuntime } from './service-runtime';

export interface ConsumerService {
  app: INestMicroservice;
  server: KafkaBatchServer;
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
  await provisionTopics(runtime.kafka, runtime.config.KAFKA_NAMESPACE);
  const server = new KafkaBatchServer({
    kafka: runtime.kafka,
    namespace: runtime.config.KAFKA_NAMESPACE,
    groupId: options.groupId,
    logger: runtime.logger.child({ component: 'consumer' }),
    maxAttempts: options.maxAttempts,
    partitionsConsumedConcurrently: options.partitionsConsumedConcurrently,
    maxBytesPerPartition: options.maxBytesPerPartition,
    maxEventsPerBatch: options.maxEventsPerBatch,
  });
  const app = await NestFactory.createMicroservice(module as never, { strategy: server, bufferLogs: true });
  // A transient failure is not counted against a record while the database does not answer.
  const database = app.get(DataSource);
  server.probe = async () => (await database.query('SELECT 1'), true);
  app.useLogger(app.get(Logger));
  app.useGlobalFilters(new PassThroughRpcFilter());
  app.enableShutdownHooks();
  await app.listen();
  return { app, server };
}
