import {
  DeadLetterHeaders,
  decodeEvent,
  deadLetterTopic,
  qualifiedTopic,
  Topics,
  UndecodableEventError,
  type TopicName,
} from '@liaison/contracts';
import { Server, type CustomTransportStrategy, type MessageHandler } from '@nestjs/microservices';
import type { Consumer, EachBatchPayload, Kafka, KafkaMessage, Producer } from 'kafkajs';
import { Partitioners } from 'kafkajs';
import { lastValueFrom } from 'rxjs';
import type { Logger } from 'pino';
import { MetricDefinitions, SpanKind, TraceScope, type Metrics, type Tracing } from '@liaison/observability';
import type { EventBatch } from './event-batch';
import { ConsumerLag } from './consumer-lag';
import { classifyFailure, failureCode, type FailureKind } from './failures';
import { HEARTBEAT_INTERVAL_MS, whileBeating } from './heartbeats';

export interface KafkaBatchServerOptions {
  kafka: Kafka;
  namespace: string;
  /** Consumer group, shared by every replica of the service. */
  groupId: string;
  logger: Logger;
  /**
   * Attempts of a transiently failing record (or batch) while the service's dependencies answer, before it is
   * dead-lettered; a permanently failing one is dead-lettered at once.
   */
  maxAttempts?: number;
  /** First retry delay; doubles on each attempt, up to `maxRetryDelayMs`. */
  retryDelayMs?: number;
  maxRetryDelayMs?: number;
  /**
   * Whether the service's dependencies answer (its database, say). While they do not, a transient failure is
   * retried without being counted against the record.
   */
  probe?: () => Promise<boolean>;
  /** Partition batches handled at once: overlaps one batch's database round trips with another's work. */
  partitionsConsumedConcurrently?: number;
  /** Largest fetch per partition; bigger batches mean fewer transactions per message. */
  maxBytesPerPartition?: number;
  /**
   * Most events handed to the handler at once (one transaction): a larger fetch is applied in slices of this
   * size, each committed before the next. The consumer keeps sending heartbeats while a slice is applied, so
   * a slice may take longer than the group session.
   */
  maxEventsPerBatch?: number;
  /** Where events applied, dead letters and the group's lag are counted. */
  metrics?: Metrics;
  /** A span per event applied, continuing the trace its publisher started. */
  tracing?: Tracing;
}

type Failed = { ok: false; message: KafkaMessage; error: Error; kind: FailureKind | 'undecodable' };
type DecodedOrFailed = { ok: true; message: KafkaMessage; event: EventBatch<TopicName>['events'][number] } | Failed;

/** The partition was taken away or the consumer is stopping: the batch is left uncommitted for its next owner. */
class BatchAbandonedError extends Error {
  constructor() {
    super('batch abandoned: partition revoked or consumer stopping');
    this.name = 'BatchAbandonedError';
  }
}

/**
 * A Nest microservice transport that consumes Liaison topics in batches (kafkajs `eachBatch`), because
 * applying many events in one database transaction is what lets a service keep up with Kafka.
 *
 * For each partition batch it decodes the records, hands them to the `@EventPattern(topic)` handler (in slices
 * of at most `maxEventsPerBatch`), and commits the next offset only after the handler has returned. A failed
 * batch is halved until the records at fault are found; a record that fails permanently (see `failures.ts`), or
 * transiently more than `maxAttempts` times while the service's dependencies answer, is written to
 * `<topic>.dlq` with its failure's code (never its message), so one poison record holds its partition for at
 * most a bounded time. Handlers must therefore be idempotent, which they are by deduplicating on the event id.
 */
export class KafkaBatchServer extends Server implements CustomTransportStrategy {
  private consumer?: Consumer;
  /** See `KafkaBatchServerOptions.probe`; may be set once the app that owns the dependencies exists. */
  probe?: () => Promise<boolean>;
  private deadLetters?: Producer;
  private readonly maxAttempts: number;
  private readonly retryDelayMs: number;
  private readonly maxRetryDelayMs: number;
  private readonly maxEventsPerBatch: number;
  /** Whether the consumer is a member of its group now (joined, and not crashed or stopped since). */
  private member: { joined: boolean; detail: string } = { joined: false, detail: 'not started' };
  private readonly lag: ConsumerLag;

  constructor(private readonly options: KafkaBatchServerOptions) {
    super();
    this.maxAttempts = options.maxAttempts ?? 5;
    this.retryDelayMs = options.retryDelayMs ?? 200;
    this.maxRetryDelayMs = options.maxRetryDelayMs ?? 10_000;
    this.maxEventsPerBatch = options.maxEventsPerBatch ?? 5_000;
    this.lag = new ConsumerLag(options.kafka, options.namespace, options.groupId, () => [
      ...(this.getHandlers().keys() as Iterable<TopicName>),
    ]);
    options.metrics?.gauge(MetricDefinitions.consumerLag, () => this.lag.read());
  }

  /** Whether this consumer is in its group, for the service's readiness. */
  membership(): { ok: boolean; detail?: string } {
    return this.member.joined ? { ok: true } : { ok: false, detail: this.member.detail };
  }

  async listen(callback: (error?: unknown) => void): Promise<void> {
    try {
      await this.start();
      callback();
    } catch (error) {
      callback(error);
    }
  }

  private async start(): Promise<void> {
    const { kafka, namespace, groupId, logger } = this.options;
    const topics = [...this.getHandlers().keys()] as TopicName[];
    const known = new Set<string>(Object.values(Topics));
    for (const topic of topics)
      if (!known.has(topic)) throw new Error(`@EventPattern('${topic}') is not a Liaison topic`);

    for (const topic of topics) {
      this.options.metrics?.counter(MetricDefinitions.eventsConsumed).inc({ topic }, 0);
      this.options.metrics?.counter(MetricDefinitions.deadLetters).inc({ topic }, 0);
    }
    this.deadLetters = kafka.producer({
      createPartitioner: Partitioners.DefaultPartitioner,
      allowAutoTopicCreation: false,
    });
    await this.deadLetters.connect();
    this.consumer = kafka.consumer({
      groupId: `${namespace}${groupId}`,
      // A member that dies is replaced within 10 s (it heartbeats every 3 s, through long batches too).
      sessionTimeout: 10_000,
      heartbeatInterval: HEARTBEAT_INTERVAL_MS,
      // The broker holds a fetch until 64 kB are ready or 100 ms have passed: under load that turns a trickle
      // of one-event batches (one transaction each) into batches worth a transaction, at a bounded latency cost.
      minBytes: 64 * 1024,
      maxWaitTimeInMs: 100,
      maxBytesPerPartition: this.options.maxBytesPerPartition ?? 4 * 1024 * 1024,
      maxBytes: 4 * (this.options.maxBytesPerPartition ?? 4 * 1024 * 1024),
      allowAutoTopicCreation: false,
    });
    this.consumer.on(this.consumer.events.CRASH, (event) => {
      this.member = { joined: false, detail: `consumer crashed (${event.payload.error.name}); restarting` };
      logger.error({ err: event.payload.error, restart: event.payload.restart }, 'consumer crashed');
    });
    this.consumer.on(this.consumer.events.GROUP_JOIN, () => (this.member = { joined: true, detail: '' }));
    this.consumer.on(this.consumer.events.STOP, () => (this.member = { joined: false, detail: 'consumer stopped' }));
    this.consumer.on(
      this.consumer.events.DISCONNECT,
      () => (this.member = { joined: false, detail: 'consumer disconnected from the broker' }),
    );
    await this.consumer.connect();
    await this.consumer.subscribe({
      topics: topics.map((topic) => qualifiedTopic(namespace, topic)),
      fromBeginning: true,
    });
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 3,
      eachBatch: (payload) => this.consumeBatch(payload),
    });
    logger.info({ groupId: `${namespace}${groupId}`, topics }, 'consuming');
  }

  private baseTopic(qualified: string): TopicName {
    return qualified.slice(this.options.namespace.length) as TopicName;
  }

  private async consumeBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    const heartbeat = () => payload.heartbeat();
    if (batch.messages.length === 0 || !payload.isRunning() || payload.isStale()) return;
    const topic = this.baseTopic(batch.topic);
    const handler = this.getHandlerByPattern(topic);
    if (!handler) throw new Error(`no handler for ${topic}`);

    for (let start = 0; start < batch.messages.length; start += this.maxEventsPerBatch) {
      // A rebalance since the fetch: what is left goes to this partition's new owner (or comes back refetched).
      if (start > 0 && (!payload.isRunning() || payload.isStale())) return;
      const slice = batch.messages.slice(start, start + this.maxEventsPerBatch);
      const records: DecodedOrFailed[] = slice.map((message) => {
        try {
          return { ok: true, message, event: decodeEvent(topic, message) };
        } catch (error) {
          if (error instanceof UndecodableEventError)
            return { ok: false, message, error, kind: 'undecodable' } satisfies Failed;
          throw error;
        }
      });
      const decoded = records.filter((r) => r.ok);
      const undecodable = records.filter((r): r is Failed => !r.ok);

      const running = () => payload.isRunning() && !payload.isStale();
      let failures: Failed[] = [];
      try {
        if (decoded.length > 0)
          failures = await this.apply(handler, topic, batch.partition, decoded, heartbeat, running);
      } catch (error) {
        if (error instanceof BatchAbandonedError) return;
        throw error;
      }
      const deadLettered = [...undecodable, ...failures];
      if (deadLettered.length > 0) await this.deadLetter(batch.topic, batch.partition, deadLettered);

      this.options.metrics
        ?.counter(MetricDefinitions.eventsConsumed)
        .inc({ topic }, slice.length - deadLettered.length);
      const last = slice[slice.length - 1].offset;
      payload.resolveOffset(last);
      await this.consumer?.commitOffsets([
        { topic: batch.topic, partition: batch.partition, offset: (BigInt(last) + 1n).toString() },
      ]);
      await heartbeat();
    }
  }

  /**
   * Applies the records; when they fail, finds the ones at fault by halving (offset order is kept: the first
   * half is applied before the second). Returns the records that can never be applied, each with its failure.
   */
  private async apply(
    handler: MessageHandler,
    topic: TopicName,
    partition: number,
    decoded: Extract<DecodedOrFailed, { ok: true }>[],
    heartbeat: () => Promise<void>,
    running: () => boolean,
  ): Promise<Failed[]> {
    const failure = await this.attempt(handler, topic, partition, decoded, heartbeat, running);
    if (failure === null) return [];
    if (decoded.length === 1)
      return [{ ok: false, message: decoded[0].message, error: failure.error, kind: failure.kind }];
    this.options.logger.warn(
      { topic, partition, events: decoded.length, failure: failure.kind, err: failure.error },
      'batch failed; looking for the records at fault',
    );
    const middle = Math.ceil(decoded.length / 2);
    const first = await this.apply(handler, topic, partition, decoded.slice(0, middle), heartbeat, running);
    return [...first, ...(await this.apply(handler, topic, partition, decoded.slice(middle), heartbeat, running))];
  }

  /**
   * One application of the records, retried with backoff while its failure is transient: at most `maxAttempts`
   * times while the service's dependencies answer its probe, and for as long as they do not (their outage is
   * no record's fault, and nothing else on the partition could be applied either). A permanent failure ends
   * it at once. Gives up, uncommitted, when the partition is taken away or the consumer stops.
   */
  private async attempt(
    handler: MessageHandler,
    topic: TopicName,
    partition: number,
    decoded: Extract<DecodedOrFailed, { ok: true }>[],
    heartbeat: () => Promise<void>,
    running: () => boolean,
  ): Promise<{ error: Error; kind: FailureKind } | null> {
    const batch: EventBatch<TopicName> = { topic, partition, events: decoded.map((r) => r.event) };
    let attempts = 0;
    let waits = 0;
    for (;;) {
      // One span per event, under its publisher's; what the handler publishes continues it (by correlation id).
      const spans = decoded.map(({ event }) =>
        this.options.tracing
          ? this.options.tracing.start(`${this.options.groupId} apply ${topic}`, SpanKind.CONSUMER, event.traceparent, {
              'messaging.system': 'kafka',
              'messaging.destination.name': topic,
              'messaging.destination.partition.id': String(partition),
              'messaging.consumer.group.name': this.options.groupId,
              'messaging.batch.message_count': decoded.length,
            })
          : undefined,
      );
      const byCorrelation = new Map<string, string>();
      decoded.forEach(({ event }, i) => {
        const traceparent = spans[i]?.traceparent ?? event.traceparent;
        if (traceparent) byCorrelation.set(event.correlationId, traceparent);
      });
      try {
        await TraceScope.run({ byCorrelation }, () =>
          whileBeating(heartbeat, async () => {
            await lastValueFrom(this.transformToObservable(await handler(batch)), { defaultValue: undefined });
          }),
        );
        for (const span of spans) span?.end();
        return null;
      } catch (thrown) {
        for (const span of spans) span?.end(thrown);
        const error = thrown instanceof Error ? thrown : new Error(`non-error thrown (${typeof thrown})`);
        const kind = classifyFailure(error);
        if (kind === 'permanent') return { error, kind };
        const outage = !(await this.dependenciesAnswer());
        if (!outage) attempts += 1;
        this.options.logger.warn(
          {
            topic,
            partition,
            attempt: attempts,
            outage,
            events: decoded.length,
            correlationIds: decoded.map((r) => r.event.correlationId).slice(0, 5),
            err: error,
          },
          'handler failed; retrying',
        );
        if (attempts >= this.maxAttempts) return { error, kind };
        if (!running()) throw new BatchAbandonedError();
        waits += 1;
        await this.pause(Math.min(this.retryDelayMs * 2 ** (waits - 1), this.maxRetryDelayMs), heartbeat, running);
      }
    }
  }

  private async dependenciesAnswer(): Promise<boolean> {
    const probe = this.probe ?? this.options.probe;
    if (!probe) return true;
    try {
      return await probe();
    } catch {
      return false;
    }
  }

  /** Waits, beating, in steps short enough to notice a rebalance or a stop. */
  private async pause(ms: number, heartbeat: () => Promise<void>, running: () => boolean): Promise<void> {
    for (let left = ms; left > 0; left -= 1_000) {
      await new Promise((resolve) => setTimeout(resolve, Math.min(left, 1_000)));
      if (!running()) throw new BatchAbandonedError();
      await heartbeat();
    }
  }

  private async deadLetter(qualified: string, partition: number, records: Failed[]): Promise<void> {
    await this.deadLetters?.send({
      topic: deadLetterTopic(qualified),
      acks: -1,
      messages: records.map((record) => ({
        key: record.message.key,
        value: record.message.value,
        headers: {
          ...record.message.headers,
          [DeadLetterHeaders.sourceTopic]: qualified,
          [DeadLetterHeaders.sourcePartition]: String(partition),
          [DeadLetterHeaders.sourceOffset]: record.message.offset,
          [DeadLetterHeaders.group]: `${this.options.namespace}${this.options.groupId}`,
          [DeadLetterHeaders.failure]: record.kind,
          // The error's class and code only: a database's message can quote the value it refused.
          [DeadLetterHeaders.error]: failureCode(record.error),
          [DeadLetterHeaders.at]: new Date().toISOString(),
        },
      })),
    });
    this.options.metrics
      ?.counter(MetricDefinitions.deadLetters)
      .inc({ topic: this.baseTopic(qualified) }, records.length);
    this.options.logger.error(
      {
        topic: qualified,
        partition,
        offsets: records.map((r) => r.message.offset),
        failures: records.map((r) => `${r.kind}: ${failureCode(r.error)}`),
      },
      'records dead-lettered',
    );
  }

  async close(): Promise<void> {
    await this.consumer?.disconnect();
    await this.deadLetters?.disconnect();
    await this.lag.close();
  }

  on(): never {
    // Whether a service is consuming is read from its consumer group on the broker (see the gateway's readiness).
    throw new Error('KafkaBatchServer does not expose events through on()');
  }

  unwrap<T>(): T {
    if (!this.consumer) throw new Error('KafkaBatchServer is not started');
    return this.consumer as T;
  }
}
