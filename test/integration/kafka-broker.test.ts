import { deadLetterTopic, qualifiedTopic, Topics } from '@liaison/contracts';
import { ConfigurationError } from '@liaison/config';
import { createKafka, parseBrokers, provisionTopics, topicSettings } from '@liaison/messaging';
import { createLogger } from '@liaison/observability';
import { waitFor } from '@liaison/testing';
import { ConfigResourceTypes, type Admin, type Consumer, type Producer } from 'kafkajs';

/**
 * The smoke test that chose the Kafka version: kafkajs must create topics through the admin client,
 * produce, and consume in a consumer group whose offsets are committed on the broker.
 */
describe('the local Apache Kafka broker with kafkajs', () => {
  const logger = createLogger({ service: 'test', level: 'error', format: 'pretty' });
  const kafka = createKafka(
    { brokers: parseBrokers(process.env.KAFKA_BROKERS!), clientId: 'broker-smoke', namespace: '' },
    logger,
  );
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

  it('keeps every record of the topics of figures (given to one created without), and content for its time only', async () => {
    const namespace = `${process.env.KAFKA_NAMESPACE}retention.`;
    const routed = qualifiedTopic(namespace, Topics.messageRouted);
    // A topic made earlier with the broker's default retention.
    await admin.createTopics({
      topics: [
        {
          topic: routed,
          numPartitions: 6,
          replicationFactor: 1,
          configEntries: [{ name: 'retention.ms', value: '604800000' }],
        },
      ],
      waitForLeaders: true,
    });
    await provisionTopics(kafka, namespace);
    const retention = async (name: string) => {
      const described = await admin.describeConfigs({
        includeSynonyms: false,
        resources: [{ type: ConfigResourceTypes.TOPIC, name, configNames: ['retention.ms'] }],
      });
      return described.resources[0].configEntries.find((entry) => entry.configName === 'retention.ms')?.configValue;
    };
    // The broker applies a changed topic config a moment after it answers.
    await waitFor(async () => (await retention(routed)) === '-1', {
      what: 'the earlier topic given unlimited retention',
    });
    expect(await retention(qualifiedTopic(namespace, Topics.matchFound))).toBe('-1');
    // The topics that carry personal content (sealed), and their dead letters, keep records seven days by default.
    const week = String(7 * 24 * 3_600_000);
    for (const topic of [Topics.messageSubmitted, Topics.caseOpened]) {
      expect(await retention(qualifiedTopic(namespace, topic))).toBe(week);
      expect(await retention(deadLetterTopic(qualifiedTopic(namespace, topic)))).toBe(week);
    }
    const topics = (await admin.listTopics()).filter((name) => name.startsWith(namespace));
    await admin.deleteTopics({ topics, timeout: 30_000 });
  });

  it('creates topics with the configured partitions and in-sync copies, and refuses copies the cluster cannot keep', async () => {
    const namespace = `${process.env.KAFKA_NAMESPACE}settings.`;
    const settings = topicSettings({
      KAFKA_REPLICATION_FACTOR: 1,
      KAFKA_MIN_INSYNC_REPLICAS: 1,
      KAFKA_TOPIC_PARTITIONS: 'liaison.messages.submitted.v1=9',
      KAFKA_CONTENT_RETENTION_HOURS: 24,
    });
    await provisionTopics(kafka, namespace, settings);
    const submitted = qualifiedTopic(namespace, Topics.messageSubmitted);
    const metadata = await admin.fetchTopicMetadata({ topics: [submitted] });
    expect(metadata.topics[0].partitions).toHaveLength(9);
    const described = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: ConfigResourceTypes.TOPIC, name: submitted, configNames: ['min.insync.replicas'] }],
    });
    expect(described.resources[0].configEntries[0].configValue).toBe('1');
    const kept = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: ConfigResourceTypes.TOPIC, name: submitted, configNames: ['retention.ms'] }],
    });
    expect(kept.resources[0].configEntries[0].configValue).toBe(String(24 * 3_600_000));

    // Grown on a later start when the count goes up.
    await provisionTopics(kafka, namespace, {
      ...settings,
      partitions: { ...settings.partitions, [Topics.messageSubmitted]: 12 },
    });
    // The broker's metadata shows new partitions a moment after it answers.
    await waitFor(
      async () => (await admin.fetchTopicMetadata({ topics: [submitted] })).topics[0].partitions.length === 12,
      { what: 'the topic grown to 12 partitions' },
    );

    // Three copies on this one-broker cluster: refused before anything is made, naming the setting.
    const refused = provisionTopics(kafka, `${namespace}three.`, {
      ...settings,
      replicationFactor: 3,
      minInsyncReplicas: 2,
    });
    await expect(refused).rejects.toThrow(ConfigurationError);
    await expect(refused).rejects.toThrow(/KAFKA_REPLICATION_FACTOR: 3 copies asked for, but the cluster has 1 broker/);
    expect((await admin.listTopics()).filter((name) => name.startsWith(`${namespace}three.`))).toEqual([]);

    const topics = (await admin.listTopics()).filter((name) => name.startsWith(namespace));
    await admin.deleteTopics({ topics, timeout: 30_000 });
  });
});
