import { decodeEvent, qualifiedTopic, type EventEnvelope, type EventOf, type TopicName } from '@liaison/contracts';
import type { Consumer, Kafka } from 'kafkajs';
import { randomUUID } from 'node:crypto';

/** Reads a Liaison topic from the beginning in its own consumer group and keeps every decoded event. */
export class TopicRecorder<T extends TopicName> {
  readonly events: EventEnvelope<EventOf<T>>[] = [];
  private readonly consumer: Consumer;

  constructor(
    kafka: Kafka,
    private readonly namespace: string,
    private readonly topic: T,
  ) {
    this.consumer = kafka.consumer({ groupId: `${namespace}recorder-${randomUUID()}`, maxWaitTimeInMs: 100 });
  }

  async start(): Promise<this> {
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: qualifiedTopic(this.namespace, this.topic), fromBeginning: true });
    await this.consumer.run({
      eachMessage: async ({ message }) => {
        this.events.push(decodeEvent(this.topic, message));
      },
    });
    return this;
  }

  find(predicate: (event: EventEnvelope<EventOf<T>>) => boolean): EventEnvelope<EventOf<T>>[] {
    return this.events.filter(predicate);
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
  }
}
