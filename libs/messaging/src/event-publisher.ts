import {
  encodeEvent,
  qualifiedTopic,
  type EncodedRecord,
  type OutgoingEvent,
  type TopicName,
} from '@liaison/contracts';
import { TraceScope } from '@liaison/observability';
import { CompressionTypes, Partitioners, type Kafka, type Producer, type TopicMessages } from 'kafkajs';

/** The broker did not acknowledge a publish: it refused it, did not answer in time, or is known to be away. */
export class BrokerUnacknowledgedError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BrokerUnacknowledgedError';
  }
}

export interface EventPublisherOptions {
  /**
   * Longest a publish waits for the broker's acknowledgement before it is answered as unacknowledged (the
   * gateway's callers are not held while the broker is away). The send may still land later: a retry must be
   * the same event (see the gateway's idempotency keys). Unset, a publish waits as long as kafkajs retries.
   */
  acknowledgeWithinMs?: number;
  /**
   * With a deadline, after an unacknowledged publish further publishes are refused at once for this long rather
   * than queued behind a broker that is away; then the next one tries again. Default 1 s.
   */
  pauseAfterFailureMs?: number;
}

/** What the publisher knows of the broker, for a readiness check. */
export interface PublisherState {
  available: boolean;
  detail?: string;
}

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
  private unavailable?: { until: number; detail: string };

  constructor(
    kafka: Kafka,
    private readonly namespace: string,
    private readonly options: EventPublisherOptions = {},
  ) {
    this.producer = kafka.producer({
      createPartitioner: Partitioners.DefaultPartitioner,
      allowAutoTopicCreation: false,
      // Bounded by a deadline, a publish gets fewer, quicker retries: a leader moving to another broker is
      // found within them, and a broker that is away is answered as such rather than waited for.
      retry:
        options.acknowledgeWithinMs === undefined
          ? { retries: 5 }
          : { retries: 4, initialRetryTime: 100, maxRetryTime: Math.max(200, options.acknowledgeWithinMs / 4) },
    });
  }

  /** Whether the last publish was acknowledged (or the pause after a failure is over). */
  state(): PublisherState {
    return this.unavailable && Date.now() < this.unavailable.until
      ? { available: false, detail: this.unavailable.detail }
      : { available: true };
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
    // Each event continues the span it was published from: the HTTP request's, or the consumed event's.
    await this.republish(
      topic,
      events.map((event) =>
        encodeEvent(topic, {
          ...event,
          traceparent: event.traceparent ?? TraceScope.traceparentFor(event.correlationId),
        }),
      ),
    );
  }

  /** Publishes records exactly as they are (a dead letter re-driven to the topic it came from). */
  async republish(topic: TopicName, records: EncodedRecord[]): Promise<void> {
    if (records.length === 0) return;
    const { available, detail } = this.state();
    if (!available) throw new BrokerUnacknowledgedError(detail ?? 'the broker is unavailable');
    const deadline = this.options.acknowledgeWithinMs;
    let timer: NodeJS.Timeout | undefined;
    const sent = (async () => {
      await this.connect();
      await new Promise<void>((resolve, reject) => {
        this.pending.push({ topic: qualifiedTopic(this.namespace, topic), records, resolve, reject });
        if (!this.flushScheduled) {
          this.flushScheduled = true;
          setImmediate(() => void this.flush());
        }
      });
    })();
    try {
      await (deadline === undefined
        ? sent
        : Promise.race([
            sent,
            new Promise<never>((_, reject) => {
              timer = setTimeout(
                () => reject(new BrokerUnacknowledgedError(`the broker did not acknowledge within ${deadline} ms`)),
                deadline,
              );
            }),
          ]));
      this.unavailable = undefined;
    } catch (error) {
      // A service's own publishes (no deadline) fail as kafkajs failed them, for its retry policy to classify.
      if (deadline === undefined) throw error;
      sent.catch(() => undefined); // answered already; a late failure has nothing left to tell
      const unacknowledged =
        error instanceof BrokerUnacknowledgedError
          ? error
          : new BrokerUnacknowledgedError(`the broker refused the publish (${(error as Error).name})`, {
              cause: error,
            });
      this.unavailable = {
        until: Date.now() + (this.options.pauseAfterFailureMs ?? 1_000),
        detail: `${unacknowledged.message} at ${new Date().toISOString()}`,
      };
      throw unacknowledged;
    } finally {
      clearTimeout(timer);
    }
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
