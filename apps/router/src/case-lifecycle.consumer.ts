import { eventTime, Topics } from '@liaison/contracts';
import { crimeAreaOrNone } from '@liaison/domain';
import type { EventBatch } from '@liaison/messaging';
import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { CloseCasesUseCase } from './close-cases.usecase';
import { EraseCasesUseCase } from './erase-cases.usecase';
import { OpenCasesUseCase } from './open-cases.usecase';

@Controller()
export class CaseLifecycleConsumer {
  constructor(
    private readonly openCases: OpenCasesUseCase,
    private readonly closeCases: CloseCasesUseCase,
    private readonly eraseCases: EraseCasesUseCase,
    @InjectPinoLogger(CaseLifecycleConsumer.name) private readonly logger: PinoLogger,
  ) {}

  /** Cases opened on their own: stored with their owner as the first participant. */
  @EventPattern(Topics.caseOpened)
  async opened(@Payload() batch: EventBatch<typeof Topics.caseOpened>): Promise<void> {
    const { refused } = await this.openCases.run(
      batch.events.map(({ payload, recordedAt }) => ({
        reference: payload.caseReference,
        ownerAgency: payload.ownerAgency,
        crimeArea: crimeAreaOrNone(payload.crimeArea),
        openedAt: eventTime(payload.openedAt, recordedAt),
        sealedDetails: payload.sealedDetails,
        names: { title: payload.title, operationName: payload.operationName },
      })),
    );
    if (refused > 0)
      this.logger.warn(
        { refused },
        'case opened by an agency not in the register, erased, or sealed for another; ignored',
      );
  }

  /** Erased cases: everything the router holds of each is deleted (their keys are already destroyed). */
  @EventPattern(Topics.caseErased)
  async erased(@Payload() batch: EventBatch<typeof Topics.caseErased>): Promise<void> {
    await this.eraseCases.run(batch.events.map(({ payload }) => payload.caseReference));
    this.logger.info({ cases: batch.events.length }, 'erased cases deleted');
  }

  /** Cases closed by their owner: they take no new messages from then on. */
  @EventPattern(Topics.caseClosed)
  async closed(@Payload() batch: EventBatch<typeof Topics.caseClosed>): Promise<void> {
    const closed = await this.closeCases.run(
      batch.events.map(({ payload, recordedAt }) => ({
        reference: payload.caseReference,
        agency: payload.closedByAgency,
        closedAt: eventTime(payload.closedAt, recordedAt),
      })),
    );
    this.logger.debug({ events: batch.events.length, closed }, 'cases closed');
  }
}
