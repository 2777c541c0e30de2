import type { EncodedRecord, OutgoingEvent, TopicName } from '@liaison/contracts';
import { EventPublisher } from '@liaison/messaging';
import { MetricDefinitions, Metrics } from '@liaison/observability';
import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { ApplicationError, ErrorCode } from './application-error';

/** Seconds a caller is asked to wait before trying again while the broker is away. */
export const BROKER_RETRY_AFTER_SECONDS = 5;

/**
 * How the gateway hands a command to the router: publishes it and waits for the broker's acknowledgement
 * (at most PUBLISH_ACK_TIMEOUT_MS). When the broker does not acknowledge, the caller gets a 503 with
 * Retry-After saying nothing was accepted, so that it can retry (with the same Idempotency-Key, which publishes
 * the same message again rather than a second one) rather than believe a change was made.
 */
@Injectable()
export class CommandPublisher {
  constructor(
    private readonly publisher: EventPublisher,
    private readonly logger: PinoLogger,
    private readonly metrics: Metrics,
  ) {
    this.logger.setContext(CommandPublisher.name);
  }

  async publish<T extends TopicName>(topic: T, events: OutgoingEvent<T>[]): Promise<void> {
    await this.acknowledged(
      topic,
      events.map((e) => e.key),
      () => this.publisher.publish(topic, events),
    );
  }

  /** Records published again exactly as they were (see EventPublisher.republish). */
  async republish(topic: TopicName, records: EncodedRecord[]): Promise<void> {
    await this.acknowledged(
      topic,
      records.map((r) => r.key),
      () => this.publisher.republish(topic, records),
    );
  }

  private async acknowledged(topic: TopicName, keys: string[], send: () => Promise<void>): Promise<void> {
    const published = this.metrics.counter(MetricDefinitions.published);
    try {
      await send();
      published.inc({ topic, outcome: 'acknowledged' }, keys.length);
    } catch (error) {
      published.inc({ topic, outcome: 'unacknowledged' }, keys.length);
      this.logger.error({ err: error, topic, keys }, 'broker did not acknowledge');
      throw new ApplicationError(
        ErrorCode.BrokerUnavailable,
        'nothing was accepted because the message broker did not acknowledge the request; retry later',
        [],
        BROKER_RETRY_AFTER_SECONDS,
      );
    }
  }
}
