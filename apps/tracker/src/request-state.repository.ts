import { approachingFrom, type AgencyRefFacts, type RequestState } from '@liaison/domain';
import { queryReturning } from '@liaison/persistence';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { PreparedStatement } from './report-cube.repository';

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
  closed_at: Date | null;
}

/** A recipient's part in a request as stored, with whether its case is closed. */
export interface StoredRequest extends RequestState {
  closed: boolean;
}

const stored = (row: RequestRow): StoredRequest => ({
  country: row.country,
  partnerCountry: row.partner_country,
  priority: row.priority,
  sentAt: row.sent_at,
  deadline: row.deadline,
  answeredAt: row.answered_at,
  closed: row.closed_at !== null,
});

/**
 * Opening requests and closing cases exclude each other until commit: the events travel on different topics,
 * and without the lock each could miss the other's uncommitted rows (a request left open in a closed case).
 * Batches of requests share the lock and never wait for each other; a batch of closures (rare) takes it alone.
 */
const CASE_CLOSURE_LOCK = 7_261_526_001;

async function lockAgainstClosures(manager: EntityManager, exclusive: boolean): Promise<void> {
  await manager.query(exclusive ? 'SELECT pg_advisory_xact_lock($1)' : 'SELECT pg_advisory_xact_lock_shared($1)', [
    CASE_CLOSURE_LOCK,
  ]);
}

/** A change in the number of open requests (neither answered nor closed) of a country, partner and priority. */
export interface OpenRequestChange {
  country: string;
  partnerCountry: string;
  priority: string;
  open: number;
}

/**
 * The tracker's state of requests (one row per recipient) and the counts of open ones, from which the request
 * facts are derived (see `requestFacts`).
 */
@Injectable()
export class RequestStateRepository {
  /**
   * The upsert that adds changes to `report_open_requests`, summed per row and in key order (concurrent writers
   * lock the rows in one order): none when nothing changes.
   */
  prepareOpenCounts(changes: readonly OpenRequestChange[]): PreparedStatement[] {
    const sums = new Map<string, OpenRequestChange>();
    for (const change of changes) {
      const key = `${change.country}\u0000${change.partnerCountry}\u0000${change.priority}`;
      const sum = sums.get(key) ?? sums.set(key, { ...change, open: 0 }).get(key)!;
      sum.open += change.open;
    }
    const rows = [...sums]
      .filter(([, sum]) => sum.open !== 0)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, sum]) => sum);
    if (rows.length === 0) return [];
    return [
      {
        sql: `INSERT INTO report_open_requests AS t (country, partner_country, priority, open)
          SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[])
          ON CONFLICT (country, partner_country, priority) DO UPDATE SET open = t.open + EXCLUDED.open`,
        params: [
          rows.map((r) => r.country),
          rows.map((r) => r.partnerCountry),
          rows.map((r) => r.priority),
          rows.map((r) => r.open),
        ],
      },
    ];
  }

  /**
   * Records each recipient's part in new requests; returns those stored (a request seen before is not). A request in a case the tracker has already seen closed was routed before the close (a closed case
   * takes no messages), so it is stored closed.
   */
  async open(manager: EntityManager, requests: readonly SentRequest[]): Promise<StoredRequest[]> {
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
     RETURNING message_id, recipient_agency, country, partner_country, priority, sent_at, deadline, answered_at, closed_at`,
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
    return rows.map(stored);
  }

  /**
   * Marks requests answered by the first reply of each recipient; returns those answered now. A reply to something
   * that is not a request to the replying agency (or was answered before) changes nothing.
   */
  async answer(manager: EntityManager, replies: readonly SentReply[]): Promise<StoredRequest[]> {
    // The first reply of an agency to a request answers it; later ones in the same batch do not.
    const first = new Map<string, SentReply>();
    for (const reply of replies) {
      const key = `${reply.inReplyTo}|${reply.agency}`;
      if (!first.has(key)) first.set(key, reply);
    }
    if (first.size === 0) return [];
    const answers = [...first.values()].sort((a, b) => (a.inReplyTo + a.agency < b.inReplyTo + b.agency ? -1 : 1));
    const rows = await queryReturning<RequestRow>(
      manager,
      `UPDATE report_requests r SET answered_at = a.answered_at
       FROM unnest($1::uuid[], $2::text[], $3::timestamptz[]) AS a(message_id, agency, answered_at)
      WHERE r.message_id = a.message_id AND r.recipient_agency = a.agency AND r.answered_at IS NULL
      RETURNING r.message_id, r.recipient_agency, r.country, r.partner_country, r.priority, r.sent_at, r.deadline, r.answered_at, r.closed_at`,
      [answers.map((a) => a.inReplyTo), answers.map((a) => a.agency), answers.map((a) => a.answeredAt)],
    );
    return rows.map(stored);
  }

  /**
   * Marks every request of a closed case with the closing time (requests routed before the close that the tracker
   * learns of later are marked as they are stored): the unanswered ones no longer wait for an answer. Marking the
   * answered ones too keeps the state the same whichever of the events the tracker sees first. Returns the change
   * of the open counts, for the caller to add (see `prepareOpenCounts`).
   */
  async closeCases(
    manager: EntityManager,
    closed: readonly { caseReference: string; closedAt: Date }[],
  ): Promise<OpenRequestChange[]> {
    if (closed.length === 0) return [];
    const refs = closed.map((c) => c.caseReference);
    const at = closed.map((c) => c.closedAt);
    await lockAgainstClosures(manager, true);
    await manager.query(
      `INSERT INTO report_closed_cases (case_reference, closed_at) SELECT * FROM unnest($1::text[], $2::timestamptz[]) ON CONFLICT DO NOTHING`,
      [refs, at],
    );
    const rows = await queryReturning<Pick<RequestRow, 'country' | 'partner_country' | 'priority' | 'answered_at'>>(
      manager,
      `UPDATE report_requests r SET closed_at = c.closed_at FROM unnest($1::text[], $2::timestamptz[]) AS c(case_reference, closed_at)
      WHERE r.case_reference = c.case_reference AND r.closed_at IS NULL
      RETURNING r.country, r.partner_country, r.priority, r.answered_at`,
      [refs, at],
    );
    // The unanswered ones were open.
    return rows
      .filter((row) => row.answered_at === null)
      .map((row) => ({ country: row.country, partnerCountry: row.partner_country, priority: row.priority, open: -1 }));
  }
}
