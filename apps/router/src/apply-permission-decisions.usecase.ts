import { Injectable } from '@nestjs/common';
import { ForwardRepository } from './forward.repository';

export interface PermissionDecision {
  forwardId: string;
  providerAgency: string;
  granted: boolean;
  decidedByKeyId: string;
  decidedAt: Date;
}

/**
 * A provider's supervisor decides an H2 forward: only the provider, and only once; a granted forward is
 * delivered. Returns how many were decided.
 */
@Injectable()
export class ApplyPermissionDecisionsUseCase {
  constructor(private readonly forwards: ForwardRepository) {}

  run(decisions: readonly PermissionDecision[]): Promise<number> {
    return this.forwards.transaction(async (manager) => {
      let applied = 0;
      for (const decision of decisions) {
        const forward = await this.forwards.decide(manager, decision);
        if (!forward) continue;
        applied += 1;
        if (decision.granted) await this.forwards.deliver(manager, { ...forward, at: decision.decidedAt });
      }
      return applied;
    });
  }
}
