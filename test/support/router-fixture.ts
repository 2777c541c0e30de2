import { startRouter } from '../../apps/router/src';
import { DeadLetterHeaders, qualifiedTopic, Topics } from '@liaison/contracts';
import { type ConsumerService } from '@liaison/runtime';
import { createKafka, EventPublisher, parseBrokers } from '@liaison/messaging';
import { createLogger } from '@liaison/observability';
import { createDataSource } from '@liaison/persistence';
import { TopicRecorder } from '@liaison/testing';
import type { Kafka, Producer } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';

/** What a router test works with: the router (two attempts before dead-lettering), the broker and the database. */
export interface RouterFixture {
  router: ConsumerService;
  kafka: Kafka;
  publisher: EventPublisher;
  rawProducer: Producer;
  db: DataSource;
  routed: TopicRecorder<typeof Topics.messageRouted>;
  rejected: TopicRecorder<typeof Topics.messageRejected>;
  /** The records dead-lettered from the submissions topic, as they arrive. */
  deadLetters: { eventId: string; error: string }[];
  /** A count from the database: the first row's `n`. */
  count(sql: string, params: unknown[]): Promise<number>;
}

/**
 * Starts the router before a file's tests (and stops it after), recording what it publishes and dead-letters,
 * with a publisher, a raw producer (for records no publisher would write) and a database connection.
 */
export function routerFixture(): RouterFixture {
  const namespace = process.env.KAFKA_NAMESPACE!;
  const fixture = { deadLetters: [] } as unknown as RouterFixture;
  let dlqConsumer: ReturnType<Kafka['consumer']>;
  fixture.count = async (sql, params) => Number((await fixture.db.query(sql, params))[0].n);

  beforeAll(async () => {
    fixture.router = await startRouter({ ...process.env, ROUTER_MAX_ATTEMPTS: '2' });
    const kafka = (fixture.kafka = createKafka(
      { brokers: parseBrokers(process.env.KAFKA_BROKERS!), clientId: 'router-test', namespace },
      createLogger({ service: 'test', level: 'error', format: 'pretty' }),
    ));
    fixture.publisher = new EventPublisher(kafka, namespace);
    fixture.rawProducer = kafka.producer();
    await fixture.rawProducer.connect();
    fixture.db = await createDataSource({
      url: process.env.DATABASE_URL!,
      poolSize: 2,
      applicationName: 'router-test',
    }).initialize();
    fixture.routed = await new TopicRecorder(kafka, namespace, Topics.messageRouted).start();
    fixture.rejected = await new TopicRecorder(kafka, namespace, Topics.messageRejected).start();
    // A group of this file's own: each file reads the dead letters from the start.
    dlqConsumer = kafka.consumer({ groupId: `${namespace}dlq-reader-${randomUUID()}`, maxWaitTimeInMs: 100 });
    await dlqConsumer.connect();
    await dlqConsumer.subscribe({
      topic: `${qualifiedTopic(namespace, Topics.messageSubmitted)}.dlq`,
      fromBeginning: true,
    });
    await dlqConsumer.run({
      eachMessage: async ({ message }) =>
        void fixture.deadLetters.push({
          eventId: message.headers?.['liaison-event-id']?.toString() ?? '',
          error: message.headers?.[DeadLetterHeaders.error]?.toString() ?? '',
        }),
    });
  });

  afterAll(async () => {
    await Promise.all([
      fixture.routed.stop(),
      fixture.rejected.stop(),
      dlqConsumer.disconnect(),
      fixture.rawProducer.disconnect(),
      fixture.publisher.disconnect(),
    ]);
    await fixture.router.app.close();
    await fixture.db.destroy();
  });

  return fixture;
}
