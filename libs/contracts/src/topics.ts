/**
 * Every Kafka topic Liaison uses, with its partition count. Names are versioned and never renamed in place:
 * a breaking change to a contract gets a new `.v2` topic. Each topic has a dead-letter twin (`<topic>.dlq`)
 * that receives records a consumer could not process after its bounded retries.
 */
export const Topics = {
  messageSubmitted: 'liaison.messages.submitted.v1',
  messageRouted: 'liaison.messages.routed.v1',
  messageRejected: 'liaison.messages.rejected.v1',
  messageRectified: 'liaison.messages.rectified.v1',
  messageRevised: 'liaison.messages.revised.v1',
  messageRead: 'liaison.messages.read.v1',
  caseOpened: 'liaison.cases.opened.v1',
  caseClosed: 'liaison.cases.closed.v1',
  caseErased: 'liaison.cases.erased.v1',
  caseRestrictionChanged: 'liaison.cases.restricted.v1',
  messageForwarded: 'liaison.messages.forwarded.v1',
  permissionDecided: 'liaison.messages.permission-decided.v1',
  jitChanged: 'liaison.jits.changed.v1',
  auditRecorded: 'liaison.audit.recorded.v1',
  auditCheckpoints: 'liaison.audit.checkpoints.v1',
  matchFound: 'liaison.matches.found.v1',
  matchReviewed: 'liaison.matches.reviewed.v1',
  matchUpdated: 'liaison.matches.updated.v1',
  matchKeyExclusionChanged: 'liaison.matches.exclusions.v1',
} as const;

export type TopicKey = keyof typeof Topics;
export type TopicName = (typeof Topics)[TopicKey];

/**
 * Topics whose records carry personal content (sealed under case keys): the broker keeps them only for
 * KAFKA_CONTENT_RETENTION_HOURS, long enough for every consumer to have stored what it needs. Every other topic
 * carries figures and references only, and is kept for good: the tracker's reports are rebuilt from it.
 */
export const CONTENT_TOPICS: ReadonlySet<TopicName> = new Set([
  Topics.messageSubmitted,
  Topics.messageRectified,
  Topics.caseOpened,
]);

/** Topics whose broker keeps only the newest record of each key (cleanup.policy=compact). */
export const COMPACTED_TOPICS: ReadonlySet<TopicName> = new Set([Topics.auditCheckpoints]);

/** Partitions bound how many replicas of a consumer can share the work; 6 leaves room to scale out. */
export const TOPIC_PARTITIONS: Record<TopicName, number> = {
  [Topics.messageSubmitted]: 6,
  [Topics.messageRouted]: 6,
  [Topics.messageRejected]: 3,
  [Topics.messageRectified]: 6,
  [Topics.messageRevised]: 6,
  [Topics.messageRead]: 6,
  [Topics.caseOpened]: 6,
  [Topics.caseClosed]: 6,
  [Topics.caseErased]: 6,
  [Topics.caseRestrictionChanged]: 6,
  [Topics.messageForwarded]: 6,
  [Topics.permissionDecided]: 6,
  [Topics.jitChanged]: 3,
  // One partition: the audit log is one hash chain, appended in one order by one consumer.
  [Topics.auditRecorded]: 1,
  // One partition and one key: compaction keeps the newest checkpoint of the chain's head.
  [Topics.auditCheckpoints]: 1,
  [Topics.matchFound]: 6,
  [Topics.matchReviewed]: 6,
  [Topics.matchUpdated]: 6,
  [Topics.matchKeyExclusionChanged]: 3,
};

export function deadLetterTopic(topic: string): string {
  return `${topic}.dlq`;
}

/** The topic as it exists on the broker: deployments sharing a broker are separated by a namespace prefix. */
export function qualifiedTopic(namespace: string, topic: TopicName): string {
  return `${namespace}${topic}`;
}

/** Consumer group names, one per service; replicas of a service share it and split the partitions. */
export const ConsumerGroups = {
  router: 'liaison-router',
  tracker: 'liaison-tracker',
  matcher: 'liaison-matcher',
  notifier: 'liaison-notifier',
} as const;

/** Kafka headers a dead-lettered record carries besides its own (which stay as they were). */
export const DeadLetterHeaders = {
  sourceTopic: 'liaison-dlq-source-topic',
  sourcePartition: 'liaison-dlq-source-partition',
  sourceOffset: 'liaison-dlq-source-offset',
  /** The consumer group that could not apply it. */
  group: 'liaison-dlq-group',
  /** `permanent`, `transient` (retried until the bound) or `undecodable`. */
  failure: 'liaison-dlq-failure',
  /** The failure's class and code, e.g. `SQLSTATE 22021 (data exception)`; never its message. */
  error: 'liaison-dlq-error',
  /** When it was dead-lettered (ISO 8601). */
  at: 'liaison-dlq-at',
} as const;
