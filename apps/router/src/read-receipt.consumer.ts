import { eventTime, Topics } from '@liaison/contracts';
import type { EventBatch } from '@liaison/messaging';
import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { MarkReadUseCase } from './mark-read.usecase';

@Controller()
export class ReadReceiptConsumer {
  constructor(
    private readonly markRead: MarkReadUseCase,
    @InjectPinoLogger(ReadReceiptConsumer.name) private readonly logger: PinoLogger,
  ) {}

  /** First opening of a message by a recipient agency: its delivery becomes read. */
  @EventPattern(Topics.messageRead)
  async handle(@Payload() batch: EventBatch<typeof Topics.messageRead>): Promise<void> {
    const marked = await this.markRead.run(
      batch.events.map(({ payload, recordedAt }) => ({
        messageId: payload.messageId,
        agency: payload.readerAgency,
        readAt: eventTime(payload.readAt, recordedAt),
      })),
    );
    this.logger.debug({ partition: batch.partition, events: batch.events.length, marked }, 'read receipts applied');
  }
}
