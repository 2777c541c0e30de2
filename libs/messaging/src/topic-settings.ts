import { ConfigurationError, type CommonConfig } from '@liaison/config';
import { TOPIC_PARTITIONS, Topics, type TopicName } from '@liaison/contracts';

/** How the cluster is asked to keep Liaison's topics. */
export interface TopicSettings {
  replicationFactor: number;
  minInsyncReplicas: number;
  /** Every topic's partition count: the declared one, or more where the configuration asks for more. */
  partitions: Record<TopicName, number>;
  /** How long the topics that carry personal content keep their records (see CONTENT_TOPICS). */
  contentRetentionMs: number;
}

/** The settings of a single broker: one copy, the declared partitions. */
export const SINGLE_BROKER: TopicSettings = {
  replicationFactor: 1,
  minInsyncReplicas: 1,
  partitions: TOPIC_PARTITIONS,
  contentRetentionMs: 168 * 3_600_000,
};

/**
 * The topic settings a configuration asks for, checked for what the environment's syntax cannot say: a minimum
 * of in-sync copies above the copies kept, an unknown topic, fewer partitions than declared, or more partitions
 * for a topic whose single partition is its order (the audit chain).
 */
export function topicSettings(
  config: Pick<
    CommonConfig,
    | 'KAFKA_REPLICATION_FACTOR'
    | 'KAFKA_MIN_INSYNC_REPLICAS'
    | 'KAFKA_TOPIC_PARTITIONS'
    | 'KAFKA_CONTENT_RETENTION_HOURS'
  >,
): TopicSettings {
  const problems: string[] = [];
  if (config.KAFKA_MIN_INSYNC_REPLICAS > config.KAFKA_REPLICATION_FACTOR)
    problems.push(
      `KAFKA_MIN_INSYNC_REPLICAS: ${config.KAFKA_MIN_INSYNC_REPLICAS} is more than the ${config.KAFKA_REPLICATION_FACTOR} copies KAFKA_REPLICATION_FACTOR keeps; no record could be acknowledged`,
    );
  const partitions = { ...TOPIC_PARTITIONS };
  const known = new Set<string>(Object.values(Topics));
  for (const pair of config.KAFKA_TOPIC_PARTITIONS.split(',').filter(Boolean)) {
    const [topic, value] = pair.split('=');
    const count = Number(value);
    if (!known.has(topic)) {
      problems.push(`KAFKA_TOPIC_PARTITIONS: ${topic} is not a Liaison topic`);
    } else if (TOPIC_PARTITIONS[topic as TopicName] === 1) {
      problems.push(`KAFKA_TOPIC_PARTITIONS: ${topic} keeps one partition, its records' order`);
    } else if (count < TOPIC_PARTITIONS[topic as TopicName]) {
      problems.push(
        `KAFKA_TOPIC_PARTITIONS: ${topic} has at least ${TOPIC_PARTITIONS[topic as TopicName]} partitions, not ${count}`,
      );
    } else {
      partitions[topic as TopicName] = count;
    }
  }
  if (problems.length > 0) throw new ConfigurationError(problems);
  return {
    replicationFactor: config.KAFKA_REPLICATION_FACTOR,
    minInsyncReplicas: config.KAFKA_MIN_INSYNC_REPLICAS,
    partitions,
    contentRetentionMs: config.KAFKA_CONTENT_RETENTION_HOURS * 3_600_000,
  };
}
