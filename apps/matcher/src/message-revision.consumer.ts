import { Topics } from '@liaison/contracts';
import type { EventBatch } from '@liaison/messaging';
import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { ReviseIndexUseCase } from './revise-index.usecase';

@Controller()
export class MessageRevisionConsumer {
  constructor(
    private readonly revise: ReviseIndexUseCase,
    @InjectPinoLogger(MessageRevisionConsumer.name) private readonly logger: PinoLogger,
  ) {}

  /** A message's entity corrected or removed: its case's keys for the sender derived again. */
  @EventPattern(Topics.messageRevised)
  async revised(@Payload() batch: EventBatch<typeof Topics.messageRevised>): Promise<void> {
    const outcome = await this.revise.execute(
      batch.events.map(({ payload }) => ({ caseReference: payload.caseReference, agency: payload.senderAgency })),
    );
    this.logger.info({ messages: batch.events.length, ...outcome }, 'keys derived again after rectification');
  }
}
