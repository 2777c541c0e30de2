import { Topics } from '@liaison/contracts';
import type { EventBatch } from '@liaison/messaging';
import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { RestrictCaseMatchesUseCase } from './restrict-case-matches.usecase';
import { WithdrawErasedMatchesUseCase } from './withdraw-erased-matches.usecase';

@Controller()
export class CaseErasureConsumer {
  constructor(
    private readonly withdraw: WithdrawErasedMatchesUseCase,
    private readonly restrict: RestrictCaseMatchesUseCase,
    @InjectPinoLogger(CaseErasureConsumer.name) private readonly logger: PinoLogger,
  ) {}

  /** An erased case leaves the index, and its matches are withdrawn. */
  @EventPattern(Topics.caseErased)
  async erased(@Payload() batch: EventBatch<typeof Topics.caseErased>): Promise<void> {
    const { withdrawn } = await this.withdraw.execute(batch.events.map((e) => e.payload.caseReference));
    this.logger.info({ cases: batch.events.length, withdrawn }, 'erased cases taken out of the index');
  }

  /** A case restricted: its matches withdrawn; lifted: matched again. */
  @EventPattern(Topics.caseRestrictionChanged)
  async restricted(@Payload() batch: EventBatch<typeof Topics.caseRestrictionChanged>): Promise<void> {
    const outcome = await this.restrict.execute(
      batch.events.map(({ payload }) => ({ caseReference: payload.caseReference, restricted: payload.restricted })),
    );
    this.logger.info({ cases: batch.events.length, ...outcome }, 'case restrictions applied to matching');
  }
}
