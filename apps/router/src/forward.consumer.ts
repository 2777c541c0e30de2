import { PermissionDecision, Topics, eventTime } from '@liaison/contracts';
import type { EventBatch } from '@liaison/messaging';
import { AgencyRepository } from '@liaison/persistence';
import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { ForwardRepository } from './forward.repository';

@Controller()
export class ForwardConsumer {
  constructor(
    private readonly forwards: ForwardRepository,
    private readonly agencies: AgencyRepository,
    @InjectPinoLogger(ForwardConsumer.name) private readonly logger: PinoLogger,
  ) {}

  /** A recipient passes a message on: delivered at once, or held for the provider's permission (H2). */
  @EventPattern(Topics.messageForwarded)
  async forwarded(@Payload() batch: EventBatch<typeof Topics.messageForwarded>): Promise<void> {
    const register = await this.agencies.findMany([...new Set(batch.events.map((e) => e.payload.toAgency))], {
      fresh: true,
    });
    const refused = await this.forwards.requested(
      batch.events.map(({ payload, recordedAt }) => ({
        forwardId: payload.forwardId,
        messageId: payload.messageId,
        fromAgency: payload.fromAgency,
        toAgency: payload.toAgency,
        requestedByKeyId: payload.requestedByKeyId,
        requestedAt: eventTime(payload.requestedAt, recordedAt),
      })),
      (code) => register.get(code)?.clearance,
    );
    if (refused.length > 0)
      this.logger.warn({ refused }, 'forwards refused: the message or the agencies changed since the gateway checked');
  }

  /** A provider's supervisor decides an H2 forward; a granted one is delivered. */
  @EventPattern(Topics.permissionDecided)
  async decided(@Payload() batch: EventBatch<typeof Topics.permissionDecided>): Promise<void> {
    const applied = await this.forwards.decided(
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
