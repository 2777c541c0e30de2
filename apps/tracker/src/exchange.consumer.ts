import { timestampDate } from '@bufbuild/protobuf/wkt';
import { messageTypeCodec, priorityCodec, Topics, eventTime } from '@liaison/contracts';
import { exchangeFacts, sumExchangeFacts, utcDay, type RoutedExchange } from '@liaison/domain';
import type { EventBatch } from '@liaison/messaging';
import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { exchangeFactStatements, responseFactStatements, runFactStatements } from './fact-tables';
import {
  answerRequests,
  closeCases,
  openRequests,
  openRequestsStatements,
  type SentReply,
  type SentRequest,
} from './request-facts';
import { TrackerStore } from './tracker.store';

type Routed = EventBatch<typeof Topics.messageRouted>['events'][number]['payload'];

/** Requests and cross-checks expect an answer from every recipient by their deadline. */
function asRequest(message: Routed, exchange: RoutedExchange): SentRequest | null {
  if (exchange.messageType !== 'request' && exchange.messageType !== 'cross-check') return null;
  if (!message.answerDeadline || !message.submittedAt) return null;
  return {
    messageId: message.messageId,
    caseReference: message.caseReference,
    sender: exchange.sender,
    recipients: exchange.recipients,
    priority: priorityCodec.fromProto(message.priority) ?? 'normal',
    sentAt: timestampDate(message.submittedAt),
    deadline: timestampDate(message.answerDeadline),
  };
}

function asReply(message: Routed, exchange: RoutedExchange): SentReply | null {
  if (exchange.messageType !== 'reply' || message.inReplyTo === '' || !message.routedAt) return null;
  // The time the router marked the delivery answered: the reply's routing.
  return { inReplyTo: message.inReplyTo, agency: exchange.sender.agency, answeredAt: timestampDate(message.routedAt) };
}

@Controller()
export class ExchangeConsumer {
  constructor(
    private readonly store: TrackerStore,
    @InjectPinoLogger(ExchangeConsumer.name) private readonly logger: PinoLogger,
  ) {}

  /**
   * Counts every routed message on the UTC day it was submitted, from every country it touches; opens each
   * recipient's part in a request, and times it when that recipient's reply is routed.
   */
  @EventPattern(Topics.messageRouted)
  async routed(@Payload() batch: EventBatch<typeof Topics.messageRouted>): Promise<void> {
    const started = performance.now();
    const counted = await this.store.once(
      batch.events.map((e) => e.eventId),
      async (manager, fresh) => {
        // A batch can hold the same event twice (a producer retry): each event id counts once.
        const messages = [
          ...new Map(batch.events.filter((e) => fresh.has(e.eventId)).map((e) => [e.eventId, e])).values(),
        ];
        const exchanges = messages.map(({ payload: message, recordedAt }) => ({
          message,
          exchange: routedExchange(message, recordedAt),
        }));
        const exchangeStatements = exchangeFactStatements(
          sumExchangeFacts(exchanges.flatMap(({ exchange }) => exchangeFacts(exchange))),
        );
        const sent = await openRequests(
          manager,
          exchanges.map(({ message, exchange }) => asRequest(message, exchange)).filter((r) => r !== null),
        );
        const answered = await answerRequests(
          manager,
          exchanges.map(({ message, exchange }) => asReply(message, exchange)).filter((r) => r !== null),
        );
        // The aggregates last, prepared beforehand (see `runFactStatements`).
        await runFactStatements(manager, [
          ...exchangeStatements,
          ...responseFactStatements([...sent.counts, ...answered.counts], answered.times),
          ...openRequestsStatements([...sent.open, ...answered.open]),
        ]);
      },
    );
    this.logger.debug(
      { partition: batch.partition, events: batch.events.length, counted, ms: Math.round(performance.now() - started) },
      'routed messages counted',
    );
  }

  /** A closed case's open requests stop waiting for answers. */
  @EventPattern(Topics.caseClosed)
  async caseClosed(@Payload() batch: EventBatch<typeof Topics.caseClosed>): Promise<void> {
    const counted = await this.store.once(
      batch.events.map((e) => e.eventId),
      (manager, fresh) =>
        closeCases(
          manager,
          batch.events
            .filter((e) => fresh.has(e.eventId))
            .map(({ payload, recordedAt }) => ({
              caseReference: payload.caseReference,
              closedAt: eventTime(payload.closedAt, recordedAt),
            })),
        ),
    );
    this.logger.debug({ partition: batch.partition, events: batch.events.length, counted }, 'case closures counted');
  }
}

export function routedExchange(message: Routed, recordedAt: Date): RoutedExchange {
  return {
    day: utcDay(eventTime(message.submittedAt, recordedAt)),
    sender: { agency: message.sender?.code ?? '', country: message.sender?.country ?? '' },
    recipients: message.recipients.map((r) => ({ agency: r.code, country: r.country })),
    messageType: messageTypeCodec.fromProto(message.type) ?? 'information',
    crimeArea: message.crimeArea,
  };
}
