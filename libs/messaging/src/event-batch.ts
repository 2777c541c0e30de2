import type { EventEnvelope, EventOf, TopicName } from '@liaison/contracts';

/**
 * What an `@EventPattern(topic)` handler receives from KafkaBatchServer: the decoded events of one
 * partition, in offset order. The handler must apply them durably (and idempotently, deduplicating on
 * `eventId`) before it returns; only then is the offset committed.
 */
export interface EventBatch<T extends TopicName> {
  topic: T;
  partition: number;
  events: EventEnvelope<EventOf<T>>[];
}
