import { deadLetterTopic, qualifiedTopic, TOPIC_PARTITIONS, Topics, type TopicName } from '@liaison/contracts';
import type { Kafka } from 'kafkajs';

/**
 * Creates every Liaison topic (and its dead-letter twin) with its declared partition count. Safe to run at
 * every start: existing topics are left alone, or grown when the declared count went up.
 */
export async function provisionTopics(kafka: Kafka, namespace: string): Promise<string[]> {
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
        topics: missing.map(([topic, numPartitions]) => ({ topic, numPartitions, replicationFactor: 1 })),
      });
    }
    const present = [...wanted.keys()].filter((name) => existing.has(name));
    if (present.length > 0) {
      const metadata = await admin.fetchTopicMetadata({ topics: present });
      const grow = metadata.topics
        .filter((topic) => topic.partitions.length < (wanted.get(topic.name) ?? 0))
        .map((topic) => ({ topic: topic.name, count: wanted.get(topic.name) ?? topic.partitions.length }));
      if (grow.length > 0) await admin.createPartitions({ topicPartitions: grow });
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
