import { Topics, eventTime } from '@liaison/contracts';
import type { EventBatch } from '@liaison/messaging';
import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { ExchangeRepository } from './exchange.repository';

/**
 * Linked cases: when both owners of a match have released their details, each owner takes part in the other's
 * case, so they can exchange messages in either. Adding a participant twice changes nothing.
 */
@Controller()
export class CaseLinkConsumer {
  constructor(
    private readonly exchange: ExchangeRepository,
    @InjectPinoLogger(CaseLinkConsumer.name) private readonly logger: PinoLogger,
  ) {}

  @EventPattern(Topics.matchUpdated)
  async updated(@Payload() batch: EventBatch<typeof Topics.matchUpdated>): Promise<void> {
    const links = batch.events.filter(({ payload: p }) => p.linked && p.a && p.b);
    if (links.length === 0) return;
    const rows = links.flatMap(({ payload: p, recordedAt }) => {
      const at = eventTime(p.updatedAt, recordedAt);
      return [
        { caseReference: p.a!.caseReference, agency: p.b!.agency, at },
        { caseReference: p.b!.caseReference, agency: p.a!.agency, at },
      ];
    });
    await this.exchange.addParticipants(rows);
    this.logger.info({ links: links.length }, 'matched cases linked');
  }
}
