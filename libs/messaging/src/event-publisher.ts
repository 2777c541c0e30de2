import { encodeEvent, qualifiedTopic, type OutgoingEvent, type TopicName } from '@liaison/contracts';
import { CompressionTypes, Partitioners, type Kafka, type Producer } from 'kafkajs';

/**
 * Publishes Liaison events. `publish` resolves only when every record is acknowledged by all in-sync
 * replicas (acks = -1), and rejects when the broker refuses them, so callers can answer their own caller
 * truthfully. The producer is not idempotent on purpose: that would allow one request in flight, and
 * consumers deduplicate by event id anyway.
 */
export class EventPublisher {
  private readonly producer: Producer;
  private connected?: Promise<void>;

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
    await this.connect();
    await this.producer.send({
      topic: qualifiedTopic(this.namespace, topic),
      acks: -1,
      compression: CompressionTypes.None,
      messages: events.map((event) => encodeEvent(topic, event)),
    });
  }

  async disconnect(): Promise<void> {
    if (this.connected) await this.producer.disconnect();
    this.connected = undefined;
  }
}
