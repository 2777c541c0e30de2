import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { ForwardPermissionDecidedSchema, MessageForwardedSchema, PermissionDecision, Topics } from '@liaison/contracts';
import { forwardProblem, mayReceive, permissionDecisionProblem } from '@liaison/domain';
import { AgencyRepository } from '@liaison/persistence';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { PinoLogger } from 'nestjs-pino';
import { AuditTrail } from '../audit/audit-trail';
import type { Caller } from '../auth/caller';
import { ApplicationError, ErrorCode } from '../application/application-error';
import { settle } from '../application/settle';
import { MessageReadRepository } from '../messages/message-read.repository';
import { ForwardReadRepository, type ForwardRow } from './forward-read.repository';

/**
 * Passing received messages on. The router owns deliveries and forwards, so both the forward and the
 * provider's decision are events; each request waits (briefly) for the router so the answer shows the state.
 */
@Injectable()
export class ForwardUseCase {
  constructor(
    private readonly messages: MessageReadRepository,
    private readonly forwards: ForwardReadRepository,
    private readonly agencies: AgencyRepository,
    private readonly audit: AuditTrail,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(ForwardUseCase.name);
  }

  /** Returns the forward's id, and the forward as the router recorded it (null if it has not yet, after the wait). */
  async forward(
    messageId: string,
    to: string,
    caller: Caller,
    correlationId: string,
  ): Promise<{ id: string; row: ForwardRow | null }> {
    const message = await this.messages.visibleMessage(messageId, caller.agency);
    if (!message || !message.recipients.some((r) => r.agency === caller.agency)) {
      throw new ApplicationError(ErrorCode.NotFound, `no message ${messageId} was received by ${caller.agency}`);
    }
    const refuse = (code: ErrorCode, text: string) =>
      new ApplicationError(code, `to: ${text}`, [{ field: 'to', message: text }]);
    const target = await this.agencies.find(to);
    if (!target) throw refuse(ErrorCode.UnknownAgency, `unknown agency ${to}`);
    const problem = forwardProblem(
      { senderAgency: message.sender_agency, recipients: message.recipients.map((r) => r.agency) },
      to,
    );
    if (problem) throw refuse(ErrorCode.NotForwardable, problem);
    if (!mayReceive(target.clearance, message.classification))
      throw refuse(ErrorCode.NotForwardable, `${to} is not cleared for ${message.classification}`);
    if (await this.forwards.pendingTo(messageId, to))
      throw refuse(
        ErrorCode.NotForwardable,
        `a request to pass this message to ${to} is already waiting for the provider`,
      );
    const id = randomUUID();
    await this.audit.publishAudited(
      Topics.messageForwarded,
      [
        {
          key: message.case_reference,
          correlationId,
          payload: create(MessageForwardedSchema, {
            forwardId: id,
            messageId,
            caseReference: message.case_reference,
            fromAgency: caller.agency,
            toAgency: to,
            requestedByKeyId: caller.keyId,
            requestedAt: timestampFromDate(new Date()),
          }),
        },
      ],
      caller,
      [{ action: 'message.forwarded', objectType: 'message', objectId: messageId, detail: `to ${to} (forward ${id})` }],
      correlationId,
    );
    this.logger.info(
      { messageId, forwardId: id, from: caller.agency, to, handling: message.handling_code },
      'message forwarded',
    );
    return {
      id,
      row: await settle(
        () => this.forwards.find(id),
        (row) => row !== null,
      ),
    };
  }

  async decide(
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
            decidedByKeyId: caller.keyId,
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
