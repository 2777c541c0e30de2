import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { MessageReadSchema, Topics } from '@liaison/contracts';
import { evaluationLabel, H1_MARKING } from '@liaison/domain';
import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { RestrictedCases } from '../cases/restricted-cases';
import { AttachmentRepository, type MessageAttachmentRow } from '../attachments/attachment.repository';
import { AuditTrail } from '../audit/audit-trail';
import type { Caller } from '../auth/caller';
import { CommandPublisher } from '../application/command-publisher';
import { ApplicationError, ErrorCode } from '../application/application-error';
import { MessageReadRepository, type MessageRow, type RecipientRow } from './message-read.repository';
import type { AttachmentView, MessageView, RecipientView } from './message.views';

/**
 * Opens a message for a caller whose agency sent or received it. The first opening by a recipient agency
 * publishes a read receipt (the router marks the delivery read); it must be acknowledged by the broker
 * before the content is returned, so no one reads a message without it being recorded.
 */
@Injectable()
export class OpenMessageUseCase {
  constructor(
    private readonly messages: MessageReadRepository,
    private readonly commands: CommandPublisher,
    private readonly audit: AuditTrail,
    private readonly attachments: AttachmentRepository,
    private readonly logger: PinoLogger,
    private readonly restrictions: RestrictedCases,
  ) {
    this.logger.setContext(OpenMessageUseCase.name);
  }

  async execute(id: string, caller: Caller, correlationId: string): Promise<MessageView> {
    let message = await this.messages.visibleMessage(id, caller.agency);
    // A restricted case's messages are for its owner's supervisors only: to anyone else, as if they did not exist.
    if (message && (await this.restrictions.hiddenFrom(caller, [message.case_reference])).size > 0) message = null;
    if (message) {
      const own = message.recipients.find((r) => r.agency === caller.agency);
      // H3: a recipient's user sees the restriction first, and the content only once they acknowledged it.
      if (own && message.handling_code === 'H3' && !(await this.messages.hasAcknowledged(message.id, caller.id))) {
        return {
          ...messageView(message, caller.agency),
          body: undefined,
          entities: undefined,
          links: undefined,
          acknowledgementRequired: true,
        };
      }
      // Every opening is audited; the first by a recipient agency is also its read receipt. Both are
      // acknowledged by the broker before the content is returned.
      const opened = this.audit.record(
        caller,
        { action: 'message.opened', objectType: 'message', objectId: message.id },
        correlationId,
      );
      const [attachments] = await Promise.all([
        this.attachments.ofMessage(message.id),
        opened,
        own?.state === 'delivered' ? this.recordRead(message, caller, correlationId) : undefined,
      ]);
      return {
        ...messageView(message, caller.agency),
        attachments: attachments.map((a) => attachmentView(message, a)),
      };
    }
    const rejection = await this.messages.senderRejection(id, caller.agency);
    if (rejection) {
      return {
        id: rejection.message_id,
        status: 'rejected',
        caseReference: rejection.case_reference,
        sender: { code: rejection.sender_agency, name: rejection.sender_name, country: rejection.sender_country },
        submittedAt: rejection.submitted_at.toISOString(),
        rejection: {
          reason: rejection.reason,
          detail: rejection.detail,
          rejectedAt: rejection.rejected_at.toISOString(),
        },
      };
    }
    throw new ApplicationError(ErrorCode.NotFound, `no message ${id} is visible to ${caller.agency}`);
  }

  /** Records that the caller's user accepts an H3 message's restriction, then opens the message. */
  async acknowledge(id: string, caller: Caller, correlationId: string): Promise<MessageView> {
    const message = await this.messages.visibleMessage(id, caller.agency);
    if (!message || !message.recipients.some((r) => r.agency === caller.agency)) {
      throw new ApplicationError(ErrorCode.NotFound, `no message ${id} was received by ${caller.agency}`);
    }
    if (message.handling_code !== 'H3') {
      throw new ApplicationError(
        ErrorCode.NothingToAcknowledge,
        `message ${id} is ${message.handling_code}: only H3 restrictions are acknowledged`,
      );
    }
    await this.audit.record(
      caller,
      { action: 'message.acknowledged', objectType: 'message', objectId: id },
      correlationId,
    );
    await this.messages.acknowledge(id, caller.id, caller.agency, new Date());
    this.logger.info({ messageId: id, agency: caller.agency, keyId: caller.id }, 'H3 restriction acknowledged');
    return this.execute(id, caller, correlationId);
  }

  /** Recorded through the broker before the content is returned: no one reads a message unrecorded. */
  private async recordRead(message: MessageRow, caller: Caller, correlationId: string): Promise<void> {
    await this.commands.publish(Topics.messageRead, [
      {
        key: message.case_reference,
        correlationId,
        payload: create(MessageReadSchema, {
          messageId: message.id,
          caseReference: message.case_reference,
          readerAgency: caller.agency,
          readByKeyId: caller.id,
          readAt: timestampFromDate(new Date()),
        }),
      },
    ]);
  }
}

function attachmentView(message: MessageRow, row: MessageAttachmentRow): AttachmentView {
  return {
    number: row.ordinal,
    fileName: message.text.attachmentNames[row.ordinal - 1] ?? '',
    contentType: row.content_type,
    size: Number(row.size),
    sha256: row.sha256.trim(),
    href: `/v1/messages/${message.id}/attachments/${row.ordinal}`,
    ...(message.handling_code === 'H1' ? { marking: H1_MARKING } : {}),
  };
}

export function recipientView(row: RecipientRow, full: boolean): RecipientView {
  const identity = { code: row.agency, name: row.name, country: row.country };
  if (!full) return identity;
  return {
    ...identity,
    state: row.state,
    deliveredAt: new Date(row.deliveredAt).toISOString(),
    readAt: row.readAt === null ? null : new Date(row.readAt).toISOString(),
    answeredAt: row.answeredAt === null ? null : new Date(row.answeredAt).toISOString(),
    answerDeadline: row.answerDeadline === null ? null : new Date(row.answerDeadline).toISOString(),
    overdue: row.overdue,
    forwardedBy: row.forwardedBy,
  };
}

/** The sender sees every recipient's state; a recipient sees the addressees and only its own state. */
function messageView(row: MessageRow, agency: string): MessageView {
  const isSender = row.sender_agency === agency;
  return {
    id: row.id,
    status: 'routed',
    type: row.type,
    priority: row.priority,
    classification: row.classification,
    handling: {
      code: row.handling_code,
      ...(row.text.handlingRestriction !== '' ? { restriction: row.text.handlingRestriction } : {}),
      ...(row.uk_handling !== null ? { uk: row.uk_handling } : {}),
      ...(row.handling_code === 'H1' ? { marking: H1_MARKING } : {}),
    },
    evaluation: row.evaluation ? { ...row.evaluation, label: evaluationLabel(row.evaluation) } : null,
    inReplyTo: row.in_reply_to,
    entities: row.text.entities,
    links: row.text.links,
    caseReference: row.case_reference,
    jit: row.jit_id,
    sender: { code: row.sender_agency, name: row.sender_name, country: row.sender_country },
    recipients: row.recipients.map((r) => recipientView(r, isSender || r.agency === agency)),
    subject: row.text.subject,
    body: row.text.body,
    submittedAt: row.submitted_at.toISOString(),
    routedAt: row.routed_at.toISOString(),
  };
}
