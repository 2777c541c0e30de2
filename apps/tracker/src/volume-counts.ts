/**
 * Turns routed messages into increments of the daily volume aggregates. Pure, so the counting rules are
 * tested without a database: a message counts once for its sender country, and once for each distinct
 * recipient country (two Romanian recipients of one message are one GB -> RO message).
 */
export interface RoutedFacts {
  day: string;
  senderCountry: string;
  recipientCountries: readonly string[];
}

export interface VolumeIncrements {
  pairs: { day: string; senderCountry: string; recipientCountry: string; messages: number }[];
  sent: { day: string; senderCountry: string; messages: number }[];
}

export function volumeIncrements(messages: readonly RoutedFacts[]): VolumeIncrements {
  const pairs = new Map<string, number>();
  const sent = new Map<string, number>();
  for (const message of messages) {
    const sentKey = `${message.day}|${message.senderCountry}`;
    sent.set(sentKey, (sent.get(sentKey) ?? 0) + 1);
    for (const country of new Set(message.recipientCountries)) {
      const pairKey = `${sentKey}|${country}`;
      pairs.set(pairKey, (pairs.get(pairKey) ?? 0) + 1);
    }
  }
  // Sorted, so that concurrent trackers lock aggregate rows in the same order and never deadlock.
  return {
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
