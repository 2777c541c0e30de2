import { decodeEvent, deadLetterTopic, qualifiedTopic, Topics, UndecodableEventError, type TopicName } from '@liaison/contracts';
import { Server, type CustomTransportStrategy, type MessageHandler } from '@nestjs/microservices';
import type { Consumer, EachBatchPayload, Kafka, KafkaMessage, Producer } from 'kafkajs';
import { Partitioners } from 'kafkajs';
import { lastValueFrom } from 'rxjs';
import type { Logger } from 'pino';
import type { EventBatch } from './event-batch';
import { HEARTBEAT_INTERVAL_MS, whileBeating } from './heartbeats';

export interface KafkaBatchServerOptions {
  kafka: Kafka;
  namespace: string;
  /** Consumer group, shared by every replica of the service. */
  groupId: string;
  logger: Logger;
  /** Attempts for a failing batch, and then for each event of it alone, before it is dead-lettered. */
  maxAttempts?: number;
  /** First retry delay; doubles on each attempt. */
  retryDelayMs?: number;
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
}

type DecodedOrFailed =
  | { ok: true; message: KafkaMessage; event: EventBatch<TopicName>['events'][number] }
  | { ok: false; message: KafkaMessage; error: Error };

/**
 * A Nest microservice transport that consumes Liaison topics in batches (kafkajs `eachBatch`), because
 * applying many events in one database transaction is what lets a service keep up with Kafka.
 *
 * For each partition batch it decodes the records, hands them to the `@EventPattern(topic)` handler (in slices
 * of at most `maxEventsPerBatch`), and commits the next offset only after the handler has returned. A failing batch is retried with backoff;
 * if it keeps failing, its events are retried one by one and the ones that still fail (and records that
 * cannot be decoded) are written to `<topic>.dlq` with the error, so one poison record never blocks its
 * partition. Handlers must therefore be idempotent, which they are by deduplicating on the event id.
 */
export class KafkaBatchServer extends Server implements CustomTransportStrategy {
  private consumer?: Consumer;
  private deadLetters?: Producer;
  private readonly maxAttempts: number;
  private readonly retryDelayMs: number;
  private readonly maxEventsPerBatch: number;

  constructor(private readonly options: KafkaBatchServerOptions) {
    super();
    this.maxAttempts = options.maxAttempts ?? 5;
    this.retryDelayMs = options.retryDelayMs ?? 200;
    this.maxEventsPerBatch = options.maxEventsPerBatch ?? 5_000;
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
    for (const topic of topics) if (!known.has(topic)) throw new Error(`@EventPattern('${topic}') is not a Liaison topic`);

    this.deadLetters = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false });
    await this.deadLetters.connect();
    this.consumer = kafka.consumer({
      groupId: `${namespace}${groupId}`,
      sessionTimeout: 30_000,
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
      logger.error({ err: event.payload.error, restart: event.payload.restart }, 'consumer crashed');
    });
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: topics.map((topic) => qualifiedTopic(namespace, topic)), fromBeginning: true });
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
          if (error instanceof UndecodableEventError) return { ok: false, message, error };
          throw error;
        }
      });
      const decoded = records.filter((r) => r.ok);
      const undecodable = records.filter((r) => !r.ok);

      const failures = decoded.length === 0 ? [] : await this.applyWithRetries(handler, topic, batch.partition, decoded, heartbeat);
      const deadLettered = [...undecodable, ...failures];
      if (deadLettered.length > 0) await this.deadLetter(batch.topic, batch.partition, deadLettered);

      const last = slice[slice.length - 1].offset;
      payload.resolveOffset(last);
      await this.consumer?.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: (BigInt(last) + 1n).toString() }]);
      await heartbeat();
    }
  }

  /** Applies the whole batch; if that keeps failing, each event alone. Returns the events that never applied. */
  private async applyWithRetries(
    handler: MessageHandler,
    topic: TopicName,
    partition: number,
    decoded: Extract<DecodedOrFailed, { ok: true }>[],
    heartbeat: () => Promise<void>,
  ): Promise<DecodedOrFailed[]> {
    const whole = await this.attempt(handler, topic, partition, decoded, heartbeat);
    if (whole === null) return [];
    if (decoded.length === 1) return [{ ok: false, message: decoded[0].message, error: whole }];
    this.options.logger.warn({ topic, partition, events: decoded.length, err: whole }, 'batch keeps failing; applying its events one by one');
    const failed: DecodedOrFailed[] = [];
    for (const record of decoded) {
      const error = await this.attempt(handler, topic, partition, [record], heartbeat);
      if (error) failed.push({ ok: false, message: record.message, error });
    }
    return failed;
  }

  private async attempt(
    handler: MessageHandler,
    topic: TopicName,
    partition: number,
    decoded: Extract<DecodedOrFailed, { ok: true }>[],
    heartbeat: () => Promise<void>,
  ): Promise<Error | null> {
    const batch: EventBatch<TopicName> = { topic, partition, events: decoded.map((r) => r.event) };
    let lastError: Error | null = null;
    for (let attempt = 1; attempt <= this.maxAttempts; attempt += 1) {
      try {
        await whileBeating(heartbeat, async () => {
          await lastValueFrom(this.transformToObservable(await handler(batch)), { defaultValue: undefined });
        });
        return null;
      } catch (error) {
        lastError = error instanceof Error ? error : new Error(JSON.stringify(error) ?? 'unknown error');
        this.options.logger.warn(
          { topic, partition, attempt, events: decoded.length, correlationIds: decoded.map((r) => r.event.correlationId).slice(0, 5), err: lastError },
          'handler failed',
        );
        if (attempt < this.maxAttempts) {
          await heartbeat();
          await new Promise((resolve) => setTimeout(resolve, this.retryDelayMs * 2 ** (attempt - 1)));
        }
      }
    }
    return lastError;
  }

  private async deadLetter(qualified: string, partition: number, records: DecodedOrFailed[]): Promise<void> {
    await this.deadLetters?.send({
      topic: deadLetterTopic(qualified),
      acks: -1,
      messages: records.map((record) => ({
        key: record.message.key,
        value: record.message.value,
        headers: {
          ...record.message.headers,
          'liaison-dlq-source-topic': qualified,
          'liaison-dlq-source-partition': String(partition),
          'liaison-dlq-source-offset': record.message.offset,
          'liaison-dlq-error': record.ok ? '' : record.error.message.slice(0, 1000),
        },
      })),
    });
    this.options.logger.error({ topic: qualified, partition, offsets: records.map((r) => r.message.offset) }, 'records dead-lettered');
  }

  async close(): Promise<void> {
    await this.consumer?.disconnect();
    await this.deadLetters?.disconnect();
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
