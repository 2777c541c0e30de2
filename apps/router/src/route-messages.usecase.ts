import { MetricDefinitions, Metrics } from '@liaison/observability';
import { create } from '@bufbuild/protobuf';
import { timestampDate, timestampFromDate } from '@bufbuild/protobuf/wkt';
import {
  AgencyRefSchema,
  eventTime,
  timedEventId,
  evaluationFromProto,
  handlingCodeCodec,
  handlingFromProto,
  MessageRejectedSchema,
  messageTypeCodec,
  priorityCodec,
  MessageRoutedSchema,
  RejectionReason,
  Topics,
  type EventEnvelope,
  type MessageSubmitted,
  type OutgoingEvent,
} from '@liaison/contracts';
import { utcDay } from '@liaison/common';
import {
  receivedClassification,
  decideRouting,
  expectsAnswer,
  printable,
  responseDeadlineFor,
  type RejectionCode,
  type RoutingContext,
  type Submission,
} from '@liaison/domain';
import { EventPublisher } from '@liaison/messaging';
import { AgencyRepository, type AgencyEntity } from '@liaison/persistence';
import { Injectable } from '@nestjs/common';
import {
  RoutingRepository,
  type MessageCodes,
  type RejectedRow,
  type RoutedRow,
  type StoredOutcome,
} from './routing.repository';
import { SubmittedContent } from './submitted-content';

export interface RoutingSummary {
  routed: number;
  rejected: number;
  replayed: number;
}

type Submitted = EventEnvelope<MessageSubmitted>;

/**
 * Routes a batch of submitted messages: decides each one by the routing policy, stores cases, messages,
 * participants and deliveries (or the rejection) in one transaction, then publishes the outcome events.
 * A message already decided is not applied again (the message id is the idempotency key); its stored
 * outcome is published again instead, under the same event id, so a crash between commit and publish
 * loses nothing and downstream consumers deduplicate the repeat.
 */
@Injectable()
export class RouteMessagesUseCase {
  constructor(
    private readonly exchange: RoutingRepository,
    private readonly agencies: AgencyRepository,
    private readonly publisher: EventPublisher,
    private readonly metrics: Metrics,
    private readonly submitted: SubmittedContent,
  ) {}

  async execute(events: Submitted[]): Promise<RoutingSummary> {
    // Text the database would refuse, or sealed content that does not open, is rejected before anything reads it
    // (another producer than the gateway may have sent it): such a message takes no part in looking up cases,
    // agencies or teams. So is a message of a case erased meanwhile.
    const { contents, invalid, erased } = await this.submitted.prepare(events);
    const valid =
      invalid.size + erased.size === 0
        ? events
        : events.filter((e) => !invalid.has(e.payload.messageId) && !erased.has(e.payload.messageId));
    const codes = new Set<string>();
    for (const { payload } of valid) {
      codes.add(payload.senderAgency);
      for (const code of payload.recipientAgencies) codes.add(code);
    }
    let register = await this.agencies.findMany([...codes]);
    let registerIsFresh = false;
    const now = new Date();

    const outcomes = await this.exchange.transaction(async (manager) => {
      const { decided, participants, closed, caseJits, crimeAreas, jits } = await this.exchange.batchState(
        manager,
        events.map((e) => e.payload.messageId),
        [...new Set(valid.map((e) => e.payload.caseReference))],
        [...new Set(valid.map((e) => e.payload.jitId).filter((id) => id !== ''))],
      );
      for (const reference of await this.exchange.erasedCases(manager, [
        ...new Set(valid.map((e) => e.payload.caseReference)),
      ]))
        for (const e of valid) if (e.payload.caseReference === reference) erased.add(e.payload.messageId);
      const seen = new Set<string>();
      const toApply: Submitted[] = [];
      for (const event of events) {
        // The same message twice in one batch (a producer retry) is applied once.
        if (!decided.has(event.payload.messageId) && !seen.has(event.payload.messageId)) toApply.push(event);
        seen.add(event.payload.messageId);
      }
      const replayedIds = [
        ...new Set(events.filter((e) => decided.has(e.payload.messageId)).map((e) => e.payload.messageId)),
      ];

      const routed: RoutedRow[] = [];
      const rejected: RejectedRow[] = [];
      const context: RoutingContext = {
        isKnownAgency: (code) => register.has(code),
        participantsOf: (reference) => participants.get(reference),
        isClosed: (reference) => closed.has(reference),
        clearanceOf: (code) => register.get(code)?.clearance,
        jitOf: (id) => jits.get(id),
        caseJitOf: (reference) => caseJits.get(reference),
      };
      for (const { payload, correlationId, recordedAt } of toApply) {
        const submittedAt = eventTime(payload.submittedAt, recordedAt);
        const issue = invalid.get(payload.messageId);
        if (issue) {
          rejected.push({
            messageId: payload.messageId,
            caseReference: printable(payload.caseReference),
            senderAgency: printable(payload.senderAgency),
            reason: 'INVALID_CONTENT',
            detail: `${issue.field} ${issue.message}`,
            submittedAt,
          });
          continue;
        }
        if (erased.has(payload.messageId)) {
          rejected.push({
            ...payload,
            reason: 'CASE_NOT_ACCESSIBLE',
            detail: `case ${payload.caseReference} has been erased`,
            submittedAt,
          });
          continue;
        }
        // Only what the policy reads: copying the whole event (body, entities) per message is measurable.
        const submission: Submission = {
          caseReference: payload.caseReference,
          opensCase: payload.opensCase,
          senderAgency: payload.senderAgency,
          recipientAgencies: payload.recipientAgencies,
          classification: receivedClassification(payload.classification),
          ...(payload.jitId === '' ? {} : { jitId: payload.jitId, sentOn: utcDay(submittedAt) }),
        };
        const decide = () => decideRouting(submission, context);
        let decision = decide();
        if (!decision.route && REGISTER_DEPENDENT.has(decision.code) && !registerIsFresh) {
          // Never refuse on a stale copy of the register (an agency just added, a clearance just raised).
          register = await this.agencies.findMany([...codes], { fresh: true });
          registerIsFresh = true;
          decision = decide();
        }
        if (decision.route) {
          // Later messages of the same batch see this one's case and participants.
          const opensCase = !participants.has(payload.caseReference);
          const members = participants.get(payload.caseReference) ?? new Set<string>();
          const joining = [...new Set([payload.senderAgency, ...payload.recipientAgencies])].filter(
            (code) => !members.has(code),
          );
          for (const code of joining) members.add(code);
          participants.set(payload.caseReference, members);
          const jitId = payload.jitId === '' ? null : payload.jitId;
          if (opensCase && jitId) caseJits.set(payload.caseReference, jitId);
          routed.push({
            messageId: payload.messageId,
            caseReference: payload.caseReference,
            senderAgency: payload.senderAgency,
            content: contents.get(payload.messageId)!,
            submittedByKeyId: payload.submittedByKeyId,
            opensCase,
            recipientAgencies: [...payload.recipientAgencies],
            joining,
            submittedAt,
            correlationId,
            codes: codesOf(payload, submittedAt),
            jitId,
            crimeArea: crimeAreas.get(payload.caseReference) ?? null,
            attachments: payload.attachments.map((a) => ({
              sha256: a.sha256,
              contentType: a.contentType,
              size: Number(a.size),
              fileId: a.fileId || null,
              fileKey: a.fileId ? Buffer.from(a.sealedKey) : null,
            })),
          });
        } else {
          rejected.push({ ...payload, reason: decision.code, detail: decision.detail, submittedAt });
        }
      }
      const inserted = await this.exchange.storeRouted(manager, routed, now);
      await this.exchange.storeRejected(manager, rejected, now);
      // Stored meanwhile by another router replica (a rebalance race): not stored twice; publish what was stored.
      const repeatedIds = routed.filter((row) => !inserted.has(row.messageId)).map((row) => row.messageId);
      const stored = await this.exchange.outcomes(manager, [...replayedIds, ...repeatedIds]);
      return {
        routed: routed.filter((row) => inserted.has(row.messageId)),
        rejected,
        replayed: stored,
      };
    });

    const correlation = new Map(events.map((e) => [e.payload.messageId, e.correlationId]));
    const routedEvents = outcomes.routed.map((row) =>
      this.routedEvent(
        row.messageId,
        row.correlationId,
        {
          caseReference: row.caseReference,
          openedCase: row.opensCase,
          senderAgency: row.senderAgency,
          recipients: row.recipientAgencies,
          submittedAt: row.submittedAt,
          routedAt: now,
          codes: { ...row.codes, handlingCode: row.codes.handling.code },
          crimeArea: row.crimeArea,
          jitId: row.jitId,
        },
        register,
      ),
    );
    const rejectedEvents = outcomes.rejected.map((row) =>
      this.rejectedEvent(row.messageId, correlation.get(row.messageId) ?? row.messageId, { ...row, rejectedAt: now }),
    );
    const replays = await this.replayEvents(outcomes.replayed, correlation);
    await this.publisher.publish(Topics.messageRouted, [...routedEvents, ...replays.routed]);
    await this.publisher.publish(Topics.messageRejected, [...rejectedEvents, ...replays.rejected]);
    const decided = this.metrics.counter(MetricDefinitions.messagesRouted);
    decided.inc({ outcome: 'routed' }, outcomes.routed.length);
    decided.inc({ outcome: 'rejected' }, outcomes.rejected.length);
    this.metrics
      .counter(MetricDefinitions.deliveries)
      .inc(outcomes.routed.reduce((sum, row) => sum + row.recipientAgencies.length, 0));
    return { routed: outcomes.routed.length, rejected: outcomes.rejected.length, replayed: outcomes.replayed.length };
  }

  private async replayEvents(stored: StoredOutcome[], correlation: Map<string, string>) {
    const codes = stored.flatMap((o) => (o.routed ? [o.routed.senderAgency, ...o.routed.recipients] : []));
    const register =
      codes.length > 0 ? await this.agencies.findMany([...new Set(codes)]) : new Map<string, AgencyEntity>();
    const routed: OutgoingEvent<typeof Topics.messageRouted>[] = [];
    const rejected: OutgoingEvent<typeof Topics.messageRejected>[] = [];
    for (const outcome of stored) {
      const correlationId = correlation.get(outcome.messageId) ?? outcome.messageId;
      if (outcome.routed) routed.push(this.routedEvent(outcome.messageId, correlationId, outcome.routed, register));
      if (outcome.rejected) rejected.push(this.rejectedEvent(outcome.messageId, correlationId, outcome.rejected));
    }
    return { routed, rejected };
  }

  private routedEvent(
    messageId: string,
    correlationId: string,
    facts: NonNullable<StoredOutcome['routed']>,
    register: Map<string, AgencyEntity>,
  ): OutgoingEvent<typeof Topics.messageRouted> {
    const ref = (code: string) => create(AgencyRefSchema, { code, country: register.get(code)?.country ?? '' });
    return {
      eventId: timedEventId(facts.routedAt, Topics.messageRouted, messageId),
      key: facts.caseReference,
      correlationId,
      payload: create(MessageRoutedSchema, {
        messageId,
        caseReference: facts.caseReference,
        openedCase: facts.openedCase,
        sender: ref(facts.senderAgency),
        recipients: facts.recipients.map(ref),
        submittedAt: timestampFromDate(facts.submittedAt),
        routedAt: timestampFromDate(facts.routedAt),
        type: messageTypeCodec.toProto(facts.codes.type),
        priority: priorityCodec.toProto(facts.codes.priority),
        answerDeadline: facts.codes.answerDeadline ? timestampFromDate(facts.codes.answerDeadline) : undefined,
        handlingCode: handlingCodeCodec.toProto(facts.codes.handlingCode),
        inReplyTo: facts.codes.inReplyTo ?? '',
        crimeArea: facts.crimeArea ?? '',
        jitId: facts.jitId ?? '',
      }),
    };
  }

  private rejectedEvent(
    messageId: string,
    correlationId: string,
    facts: { caseReference: string; senderAgency: string; reason: string; detail: string; rejectedAt: Date },
  ): OutgoingEvent<typeof Topics.messageRejected> {
    return {
      eventId: timedEventId(facts.rejectedAt, Topics.messageRejected, messageId),
      key: facts.caseReference,
      correlationId,
      payload: create(MessageRejectedSchema, {
        messageId,
        caseReference: facts.caseReference,
        senderAgency: facts.senderAgency,
        reason: REJECTION_REASONS[facts.reason as RejectionCode] ?? RejectionReason.UNSPECIFIED,
        detail: facts.detail,
        rejectedAt: timestampFromDate(facts.rejectedAt),
      }),
    };
  }
}

/**
 * The codes of a submitted message. A producer that leaves them unset (proto3 defaults) sends plain
 * information, normal priority, H0: the least demanding reading, never a deadline nobody asked for.
 */
function codesOf(payload: MessageSubmitted, submittedAt: Date): MessageCodes {
  const type = messageTypeCodec.fromProto(payload.type) ?? 'information';
  const priority = priorityCodec.fromProto(payload.priority) ?? 'normal';
  return {
    type,
    priority,
    classification: receivedClassification(payload.classification),
    handling: handlingFromProto(payload.handling) ?? { code: 'H0' },
    evaluation: evaluationFromProto(payload.evaluation),
    inReplyTo: payload.inReplyTo === '' ? null : payload.inReplyTo,
    // A deadline the sender set replaces the priority's (requests and cross-checks only).
    answerDeadline:
      payload.answerDeadline && expectsAnswer(type)
        ? timestampDate(payload.answerDeadline)
        : responseDeadlineFor(type, priority, submittedAt),
  };
}

const REJECTION_REASONS: Record<RejectionCode, RejectionReason> = {
  UNKNOWN_SENDER: RejectionReason.UNKNOWN_SENDER,
  UNKNOWN_RECIPIENT: RejectionReason.UNKNOWN_RECIPIENT,
  CASE_NOT_ACCESSIBLE: RejectionReason.CASE_NOT_ACCESSIBLE,
  CASE_CLOSED: RejectionReason.CASE_CLOSED,
  RECIPIENT_NOT_CLEARED: RejectionReason.RECIPIENT_NOT_CLEARED,
  JIT_NOT_OPEN: RejectionReason.JIT_NOT_OPEN,
  INVALID_CONTENT: RejectionReason.INVALID_CONTENT,
  UNPROCESSABLE: RejectionReason.UNPROCESSABLE,
};

const REGISTER_DEPENDENT = new Set<RejectionCode>(['UNKNOWN_SENDER', 'UNKNOWN_RECIPIENT', 'RECIPIENT_NOT_CLEARED']);
