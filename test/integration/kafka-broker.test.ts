import { createKafka, parseBrokers } from '@liaison/messaging';
import { createLogger } from '@liaison/observability';
import { waitFor } from '@liaison/testing';
import type { Admin, Consumer, Producer } from 'kafkajs';

/**
 * The smoke test that chose the Kafka version: kafkajs must create topics through the admin client,
 * produce, and consume in a consumer group whose offsets are committed on the broker.
 */
describe('the local Apache Kafka broker with kafkajs', () => {
  const logger = createLogger({ service: 'test', level: 'error', format: 'pretty' });
  const kafka = createKafka({ brokers: parseBrokers(process.env.KAFKA_BROKERS!), clientId: 'broker-smoke', namespace: '' }, logger);
  const topic = `${process.env.KAFKA_NAMESPACE}smoke`;
  const groupId = `${process.env.KAFKA_NAMESPACE}smoke-group`;
  let admin: Admin;
  let producer: Producer;
  let consumer: Consumer;

  beforeAll(async () => {
    admin = kafka.admin();
    producer = kafka.producer();
    consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100 });
    await Promise.all([admin.connect(), producer.connect(), consumer.connect()]);
  });

  afterAll(async () => {
    await Promise.all([consumer.disconnect(), producer.disconnect()]);
    await admin.disconnect();
  });

  it('creates a topic with an explicit partition count', async () => {
    await admin.createTopics({ topics: [{ topic, numPartitions: 3, replicationFactor: 1 }], waitForLeaders: true });
    const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
    expect(metadata.topics[0].partitions).toHaveLength(3);
  });

  it('produces, consumes in a group and keeps committed offsets on the broker', async () => {
    const values = Array.from({ length: 30 }, (_, i) => `record-${i}`);
    await producer.send({ topic, acks: -1, messages: values.map((value, i) => ({ key: `k${i % 7}`, value })) });

    const seen: string[] = [];
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ message, partition }) => {
        seen.push(message.value!.toString());
        await consumer.commitOffsets([{ topic, partition, offset: (BigInt(message.offset) + 1n).toString() }]);
      },
    });
    await waitFor(() => seen.length >= values.length, { what: 'all records consumed' });
    expect([...seen].sort()).toEqual([...values].sort());

    const committed = await waitFor(
      async () => {
        const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
        const total = offsets.partitions.reduce((sum, p) => sum + Number(p.offset), 0);
        return total === values.length ? offsets : undefined;
      },
      { what: 'committed offsets to reach the end of every partition' },
    );
    expect(committed.partitions).toHaveLength(3);
  });

  it('refuses to create topics implicitly', async () => {
    const orphan = `${process.env.KAFKA_NAMESPACE}never-created`;
    const strict = kafka.producer({ allowAutoTopicCreation: false, retry: { retries: 1 } });
    await strict.connect();
    await expect(strict.send({ topic: orphan, messages: [{ value: 'x' }] })).rejects.toThrow();
    await strict.disconnect();
    expect(await admin.listTopics()).not.toContain(orphan);
  });
});
