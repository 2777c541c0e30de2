import { ConfigurationError } from '@liaison/config';
import {
  COMPACTED_TOPICS,
  CONTENT_TOPICS,
  deadLetterTopic,
  qualifiedTopic,
  Topics,
  type TopicName,
} from '@liaison/contracts';
import { ConfigResourceTypes, KafkaJSProtocolError, type Admin, type Kafka } from 'kafkajs';
import { SINGLE_BROKER, type TopicSettings } from './topic-settings';

type ConfigEntry = { name: string; value: string };

/**
 * A topic's configuration: its retention, the copies that must hold a record before it is acknowledged, and
 * compaction where a topic keeps the newest record of each key for ever. Topics of figures and references keep
 * every record (the tracker's reports are rebuilt from them, so the broker's default of seven days must not
 * apply); those that carry personal content (and their dead letters) keep theirs for the configured time only.
 */
function configOf(name: string, namespace: string, settings: TopicSettings): ConfigEntry[] {
  const topic = name.slice(namespace.length).replace(/\.dlq$/, '');
  const content = (CONTENT_TOPICS as ReadonlySet<string>).has(topic);
  const entries: ConfigEntry[] = [
    { name: 'retention.ms', value: content ? String(settings.contentRetentionMs) : '-1' },
    { name: 'min.insync.replicas', value: String(settings.minInsyncReplicas) },
  ];
  if ((COMPACTED_TOPICS as ReadonlySet<string>).has(name.slice(namespace.length)))
    entries.push({ name: 'cleanup.policy', value: 'compact' });
  return entries;
}

/**
 * Creates every Liaison topic (and its dead-letter twin) with its partition count, replication factor, minimum
 * in-sync copies and retention. Safe to run at every start: existing topics are grown when their
 * count went up, and given the configuration they lack. A replication factor the cluster cannot give, or one
 * that existing topics do not have, stops the start with a ConfigurationError naming it: copies cannot be added
 * by a client, and running with fewer than asked for would be a silent loss of safety.
 */
export async function provisionTopics(
  kafka: Kafka,
  namespace: string,
  settings: TopicSettings = SINGLE_BROKER,
): Promise<string[]> {
  // A topic just created (here, or by another client while topics are being deleted) may not be in the
  // metadata the broker answers with for a moment: the broker then says it does not host it. Provisioning
  // is safe to run again, and is.
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await provisionOnce(kafka, namespace, settings);
    } catch (error) {
      if (attempt >= 5 || !(error instanceof KafkaJSProtocolError) || error.type !== 'UNKNOWN_TOPIC_OR_PARTITION')
        throw error;
      await new Promise((resolve) => setTimeout(resolve, 250 * 2 ** attempt));
    }
  }
}

async function checkBrokers(admin: Admin, settings: TopicSettings): Promise<void> {
  const { brokers } = await admin.describeCluster();
  if (brokers.length < settings.replicationFactor)
    throw new ConfigurationError([
      `KAFKA_REPLICATION_FACTOR: ${settings.replicationFactor} copies asked for, but the cluster has ${brokers.length} broker${brokers.length === 1 ? '' : 's'}`,
    ]);
}

async function provisionOnce(kafka: Kafka, namespace: string, settings: TopicSettings): Promise<string[]> {
  const wanted = new Map<string, number>();
  for (const topic of Object.values(Topics) as TopicName[]) {
    wanted.set(qualifiedTopic(namespace, topic), settings.partitions[topic]);
    wanted.set(deadLetterTopic(qualifiedTopic(namespace, topic)), 1);
  }
  const configOfTopic = (name: string) => configOf(name, namespace, settings);
  const admin = kafka.admin();
  await admin.connect();
  try {
    await checkBrokers(admin, settings);
    const existing = new Set(await admin.listTopics());
    const missing = [...wanted].filter(([name]) => !existing.has(name));
    if (missing.length > 0) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map(([topic, numPartitions]) => ({
          topic,
          numPartitions,
          replicationFactor: settings.replicationFactor,
          configEntries: configOfTopic(topic),
        })),
      });
    }
    const present = [...wanted.keys()].filter((name) => existing.has(name));
    if (present.length > 0) {
      const metadata = await admin.fetchTopicMetadata({ topics: present });
      const otherCopies = metadata.topics.filter(
        (topic) => (topic.partitions[0]?.replicas.length ?? settings.replicationFactor) !== settings.replicationFactor,
      );
      if (otherCopies.length > 0)
        throw new ConfigurationError([
          `KAFKA_REPLICATION_FACTOR: ${settings.replicationFactor}, but ${otherCopies.length} existing topic${otherCopies.length === 1 ? '' : 's'} keep${otherCopies.length === 1 ? 's' : ''} ${otherCopies[0].partitions[0].replicas.length} (${otherCopies
            .slice(0, 3)
            .map((t) => t.name)
            .join(
              ', ',
            )}${otherCopies.length > 3 ? ', ...' : ''}); reassign their partitions with kafka-reassign-partitions first`,
        ]);
      const grow = metadata.topics
        .filter((topic) => topic.partitions.length < (wanted.get(topic.name) ?? 0))
        .map((topic) => ({ topic: topic.name, count: wanted.get(topic.name) ?? topic.partitions.length }));
      if (grow.length > 0) await admin.createPartitions({ topicPartitions: grow });
      const described = await admin.describeConfigs({
        includeSynonyms: false,
        resources: present.map((name) => ({
          type: ConfigResourceTypes.TOPIC,
          name,
          configNames: configOfTopic(name).map((c) => c.name),
        })),
      });
      const limited = described.resources.filter((resource) =>
        configOfTopic(resource.resourceName).some(
          (wantedEntry) =>
            resource.configEntries.find((entry) => entry.configName === wantedEntry.name)?.configValue !==
            wantedEntry.value,
        ),
      );
      if (limited.length > 0) {
        await admin.alterConfigs({
          validateOnly: false,
          resources: limited.map((resource) => ({
            type: ConfigResourceTypes.TOPIC,
            name: resource.resourceName,
            configEntries: configOfTopic(resource.resourceName),
          })),
        });
      }
    }
    return missing.map(([name]) => name);
  } finally {
    await admin.disconnect();
  }
}

/** Deletes every topic of a namespace (tests and benchmarks clean up after themselves with it). */
export async function deleteNamespaceTopics(kafka: Kafka, namespace: string): Promise<void> {
  if (namespace === '') throw new Error('refusing to delete the topics of the default namespace');
  const admin = kafka.admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((name) => name.startsWith(namespace));
    if (topics.length > 0) await admin.deleteTopics({ topics, timeout: 30_000 });
  } finally {
    await admin.disconnect();
  }
}
