import { Topics, eventTime } from '@liaison/contracts';
import { CRIME_AREAS, type CrimeArea } from '@liaison/domain';
import type { EventBatch } from '@liaison/messaging';
import { AgencyRepository } from '@liaison/persistence';
import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { ExchangeRepository } from './exchange.repository';

@Controller()
export class CaseLifecycleConsumer {
  constructor(
    private readonly exchange: ExchangeRepository,
    private readonly agencies: AgencyRepository,
    @InjectPinoLogger(CaseLifecycleConsumer.name) private readonly logger: PinoLogger,
  ) {}

  /** Cases opened on their own: stored with their owner as the first participant. */
  @EventPattern(Topics.caseOpened)
  async opened(@Payload() batch: EventBatch<typeof Topics.caseOpened>): Promise<void> {
    const owners = await this.agencies.findMany(batch.events.map((e) => e.payload.ownerAgency));
    const accepted = batch.events.filter((e) => owners.has(e.payload.ownerAgency));
    if (accepted.length < batch.events.length) {
      this.logger.warn(
        { refused: batch.events.length - accepted.length },
        'case opened by an agency not in the register; ignored',
      );
    }
    await this.exchange.openCases(
      accepted.map(({ payload, recordedAt }) => ({
        reference: payload.caseReference,
        ownerAgency: payload.ownerAgency,
        title: payload.title,
        crimeArea: (CRIME_AREAS as readonly string[]).includes(payload.crimeArea)
          ? (payload.crimeArea as CrimeArea)
          : null,
        operationName: payload.operationName === '' ? null : payload.operationName,
        openedAt: eventTime(payload.openedAt, recordedAt),
      })),
    );
  }

  /** Cases closed by their owner: they take no new messages from then on. */
  @EventPattern(Topics.caseClosed)
  async closed(@Payload() batch: EventBatch<typeof Topics.caseClosed>): Promise<void> {
    const closed = await this.exchange.closeCases(
      batch.events.map(({ payload, recordedAt }) => ({
        reference: payload.caseReference,
        agency: payload.closedByAgency,
        closedAt: eventTime(payload.closedAt, recordedAt),
      })),
    );
    this.logger.debug({ events: batch.events.length, closed }, 'cases closed');
  }
}
