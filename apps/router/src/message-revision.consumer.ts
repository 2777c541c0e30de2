import { Topics } from '@liaison/contracts';
import type { EventBatch } from '@liaison/messaging';
import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { ReviseMessagesUseCase } from './revise-messages.usecase';

@Controller()
export class MessageRevisionConsumer {
  constructor(
    private readonly revise: ReviseMessagesUseCase,
    @InjectPinoLogger(MessageRevisionConsumer.name) private readonly logger: PinoLogger,
  ) {}

  /** An entity of a message corrected or removed by its sender: the new content stored, then announced. */
  @EventPattern(Topics.messageRectified)
  async rectified(@Payload() batch: EventBatch<typeof Topics.messageRectified>): Promise<void> {
    const { refused } = await this.revise.run(batch.events);
    // Counts only: what changed is personal data.
    if (refused > 0)
      this.logger.warn(
        { refused },
        'rectifications refused: erased case, not the sender, or content that does not open',
      );
    this.logger.debug({ events: batch.events.length }, 'messages revised');
  }
}
