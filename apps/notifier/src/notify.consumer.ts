import { timestampDate } from '@bufbuild/protobuf/wkt';
import {
  erasureGroundCodec,
  MatchAction,
  matchActionCodec,
  matchStrengthCodec,
  messageTypeCodec,
  priorityCodec,
  Topics,
  eventTime,
  type EventOf,
  type TopicName,
} from '@liaison/contracts';
import { TraceScope } from '@liaison/observability';
import {
  caseErasedNotifications,
  matchFoundNotifications,
  matchUpdatedNotifications,
  matchWithdrawnNotifications,
  messageReceivedNotifications,
  type MatchAction as DomainMatchAction,
} from '@liaison/domain';
import type { EventBatch } from '@liaison/messaging';
import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { NotificationScheduler } from './notification.scheduler';

/**
 * The span each event is applied under, by what its notifications name as their source, so that the webhook
 * jobs they lead to continue the event's trace.
 */
function tracesBy<T extends TopicName>(
  batch: EventBatch<T>,
  source: (payload: EventOf<T>) => string,
): Map<string, string> {
  const traces = new Map<string, string>();
  for (const event of batch.events) {
    const traceparent = TraceScope.traceparentFor(event.correlationId);
    if (traceparent) traces.set(source(event.payload), traceparent);
  }
  return traces;
}

const OUTCOME: Record<DomainMatchAction, string> = {
  release: 'released',
  decline: 'declined',
  confirm: 'confirmed',
  dismiss: 'dismissed',
};

/**
 * Turns events into notifications for the agencies concerned (and their webhooks). Each batch is stored, and
 * its deliveries queued, before the offset is committed; a redelivered event adds nothing.
 */
@Controller()
export class NotifyConsumer {
  constructor(
    private readonly scheduler: NotificationScheduler,
    @InjectPinoLogger(NotifyConsumer.name) private readonly logger: PinoLogger,
  ) {}

  @EventPattern(Topics.matchFound)
  async matchFound(@Payload() batch: EventBatch<typeof Topics.matchFound>): Promise<void> {
    const drafts = batch.events.flatMap(({ payload: p, recordedAt }) =>
      p.a && p.b
        ? matchFoundNotifications({
            matchId: p.matchId,
            entityType: p.entityType,
            strength: matchStrengthCodec.fromProto(p.strength),
            a: p.a,
            b: p.b,
            foundAt: eventTime(p.foundAt, recordedAt),
          })
        : [],
    );
    await this.scheduler.notify(
      drafts,
      tracesBy(batch, (p) => p.matchId),
    );
    this.logger.debug({ events: batch.events.length, notifications: drafts.length }, 'match notifications stored');
  }

  @EventPattern(Topics.matchUpdated)
  async matchUpdated(@Payload() batch: EventBatch<typeof Topics.matchUpdated>): Promise<void> {
    const drafts = batch.events.flatMap(({ payload: p, recordedAt }) => {
      if (p.action === MatchAction.WITHDRAW) {
        // One side's case was erased: the other is told the match is gone, and nothing of the erased side.
        const remaining = [p.a, p.b].find((side) => side && side.caseReference !== '');
        return remaining
          ? matchWithdrawnNotifications({
              matchId: p.matchId,
              entityType: p.entityType,
              remaining,
              withdrawnAt: eventTime(p.updatedAt, recordedAt),
            })
          : [];
      }
      const action = matchActionCodec.fromProto(p.action);
      if (!p.a || !p.b || !action) return [];
      return matchUpdatedNotifications({
        matchId: p.matchId,
        reviewId: p.reviewId,
        entityType: p.entityType,
        a: p.a,
        b: p.b,
        actingAgency: p.actingAgency,
        outcome: OUTCOME[action],
        linked: p.linked,
        updatedAt: eventTime(p.updatedAt, recordedAt),
      });
    });
    await this.scheduler.notify(
      drafts,
      tracesBy(batch, (p) => p.reviewId),
    );
  }

  /**
   * An erased case: the notifications that name it go (with their webhooks, queued or not), and every partner
   * that took part is told, by notification and signed webhook, so it can erase its own copy.
   */
  @EventPattern(Topics.caseErased)
  async caseErased(@Payload() batch: EventBatch<typeof Topics.caseErased>): Promise<void> {
    for (const { payload: p, recordedAt } of batch.events) {
      await this.scheduler.forgetCase(p.caseReference);
      await this.scheduler.notify(
        caseErasedNotifications({
          caseReference: p.caseReference,
          ownerAgency: p.ownerAgency,
          participants: p.participants,
          ground: erasureGroundCodec.fromProto(p.ground) ?? 'unspecified',
          erasedAt: eventTime(p.erasedAt, recordedAt),
        }),
      );
      await this.scheduler.recordErasurePart(p.caseReference);
    }
    this.logger.info({ cases: batch.events.length }, 'erased cases forgotten and their partners told');
  }

  /** Each recipient is told a message arrived; a request's deadline checks are scheduled. */
  @EventPattern(Topics.messageRouted)
  async messageRouted(@Payload() batch: EventBatch<typeof Topics.messageRouted>): Promise<void> {
    const messages = batch.events.map(({ payload: p, recordedAt }) => ({
      messageId: p.messageId,
      caseReference: p.caseReference,
      sender: p.sender?.code ?? '',
      recipients: p.recipients.map((r) => r.code),
      type: messageTypeCodec.fromProto(p.type) ?? 'information',
      priority: priorityCodec.fromProto(p.priority) ?? 'normal',
      answerDeadline: p.answerDeadline ? timestampDate(p.answerDeadline) : null,
      sentAt: eventTime(p.submittedAt, recordedAt),
    }));
    await this.scheduler.notify(
      messages.flatMap(messageReceivedNotifications),
      tracesBy(batch, (p) => p.messageId),
    );
    await this.scheduler.scheduleDeadlines(
      messages.flatMap((m) =>
        m.answerDeadline ? [{ messageId: m.messageId, sentAt: m.sentAt, deadline: m.answerDeadline }] : [],
      ),
    );
  }
}
