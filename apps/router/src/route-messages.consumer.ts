import { Topics } from '@liaison/contracts';
import type { EventBatch } from '@liaison/messaging';
import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { RouteMessagesUseCase } from './route-messages.usecase';

@Controller()
export class RouteMessagesConsumer {
  constructor(
    private readonly routeMessages: RouteMessagesUseCase,
    @InjectPinoLogger(RouteMessagesConsumer.name) private readonly logger: PinoLogger,
  ) {}

  @EventPattern(Topics.messageSubmitted)
  async handle(@Payload() batch: EventBatch<typeof Topics.messageSubmitted>): Promise<void> {
    const summary = await this.routeMessages.execute(batch.events);
    this.logger.debug(
      { partition: batch.partition, ...summary, correlationIds: batch.events.slice(0, 10).map((e) => e.correlationId) },
      'batch routed',
    );
  }
}
