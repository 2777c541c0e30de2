import {
  encodeEvent,
  qualifiedTopic,
  type EncodedRecord,
  type OutgoingEvent,
  type TopicName,
} from '@liaison/contracts';
import { CompressionTypes, Partitioners, type Kafka, type Producer, type TopicMessages } from 'kafkajs';

interface Pending {
  topic: string;
  records: EncodedRecord[];
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Publishes Liaison events. `publish` resolves only when every record is acknowledged by all in-sync
 * replicas (acks = -1), and rejects when the broker refuses them, so callers can answer their own caller
 * truthfully.
 *
 * Publishes made in the same turn of the event loop (concurrent HTTP requests, say) travel in one produce
 * request: under load that is what keeps the broker round trips per submission near zero. The producer is
 * not idempotent on purpose: that would allow one request in flight, and consumers deduplicate anyway.
 */
export class EventPublisher {
  private readonly producer: Producer;
  private connected?: Promise<void>;
  private pending: Pending[] = [];
  private flushScheduled = false;

  constructor(
    kafka: Kafka,
    private readonly namespace: string,
  ) {
    this.producer = kafka.producer({
      createPartitioner: Partitioners.DefaultPartitioner,
      allowAutoTopicCreation: false,
      retry: { retries: 5 },
    });
  }

  async connect(): Promise<void> {
    this.connected ??= this.producer.connect();
    try {
      await this.connected;
    } catch (error) {
      this.connected = undefined;
      throw error;
    }
  }

  async publish<T extends TopicName>(topic: T, events: OutgoingEvent<T>[]): Promise<void> {
    if (events.length === 0) return;
    await this.republish(
      topic,
      events.map((event) => encodeEvent(topic, event)),
    );
  }

  /** Publishes records exactly as they are (a dead letter re-driven to the topic it came from). */
  async republish(topic: TopicName, records: EncodedRecord[]): Promise<void> {
    if (records.length === 0) return;
    await this.connect();
    await new Promise<void>((resolve, reject) => {
      this.pending.push({ topic: qualifiedTopic(this.namespace, topic), records, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    this.flushScheduled = false;
    const byTopic = new Map<string, EncodedRecord[]>();
    for (const item of batch) byTopic.set(item.topic, [...(byTopic.get(item.topic) ?? []), ...item.records]);
    const topicMessages: TopicMessages[] = [...byTopic].map(([topic, messages]) => ({ topic, messages }));
    try {
      await this.producer.sendBatch({ topicMessages, acks: -1, compression: CompressionTypes.None });
      for (const item of batch) item.resolve();
    } catch (error) {
      for (const item of batch) item.reject(error);
    }
  }

  async disconnect(): Promise<void> {
    if (this.connected) await this.producer.disconnect();
    this.connected = undefined;
  }
}
