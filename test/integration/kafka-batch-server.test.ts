import { create, fromBinary } from '@bufbuild/protobuf';
import { CaseClosedSchema, DeadLetterHeaders, MessageReadSchema, qualifiedTopic, Topics } from '@liaison/contracts';
import {
  createKafka,
  EventPublisher,
  KafkaBatchServer,
  parseBrokers,
  PassThroughRpcFilter,
  type EventBatch,
} from '@liaison/messaging';
import { createLogger } from '@liaison/observability';
import { waitFor } from '@liaison/testing';
import { Controller, Module, type INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventPattern, Payload } from '@nestjs/microservices';
import type { Consumer } from 'kafkajs';
import { randomUUID } from 'node:crypto';

const applied = new Set<string>();
const attempts = new Map<string, number>();
/** Attempts of a record in a batch of its own. */
const aloneAttempts = new Map<string, number>();
let databaseAnswers = true;

/** What PostgreSQL and node-postgres throw, as TypeORM passes it on. */
const databaseError = (code: string, message: string) => Object.assign(new Error(message), { code });

@Controller()
class FlakyConsumer {
  /**
   * Applies receipts, but fails on some readers: "XX-POISON" always with a value the database refuses,
   * "XX-DEADLOCK-n" with a deadlock its first n times, "XX-TIMEOUT" always with a statement timeout.
   */
  @EventPattern(Topics.messageRead)
  handle(@Payload() batch: EventBatch<typeof Topics.messageRead>): void {
    if (batch.events.length === 1)
      aloneAttempts.set(
        batch.events[0].payload.messageId,
        (aloneAttempts.get(batch.events[0].payload.messageId) ?? 0) + 1,
      );
    for (const { payload } of batch.events) {
      const tries = (attempts.get(payload.messageId) ?? 0) + 1;
      attempts.set(payload.messageId, tries);
      if (payload.readerAgency === 'XX-POISON')
        throw databaseError('22021', 'invalid byte sequence for encoding "UTF8": 0x00');
      const deadlocks = /^XX-DEADLOCK-(\d)$/.exec(payload.readerAgency);
      if (deadlocks && tries <= Number(deadlocks[1])) throw databaseError('40P01', 'deadlock detected');
      if (payload.readerAgency === 'XX-TIMEOUT')
        throw databaseError('57014', 'canceling statement due to statement timeout');
    }
    for (const event of batch.events) applied.add(event.payload.messageId);
  }
}

@Module({ controllers: [FlakyConsumer] })
class FlakyModule {}

/**
 * The consumer transport's guarantees with a handler that fails on some events: a permanent failure
 * dead-lettered at once, transient ones retried a bounded number of times (not counted while the database is
 * down), the good events of the batch applied, offsets committed.
 */
describe('KafkaBatchServer with a failing event', () => {
  const namespace = process.env.KAFKA_NAMESPACE!;
  const groupId = `batch-server-test-${randomUUID()}`;
  const kafka = createKafka(
    { brokers: parseBrokers(process.env.KAFKA_BROKERS!), clientId: 'batch-server-test', namespace },
    createLogger({ service: 'test', level: 'error', format: 'pretty' }),
  );
  const publisher = new EventPublisher(kafka, namespace);
  let app: INestMicroservice;
  let dlq: Consumer;
  const deadLetters: { messageId: string; error: string; failure: string; group: string }[] = [];

  beforeAll(async () => {
    const server = new KafkaBatchServer({
      kafka,
      namespace,
      groupId,
      logger: createLogger({ service: 'test', level: 'fatal', format: 'pretty' }),
      maxAttempts: 5,
      retryDelayMs: 10,
      maxRetryDelayMs: 200,
      probe: () => Promise.resolve(databaseAnswers),
    });
    app = await NestFactory.createMicroservice(FlakyModule, { strategy: server, logger: false });
    app.useGlobalFilters(new PassThroughRpcFilter());
    await app.listen();
    dlq = kafka.consumer({ groupId: `${groupId}-dlq`, maxWaitTimeInMs: 100 });
    await dlq.connect();
    await dlq.subscribe({ topic: `${qualifiedTopic(namespace, Topics.messageRead)}.dlq`, fromBeginning: true });
    await dlq.run({
      eachMessage: async ({ message }) => {
        const payload = fromBinary(MessageReadSchema, message.value!);
        const header = (name: string) => message.headers?.[name]?.toString() ?? '';
        deadLetters.push({
          messageId: payload.messageId,
          error: header(DeadLetterHeaders.error),
          failure: header(DeadLetterHeaders.failure),
          group: header(DeadLetterHeaders.group),
        });
      },
    });
  });

  afterAll(async () => {
    await dlq.disconnect();
    await publisher.disconnect();
    await app.close();
  });

  const receipt = (readerAgency: string) => {
    const messageId = randomUUID();
    return {
      key: 'LIA-2026-BATCHTEST0',
      correlationId: messageId,
      payload: create(MessageReadSchema, { messageId, caseReference: 'LIA-2026-BATCHTEST0', readerAgency }),
    };
  };

  async function committedToEnd(): Promise<void> {
    const admin = kafka.admin();
    await admin.connect();
    try {
      const topic = qualifiedTopic(namespace, Topics.messageRead);
      const ends = await admin.fetchTopicOffsets(topic);
      await waitFor(
        async () => {
          const [offsets] = await admin.fetchOffsets({ groupId: `${namespace}${groupId}`, topics: [topic] });
          return ends.every(
            (end) =>
              Number(end.high) === 0 ||
              Number(offsets.partitions.find((p) => p.partition === end.partition)?.offset ?? -1) >= Number(end.high),
          );
        },
        { what: 'offsets committed to the end of every partition' },
      );
    } finally {
      await admin.disconnect();
    }
  }

  it('dead-letters a permanently failing record at once, naming its code and not its message, and moves on', async () => {
    const [good1, poison, good2] = [receipt('RO-ENU'), receipt('XX-POISON'), receipt('BG-ENU')];
    await publisher.publish(Topics.messageRead, [good1, poison, good2]);

    await waitFor(() => applied.has(good1.payload.messageId) && applied.has(good2.payload.messageId), {
      what: 'good events applied',
    });
    const dead = await waitFor(() => deadLetters.find((d) => d.messageId === poison.payload.messageId), {
      what: 'poison dead-lettered',
    });
    expect(dead).toMatchObject({ failure: 'permanent', error: 'SQLSTATE 22021 (data exception)' });
    expect(dead.group).toBe(`${namespace}${groupId}`);
    expect(applied.has(poison.payload.messageId)).toBe(false);
    // Never retried (maxAttempts is 5): tried alone once, when the halving found it (twice at most, should a
    // rebalance as the group settles hand the batch over again).
    expect(aloneAttempts.get(poison.payload.messageId)).toBeLessThanOrEqual(2);
    await committedToEnd();
  });

  it('retries a transient failure with backoff and applies the record once it passes', async () => {
    const flaky = receipt('XX-DEADLOCK-1');
    await publisher.publish(Topics.messageRead, [flaky]);
    await waitFor(() => applied.has(flaky.payload.messageId), { what: 'record applied after a deadlock' });
    expect(attempts.get(flaky.payload.messageId)).toBe(2);
    expect(deadLetters.find((d) => d.messageId === flaky.payload.messageId)).toBeUndefined();
  });

  it('dead-letters a record whose transient failure outlasts its attempts, and does not count them while the database is down', async () => {
    databaseAnswers = false;
    const stuck = receipt('XX-TIMEOUT');
    await publisher.publish(Topics.messageRead, [stuck]);
    // maxAttempts is 5: an outage lets the record be tried more often than that without dead-lettering it.
    await waitFor(() => (attempts.get(stuck.payload.messageId) ?? 0) >= 8, {
      what: 'retried through the outage',
      timeoutMs: 20_000,
    });
    expect(deadLetters.find((d) => d.messageId === stuck.payload.messageId)).toBeUndefined();
    databaseAnswers = true;
    const dead = await waitFor(() => deadLetters.find((d) => d.messageId === stuck.payload.messageId), {
      what: 'dead-lettered once the database answers',
      timeoutMs: 30_000,
    });
    expect(dead).toMatchObject({ failure: 'transient', error: 'SQLSTATE 57014 (operator intervention)' });
    await committedToEnd();
  });
});

const slices: string[][] = [];

@Controller()
class SlicedConsumer {
  @EventPattern(Topics.caseClosed)
  handle(@Payload() batch: EventBatch<typeof Topics.caseClosed>): void {
    slices.push(batch.events.map((e) => e.payload.caseReference));
  }
}

@Module({ controllers: [SlicedConsumer] })
class SlicedModule {}

/** A fetch larger than `maxEventsPerBatch` is handed over in slices, in order, each committed when applied. */
describe('KafkaBatchServer with a fetch larger than a batch', () => {
  const namespace = process.env.KAFKA_NAMESPACE!;
  const groupId = `batch-slices-test-${randomUUID()}`;
  const kafka = createKafka(
    { brokers: parseBrokers(process.env.KAFKA_BROKERS!), clientId: 'batch-slices-test', namespace },
    createLogger({ service: 'test', level: 'error', format: 'pretty' }),
  );
  const publisher = new EventPublisher(kafka, namespace);
  let app: INestMicroservice | undefined;

  afterAll(async () => {
    await publisher.disconnect();
    await app?.close();
  });

  it('applies the events in slices of at most the batch size, in their order', async () => {
    const key = `LIA-2026-SLICE${randomUUID().slice(0, 4).toUpperCase()}`;
    const references = Array.from({ length: 7 }, (_, i) => `${key}-${i}`);
    // Published before the consumer starts, so that its first fetch holds all seven.
    await publisher.publish(
      Topics.caseClosed,
      references.map((caseReference) => ({
        key,
        correlationId: caseReference,
        payload: create(CaseClosedSchema, { caseReference, closedByAgency: 'GB-WMP' }),
      })),
    );
    const server = new KafkaBatchServer({
      kafka,
      namespace,
      groupId,
      logger: createLogger({ service: 'test', level: 'fatal', format: 'pretty' }),
      maxEventsPerBatch: 3,
    });
    app = await NestFactory.createMicroservice(SlicedModule, { strategy: server, logger: false });
    await app.listen();
    const mine = () =>
      slices.map((slice) => slice.filter((reference) => reference.startsWith(key))).filter((slice) => slice.length > 0);
    await waitFor(() => mine().flat().length === references.length, { what: 'every event applied' });
    expect(mine().flat()).toEqual(references);
    expect(Math.max(...mine().map((slice) => slice.length))).toBeLessThanOrEqual(3);
    expect(mine().length).toBeGreaterThanOrEqual(3);
  });
});
