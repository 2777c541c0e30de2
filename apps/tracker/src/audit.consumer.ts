import { Topics, eventTime } from '@liaison/contracts';
import type { EventBatch } from '@liaison/messaging';
import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { AuditCheckpointWriter } from './audit-checkpoint.writer';
import { AuditLogRepository } from './audit-log.repository';

@Controller()
export class AuditConsumer {
  constructor(
    private readonly log: AuditLogRepository,
    private readonly checkpoints: AuditCheckpointWriter,
    @InjectPinoLogger(AuditConsumer.name) private readonly logger: PinoLogger,
  ) {}

  /** Appends every audit event to the chain, in the topic's (single partition's) order. */
  @EventPattern(Topics.auditRecorded)
  async append(@Payload() batch: EventBatch<typeof Topics.auditRecorded>): Promise<void> {
    const appended = await this.log.append(
      batch.events.map(({ eventId, payload, recordedAt }) => ({
        eventId,
        at: eventTime(payload.at, recordedAt),
        action: payload.action,
        agency: payload.agency,
        keyId: payload.keyId,
        objectType: payload.objectType,
        objectId: payload.objectId,
        detail: payload.detail,
        principalType: payload.principalType,
        principalId: payload.principalId,
      })),
    );
    this.logger.debug({ events: batch.events.length, appended }, 'audit entries appended');
    await this.checkpoints.appended(appended);
  }
}
