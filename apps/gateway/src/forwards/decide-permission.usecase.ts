import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { ForwardPermissionDecidedSchema, PermissionDecision, Topics } from '@liaison/contracts';
import { permissionDecisionProblem } from '@liaison/domain';
import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { AuditTrail } from '../audit/audit-trail';
import type { Caller } from '../auth/caller';
import { ApplicationError, ErrorCode } from '../application/application-error';
import { settle } from '../application/settle';
import { requireFreshSecondFactor } from '../people/step-up';
import { ForwardReadRepository, type ForwardRow } from './forward-read.repository';

/**
 * The provider's decision on a request to pass its H2 message on: granted or denied, once. The decision is an
 * event; the request waits (briefly) for the router so that its answer shows it applied.
 */
@Injectable()
export class DecidePermissionUseCase {
  constructor(
    private readonly forwards: ForwardReadRepository,
    private readonly audit: AuditTrail,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(DecidePermissionUseCase.name);
  }

  async execute(
    messageId: string,
    forwardId: string,
    granted: boolean,
    caller: Caller,
    correlationId: string,
  ): Promise<ForwardRow> {
    const forward = await this.forwards.find(forwardId);
    if (
      !forward ||
      forward.message_id !== messageId ||
      (forward.provider_agency !== caller.agency && forward.from_agency !== caller.agency)
    ) {
      throw new ApplicationError(
        ErrorCode.NotFound,
        `no permission request ${forwardId} for message ${messageId} involving ${caller.agency}`,
      );
    }
    const problem = permissionDecisionProblem(
      { providerAgency: forward.provider_agency, state: forward.state },
      caller.agency,
    );
    if (problem)
      throw new ApplicationError(
        forward.provider_agency === caller.agency ? ErrorCode.AlreadyDecided : ErrorCode.Forbidden,
        problem,
      );
    requireFreshSecondFactor(caller);
    await this.audit.publishAudited(
      Topics.permissionDecided,
      [
        {
          key: forward.case_reference,
          correlationId,
          payload: create(ForwardPermissionDecidedSchema, {
            forwardId,
            messageId,
            providerAgency: caller.agency,
            decision: granted ? PermissionDecision.GRANTED : PermissionDecision.DENIED,
            decidedByKeyId: caller.id,
            decidedAt: timestampFromDate(new Date()),
          }),
        },
      ],
      caller,
      [
        {
          action: granted ? 'permission.granted' : 'permission.denied',
          objectType: 'forward',
          objectId: forwardId,
          detail: `message ${messageId} to ${forward.to_agency}`,
        },
      ],
      correlationId,
    );
    this.logger.info({ messageId, forwardId, granted }, 'permission decided');
    return settle(
      () => this.forwards.find(forwardId),
      (row) => row?.state !== 'pending',
    ).then((row) => row ?? forward);
  }
}
