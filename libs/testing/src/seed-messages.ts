import { sealMessageText, type CaseKeys } from '@liaison/protection';
import { randomUUID } from 'node:crypto';

/** A message already routed to one recipient, written straight to the router's tables. */
export interface SeededMessage {
  id: string;
  caseReference: string;
  sender: string;
  to: string;
  at: Date;
  type: string;
  priority: string;
  handling: string;
  subject: string;
  deadline: Date | null;
  /** delivered, read or answered (read and answered at `at`). */
  state: string;
}

/**
 * Writes messages and their deliveries as the router would have stored them, two thousand at a time, for
 * benchmarks and tests that need many rows quickly (the cases and agencies must exist). An H3 message gets a
 * restriction; every message gets `body`. The content is sealed under each case's key, made if the case has none.
 */
export async function seedMessages(
  db: { query(sql: string, params?: unknown[]): Promise<unknown> },
  keys: CaseKeys,
  messages: SeededMessage[],
  body: string,
): Promise<void> {
  for (let start = 0; start < messages.length; start += 2_000) {
    const chunk = messages.slice(start, start + 2_000);
    const contents: Buffer[] = [];
    for (const m of chunk) {
      const key = await keys.issue(db, m.caseReference);
      contents.push(
        sealMessageText(key, m.caseReference, m.id, {
          subject: m.subject,
          body,
          entities: [],
          links: [],
          handlingRestriction: m.handling === 'H3' ? 'Seeded' : '',
          attachmentNames: [],
        }),
      );
    }
    await db.query(
      `INSERT INTO messages (id, case_reference, sender_agency, content, submitted_at, routed_at, submitted_by_key_id, correlation_id, type, priority, handling_code)
       SELECT id, c, s, content, at, at, $5::uuid, 'seeded', t, p, h
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::bytea[], $6::timestamptz[], $7::text[], $8::text[], $9::text[]) AS x(id, c, s, content, at, t, p, h)`,
      [
        chunk.map((m) => m.id),
        chunk.map((m) => m.caseReference),
        chunk.map((m) => m.sender),
        contents,
        randomUUID(),
        chunk.map((m) => m.at),
        chunk.map((m) => m.type),
        chunk.map((m) => m.priority),
        chunk.map((m) => m.handling),
      ],
    );
    await db.query(
      `INSERT INTO deliveries (message_id, recipient_agency, state, delivered_at, answer_deadline, read_at, answered_at)
       SELECT id, r, st, at, dl, CASE WHEN st <> 'delivered' THEN at END, CASE WHEN st = 'answered' THEN at END
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::timestamptz[], $5::timestamptz[]) AS x(id, r, st, at, dl)`,
      [
        chunk.map((m) => m.id),
        chunk.map((m) => m.to),
        chunk.map((m) => m.state),
        chunk.map((m) => m.at),
        chunk.map((m) => m.deadline),
      ],
    );
  }
}
