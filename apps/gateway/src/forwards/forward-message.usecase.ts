import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { MessageForwardedSchema, Topics } from '@liaison/contracts';
import { forwardProblem, mayReceive } from '@liaison/domain';
import { AgencyRepository } from '@liaison/persistence';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { PinoLogger } from 'nestjs-pino';
import { RestrictedCases } from '../cases/restricted-cases';
import { AuditTrail } from '../audit/audit-trail';
import type { Caller } from '../auth/caller';
import { ApplicationError, ErrorCode } from '../application/application-error';
import { settle } from '../application/settle';
import { MessageReadRepository } from '../messages/message-read.repository';
import { ForwardReadRepository, type ForwardRow } from './forward-read.repository';

/**
 * Passes a received message on to another agency. The router owns deliveries and forwards, so the forward is an
 * event; the request waits (briefly) for the router so that its answer shows the forward's state: delivered, or
 * waiting for the provider's permission (H2).
 */
@Injectable()
export class ForwardMessageUseCase {
  constructor(
    private readonly messages: MessageReadRepository,
    private readonly forwards: ForwardReadRepository,
    private readonly agencies: AgencyRepository,
    private readonly audit: AuditTrail,
    private readonly logger: PinoLogger,
    private readonly restrictions: RestrictedCases,
  ) {
    this.logger.setContext(ForwardMessageUseCase.name);
  }

  /** Returns the forward's id, and the forward as the router recorded it (null if it has not yet, after the wait). */
  async execute(
    messageId: string,
    to: string,
    caller: Caller,
    correlationId: string,
  ): Promise<{ id: string; row: ForwardRow | null }> {
    const message = await this.messages.visibleMessage(messageId, caller.agency);
    // A restricted case's messages are not passed on: the recipient is told nothing more than of any unknown one.
    const restricted = message !== null && (await this.restrictions.isRestricted(message.case_reference));
    if (!message || restricted || !message.recipients.some((r) => r.agency === caller.agency)) {
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
            requestedByKeyId: caller.id,
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
}
