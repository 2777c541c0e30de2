import { Topics } from '@liaison/contracts';
import { EventPublisher } from '@liaison/messaging';
import { Injectable } from '@nestjs/common';
import { MatchWithdrawalRepository } from './match-withdrawal.repository';
import { ReviseIndexUseCase } from './revise-index.usecase';
import { withdrawal } from './withdraw-erased-matches.usecase';

/**
 * Restriction (Art. 16(3)), for the matcher: a restricted case's matches are withdrawn (the other side is told
 * only that, before the rows go) and its holdings kept, so that it links nothing while restricted (the index
 * leaves it out as it matches); once the restriction is lifted, its keys are matched again as new ones would be.
 * Applying either again changes nothing.
 */
@Injectable()
export class RestrictCaseMatchesUseCase {
  constructor(
    private readonly held: MatchWithdrawalRepository,
    private readonly revise: ReviseIndexUseCase,
    private readonly publisher: EventPublisher,
  ) {}

  async execute(
    changes: readonly { caseReference: string; restricted: boolean }[],
    now = new Date(),
  ): Promise<{ withdrawn: number; rematched: number }> {
    let withdrawn = 0;
    let rematched = 0;
    for (const { caseReference, restricted } of changes) {
      if (restricted) {
        const told = (await this.held.matchesOfCase(caseReference)).filter((m) => m.announced);
        await this.publisher.publish(
          Topics.matchUpdated,
          told.map((match) => withdrawal(match, caseReference, now)),
        );
        await this.held.dropMatchesOfCase(caseReference);
        withdrawn += told.length;
      } else {
        const agencies = await this.held.holdingAgencies(caseReference);
        await this.revise.execute(
          agencies.map((agency) => ({ caseReference, agency })),
          now,
        );
        rematched += agencies.length;
      }
    }
    return { withdrawn, rematched };
  }
}
