/**
 * What the tracker counts of each routed message, seen from every country it touches: sent abroad (outbound,
 * from the sender's agency), received from abroad (inbound, at each recipient agency), or kept within one
 * country (domestic). One row per day, our agency, direction, partner country, message type and crime area.
 *
 * A message reaches several agencies and countries, so one message may stand in several rows. Each row carries
 * four counts that add up without counting a message twice, whichever breakdown a report asks for:
 * - `messages`: this agency's exchanges with this partner country (for breakdowns by agency and partner);
 * - `agencyMessages`: messages of this agency in this direction, on one of its rows (by agency, or region);
 * - `partnerMessages`: messages between our country and this partner country, on one of its rows (by partner);
 * - `countryMessages`: messages of our country in this direction, on one row (totals).
 */
export const EXCHANGE_DIRECTIONS = ['outbound', 'inbound', 'domestic'] as const;
export type ExchangeDirection = (typeof EXCHANGE_DIRECTIONS)[number];

export interface AgencyRefFacts {
  agency: string;
  country: string;
}

export interface RoutedExchange {
  day: string;
  sender: AgencyRefFacts;
  recipients: readonly AgencyRefFacts[];
  messageType: string;
  /** Empty when the case has none. */
  crimeArea: string;
}

export interface ExchangeFact {
  day: string;
  /** Our agency's country. */
  country: string;
  agency: string;
  direction: ExchangeDirection;
  partnerCountry: string;
  messageType: string;
  crimeArea: string;
  messages: number;
  agencyMessages: number;
  partnerMessages: number;
  countryMessages: number;
}

/** The rows of one message, before they are summed with others'. */
export function exchangeFacts(message: RoutedExchange): ExchangeFact[] {
  const facts: ExchangeFact[] = [];
  const row = (agency: AgencyRefFacts, direction: ExchangeDirection, partnerCountry: string): ExchangeFact => {
    const fact = {
      day: message.day,
      country: agency.country,
      agency: agency.agency,
      direction,
      partnerCountry,
      messageType: message.messageType,
      crimeArea: message.crimeArea,
      messages: 1,
      agencyMessages: 0,
      partnerMessages: 0,
      countryMessages: 0,
    };
    facts.push(fact);
    return fact;
  };
  const home = message.sender.country;
  const recipients = [...new Map(message.recipients.map((r) => [r.agency, r])).values()].sort((a, b) =>
    a.agency.localeCompare(b.agency),
  );
  const abroad = [...new Set(recipients.filter((r) => r.country !== home).map((r) => r.country))].sort();

  // Outbound: the sender's agency, once per country abroad.
  abroad.forEach((country, i) => {
    const fact = row(message.sender, 'outbound', country);
    fact.partnerMessages = 1;
    if (i === 0) fact.agencyMessages = fact.countryMessages = 1;
  });
  // Domestic: the sender's agency, once, when any recipient is at home.
  if (recipients.some((r) => r.country === home)) {
    const fact = row(message.sender, 'domestic', home);
    fact.agencyMessages = fact.partnerMessages = fact.countryMessages = 1;
  }
  // Inbound: each recipient agency abroad; its country counts the message once.
  const countedCountries = new Set<string>();
  for (const recipient of recipients) {
    if (recipient.country === home) continue;
    const fact = row(recipient, 'inbound', home);
    fact.agencyMessages = 1;
    if (!countedCountries.has(recipient.country)) {
      countedCountries.add(recipient.country);
      fact.partnerMessages = fact.countryMessages = 1;
    }
  }
  return facts;
}

/**
 * Sums rows of the same day (or period: `day` may hold a month's or year's first day), agency, direction,
 * partner, type and area; sorted, so writers lock rows in one order.
 */
export function sumExchangeFacts(facts: readonly ExchangeFact[]): ExchangeFact[] {
  return sumFacts(
    facts,
    (f) => [f.day, f.country, f.agency, f.direction, f.partnerCountry, f.messageType, f.crimeArea],
    ['messages', 'agencyMessages', 'partnerMessages', 'countryMessages'],
  );
}

/**
 * Sums rows that share a key, adding up the named counts; the result is sorted by key, so that concurrent
 * writers upsert aggregate rows in the same order and never deadlock.
 */
export function sumFacts<T extends object>(
  rows: readonly T[],
  key: (row: T) => readonly (string | number)[],
  counts: readonly (keyof T)[],
): T[] {
  const sums = new Map<string, T>();
  for (const row of rows) {
    const k = key(row).join('\u0000');
    const sum = sums.get(k);
    if (!sum) sums.set(k, { ...row });
    else for (const count of counts) (sum[count] as number) += row[count] as number;
  }
  return [...sums].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, row]) => row);
}
