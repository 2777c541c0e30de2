import {
  ANSWER_CUBES,
  answeredChange,
  cubeRows,
  EXCHANGE_CUBES,
  exchangeFacts,
  requestFacts,
  RESPONSE_CUBES,
  sumExchangeFacts,
  type RoutedExchange,
} from '@liaison/domain';
import { Injectable } from '@nestjs/common';
import { ReportCubeRepository } from './report-cube.repository';
import {
  RequestStateRepository,
  type OpenRequestChange,
  type SentReply,
  type SentRequest,
  type StoredRequest,
} from './request-state.repository';
import { TrackerStore } from './tracker.store';

/** A routed message as the tracker counts it: the exchange, and the request it opens or the reply answering one. */
export interface RoutedMessage {
  eventId: string;
  exchange: RoutedExchange;
  request: SentRequest | null;
  reply: SentReply | null;
}

const openChange = (request: StoredRequest, open: number): OpenRequestChange => ({
  country: request.country,
  partnerCountry: request.partnerCountry,
  priority: request.priority,
  open,
});

/**
 * Counts routed messages from every country they touch, on the UTC day each was submitted; opens each
 * recipient's part in a request, and times it when that recipient's reply is routed. One transaction per batch,
 * with the ids of the events counted: a redelivered event counts once. Returns how many were new.
 */
@Injectable()
export class CountRoutedMessagesUseCase {
  constructor(
    private readonly store: TrackerStore,
    private readonly cubes: ReportCubeRepository,
    private readonly requests: RequestStateRepository,
  ) {}

  run(messages: readonly RoutedMessage[]): Promise<number> {
    return this.store.once(
      messages.map((m) => m.eventId),
      async (manager, fresh) => {
        // A batch can hold the same event twice (a producer retry): each event id counts once.
        const counted = [...new Map(messages.filter((m) => fresh.has(m.eventId)).map((m) => [m.eventId, m])).values()];
        const exchanges = this.cubes.prepare(
          cubeRows(EXCHANGE_CUBES, sumExchangeFacts(counted.flatMap((m) => exchangeFacts(m.exchange)))),
        );
        const sent = await this.requests.open(
          manager,
          counted.flatMap((m) => m.request ?? []),
        );
        const answered = await this.requests.answer(
          manager,
          counted.flatMap((m) => m.reply ?? []),
        );
        const change = answeredChange(answered);
        const counts = [...sent.map((request) => requestFacts(request).counts), ...change.counts];
        // The aggregates last, prepared beforehand (see `ReportCubeRepository.run`).
        await this.cubes.run(manager, [
          ...exchanges,
          ...this.cubes.prepare([...cubeRows(RESPONSE_CUBES, counts), ...cubeRows(ANSWER_CUBES, change.times)]),
          ...this.requests.prepareOpenCounts([
            ...sent.filter((request) => !request.closed).map((request) => openChange(request, 1)),
            ...answered.filter((request) => !request.closed).map((request) => openChange(request, -1)),
          ]),
        ]);
      },
    );
  }
}
