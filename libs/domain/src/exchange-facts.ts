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
  const row = (agency: string, direction: ExchangeDirection, partnerCountry: string): ExchangeFact => {
    const fact = { day: message.day, agency, direction, partnerCountry, messageType: message.messageType, crimeArea: message.crimeArea, messages: 1, agencyMessages: 0, partnerMessages: 0, countryMessages: 0 };
    facts.push(fact);
    return fact;
  };
  const home = message.sender.country;
  const recipients = [...new Map(message.recipients.map((r) => [r.agency, r])).values()].sort((a, b) => a.agency.localeCompare(b.agency));
  const abroad = [...new Set(recipients.filter((r) => r.country !== home).map((r) => r.country))].sort();

  // Outbound: the sender's agency, once per country abroad.
  abroad.forEach((country, i) => {
    const fact = row(message.sender.agency, 'outbound', country);
    fact.partnerMessages = 1;
    if (i === 0) fact.agencyMessages = fact.countryMessages = 1;
  });
  // Domestic: the sender's agency, once, when any recipient is at home.
  if (recipients.some((r) => r.country === home)) {
    const fact = row(message.sender.agency, 'domestic', home);
    fact.agencyMessages = fact.partnerMessages = fact.countryMessages = 1;
  }
  // Inbound: each recipient agency abroad; its country counts the message once.
  const countedCountries = new Set<string>();
  for (const recipient of recipients) {
    if (recipient.country === home) continue;
    const fact = row(recipient.agency, 'inbound', home);
    fact.agencyMessages = 1;
    if (!countedCountries.has(recipient.country)) {
      countedCountries.add(recipient.country);
      fact.partnerMessages = fact.countryMessages = 1;
    }
  }
  return facts;
}

/** Sums rows of the same day, agency, direction, partner, type and area; sorted, so writers lock rows in one order. */
export function sumExchangeFacts(facts: readonly ExchangeFact[]): ExchangeFact[] {
  const sums = new Map<string, ExchangeFact>();
  for (const fact of facts) {
    const key = [fact.day, fact.agency, fact.direction, fact.partnerCountry, fact.messageType, fact.crimeArea].join('\u0000');
    const sum = sums.get(key);
    if (!sum) sums.set(key, { ...fact });
    else {
      sum.messages += fact.messages;
      sum.agencyMessages += fact.agencyMessages;
      sum.partnerMessages += fact.partnerMessages;
      sum.countryMessages += fact.countryMessages;
    }
  }
  return [...sums].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, fact]) => fact);
}
