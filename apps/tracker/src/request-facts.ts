import {
  approachingFrom,
  factChange,
  REQUEST_COUNTS as REQUEST_COUNT_FIELDS,
  requestFacts,
  type AgencyRefFacts,
  type AnswerTimeFact,
  type RequestCountFact,
  type RequestState,
} from '@liaison/domain';
import { queryReturning } from '@liaison/persistence';
import type { EntityManager } from 'typeorm';

/** A request or cross-check as routed: each recipient owes an answer by the deadline. */
export interface SentRequest {
  messageId: string;
  caseReference: string;
  sender: AgencyRefFacts;
  recipients: readonly AgencyRefFacts[];
  priority: string;
  sentAt: Date;
  deadline: Date;
}

/** A reply as routed: it answers its request for the replying agency. */
export interface SentReply {
  inReplyTo: string;
  agency: string;
  answeredAt: Date;
}

interface RequestRow {
  message_id: string;
  recipient_agency: string;
  country: string;
  partner_country: string;
  priority: string;
  sent_at: Date;
  deadline: Date;
  answered_at: Date | null;
}

const state = (row: RequestRow): RequestState => ({
  country: row.country,
  partnerCountry: row.partner_country,
  priority: row.priority,
  sentAt: row.sent_at,
  deadline: row.deadline,
  answeredAt: row.answered_at,
});

const countKey = (r: RequestCountFact) => [r.day, r.country, r.partnerCountry, r.priority];

/**
 * Opening requests and closing cases exclude each other until commit: the events travel on different topics,
 * and without the lock each could miss the other's uncommitted rows (a request left open in a closed case).
 * Batches of requests share the lock and never wait for each other; a batch of closures (rare) takes it alone.
 */
const CASE_CLOSURE_LOCK = 7_261_526_001;

async function lockAgainstClosures(manager: EntityManager, exclusive: boolean): Promise<void> {
  await manager.query(exclusive ? 'SELECT pg_advisory_xact_lock($1)' : 'SELECT pg_advisory_xact_lock_shared($1)', [CASE_CLOSURE_LOCK]);
}

/**
 * Records each recipient's part in new requests; returns them as sent, for the request counts. A request in a case the tracker has
 * already seen closed was routed before the close (a closed case takes no messages), so it is stored closed.
 */
export async function openRequests(manager: EntityManager, requests: readonly SentRequest[]): Promise<RequestCountFact[]> {
  const parts = requests.flatMap((request) =>
    [...new Map(request.recipients.map((r) => [r.agency, r])).values()].map((recipient) => ({ request, recipient })),
  );
  if (parts.length === 0) return [];
  await lockAgainstClosures(manager, false);
  const rows: RequestRow[] = await manager.query(
    `INSERT INTO report_requests AS r (message_id, recipient_agency, case_reference, country, partner_country, priority, sent_at, approaching_at, deadline, closed_at)
     SELECT p.message_id, p.agency, p.case_reference, p.country, p.partner, p.priority, p.sent_at, p.approaching_at, p.deadline, c.closed_at
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[], $8::timestamptz[], $9::timestamptz[])
            AS p(message_id, agency, case_reference, country, partner, priority, sent_at, approaching_at, deadline)
       LEFT JOIN report_closed_cases c ON c.case_reference = p.case_reference
     ON CONFLICT DO NOTHING
     RETURNING message_id, recipient_agency, country, partner_country, priority, sent_at, deadline, answered_at`,
    [
      parts.map((p) => p.request.messageId),
      parts.map((p) => p.recipient.agency),
      parts.map((p) => p.request.caseReference),
      parts.map((p) => p.request.sender.country),
      parts.map((p) => p.recipient.country),
      parts.map((p) => p.request.priority),
      parts.map((p) => p.request.sentAt),
      parts.map((p) => approachingFrom(p.request.sentAt, p.request.deadline)),
      parts.map((p) => p.request.deadline),
    ],
  );
  return rows.map((row) => requestFacts(state(row)).counts);
}

/**
 * Marks requests answered by the first reply of each recipient; returns the change of the figures from
 * unanswered to answered, and the times it took. A reply to something that is not a request to the replying agency (or was
 * answered before) changes nothing.
 */
export async function answerRequests(manager: EntityManager, replies: readonly SentReply[]): Promise<{ counts: RequestCountFact[]; times: AnswerTimeFact[] }> {
  // The first reply of an agency to a request answers it; later ones in the same batch do not.
  const first = new Map<string, SentReply>();
  for (const reply of replies) {
    const key = `${reply.inReplyTo}|${reply.agency}`;
    if (!first.has(key)) first.set(key, reply);
  }
  if (first.size === 0) return { counts: [], times: [] };
  const answers = [...first.values()].sort((a, b) => (a.inReplyTo + a.agency < b.inReplyTo + b.agency ? -1 : 1));
  const rows = await queryReturning<RequestRow>(
    manager,
    `UPDATE report_requests r SET answered_at = a.answered_at
       FROM unnest($1::uuid[], $2::text[], $3::timestamptz[]) AS a(message_id, agency, answered_at)
      WHERE r.message_id = a.message_id AND r.recipient_agency = a.agency AND r.answered_at IS NULL
      RETURNING r.message_id, r.recipient_agency, r.country, r.partner_country, r.priority, r.sent_at, r.deadline, r.answered_at`,
    [answers.map((a) => a.inReplyTo), answers.map((a) => a.agency), answers.map((a) => a.answeredAt)],
  );
  const before = rows.map((row) => requestFacts({ ...state(row), answeredAt: null }));
  const after = rows.map((row) => requestFacts(state(row)));
  return {
    counts: factChange(before.map((f) => f.counts), after.map((f) => f.counts), countKey, REQUEST_COUNT_FIELDS),
    times: after.flatMap((f) => f.times),
  };
}

/**
 * Marks every request of a closed case with the closing time (requests routed before the close that the tracker
 * learns of later are marked as they are stored): the unanswered ones no longer wait for an answer. Marking the
 * answered ones too keeps the state the same whichever of the events the tracker sees first.
 */
export async function closeCases(manager: EntityManager, closed: readonly { caseReference: string; closedAt: Date }[]): Promise<void> {
  if (closed.length === 0) return;
  const refs = closed.map((c) => c.caseReference);
  const at = closed.map((c) => c.closedAt);
  await lockAgainstClosures(manager, true);
  await manager.query(
    `INSERT INTO report_closed_cases (case_reference, closed_at) SELECT * FROM unnest($1::text[], $2::timestamptz[]) ON CONFLICT DO NOTHING`,
    [refs, at],
  );
  await manager.query(
    `UPDATE report_requests r SET closed_at = c.closed_at FROM unnest($1::text[], $2::timestamptz[]) AS c(case_reference, closed_at)
      WHERE r.case_reference = c.case_reference AND r.closed_at IS NULL`,
    [refs, at],
  );
}
