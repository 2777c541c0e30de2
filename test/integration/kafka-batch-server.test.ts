import { create, fromBinary } from '@bufbuild/protobuf';
import { CaseClosedSchema, MessageReadSchema, qualifiedTopic, Topics } from '@liaison/contracts';
import { createKafka, EventPublisher, KafkaBatchServer, parseBrokers, PassThroughRpcFilter, type EventBatch } from '@liaison/messaging';
import { createLogger } from '@liaison/observability';
import { waitFor } from '@liaison/testing';
import { Controller, Module, type INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventPattern, Payload } from '@nestjs/microservices';
import type { Consumer } from 'kafkajs';
import { randomUUID } from 'node:crypto';

const applied = new Set<string>();
let poisonAttempts = 0;

@Controller()
class FlakyConsumer {
  /** Applies receipts, but never one from the agency "XX-POISON": that one always fails. */
  @EventPattern(Topics.messageRead)
  handle(@Payload() batch: EventBatch<typeof Topics.messageRead>): void {
    if (batch.events.some((e) => e.payload.readerAgency === 'XX-POISON')) {
      poisonAttempts += 1;
      throw new Error('cannot apply a receipt from XX-POISON');
    }
    for (const event of batch.events) applied.add(event.payload.messageId);
  }
}

@Module({ controllers: [FlakyConsumer] })
class FlakyModule {}

/**
 * The consumer transport's guarantees with a handler that keeps failing on one event: bounded retries, the
 * good events of the batch applied one by one, the bad one dead-lettered with its error, offsets committed.
 */
describe('KafkaBatchServer with a failing event', () => {
  const namespace = process.env.KAFKA_NAMESPACE!;
  const groupId = `batch-server-test-${randomUUID()}`;
  const kafka = createKafka({ brokers: parseBrokers(process.env.KAFKA_BROKERS!), clientId: 'batch-server-test', namespace }, createLogger({ service: 'test', level: 'error', format: 'pretty' }));
  const publisher = new EventPublisher(kafka, namespace);
  let app: INestMicroservice;
  let dlq: Consumer;
  const deadLetters: { messageId: string; error: string }[] = [];

  beforeAll(async () => {
    const server = new KafkaBatchServer({ kafka, namespace, groupId, logger: createLogger({ service: 'test', level: 'fatal', format: 'pretty' }), maxAttempts: 2, retryDelayMs: 10 });
    app = await NestFactory.createMicroservice(FlakyModule, { strategy: server, logger: false });
    app.useGlobalFilters(new PassThroughRpcFilter());
    await app.listen();
    dlq = kafka.consumer({ groupId: `${groupId}-dlq`, maxWaitTimeInMs: 100 });
    await dlq.connect();
    await dlq.subscribe({ topic: `${qualifiedTopic(namespace, Topics.messageRead)}.dlq`, fromBeginning: true });
    await dlq.run({
      eachMessage: async ({ message }) => {
        const payload = fromBinary(MessageReadSchema, message.value!);
        deadLetters.push({ messageId: payload.messageId, error: message.headers?.['liaison-dlq-error']?.toString() ?? '' });
      },
    });
  });

  afterAll(async () => {
    await dlq.disconnect();
    await publisher.disconnect();
    await app.close();
  });

  it('applies the good events, dead-letters the bad one with its error, and moves on', async () => {
    const receipt = (readerAgency: string) => {
      const messageId = randomUUID();
      return { key: 'LIA-2026-BATCHTEST0', correlationId: messageId, payload: create(MessageReadSchema, { messageId, caseReference: 'LIA-2026-BATCHTEST0', readerAgency }) };
    };
    const [good1, poison, good2] = [receipt('RO-ENU'), receipt('XX-POISON'), receipt('BG-ENU')];
    await publisher.publish(Topics.messageRead, [good1, poison, good2]);

    await waitFor(() => applied.has(good1.payload.messageId) && applied.has(good2.payload.messageId), { what: 'good events applied' });
    const dead = await waitFor(() => deadLetters.find((d) => d.messageId === poison.payload.messageId), { what: 'poison dead-lettered' });
    expect(dead.error).toContain('XX-POISON');
    expect(applied.has(poison.payload.messageId)).toBe(false);
    // Bounded: the batch holding it twice (maxAttempts), then the poison event alone twice.
    expect(poisonAttempts).toBeGreaterThanOrEqual(2);
    expect(poisonAttempts).toBeLessThanOrEqual(4);

    const admin = kafka.admin();
    await admin.connect();
    const topic = qualifiedTopic(namespace, Topics.messageRead);
    const ends = await admin.fetchTopicOffsets(topic);
    const committed = await waitFor(async () => {
      const [offsets] = await admin.fetchOffsets({ groupId: `${namespace}${groupId}`, topics: [topic] });
      const behind = ends.some((end) => Number(offsets.partitions.find((p) => p.partition === end.partition)?.offset ?? -1) < Number(end.high) && Number(end.high) > 0);
      return behind ? undefined : offsets;
    }, { what: 'offsets committed past the poison event' });
    await admin.disconnect();
    expect(committed.partitions.length).toBeGreaterThan(0);
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
  const kafka = createKafka({ brokers: parseBrokers(process.env.KAFKA_BROKERS!), clientId: 'batch-slices-test', namespace }, createLogger({ service: 'test', level: 'error', format: 'pretty' }));
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
      references.map((caseReference) => ({ key, correlationId: caseReference, payload: create(CaseClosedSchema, { caseReference, closedByAgency: 'GB-WMP' }) })),
    );
    const server = new KafkaBatchServer({ kafka, namespace, groupId, logger: createLogger({ service: 'test', level: 'fatal', format: 'pretty' }), maxEventsPerBatch: 3 });
    app = await NestFactory.createMicroservice(SlicedModule, { strategy: server, logger: false });
    await app.listen();
    const mine = () => slices.map((slice) => slice.filter((reference) => reference.startsWith(key))).filter((slice) => slice.length > 0);
    await waitFor(() => mine().flat().length === references.length, { what: 'every event applied' });
    expect(mine().flat()).toEqual(references);
    expect(Math.max(...mine().map((slice) => slice.length))).toBeLessThanOrEqual(3);
    expect(mine().length).toBeGreaterThanOrEqual(3);
  });
});
