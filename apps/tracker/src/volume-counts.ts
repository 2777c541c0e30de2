import { exchangeFacts, sumExchangeFacts, type ExchangeFact, type RoutedExchange } from '@liaison/domain';

/**
 * Turns routed messages into increments of the daily volume aggregates. Pure, so the counting rules are
 * tested without a database: a message counts once for its sender country, and once for each distinct
 * recipient country (two Romanian recipients of one message are one GB -> RO message).
 */
export interface VolumeIncrements {
  pairs: { day: string; senderCountry: string; recipientCountry: string; messages: number }[];
  sent: { day: string; senderCountry: string; messages: number }[];
  /** The exchange facts of the messages, summed (see `exchangeFacts`). */
  exchanges: ExchangeFact[];
}

export function volumeIncrements(messages: readonly RoutedExchange[]): VolumeIncrements {
  const pairs = new Map<string, number>();
  const sent = new Map<string, number>();
  for (const message of messages) {
    const sentKey = `${message.day}|${message.sender.country}`;
    sent.set(sentKey, (sent.get(sentKey) ?? 0) + 1);
    for (const country of new Set(message.recipients.map((r) => r.country))) {
      const pairKey = `${sentKey}|${country}`;
      pairs.set(pairKey, (pairs.get(pairKey) ?? 0) + 1);
    }
  }
  // Sorted, so that concurrent trackers lock aggregate rows in the same order and never deadlock.
  return {
    exchanges: sumExchangeFacts(messages.flatMap(exchangeFacts)),
    pairs: [...pairs]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, messages]) => {
        const [day, senderCountry, recipientCountry] = key.split('|');
        return { day, senderCountry, recipientCountry, messages };
      }),
    sent: [...sent]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, messages]) => {
        const [day, senderCountry] = key.split('|');
        return { day, senderCountry, messages };
      }),
  };
}
