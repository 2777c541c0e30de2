import { forwardNeedsPermission, forwardProblem, mayReceive } from '@liaison/domain';
import { AgencyRepository } from '@liaison/persistence';
import { Injectable } from '@nestjs/common';
import { ForwardRepository } from './forward.repository';

export interface ForwardRequest {
  forwardId: string;
  messageId: string;
  fromAgency: string;
  toAgency: string;
  requestedByKeyId: string;
  requestedAt: Date;
}

/**
 * A recipient passes a message on: delivered at once, or held for the provider's permission (H2). Each forward
 * is checked again against the router's own state and the register (the gateway's checks may have raced with a
 * change): the forwarder must be a recipient, the new agency may not be one already or the sender, and its
 * clearance must reach the message's classification. Applied in order; returns the ids refused.
 */
@Injectable()
export class RouteForwardsUseCase {
  constructor(
    private readonly forwards: ForwardRepository,
    private readonly agencies: AgencyRepository,
  ) {}

  async run(requests: readonly ForwardRequest[]): Promise<string[]> {
    const register = await this.agencies.findMany([...new Set(requests.map((r) => r.toAgency))], { fresh: true });
    return this.forwards.transaction(async (manager) => {
      const refused: string[] = [];
      for (const forward of requests) {
        const message = await this.forwards.message(manager, forward.messageId);
        const clearance = register.get(forward.toAgency)?.clearance;
        const allowed =
          message !== null &&
          message.recipients.includes(forward.fromAgency) &&
          forwardProblem({ senderAgency: message.senderAgency, recipients: message.recipients }, forward.toAgency) ===
            null &&
          clearance !== undefined &&
          mayReceive(clearance, message.classification);
        if (!allowed) {
          refused.push(forward.forwardId);
          continue;
        }
        const state = forwardNeedsPermission(message.handlingCode) ? 'pending' : 'delivered';
        const stored = await this.forwards.store(manager, { ...forward, providerAgency: message.senderAgency, state });
        if (stored && state === 'delivered')
          await this.forwards.deliver(manager, {
            messageId: forward.messageId,
            caseReference: message.caseReference,
            toAgency: forward.toAgency,
            fromAgency: forward.fromAgency,
            at: forward.requestedAt,
          });
      }
      return refused;
    });
  }
}
