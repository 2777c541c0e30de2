import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import {
  derivedEventId,
  MessageRevisedSchema,
  Topics,
  type EventEnvelope,
  type MessageRectified,
  type OutgoingEvent,
} from '@liaison/contracts';
import { EventPublisher } from '@liaison/messaging';
import { queryReturning } from '@liaison/persistence';
import { CaseKeys, openMessageText, SealBrokenError } from '@liaison/protection';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { contentProblem } from './submitted-content';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Rectifications, for the router: each message's corrected content (sealed by the gateway under the case's key)
 * is stored in place of the old, once it opens for that message and keeps the text rules, and announced as
 * MessageRevised (no content) for the matcher to derive the case's keys again. A message of an erased case, one
 * not sent by the agency named, or content that does not open is refused and counted. Applying it again writes the
 * same content and announces it again under the same event id.
 */
@Injectable()
export class ReviseMessagesUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly keys: CaseKeys,
    private readonly publisher: EventPublisher,
  ) {}

  async run(events: readonly EventEnvelope<MessageRectified>[], now = new Date()): Promise<{ refused: number }> {
    const revised: OutgoingEvent<typeof Topics.messageRevised>[] = [];
    let refused = 0;
    for (const event of events) {
      if (await this.store(event.payload)) revised.push(this.revisedEvent(event, now));
      else refused += 1;
    }
    await this.publisher.publish(Topics.messageRevised, revised);
    return { refused };
  }

  /** Stores the new content; false when it is refused. */
  private async store(payload: MessageRectified): Promise<boolean> {
    if (!UUID.test(payload.messageId) || payload.caseReference.length > 64) return false;
    return this.dataSource.transaction(async (manager) => {
      // The case's key row held while the content is replaced: an erasure waits for it, or has already won.
      const live: unknown[] = await manager.query(
        'SELECT 1 FROM case_keys WHERE case_reference = $1 AND wrapped IS NOT NULL FOR SHARE',
        [payload.caseReference],
      );
      if (live.length === 0) return false;
      const key = await this.keys.keyOf(manager, payload.caseReference);
      try {
        const text = openMessageText(key, payload.caseReference, payload.messageId, payload.sealedContent);
        if (contentProblem(text)) return false;
      } catch (error) {
        if (error instanceof SealBrokenError) return false;
        throw error;
      }
      const updated = await queryReturning(
        manager,
        `UPDATE messages SET content = $4 WHERE id = $1 AND case_reference = $2 AND sender_agency = $3 RETURNING id`,
        [payload.messageId, payload.caseReference, payload.senderAgency, Buffer.from(payload.sealedContent)],
      );
      return updated.length > 0;
    });
  }

  private revisedEvent(event: EventEnvelope<MessageRectified>, now: Date): OutgoingEvent<typeof Topics.messageRevised> {
    const p = event.payload;
    return {
      eventId: derivedEventId(Topics.messageRevised, event.eventId),
      key: p.caseReference,
      correlationId: event.correlationId,
      payload: create(MessageRevisedSchema, {
        messageId: p.messageId,
        caseReference: p.caseReference,
        senderAgency: p.senderAgency,
        entityRef: p.entityRef,
        action: p.action,
        revisedAt: timestampFromDate(now),
      }),
    };
  }
}
