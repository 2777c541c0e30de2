import { openedMessages, waitFor } from '@liaison/testing';
import type { Pool } from 'pg';
import type { LoadReport, Submission } from './submission-load';

/** What became of a load's accepted submissions, everywhere they should have reached. */
export interface ExchangeCheck {
  accepted: number;
  /** Accepted but missing from messages, deliveries, notifications, reports or matches. */
  lost: string[];
  /** Present more than once anywhere, or present without the client having been told it was accepted. */
  duplicated: string[];
  /** Cases whose messages were routed out of the order they were sent in. */
  outOfOrder: string[];
  matches: number;
  webhooksDelivered: number;
}

type Count = { id: string; n: number };

const counts = (rows: Count[]) => new Map(rows.map((r) => [r.id, Number(r.n)]));

/**
 * Waits until every accepted submission of the load has been routed, delivered, notified, counted and matched
 * (or the time is up), then checks each exactly once: in `messages` (by id and by subject, which carries the
 * idempotency key), `deliveries`, the recipients' `message.received` notifications, the tracker's
 * `report_requests`, and one match per phone both agencies named; and the order within each case.
 */
export async function checkExchange(
  db: Pool,
  tag: string,
  report: LoadReport,
  options: { webhooks?: (submission: Submission) => boolean; timeoutMs?: number } = {},
): Promise<ExchangeCheck> {
  const accepted = report.accepted;
  const ids = accepted.map((s) => s.acceptedId!);
  // The messages whose recipient has a webhook endpoint: each one delivery, delivered.
  const hooked = options.webhooks ? accepted.filter(options.webhooks).map((s) => s.acceptedId!) : [];
  const complete = async () => {
    const [messages, notifications, requests] = await Promise.all([
      db.query<Count>(`SELECT count(*) AS n, '' AS id FROM messages WHERE id = ANY($1::uuid[])`, [ids]),
      db.query<Count>(
        `SELECT count(*) AS n, '' AS id FROM notifications WHERE event = 'message.received' AND source_id = ANY($1::text[])`,
        [ids],
      ),
      db.query<Count>(`SELECT count(*) AS n, '' AS id FROM report_requests WHERE message_id = ANY($1::uuid[])`, [ids]),
    ]);
    const webhooks = options.webhooks
      ? await db.query<Count>(
          `SELECT count(*) AS n, '' AS id FROM webhook_deliveries w JOIN notifications n ON n.id = w.notification_id
            WHERE n.event = 'message.received' AND n.source_id = ANY($1::text[]) AND w.state = 'delivered'`,
          [hooked],
        )
      : { rows: [{ n: 0 }] };
    return (
      [messages, notifications, requests].every((r) => Number(r.rows[0].n) >= ids.length) &&
      Number(webhooks.rows[0].n) >= hooked.length
    );
  };
  await waitFor(complete, {
    what: `every accepted ${tag} submission routed, notified and counted`,
    timeoutMs: options.timeoutMs ?? 180_000,
    intervalMs: 500,
  }).catch(() => undefined); // what is missing is reported below, by submission

  // Every stored message is opened: the subject that tags it is sealed.
  const messages = (await openedMessages(db, 'true')).filter((m) => m.text.subject.startsWith(`${tag}-`));
  const bySubject = new Map<string, string[]>();
  for (const row of messages) bySubject.set(row.text.subject, [...(bySubject.get(row.text.subject) ?? []), row.id]);
  const deliveries = counts(
    (
      await db.query<Count>(
        `SELECT message_id::text AS id, count(*) AS n FROM deliveries WHERE message_id = ANY($1::uuid[]) GROUP BY 1`,
        [ids],
      )
    ).rows,
  );
  const notified = counts(
    (
      await db.query<Count>(
        `SELECT source_id AS id, count(*) AS n FROM notifications
          WHERE event = 'message.received' AND source_id = ANY($1::text[]) GROUP BY 1`,
        [ids],
      )
    ).rows,
  );
  const counted = counts(
    (
      await db.query<Count>(
        `SELECT message_id::text AS id, count(*) AS n FROM report_requests WHERE message_id = ANY($1::uuid[]) GROUP BY 1`,
        [ids],
      )
    ).rows,
  );

  const lost: string[] = [];
  const duplicated: string[] = [];
  const acceptedKeys = new Set(accepted.map((s) => s.key));
  for (const submission of accepted) {
    const id = submission.acceptedId!;
    const stored = bySubject.get(submission.key) ?? [];
    if (!stored.includes(id)) lost.push(`${submission.key}: message`);
    if (stored.length > 1) duplicated.push(`${submission.key}: ${stored.length} messages`);
    for (const [where, found] of [
      ['delivery', deliveries.get(id) ?? 0],
      ['notification', notified.get(id) ?? 0],
      ['report', counted.get(id) ?? 0],
    ] as const) {
      if (found === 0) lost.push(`${submission.key}: ${where}`);
      if (found > 1) duplicated.push(`${submission.key}: ${found} ${where}s`);
    }
  }
  for (const subject of bySubject.keys())
    if (!acceptedKeys.has(subject)) duplicated.push(`${subject}: stored, never acknowledged to its client`);

  // One match for each phone both agencies named, between their two cases.
  const openers = accepted.filter((s) => s.pair !== undefined);
  const expected = new Map<number, Submission[]>();
  for (const s of openers) expected.set(s.pair!, [...(expected.get(s.pair!) ?? []), s]);
  const cases = openers.map((s) => s.caseReference!);
  const matchRows = await waitFor(
    async () => {
      const rows = (
        await db.query<{ case_a: string; case_b: string }>(
          `SELECT case_a, case_b FROM matches WHERE case_a = ANY($1::text[]) AND case_b = ANY($1::text[])`,
          [cases],
        )
      ).rows;
      const wanted = [...expected.values()].filter((pair) => pair.length === 2).length;
      return rows.length >= wanted ? rows : undefined;
    },
    { what: 'the matches', timeoutMs: 60_000 },
  ).catch(
    async () =>
      (
        await db.query<{ case_a: string; case_b: string }>(
          `SELECT case_a, case_b FROM matches WHERE case_a = ANY($1::text[]) AND case_b = ANY($1::text[])`,
          [cases],
        )
      ).rows,
  );
  const found = new Map<string, number>();
  for (const row of matchRows) {
    const key = [row.case_a, row.case_b].sort().join(' ');
    found.set(key, (found.get(key) ?? 0) + 1);
  }
  for (const [pair, both] of expected) {
    if (both.length !== 2) continue;
    const key = both
      .map((s) => s.caseReference!)
      .sort()
      .join(' ');
    const n = found.get(key) ?? 0;
    if (n === 0) lost.push(`phone pair ${pair}: match`);
    if (n > 1) duplicated.push(`phone pair ${pair}: ${n} matches`);
  }

  // Within a case, messages are routed in the order they were sent (one client sends a case's messages in turn).
  const routedAt = new Map(messages.map((r) => [r.id, new Date(r.routed_at).getTime()]));
  const outOfOrder: string[] = [];
  const threads = new Map<number, Submission[]>();
  for (const s of accepted) threads.set(s.thread, [...(threads.get(s.thread) ?? []), s]);
  for (const thread of threads.values()) {
    const sorted = thread.sort((a, b) => a.index - b.index);
    for (let i = 1; i < sorted.length; i += 1) {
      const before = routedAt.get(sorted[i - 1].acceptedId!);
      const after = routedAt.get(sorted[i].acceptedId!);
      if (before !== undefined && after !== undefined && after < before)
        outOfOrder.push(`${sorted[i].caseReference}: ${sorted[i].key} routed before ${sorted[i - 1].key}`);
    }
  }

  const webhooksDelivered = options.webhooks
    ? Number(
        (
          await db.query<{ n: string }>(
            `SELECT count(*) AS n FROM webhook_deliveries w JOIN notifications n ON n.id = w.notification_id
              WHERE n.event = 'message.received' AND n.source_id = ANY($1::text[]) AND w.state = 'delivered'`,
            [hooked],
          )
        ).rows[0].n,
      )
    : 0;
  if (webhooksDelivered < hooked.length)
    lost.push(`${hooked.length - webhooksDelivered} webhook deliveries not delivered`);

  return {
    accepted: accepted.length,
    lost,
    duplicated,
    outOfOrder,
    matches: matchRows.length,
    webhooksDelivered,
  };
}

/** One line per fault, with its figures, for the run's output. */
export function faultLine(fault: string, report: LoadReport, check: ExchangeCheck, extra = ''): string {
  const statuses = Object.entries(report.statuses)
    .map(([status, n]) => `${status === '0' ? 'no answer' : status}×${n}`)
    .join(' ');
  return (
    `[fault] ${fault}: ${check.accepted} accepted, ${check.lost.length} lost, ${check.duplicated.length} duplicated, ` +
    `${check.outOfOrder.length} out of order, ${check.matches} matches, ${check.webhooksDelivered} webhooks delivered; ` +
    `longest request ${report.longestRequestMs} ms` +
    (report.longest503Ms > 0 ? `, longest 503 ${report.longest503Ms} ms` : '') +
    `; answers ${statuses}${extra ? `; ${extra}` : ''}`
  );
}
