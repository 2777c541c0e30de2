import { Topics } from '@liaison/contracts';
import type { EventBatch } from '@liaison/messaging';
import { TraceScope } from '@liaison/observability';
import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { IndexMessagesUseCase } from './index-messages.usecase';

@Controller()
export class IndexMessagesConsumer {
  constructor(
    private readonly indexMessages: IndexMessagesUseCase,
    @InjectPinoLogger(IndexMessagesConsumer.name) private readonly logger: PinoLogger,
  ) {}

  /** Every routed message is indexed once its batch is durable; a redelivered batch adds nothing. */
  @EventPattern(Topics.messageRouted)
  async handle(@Payload() batch: EventBatch<typeof Topics.messageRouted>): Promise<void> {
    // A match is announced under its message's id: it continues the trace of the message's routing.
    const outcome = await TraceScope.alias(
      batch.events.map((e) => [e.payload.messageId, e.correlationId]),
      () => this.indexMessages.execute(batch.events.map((e) => e.payload.messageId)),
    );
    // Counts only: keys are personal data.
    this.logger.debug(
      {
        partition: batch.partition,
        messages: batch.events.length,
        indexed: outcome.indexed,
        matches: outcome.matches.length,
        overCorrelated: outcome.overCorrelated.length,
      },
      'batch indexed',
    );
  }
}
