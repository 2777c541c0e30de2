import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { AgencyRefSchema, MessageRoutedSchema, MessageType, Priority, timedEventId, Topics } from '@liaison/contracts';
import { EventPublisher } from '@liaison/messaging';
import { timeOrderedId } from '@liaison/persistence';

import { random, TOTAL, YEARS } from './settings';

export interface Agency {
  code: string;
  country: string;
}

export const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];

/** An index from a Zipf distribution over n ranks (rank 0 the most frequent). */
export function zipf(n: number, s = 1.1): () => number {
  const weights = Array.from({ length: n }, (_, i) => 1 / (i + 1) ** s);
  const total = weights.reduce((a, b) => a + b, 0);
  const cumulative: number[] = [];
  let sum = 0;
  for (const w of weights) cumulative.push((sum += w / total));
  return () => {
    const r = random();
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] < r) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

export function weighted<T>(choices: readonly [T, number][]): () => T {
  const total = choices.reduce((sum, [, w]) => sum + w, 0);
  return () => {
    let r = random() * total;
    for (const [value, w] of choices) if ((r -= w) < 0) return value;
    return choices[choices.length - 1][0];
  };
}

/** A normal deviate (Box-Muller), for log-normal times to answer. */
export function normal(): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

export const DAY = 86_400_000;
export const ALLOWED: Record<string, number> = { 'urgent-direct': 8 * 3_600_000, urgent: 3 * DAY, normal: 7 * DAY };
export const PRIORITY_PROTO: Record<string, Priority> = {
  'urgent-direct': Priority.URGENT_DIRECT,
  urgent: Priority.URGENT,
  normal: Priority.NORMAL,
};

/** The traffic model: who sends to whom, what, and how it is answered. */
export class Traffic {
  private readonly gb: Agency[];
  private readonly bureau: Agency;
  private readonly byCountry = new Map<string, Agency[]>();
  private readonly partners: string[];
  private readonly gbSender: () => number;
  private readonly partner: () => number;
  readonly crimeArea = weighted<string>([
    ['labour-exploitation', 30],
    ['sexual-exploitation', 30],
    ['criminal-exploitation', 10],
    ['domestic-servitude', 5],
    ['organ-harvesting', 1],
    ['other-trafficking', 6],
    ['organised-immigration-crime', 8],
    ['', 10],
  ]);
  readonly type = weighted<'request' | 'cross-check' | 'information'>([
    ['request', 40],
    ['cross-check', 10],
    ['information', 50],
  ]);
  readonly priority = weighted<string>([
    ['normal', 80],
    ['urgent', 15],
    ['urgent-direct', 5],
  ]);
  readonly recipientCount = weighted<number>([
    [1, 70],
    [2, 20],
    [3, 10],
  ]);

  constructor(agencies: Agency[]) {
    for (const agency of agencies)
      this.byCountry.set(agency.country, [...(this.byCountry.get(agency.country) ?? []), agency]);
    this.gb = this.byCountry.get('GB')!;
    this.bureau = this.gb.find((a) => a.code === 'GB-NCA-UKLB')!;
    const preferred = [
      'RO',
      'PL',
      'AL',
      'BG',
      'LT',
      'VN',
      'NL',
      'EU',
      'FR',
      'ES',
      'SK',
      'HU',
      'NG',
      'CZ',
      'DE',
      'IT',
      'LV',
      'IE',
      'BE',
      'PT',
    ];
    this.partners = [
      ...preferred.filter((c) => this.byCountry.has(c)),
      ...[...this.byCountry.keys()].filter((c) => c !== 'GB' && !preferred.includes(c)).sort(),
    ];
    this.gbSender = zipf(this.gb.length, 1.0);
    this.partner = zipf(this.partners.length, 1.1);
  }

  sender(): Agency {
    if (random() < 0.55) return random() < 0.33 ? this.bureau : this.gb[this.gbSender()];
    return pick(this.byCountry.get(this.partners[this.partner()])!);
  }

  recipients(sender: Agency): Agency[] {
    const chosen = new Map<string, Agency>();
    const count = this.recipientCount();
    for (let i = 0; i < count * 3 && chosen.size < count; i++) {
      let agency: Agency;
      if (sender.country === 'GB')
        agency =
          sender !== this.bureau && random() < 0.4
            ? random() < 0.7
              ? this.bureau
              : pick(this.gb)
            : pick(this.byCountry.get(this.partners[this.partner()])!);
      else
        agency =
          random() < 0.7
            ? random() < 0.6
              ? this.bureau
              : pick(this.gb)
            : pick(this.byCountry.get(this.partners[this.partner()])!);
      if (agency.code !== sender.code) chosen.set(agency.code, agency);
    }
    if (chosen.size === 0)
      chosen.set(
        this.bureau.code === sender.code ? 'RO-ENU' : this.bureau.code,
        this.bureau.code === sender.code ? this.byCountry.get('RO')![0] : this.bureau,
      );
    return [...chosen.values()];
  }

  anyAgency(): Agency {
    return random() < 0.5 ? pick(this.gb) : pick(this.byCountry.get(this.partners[this.partner()])!);
  }
}

/**
 * Routed messages for the ingest run, in the order they are routed, as the tracker meets them live: requests,
 * cross-checks and information from 1 December 2025 at the five-year traffic's rate, and the answers when they
 * come.
 */
export function ingestEvents(traffic: Traffic, count: number): Parameters<EventPublisher['publish']>[1] {
  const timed: { at: number; event: Parameters<EventPublisher['publish']>[1][number] }[] = [];
  const perDay = TOTAL / 1.5 / (YEARS * 365);
  let at = Date.UTC(2025, 11, 1);
  let originating = 0;
  while (timed.length < count) {
    at += (-Math.log(1 - random()) * DAY) / perDay;
    const sentAt = new Date(at);
    const sender = traffic.sender();
    const recipients = traffic.recipients(sender);
    const type = traffic.type();
    const messageId = timeOrderedId(at);
    const caseReference = `LIA-2025-INGEST${(originating += 1)}`;
    const priority = traffic.priority();
    const payload = create(MessageRoutedSchema, {
      messageId,
      caseReference,
      sender: create(AgencyRefSchema, { code: sender.code, country: sender.country }),
      recipients: recipients.map((r) => create(AgencyRefSchema, { code: r.code, country: r.country })),
      submittedAt: timestampFromDate(sentAt),
      routedAt: timestampFromDate(sentAt),
      type:
        type === 'request'
          ? MessageType.REQUEST
          : type === 'cross-check'
            ? MessageType.CROSS_CHECK
            : MessageType.INFORMATION,
      priority: PRIORITY_PROTO[priority],
      answerDeadline:
        type === 'information' ? undefined : timestampFromDate(new Date(sentAt.getTime() + ALLOWED[priority])),
      crimeArea: traffic.crimeArea(),
    });
    timed.push({
      at,
      event: {
        eventId: timedEventId(sentAt, Topics.messageRouted, messageId),
        key: caseReference,
        correlationId: messageId,
        payload,
      },
    });
    if (type === 'information') continue;
    for (const recipient of recipients) {
      if (random() > 0.85) continue;
      const answeredAt = new Date(
        sentAt.getTime() + Math.max(60_000, ALLOWED[priority] * 0.4 * Math.exp(0.9 * normal())),
      );
      const replyId = timeOrderedId(answeredAt.getTime());
      timed.push({
        at: answeredAt.getTime(),
        event: {
          eventId: timedEventId(answeredAt, Topics.messageRouted, replyId),
          key: caseReference,
          correlationId: replyId,
          payload: create(MessageRoutedSchema, {
            messageId: replyId,
            caseReference,
            sender: create(AgencyRefSchema, { code: recipient.code, country: recipient.country }),
            recipients: [payload.sender!],
            submittedAt: timestampFromDate(answeredAt),
            routedAt: timestampFromDate(answeredAt),
            type: MessageType.REPLY,
            inReplyTo: messageId,
            crimeArea: payload.crimeArea,
          }),
        },
      });
    }
  }
  return timed
    .sort((a, b) => a.at - b.at)
    .slice(0, count)
    .map(({ event }) => event);
}
