import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import {
  eventTime,
  ConsumerGroups,
  DeadLetterHeaders,
  deadLetterTopic,
  decodeEvent,
  Headers,
  MessageRejectedSchema,
  qualifiedTopic,
  RejectionReason,
  timedEventId,
  Topics,
  type TopicName,
} from '@liaison/contracts';
import { printable } from '@liaison/domain';
import { SERVICE_CONFIG } from '@liaison/runtime';
import { EventPublisher } from '@liaison/messaging';
import { timeOrderedId } from '@liaison/persistence';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Consumer, EachBatchPayload, KafkaMessage } from 'kafkajs';
import { Kafka } from 'kafkajs';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import type { RouterConfig } from './router.config';
import { DeadLetterRepository, type DeadLetterRow } from './dead-letter.repository';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DEAD_LETTER_HEADERS = new Set<string>(Object.values(DeadLetterHeaders));

/** A header that should hold a partition or offset; -1 when it does not. */
function digits(value: string | undefined): string {
  return value !== undefined && /^\d{1,19}$/.test(value) ? value : '-1';
}

/**
 * Reads every dead-letter topic into the dead-letter ledger, where administrators see and re-drive them, and
 * tells the sender of each submitted message the router dead-lettered that it was rejected (UNPROCESSABLE).
 * Its own consumer group; offsets are committed after the ledger's transaction, and recording is idempotent
 * (one row per place in a dead-letter topic), so a record read twice is recorded once.
 */
@Injectable()
export class DeadLetterRecorder implements OnApplicationBootstrap, OnApplicationShutdown {
  private consumer?: Consumer;
  private readonly namespace: string;

  constructor(
    private readonly kafka: Kafka,
    @Inject(SERVICE_CONFIG) config: RouterConfig,
    private readonly ledger: DeadLetterRepository,
    private readonly publisher: EventPublisher,
    @InjectPinoLogger(DeadLetterRecorder.name) private readonly logger: PinoLogger,
  ) {
    this.namespace = config.KAFKA_NAMESPACE;
  }

  async onApplicationBootstrap(): Promise<void> {
    this.consumer = this.kafka.consumer({
      groupId: `${this.namespace}${ConsumerGroups.router}-dead-letters`,
      // As the router's own group: a router that dies is replaced within 10 s.
      sessionTimeout: 10_000,
      heartbeatInterval: 3_000,
      maxWaitTimeInMs: 500,
      allowAutoTopicCreation: false,
    });
    await this.consumer.connect();
    const topics = (Object.values(Topics) as TopicName[]).map((topic) =>
      deadLetterTopic(qualifiedTopic(this.namespace, topic)),
    );
    await this.consumer.subscribe({ topics, fromBeginning: true });
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: (payload) => this.recordBatch(payload),
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.consumer?.disconnect();
  }

  private async recordBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    if (batch.messages.length === 0) return;
    const rows = batch.messages.map((message) => this.row(batch.topic, batch.partition, message));
    const rejections = await this.ledger.record(rows, new Date());
    await this.publisher.publish(
      Topics.messageRejected,
      rejections.map((r) => ({
        eventId: timedEventId(r.rejectedAt, Topics.messageRejected, r.messageId),
        key: r.caseReference,
        correlationId: rows.find((row) => row.rejection?.messageId === r.messageId)?.correlationId ?? r.messageId,
        payload: create(MessageRejectedSchema, {
          messageId: r.messageId,
          caseReference: r.caseReference,
          senderAgency: r.senderAgency,
          reason: RejectionReason.UNPROCESSABLE,
          detail: r.detail,
          rejectedAt: timestampFromDate(r.rejectedAt),
        }),
      })),
    );
    const last = batch.messages[batch.messages.length - 1].offset;
    payload.resolveOffset(last);
    await this.consumer?.commitOffsets([
      { topic: batch.topic, partition: batch.partition, offset: (BigInt(last) + 1n).toString() },
    ]);
    await payload.heartbeat();
    this.logger.warn(
      {
        dlqTopic: batch.topic,
        records: rows.length,
        failures: rows.map((r) => `${r.sourceTopic} ${r.failure}: ${r.error}`).slice(0, 10),
      },
      'dead letters recorded',
    );
  }

  private row(dlqTopic: string, dlqPartition: number, message: KafkaMessage): DeadLetterRow {
    const headers: Record<string, string> = {};
    const dead: Record<string, string> = {};
    for (const [name, value] of Object.entries(message.headers ?? {})) {
      const text = (Array.isArray(value) ? value[0] : value)?.toString() ?? '';
      (DEAD_LETTER_HEADERS.has(name) ? dead : headers)[name] = text;
    }
    const unqualified = (topic: string) =>
      topic.startsWith(this.namespace) ? topic.slice(this.namespace.length) : topic;
    const sourceTopic = unqualified(dead[DeadLetterHeaders.sourceTopic] ?? dlqTopic.replace(/\.dlq$/, ''));
    const consumerGroup = unqualified(dead[DeadLetterHeaders.group] ?? '');
    const at = Date.parse(dead[DeadLetterHeaders.at] ?? '');
    const row: DeadLetterRow = {
      id: timeOrderedId(),
      dlqTopic: unqualified(dlqTopic),
      dlqPartition,
      dlqOffset: message.offset,
      sourceTopic: printable(sourceTopic),
      sourcePartition: Number(digits(dead[DeadLetterHeaders.sourcePartition])),
      sourceOffset: digits(dead[DeadLetterHeaders.sourceOffset]),
      consumerGroup: printable(consumerGroup),
      failure: printable(dead[DeadLetterHeaders.failure] ?? 'unknown'),
      error: printable(dead[DeadLetterHeaders.error] ?? ''),
      eventId: printable(headers[Headers.eventId] ?? ''),
      eventType: printable(headers[Headers.eventType] ?? ''),
      correlationId: printable(headers[Headers.correlationId] ?? ''),
      deadLetteredAt: Number.isNaN(at) ? new Date(Number(message.timestamp)) : new Date(at),
      recordKey: message.key,
      recordValue: message.value,
      recordHeaders: headers,
      rejection: null,
    };
    if (sourceTopic === Topics.messageSubmitted && consumerGroup === ConsumerGroups.router)
      row.rejection = this.rejectionOf(message);
    return row;
  }

  /** The submitted message a dead letter holds, when it can be read and its id is one: its sender is told. */
  private rejectionOf(message: KafkaMessage): DeadLetterRow['rejection'] {
    try {
      const { payload, recordedAt } = decodeEvent(Topics.messageSubmitted, message);
      if (!UUID.test(payload.messageId)) return null;
      return {
        messageId: payload.messageId,
        caseReference: printable(payload.caseReference),
        senderAgency: printable(payload.senderAgency),
        submittedAt: eventTime(payload.submittedAt, recordedAt),
      };
    } catch {
      return null;
    }
  }
}
