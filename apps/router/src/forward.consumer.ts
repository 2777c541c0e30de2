import { PermissionDecision, Topics, eventTime } from '@liaison/contracts';
import type { EventBatch } from '@liaison/messaging';
import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { ApplyPermissionDecisionsUseCase } from './apply-permission-decisions.usecase';
import { RouteForwardsUseCase } from './route-forwards.usecase';

@Controller()
export class ForwardConsumer {
  constructor(
    private readonly routeForwards: RouteForwardsUseCase,
    private readonly applyDecisions: ApplyPermissionDecisionsUseCase,
    @InjectPinoLogger(ForwardConsumer.name) private readonly logger: PinoLogger,
  ) {}

  /** A recipient passes a message on: delivered at once, or held for the provider's permission (H2). */
  @EventPattern(Topics.messageForwarded)
  async forwarded(@Payload() batch: EventBatch<typeof Topics.messageForwarded>): Promise<void> {
    const refused = await this.routeForwards.run(
      batch.events.map(({ payload, recordedAt }) => ({
        forwardId: payload.forwardId,
        messageId: payload.messageId,
        fromAgency: payload.fromAgency,
        toAgency: payload.toAgency,
        requestedByKeyId: payload.requestedByKeyId,
        requestedAt: eventTime(payload.requestedAt, recordedAt),
      })),
    );
    if (refused.length > 0)
      this.logger.warn({ refused }, 'forwards refused: the message or the agencies changed since the gateway checked');
  }

  /** A provider's supervisor decides an H2 forward; a granted one is delivered. */
  @EventPattern(Topics.permissionDecided)
  async decided(@Payload() batch: EventBatch<typeof Topics.permissionDecided>): Promise<void> {
    const applied = await this.applyDecisions.run(
      batch.events.map(({ payload, recordedAt }) => ({
        forwardId: payload.forwardId,
        providerAgency: payload.providerAgency,
        granted: payload.decision === PermissionDecision.GRANTED,
        decidedByKeyId: payload.decidedByKeyId,
        decidedAt: eventTime(payload.decidedAt, recordedAt),
      })),
    );
    this.logger.debug({ events: batch.events.length, applied }, 'permission decisions applied');
  }
}
