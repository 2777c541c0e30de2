import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import {
  MessageRectifiedSchema,
  rectificationActionCodec,
  Topics,
  type EntityJson,
  type EntityRectification,
} from '@liaison/contracts';
import { utcDay } from '@liaison/common';
import { entityProblems, withZonesRead, type EntityLink } from '@liaison/domain';
import { CaseErasedError, CaseKeys, sealMessageText } from '@liaison/protection';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ApplicationError, ErrorCode } from '../application/application-error';
import { AuditTrail } from '../audit/audit-trail';
import type { Caller } from '../auth/caller';
import { MessageReadRepository } from './message-read.repository';

export interface EntityRectificationView {
  messageId: string;
  entityRef: string;
  action: EntityRectification;
  acceptedAt: string;
}

/**
 * Rectification (Directive (EU) 2016/680 Art. 16): a supervisor of the agency that sent a message corrects one of
 * its entities, or removes it with the links that name it. The message's content is sealed again under its case's
 * key and handed to the router, which stores it in place of the old; the matcher then derives the case's keys
 * again, and the matches the old value made are withdrawn. Audited, never with the value. Another agency's
 * message, or one it cannot see, is a 404.
 */
@Injectable()
export class RectifyEntityUseCase {
  constructor(
    private readonly messages: MessageReadRepository,
    private readonly keys: CaseKeys,
    private readonly dataSource: DataSource,
    private readonly audit: AuditTrail,
  ) {}

  async execute(
    messageId: string,
    ref: string,
    corrected: Record<string, unknown> | null,
    caller: Caller,
    correlationId: string,
  ): Promise<EntityRectificationView> {
    const message = await this.sentMessage(messageId, caller);
    const text = message.text;
    if (!text.entities.some((e) => e.ref === ref))
      throw new ApplicationError(ErrorCode.NotFound, `message ${messageId} has no entity ${ref}`);
    const action: EntityRectification = corrected ? 'rectify' : 'remove';
    let entities = text.entities as unknown as Record<string, unknown>[];
    let links = text.links;
    if (corrected) {
      const today = utcDay(new Date());
      const read = withZonesRead([{ ...corrected, ref }], today);
      const [entity] = read.entities as Record<string, unknown>[];
      entities = entities.map((e) => (e.ref === ref ? entity : e));
      const problems = [
        ...read.problems,
        ...entityProblems(entities, links, today).filter((p) =>
          p.field.startsWith(`entities[${entities.indexOf(entity)}]`),
        ),
      ].map((p) => ({
        field: p.field.replace(/^entities\[\d+\]\.?/, 'entity.').replace(/\.$/, ''),
        message: p.message,
      }));
      if (problems.length > 0) throw ApplicationError.validation(problems);
    } else {
      entities = entities.filter((e) => e.ref !== ref);
      links = links.filter((link: EntityLink) => link.from !== ref && link.to !== ref);
    }
    const reference = message.case_reference;
    const sealedContent = sealMessageText(await this.caseKey(reference), reference, messageId, {
      ...text,
      entities: entities as unknown as EntityJson[],
      links,
    });
    const now = new Date();
    await this.audit.publishAudited(
      Topics.messageRectified,
      [
        {
          key: reference,
          correlationId,
          payload: create(MessageRectifiedSchema, {
            messageId,
            caseReference: reference,
            senderAgency: message.sender_agency,
            entityRef: ref,
            action: rectificationActionCodec.toProto(action),
            sealedContent,
            rectifiedByKeyId: caller.id,
            rectifiedAt: timestampFromDate(now),
          }),
        },
      ],
      caller,
      [
        {
          action: corrected ? 'entity.rectified' : 'entity.removed',
          objectType: 'message',
          objectId: messageId,
          detail: `entity ${ref}`,
        },
      ],
      correlationId,
    );
    return { messageId, entityRef: ref, action, acceptedAt: now.toISOString() };
  }

  /** A message the caller's agency sent, with what it says; a 404 otherwise, as if it did not exist. */
  private async sentMessage(messageId: string, caller: Caller) {
    let message;
    try {
      message = await this.messages.visibleMessage(messageId, caller.agency);
    } catch (error) {
      if (!(error instanceof CaseErasedError)) throw error;
      message = null;
    }
    if (!message || message.sender_agency !== caller.agency)
      throw new ApplicationError(ErrorCode.NotFound, `no message ${messageId} sent by ${caller.agency}`);
    return message;
  }

  private async caseKey(reference: string): Promise<Buffer> {
    try {
      return await this.keys.keyOf(this.dataSource, reference);
    } catch (error) {
      if (!(error instanceof CaseErasedError)) throw error;
      throw new ApplicationError(ErrorCode.NotFound, `case ${reference} has been erased`);
    }
  }
}
