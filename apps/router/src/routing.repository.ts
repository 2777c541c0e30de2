import type { Classification, Evaluation, Handling, MessageType, Priority } from '@liaison/domain';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

export interface RoutedRow {
  messageId: string;
  caseReference: string;
  opensCase: boolean;
  senderAgency: string;
  recipientAgencies: string[];
  /** Agencies that take part in the case from this message on (not already participants). */
  joining: string[];
  /** What the message says, sealed under its case's key (a MessageContent; never opened here again). */
  content: Buffer;
  submittedAt: Date;
  submittedByKeyId: string;
  correlationId: string;
  codes: MessageCodes;
  /** The JIT the message was addressed to. */
  jitId: string | null;
  /** The crime area of its case, if the case has one. */
  crimeArea: string | null;
  attachments: StoredAttachment[];
}

/**
 * An attachment as stored beside the message; its name is in the message's sealed content, its file's key sealed
 * under the case's key.
 */
export interface StoredAttachment {
  sha256: string;
  contentType: string;
  size: number;
  /** Null for a file stored in clear before files were sealed. */
  fileId: string | null;
  fileKey: Buffer | null;
}

/** A JIT as routing needs it: its period and its current members. */
export interface JitMembership {
  startsOn: string;
  endsOn: string;
  members: Set<string>;
}

/** What a message carries besides its content and addressing (codes, reply target, deadline), as stored. */
export interface MessageCodes {
  type: MessageType;
  priority: Priority;
  classification: Classification;
  handling: Handling;
  evaluation: Evaluation | null;
  inReplyTo: string | null;
  answerDeadline: Date | null;
}

export interface RejectedRow {
  messageId: string;
  caseReference: string;
  senderAgency: string;
  reason: string;
  detail: string;
  submittedAt: Date;
}

export interface StoredOutcome {
  messageId: string;
  routed?: {
    caseReference: string;
    openedCase: boolean;
    senderAgency: string;
    recipients: string[];
    submittedAt: Date;
    routedAt: Date;
    codes: Pick<MessageCodes, 'type' | 'priority' | 'answerDeadline' | 'inReplyTo'> & {
      handlingCode: Handling['code'];
    };
    /** The case's crime area when the message was routed. */
    crimeArea: string | null;
    jitId: string | null;
  };
  rejected?: { caseReference: string; senderAgency: string; reason: string; detail: string; rejectedAt: Date };
}

/** What the router needs to know before it decides a batch, read in one round trip. */
export interface BatchState {
  /** Messages already routed or rejected: the message id is the idempotency key. */
  decided: Set<string>;
  /** Participants of the cases that exist (absent references have no entry). */
  participants: Map<string, Set<string>>;
  /** Cases closed by their owner. */
  closed: Set<string>;
  /** The JIT each linked case belongs to. */
  caseJits: Map<string, string>;
  /** The crime area of each case that has one. */
  crimeAreas: Map<string, string>;
  /** The JITs that exist, with their period and current members. */
  jits: Map<string, JitMembership>;
}

/**
 * The router's writes of routed and rejected messages. Every method works on many messages with a constant number of statements (arrays
 * bound through unnest), because a round trip per message would cap the router far below Kafka's pace.
 */
@Injectable()
export class RoutingRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * A transaction at PostgreSQL's default isolation, READ COMMITTED, which the router's writes are designed
   * for (idempotent inserts, forward-only updates). Naming the level would cost TypeORM a second round trip
   * (`SET TRANSACTION ISOLATION LEVEL`) on every batch.
   */
  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /**
   * The state a batch is decided against, in one statement (one round trip per batch rather than three):
   * which messages are already decided (a redelivered event, or the same message under another event id, is
   * never applied twice), the cases named with their participants, status and JIT, and the JITs named.
   */
  /**
   * Which of the cases have been erased, holding their keys' rows until the transaction ends: an erasure that
   * destroys one of these keys waits for the batch to commit (and then deletes what it stored), or has already
   * committed and the batch sees it.
   */
  async erasedCases(manager: EntityManager, references: string[]): Promise<Set<string>> {
    const rows: { case_reference: string; erased: boolean }[] = await manager.query(
      `SELECT case_reference, erased_at IS NOT NULL AS erased FROM case_keys
        WHERE case_reference = ANY($1::text[]) ORDER BY case_reference FOR SHARE`,
      [references],
    );
    return new Set(rows.filter((row) => row.erased).map((row) => row.case_reference));
  }

  async batchState(
    manager: EntityManager,
    messageIds: string[],
    references: string[],
    jitIds: string[],
  ): Promise<BatchState> {
    const rows: {
      kind: 'decided' | 'case' | 'jit';
      key: string;
      a: string | null;
      b: string | null;
      c: string | null;
      list: string[] | null;
    }[] = await manager.query(
      `SELECT 'decided' AS kind, id::text AS key, NULL::text AS a, NULL::text AS b, NULL::text AS c, NULL::text[] AS list FROM messages WHERE id = ANY($1::uuid[])
       UNION ALL
       SELECT 'decided', message_id::text, NULL, NULL, NULL, NULL FROM message_rejections WHERE message_id = ANY($1::uuid[])
       UNION ALL
       SELECT 'case', c.reference, c.status, c.jit_id::text, c.crime_area, array_agg(p.agency_code) FILTER (WHERE p.agency_code IS NOT NULL)
         FROM cases c LEFT JOIN case_participants p ON p.case_reference = c.reference
        WHERE c.reference = ANY($2::text[]) GROUP BY c.reference
       UNION ALL
       SELECT 'jit', j.id::text, j.starts_on::text, j.ends_on::text, NULL, array_agg(m.agency_code) FILTER (WHERE m.agency_code IS NOT NULL)
         FROM jits j LEFT JOIN jit_members m ON m.jit_id = j.id AND m.left_at IS NULL
        WHERE j.id = ANY($3::uuid[]) GROUP BY j.id`,
      [messageIds, references, jitIds],
    );
    const state: BatchState = {
      decided: new Set(),
      participants: new Map(),
      closed: new Set(),
      caseJits: new Map(),
      crimeAreas: new Map(),
      jits: new Map(),
    };
    for (const row of rows) {
      if (row.kind === 'decided') state.decided.add(row.key);
      else if (row.kind === 'case') {
        state.participants.set(row.key, new Set(row.list ?? []));
        if (row.a === 'closed') state.closed.add(row.key);
        if (row.b !== null) state.caseJits.set(row.key, row.b);
        if (row.c !== null) state.crimeAreas.set(row.key, row.c);
      } else state.jits.set(row.key, { startsOn: row.a!, endsOn: row.b!, members: new Set(row.list ?? []) });
    }
    return state;
  }

  /** Stores routed messages with their cases, participants and deliveries. Returns the ids actually inserted. */
  async storeRouted(manager: EntityManager, rows: RoutedRow[], routedAt: Date): Promise<Set<string>> {
    if (rows.length === 0) return new Set();
    const openers = rows.filter((row) => row.opensCase);
    if (openers.length > 0) {
      await manager.query(
        `INSERT INTO cases (reference, owner_agency, opened_at, opened_by_message, jit_id)
         SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::uuid[], $5::uuid[]) ON CONFLICT DO NOTHING`,
        [
          openers.map((r) => r.caseReference),
          openers.map((r) => r.senderAgency),
          openers.map((r) => r.submittedAt),
          openers.map((r) => r.messageId),
          openers.map((r) => r.jitId),
        ],
      );
    }
    const inserted: { id: string }[] = await manager.query(
      `INSERT INTO messages (id, case_reference, sender_agency, content, submitted_at, routed_at, submitted_by_key_id, correlation_id,
                             type, priority, handling_code, uk_handling, evaluation, in_reply_to, classification, jit_id)
       SELECT m.id, m.case_reference, m.sender_agency, m.content, m.submitted_at, $6, m.key_id, m.correlation_id,
              m.type, m.priority, m.handling_code, m.uk_handling, m.evaluation, m.in_reply_to, m.classification, m.jit_id
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::bytea[], $5::timestamptz[], $7::uuid[], $8::text[],
                     $9::text[], $10::text[], $11::text[], $12::text[], $13::jsonb[], $14::uuid[], $15::text[], $16::uuid[])
              AS m(id, case_reference, sender_agency, content, submitted_at, key_id, correlation_id,
                   type, priority, handling_code, uk_handling, evaluation, in_reply_to, classification, jit_id)
       ON CONFLICT (id) DO NOTHING RETURNING id`,
      [
        rows.map((r) => r.messageId),
        rows.map((r) => r.caseReference),
        rows.map((r) => r.senderAgency),
        rows.map((r) => r.content),
        rows.map((r) => r.submittedAt),
        routedAt,
        rows.map((r) => r.submittedByKeyId),
        rows.map((r) => r.correlationId),
        rows.map((r) => r.codes.type),
        rows.map((r) => r.codes.priority),
        rows.map((r) => r.codes.handling.code),
        rows.map((r) => r.codes.handling.uk ?? null),
        rows.map((r) => (r.codes.evaluation ? JSON.stringify(r.codes.evaluation) : null)),
        rows.map((r) => r.codes.inReplyTo),
        rows.map((r) => r.codes.classification),
        rows.map((r) => r.jitId),
      ],
    );
    const insertedIds = new Set(inserted.map((row) => row.id));
    const stored = rows.filter((row) => insertedIds.has(row.messageId));
    const participants: [string, string][] = [];
    const deliveries: [string, string, Date | null][] = [];
    for (const row of stored) {
      for (const agency of row.joining) participants.push([row.caseReference, agency]);
      for (const recipient of row.recipientAgencies)
        deliveries.push([row.messageId, recipient, row.codes.answerDeadline]);
    }
    // Sorted so that concurrent router replicas take row locks in the same order and never deadlock.
    participants.sort(([a1, a2], [b1, b2]) => a1.localeCompare(b1) || a2.localeCompare(b2));
    if (participants.length > 0) {
      await manager.query(
        `INSERT INTO case_participants (case_reference, agency_code, joined_at)
         SELECT p.case_reference, p.agency_code, $3 FROM unnest($1::text[], $2::text[]) AS p(case_reference, agency_code)
         ON CONFLICT DO NOTHING`,
        [participants.map(([c]) => c), participants.map(([, a]) => a), routedAt],
      );
    }
    if (deliveries.length > 0) {
      await manager.query(
        `INSERT INTO deliveries (message_id, recipient_agency, state, delivered_at, answer_deadline)
         SELECT d.message_id, d.recipient_agency, 'delivered', $3, d.answer_deadline
           FROM unnest($1::uuid[], $2::text[], $4::timestamptz[]) AS d(message_id, recipient_agency, answer_deadline)
         ON CONFLICT DO NOTHING`,
        [
          deliveries.map(([m]) => m),
          deliveries.map(([, r]) => r),
          routedAt,
          deliveries.map(([, , deadline]) => deadline),
        ],
      );
    }
    const attachments = stored.flatMap((row) =>
      row.attachments.map((a, i) => ({ ...a, messageId: row.messageId, ordinal: i + 1 })),
    );
    if (attachments.length > 0) {
      await manager.query(
        `INSERT INTO message_attachments (message_id, ordinal, sha256, content_type, size, file_id, file_key)
         SELECT * FROM unnest($1::uuid[], $2::smallint[], $3::bpchar[], $4::text[], $5::bigint[], $6::uuid[], $7::bytea[])
         ON CONFLICT DO NOTHING`,
        [
          attachments.map((a) => a.messageId),
          attachments.map((a) => a.ordinal),
          attachments.map((a) => a.sha256),
          attachments.map((a) => a.contentType),
          attachments.map((a) => a.size),
          attachments.map((a) => a.fileId),
          attachments.map((a) => a.fileKey),
        ],
      );
    }
    // A reply answers its request for the replying agency (only ever moving a delivery forward).
    const replies = stored.filter((row) => row.codes.type === 'reply' && row.codes.inReplyTo !== null);
    if (replies.length > 0) {
      await manager.query(
        `UPDATE deliveries d SET state = 'answered', answered_at = $3
           FROM unnest($1::uuid[], $2::text[]) AS r(message_id, agency)
          WHERE d.message_id = r.message_id AND d.recipient_agency = r.agency AND d.state <> 'answered'`,
        [replies.map((r) => r.codes.inReplyTo), replies.map((r) => r.senderAgency), routedAt],
      );
    }
    return insertedIds;
  }

  async storeRejected(manager: EntityManager, rows: RejectedRow[], rejectedAt: Date): Promise<void> {
    if (rows.length === 0) return;
    await manager.query(
      `INSERT INTO message_rejections (message_id, case_reference, sender_agency, reason, detail, submitted_at, rejected_at)
       SELECT r.*, $7::timestamptz FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[]) AS r
       ON CONFLICT DO NOTHING`,
      [
        rows.map((r) => r.messageId),
        rows.map((r) => r.caseReference),
        rows.map((r) => r.senderAgency),
        rows.map((r) => r.reason),
        rows.map((r) => r.detail),
        rows.map((r) => r.submittedAt),
        rejectedAt,
      ],
    );
  }

  /** What was stored for these messages, so that their outcome events can be published again. */
  async outcomes(manager: EntityManager, messageIds: string[]): Promise<StoredOutcome[]> {
    if (messageIds.length === 0) return [];
    const routed: {
      id: string;
      case_reference: string;
      sender_agency: string;
      submitted_at: Date;
      routed_at: Date;
      opened_case: boolean;
      recipients: string[];
      type: MessageType;
      priority: Priority;
      handling_code: Handling['code'];
      answer_deadline: Date | null;
      in_reply_to: string | null;
      crime_area: string | null;
      jit_id: string | null;
    }[] = await manager.query(
      `SELECT m.id, m.case_reference, m.sender_agency, m.submitted_at, m.routed_at, m.type, m.priority, m.handling_code,
              m.in_reply_to, c.crime_area, m.jit_id,
              (c.opened_by_message = m.id) AS opened_case,
              min(d.answer_deadline) AS answer_deadline,
              array_agg(d.recipient_agency ORDER BY d.recipient_agency) AS recipients
         FROM messages m
         JOIN cases c ON c.reference = m.case_reference
         JOIN deliveries d ON d.message_id = m.id AND d.forwarded_by IS NULL
        WHERE m.id = ANY($1::uuid[])
        GROUP BY m.id, c.opened_by_message, c.crime_area`,
      [messageIds],
    );
    const rejected: {
      message_id: string;
      case_reference: string;
      sender_agency: string;
      reason: string;
      detail: string;
      rejected_at: Date;
    }[] = await manager.query(
      `SELECT message_id, case_reference, sender_agency, reason, detail, rejected_at
         FROM message_rejections WHERE message_id = ANY($1::uuid[])`,
      [messageIds],
    );
    return [
      ...routed.map((row) => ({
        messageId: row.id,
        routed: {
          caseReference: row.case_reference,
          openedCase: row.opened_case,
          senderAgency: row.sender_agency,
          recipients: row.recipients,
          submittedAt: row.submitted_at,
          routedAt: row.routed_at,
          codes: {
            type: row.type,
            priority: row.priority,
            handlingCode: row.handling_code,
            answerDeadline: row.answer_deadline,
            inReplyTo: row.in_reply_to,
          },
          crimeArea: row.crime_area,
          jitId: row.jit_id,
        },
      })),
      ...rejected.map((row) => ({
        messageId: row.message_id,
        rejected: {
          caseReference: row.case_reference,
          senderAgency: row.sender_agency,
          reason: row.reason,
          detail: row.detail,
          rejectedAt: row.rejected_at,
        },
      })),
    ];
  }
}
