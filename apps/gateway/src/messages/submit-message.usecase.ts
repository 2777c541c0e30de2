import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { MessageSubmittedSchema, Topics } from '@liaison/contracts';
import { describeRecipientProblem, issueCaseReference, recipientProblem } from '@liaison/domain';
import { EventPublisher, SERVICE_CONFIG } from '@liaison/messaging';
import { AgencyRepository } from '@liaison/persistence';
import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { PinoLogger } from 'nestjs-pino';
import type { Caller } from '../auth/caller';
import type { GatewayConfig } from '../gateway.config';
import { ApiProblem, ProblemCode } from '../http/problem';
import { MessageReadRepository } from './message-read.repository';
import type { SubmitMessageDto, SubmittedMessageView } from './submit-message.dto';

/**
 * Accepts a message from an officer: checks the recipients against the register and the case against the
 * caller's agency, then publishes MessageSubmitted and waits for the broker's acknowledgement. Nothing is
 * written to the database here; the router does that from the event.
 */
@Injectable()
export class SubmitMessageUseCase {
  constructor(
    private readonly agencies: AgencyRepository,
    private readonly messages: MessageReadRepository,
    private readonly publisher: EventPublisher,
    private readonly logger: PinoLogger,
    @Inject(SERVICE_CONFIG) private readonly config: GatewayConfig,
  ) {
    this.logger.setContext(SubmitMessageUseCase.name);
  }

  async execute(request: SubmitMessageDto, caller: Caller, correlationId: string): Promise<SubmittedMessageView> {
    const register = await this.agencies.findMany(request.recipients);
    const problem = recipientProblem(request.recipients, caller.agency, (code) => register.has(code), this.config.MAX_RECIPIENTS);
    if (problem) {
      const detail = describeRecipientProblem(problem);
      const code = problem.kind === 'unknown' || problem.kind === 'includes-sender' ? ProblemCode.InvalidRecipients : ProblemCode.Validation;
      throw new ApiProblem(code, `recipients: ${detail}`, [{ field: 'recipients', message: detail }]);
    }
    const now = new Date();
    let caseReference = request.caseReference;
    if (caseReference !== undefined && !(await this.messages.isCaseParticipant(caseReference, caller.agency))) {
      // The same answer whether the case does not exist or belongs to others: existence is not disclosed.
      const message = `no case ${caseReference} in which ${caller.agency} takes part`;
      throw new ApiProblem(ProblemCode.CaseNotAccessible, `caseReference: ${message}`, [{ field: 'caseReference', message }]);
    }
    const opensCase = caseReference === undefined;
    caseReference ??= issueCaseReference(now);
    const id = randomUUID();
    try {
      await this.publisher.publish(Topics.messageSubmitted, [
        {
          key: caseReference,
          correlationId,
          payload: create(MessageSubmittedSchema, {
            messageId: id,
            caseReference,
            opensCase,
            senderAgency: caller.agency,
            recipientAgencies: request.recipients,
            subject: request.subject,
            body: request.body,
            submittedAt: timestampFromDate(now),
            submittedByKeyId: caller.keyId,
          }),
        },
      ]);
    } catch (error) {
      this.logger.error({ err: error, messageId: id }, 'broker did not acknowledge a submitted message');
      throw new ApiProblem(ProblemCode.BrokerUnavailable, 'the message was not accepted because the message broker did not acknowledge it; retry later');
    }
    this.logger.info({ messageId: id, caseReference, sender: caller.agency, recipients: request.recipients.length, opensCase }, 'message submitted');
    return { id, caseReference };
  }
}
