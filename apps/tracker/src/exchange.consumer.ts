import { timestampDate } from '@bufbuild/protobuf/wkt';
import { eventTime, messageTypeCodec, priorityCodec, Topics } from '@liaison/contracts';
import { utcDay } from '@liaison/common';
import { expectsAnswer, type RoutedExchange } from '@liaison/domain';
import type { EventBatch } from '@liaison/messaging';
import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { CloseCaseRequestsUseCase } from './close-case-requests.usecase';
import { CountRoutedMessagesUseCase, type RoutedMessage } from './count-routed-messages.usecase';
import type { SentReply, SentRequest } from './request-state.repository';

type Routed = EventBatch<typeof Topics.messageRouted>['events'][number]['payload'];

/** A request or cross-check as the tracker times it: each recipient owes an answer by the deadline. */
function asRequest(message: Routed, exchange: RoutedExchange): SentRequest | null {
  const type = messageTypeCodec.fromProto(message.type);
  if (!type || !expectsAnswer(type)) return null;
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

/** Counts routed messages and the requests among them, and closes the requests of closed cases. */
@Controller()
export class ExchangeConsumer {
  constructor(
    private readonly countRouted: CountRoutedMessagesUseCase,
    private readonly closeRequests: CloseCaseRequestsUseCase,
    @InjectPinoLogger(ExchangeConsumer.name) private readonly logger: PinoLogger,
  ) {}

  @EventPattern(Topics.messageRouted)
  async routed(@Payload() batch: EventBatch<typeof Topics.messageRouted>): Promise<void> {
    const started = performance.now();
    const messages = batch.events.map(({ eventId, payload, recordedAt }): RoutedMessage => {
      const exchange = routedExchange(payload, recordedAt);
      return { eventId, exchange, request: asRequest(payload, exchange), reply: asReply(payload, exchange) };
    });
    const counted = await this.countRouted.run(messages);
    this.logger.debug(
      { partition: batch.partition, events: batch.events.length, counted, ms: Math.round(performance.now() - started) },
      'routed messages counted',
    );
  }

  @EventPattern(Topics.caseClosed)
  async caseClosed(@Payload() batch: EventBatch<typeof Topics.caseClosed>): Promise<void> {
    const counted = await this.closeRequests.run(
      batch.events.map(({ eventId, payload, recordedAt }) => ({
        eventId,
        caseReference: payload.caseReference,
        closedAt: eventTime(payload.closedAt, recordedAt),
      })),
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
