import {
  COMPACTED_TOPICS,
  deadLetterTopic,
  qualifiedTopic,
  TOPIC_PARTITIONS,
  Topics,
  type TopicName,
} from '@liaison/contracts';
import { ConfigResourceTypes, KafkaJSProtocolError, type Kafka } from 'kafkajs';

/**
 * Topics keep every record: they are the log the tracker and the matcher are rebuilt from, so the broker's
 * time-based retention (seven days by default) must not apply to them.
 */
export const TOPIC_CONFIG = [{ name: 'retention.ms', value: '-1' }] as const;

/** A compacted topic keeps the newest record of each key, for ever. */
const COMPACTED_CONFIG = [...TOPIC_CONFIG, { name: 'cleanup.policy', value: 'compact' }] as const;

function configOf(name: string, namespace: string): readonly { name: string; value: string }[] {
  return (COMPACTED_TOPICS as ReadonlySet<string>).has(name.slice(namespace.length)) ? COMPACTED_CONFIG : TOPIC_CONFIG;
}

/**
 * Creates every Liaison topic (and its dead-letter twin) with its declared partition count and unlimited
 * retention. Safe to run at every start: existing topics are grown when the declared count went up, and given
 * unlimited retention when they lack it.
 */
export async function provisionTopics(kafka: Kafka, namespace: string): Promise<string[]> {
  // A topic just created (here, or by another client while topics are being deleted) may not be in the
  // metadata the broker answers with for a moment: the broker then says it does not host it. Provisioning
  // is safe to run again, and is.
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await provisionOnce(kafka, namespace);
    } catch (error) {
      if (attempt >= 5 || !(error instanceof KafkaJSProtocolError) || error.type !== 'UNKNOWN_TOPIC_OR_PARTITION')
        throw error;
      await new Promise((resolve) => setTimeout(resolve, 250 * 2 ** attempt));
    }
  }
}

async function provisionOnce(kafka: Kafka, namespace: string): Promise<string[]> {
  const wanted = new Map<string, number>();
  for (const topic of Object.values(Topics) as TopicName[]) {
    wanted.set(qualifiedTopic(namespace, topic), TOPIC_PARTITIONS[topic]);
    wanted.set(deadLetterTopic(qualifiedTopic(namespace, topic)), 1);
  }
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = [...wanted].filter(([name]) => !existing.has(name));
    if (missing.length > 0) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map(([topic, numPartitions]) => ({
          topic,
          numPartitions,
          replicationFactor: 1,
          configEntries: [...configOf(topic, namespace)],
        })),
      });
    }
    const present = [...wanted.keys()].filter((name) => existing.has(name));
    if (present.length > 0) {
      const metadata = await admin.fetchTopicMetadata({ topics: present });
      const grow = metadata.topics
        .filter((topic) => topic.partitions.length < (wanted.get(topic.name) ?? 0))
        .map((topic) => ({ topic: topic.name, count: wanted.get(topic.name) ?? topic.partitions.length }));
      if (grow.length > 0) await admin.createPartitions({ topicPartitions: grow });
      const described = await admin.describeConfigs({
        includeSynonyms: false,
        resources: present.map((name) => ({
          type: ConfigResourceTypes.TOPIC,
          name,
          configNames: configOf(name, namespace).map((c) => c.name),
        })),
      });
      const limited = described.resources.filter((resource) =>
        configOf(resource.resourceName, namespace).some(
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
            configEntries: [...configOf(resource.resourceName, namespace)],
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
