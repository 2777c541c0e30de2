import type { CursorPosition } from '@liaison/common';
import {
  DELIVERY_STATES,
  PRIORITIES,
  type CaseStatus,
  type Classification,
  type DeliveryState,
  type Evaluation,
  type HandlingCode,
  type MessageType,
  type Priority,
  type UkHandlingCode,
} from '@liaison/domain';
import { CaseKeys, openMessageRows, type MessageText, type SealedMessageRow } from '@liaison/protection';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ListOrder } from './list-order';

export interface MessageFilter {
  type?: MessageType;
  priority?: Priority;
  handlingCode?: HandlingCode;
  overdue?: boolean;
  caseReference?: string;
  /** The other agency: the sender of what was received, a recipient of what was sent. */
  partner?: string;
  /** Messages addressed to this JIT. */
  jit?: string;
}

/**
 * Orders of the inbox: by when it was received, its deadline (those without one last, either way), priority,
 * the sending agency's name or its status; of the outbox, by when it was sent or its priority. Within a sort
 * key, newest first.
 */
export const INBOX_SORTS = ['received', 'deadline', 'priority', 'sender', 'status'] as const;
export type InboxSort = (typeof INBOX_SORTS)[number];
export const OUTBOX_SORTS = ['sent', 'priority'] as const;
export type OutboxSort = (typeof OUTBOX_SORTS)[number];
export const SORT_ORDERS = ['asc', 'desc'] as const;
export type SortOrder = (typeof SORT_ORDERS)[number];

/** What a person means by "sort by" each: newest first, soonest deadline, most urgent, A to Z, unopened first. */
export const NATURAL_ORDER: Record<InboxSort | OutboxSort, SortOrder> = {
  received: 'desc',
  sent: 'desc',
  deadline: 'asc',
  priority: 'desc',
  sender: 'asc',
  status: 'asc',
};

/** An array literal of our own constants (never input). */
const textArray = (values: readonly string[]) => `ARRAY[${values.map((v) => `'${v}'`).join(', ')}]::text[]`;

/** A rank that grows with urgency (normal 1, urgent 2, urgent-direct 3) and one that grows along the receipts. */
const PRIORITY_RANK = (alias: string) =>
  `array_position(${textArray([...PRIORITIES].reverse())}, ${alias}.priority::text)`;
const STATE_RANK = `array_position(${textArray(DELIVERY_STATES)}, d.state::text)`;

/** The inbox in the order asked for, its direction the sort's natural one unless `order` says otherwise. */
export function inboxOrder(sort: InboxSort = 'received', order?: SortOrder): ListOrder {
  const descending = (order ?? NATURAL_ORDER[sort]) === 'desc';
  const key = {
    received: null,
    // Without a deadline sorts last either way: after the latest deadline ascending, before the earliest descending.
    deadline: {
      sql: `coalesce(d.answer_deadline, '${descending ? '-infinity' : 'infinity'}'::timestamptz)`,
      cast: 'timestamptz',
    },
    priority: { sql: PRIORITY_RANK('m'), cast: 'int' },
    sender: { sql: 'a.name', cast: 'text' },
    status: { sql: STATE_RANK, cast: 'int' },
  }[sort];
  return key
    ? new ListOrder(key, descending, 'd.delivered_at', true, 'd.message_id')
    : new ListOrder(null, false, 'd.delivered_at', descending, 'd.message_id');
}

/** The outbox in the order asked for. */
export function outboxOrder(sort: OutboxSort = 'sent', order?: SortOrder): ListOrder {
  const descending = (order ?? NATURAL_ORDER[sort]) === 'desc';
  return sort === 'priority'
    ? new ListOrder({ sql: PRIORITY_RANK('m'), cast: 'int' }, descending, 'm.submitted_at', true, 'm.id')
    : new ListOrder(null, false, 'm.submitted_at', descending, 'm.id');
}

export interface InboxRow {
  id: string;
  type: MessageType;
  priority: Priority;
  handling_code: HandlingCode;
  jit_id: string | null;
  case_reference: string;
  sender_agency: string;
  sender_name: string;
  sender_country: string;
  subject: string;
  submitted_at: Date;
  delivered_at: Date;
  state: DeliveryState;
  read_at: Date | null;
  answered_at: Date | null;
  answer_deadline: Date | null;
  overdue: boolean;
  /** The leading sort key's value, as text, for the cursor. */
  sort_key: string | null;
}

export interface RecipientRow {
  agency: string;
  name: string;
  country: string;
  state: DeliveryState;
  deliveredAt: string;
  readAt: string | null;
  answeredAt: string | null;
  answerDeadline: string | null;
  overdue: boolean;
  forwardedBy: string | null;
}

export interface OutboxRow {
  id: string;
  type: MessageType;
  priority: Priority;
  handling_code: HandlingCode;
  jit_id: string | null;
  case_reference: string;
  subject: string;
  submitted_at: Date;
  recipients: RecipientRow[];
  /** The leading sort key's value, as text, for the cursor. */
  sort_key: string | null;
}

export interface MessageRow {
  id: string;
  type: MessageType;
  priority: Priority;
  classification: Classification;
  handling_code: HandlingCode;
  uk_handling: UkHandlingCode | null;
  evaluation: Evaluation | null;
  in_reply_to: string | null;
  jit_id: string | null;
  case_reference: string;
  sender_agency: string;
  sender_name: string;
  sender_country: string;
  /** What the message says, opened from its sealed content. */
  text: MessageText;
  submitted_at: Date;
  routed_at: Date;
  recipients: RecipientRow[];
}

export interface RejectionRow {
  message_id: string;
  case_reference: string;
  sender_agency: string;
  sender_name: string;
  sender_country: string;
  reason: string;
  detail: string;
  submitted_at: Date;
  rejected_at: Date;
}

const OVERDUE_SQL = '(d.answer_deadline IS NOT NULL AND d.answered_at IS NULL AND d.answer_deadline < now())';

const RECIPIENTS_JSON = `json_agg(json_build_object(
    'agency', d.recipient_agency, 'name', r.name, 'country', r.country, 'state', d.state,
    'deliveredAt', d.delivered_at, 'readAt', d.read_at, 'answeredAt', d.answered_at,
    'answerDeadline', d.answer_deadline, 'overdue', ${OVERDUE_SQL}, 'forwardedBy', d.forwarded_by)
  ORDER BY d.recipient_agency)`;

/** The agency ($2) is a current member of the JIT the message `m` was addressed to. */
export const JIT_MEMBER_SQL = `(m.jit_id IS NOT NULL AND EXISTS (
    SELECT 1 FROM jit_members jm WHERE jm.jit_id = m.jit_id AND jm.agency_code = $2 AND jm.left_at IS NULL))`;

/** Collects SQL conditions and their parameters, numbering the placeholders. */
class Conditions {
  readonly clauses: string[] = [];
  readonly params: unknown[] = [];

  bind(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }

  get sql(): string {
    return this.clauses.join(' AND ');
  }
}

function messageFilter(where: Conditions, filter: MessageFilter, alias = 'm'): void {
  if (filter.type) where.clauses.push(`${alias}.type = ${where.bind(filter.type)}`);
  if (filter.priority) where.clauses.push(`${alias}.priority = ${where.bind(filter.priority)}`);
  if (filter.handlingCode) where.clauses.push(`${alias}.handling_code = ${where.bind(filter.handlingCode)}`);
  if (filter.caseReference) where.clauses.push(`${alias}.case_reference = ${where.bind(filter.caseReference)}`);
  if (filter.jit) where.clauses.push(`${alias}.jit_id = ${where.bind(filter.jit)}::uuid`);
}

/** Read models the gateway serves, straight from the router's tables. Every query is scoped to an agency. */
@Injectable()
export class MessageReadRepository {
  /** Where a row of the inbox or the outbox sits in its order, for the next page's cursor. */
  static position(row: { id: string; sort_key: string | null }, at: Date): CursorPosition {
    return row.sort_key === null ? { at, id: row.id } : { at, id: row.id, key: row.sort_key };
  }

  constructor(
    private readonly dataSource: DataSource,
    private readonly keys: CaseKeys,
  ) {}

  /** Rows with their subject, opened from their sealed content. */
  private async withSubjects<T extends { subject: string }>(
    rows: (Omit<T, 'subject'> & SealedMessageRow)[],
  ): Promise<T[]> {
    const opened = await openMessageRows(this.keys, this.dataSource, rows);
    return opened.map(({ text, ...row }) => ({ ...row, subject: text.subject }) as unknown as T);
  }

  /**
   * The case's status if the agency may write into it: it takes part in it, addresses the JIT the case is
   * linked to, or opened it a moment ago. Null otherwise (whether or not the case exists).
   */
  async writableCaseStatus(caseReference: string, agency: string, jitId?: string): Promise<CaseStatus | null> {
    // A case the agency opened a moment ago counts as open until the router has stored it (accepted_cases).
    const rows: { status: CaseStatus }[] = await this.dataSource.query(
      `SELECT c.status FROM cases c
        WHERE c.reference = $1
          AND (EXISTS (SELECT 1 FROM case_participants p WHERE p.case_reference = c.reference AND p.agency_code = $2)
               OR ($3::uuid IS NOT NULL AND c.jit_id = $3::uuid))
       UNION ALL
       SELECT 'open' FROM accepted_cases a
        WHERE a.reference = $1 AND a.agency_code = $2 AND NOT EXISTS (SELECT 1 FROM cases c WHERE c.reference = $1)`,
      [caseReference, agency, jitId ?? null],
    );
    return rows[0]?.status ?? null;
  }

  /** A JIT's period and current members, for addressing it; null when there is no such JIT. */
  async jitMembership(jitId: string): Promise<{ startsOn: string; endsOn: string; members: string[] } | null> {
    const rows: { starts_on: string; ends_on: string; members: string[] | null }[] = await this.dataSource.query(
      `SELECT j.starts_on::text, j.ends_on::text,
              array_agg(m.agency_code ORDER BY m.agency_code) FILTER (WHERE m.agency_code IS NOT NULL) AS members
         FROM jits j LEFT JOIN jit_members m ON m.jit_id = j.id AND m.left_at IS NULL
        WHERE j.id = $1 GROUP BY j.id`,
      [jitId],
    );
    return rows[0] ? { startsOn: rows[0].starts_on, endsOn: rows[0].ends_on, members: rows[0].members ?? [] } : null;
  }

  /** A message delivered to the agency (so the agency may answer it): its case, type, sender and subject. */
  async receivedMessage(
    id: string,
    agency: string,
  ): Promise<{ caseReference: string; type: string; sender: string; subject: string } | null> {
    const rows: (SealedMessageRow & { type: string; sender_agency: string })[] = await this.dataSource.query(
      `SELECT m.id, m.case_reference, m.type, m.sender_agency, m.content FROM messages m JOIN deliveries d ON d.message_id = m.id
        WHERE m.id = $1 AND d.recipient_agency = $2`,
      [id, agency],
    );
    const [row] = await this.withSubjects<(typeof rows)[number] & { subject: string }>(rows);
    return row
      ? { caseReference: row.case_reference, type: row.type, sender: row.sender_agency, subject: row.subject }
      : null;
  }

  /** Messages delivered to an agency, in the order given, strictly after the cursor position. */
  async inbox(
    agency: string,
    filter: MessageFilter & { state?: DeliveryState },
    order: ListOrder,
    limit: number,
    after: CursorPosition | null,
  ): Promise<InboxRow[]> {
    const where = new Conditions();
    where.clauses.push(`d.recipient_agency = ${where.bind(agency)}`);
    messageFilter(where, filter);
    if (filter.partner) where.clauses.push(`m.sender_agency = ${where.bind(filter.partner)}`);
    if (filter.state) where.clauses.push(`d.state = ${where.bind(filter.state)}`);
    if (filter.overdue !== undefined) where.clauses.push(filter.overdue ? OVERDUE_SQL : `NOT ${OVERDUE_SQL}`);
    if (after) where.clauses.push(order.after(after, (value) => where.bind(value)));
    return this.withSubjects<InboxRow>(
      await this.dataSource.query(
        `SELECT m.id, m.type, m.priority, m.handling_code, m.jit_id, m.case_reference, m.sender_agency, a.name AS sender_name, a.country AS sender_country,
              m.content, m.submitted_at, d.delivered_at, d.state, d.read_at, d.answered_at, d.answer_deadline,
              ${OVERDUE_SQL} AS overdue, ${order.keySql} AS sort_key
         FROM deliveries d
         JOIN messages m ON m.id = d.message_id
         JOIN agencies a ON a.code = m.sender_agency
        WHERE ${where.sql}
        ORDER BY ${order.sql}
        LIMIT ${where.bind(limit)}`,
        where.params,
      ),
    );
  }

  /** Messages an agency sent, in the order given, with every recipient's state. */
  async outbox(
    agency: string,
    filter: MessageFilter,
    order: ListOrder,
    limit: number,
    after: CursorPosition | null,
  ): Promise<OutboxRow[]> {
    const where = new Conditions();
    where.clauses.push(`m.sender_agency = ${where.bind(agency)}`);
    messageFilter(where, filter);
    if (filter.partner)
      where.clauses.push(
        `EXISTS (SELECT 1 FROM deliveries p WHERE p.message_id = m.id AND p.recipient_agency = ${where.bind(filter.partner)})`,
      );
    if (after) where.clauses.push(order.after(after, (value) => where.bind(value)));
    const having = filter.overdue === undefined ? '' : `HAVING ${filter.overdue ? '' : 'NOT '}bool_or(${OVERDUE_SQL})`;
    return this.withSubjects<OutboxRow>(
      await this.dataSource.query(
        `SELECT m.id, m.type, m.priority, m.handling_code, m.jit_id, m.case_reference, m.content, m.submitted_at,
              ${RECIPIENTS_JSON} AS recipients, ${order.keySql} AS sort_key
         FROM messages m
         JOIN deliveries d ON d.message_id = m.id
         JOIN agencies r ON r.code = d.recipient_agency
        WHERE ${where.sql}
        GROUP BY m.id
        ${having}
        ORDER BY ${order.sql}
        LIMIT ${where.bind(limit)}`,
        where.params,
      ),
    );
  }

  /**
   * A message if the agency sent it, received it, or is a current member of the JIT it was addressed to;
   * otherwise nothing, as if it did not exist.
   */
  async visibleMessage(id: string, agency: string): Promise<MessageRow | null> {
    const rows: (Omit<MessageRow, 'text'> & SealedMessageRow)[] = await this.dataSource.query(
      `SELECT m.id, m.case_reference, m.sender_agency, s.name AS sender_name, s.country AS sender_country,
              m.content, m.submitted_at, m.routed_at, m.type, m.priority, m.classification, m.handling_code,
              m.uk_handling, m.evaluation, m.in_reply_to, m.jit_id, ${RECIPIENTS_JSON} AS recipients
         FROM messages m
         JOIN agencies s ON s.code = m.sender_agency
         JOIN deliveries d ON d.message_id = m.id
         JOIN agencies r ON r.code = d.recipient_agency
        WHERE m.id = $1
        GROUP BY m.id, s.code
       HAVING m.sender_agency = $2 OR bool_or(d.recipient_agency = $2) OR ${JIT_MEMBER_SQL}`,
      [id, agency],
    );
    const [row] = await openMessageRows(this.keys, this.dataSource, rows);
    return row ?? null;
  }

  async hasAcknowledged(messageId: string, keyId: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      'SELECT 1 FROM handling_acknowledgements WHERE message_id = $1 AND key_id = $2',
      [messageId, keyId],
    );
    return rows.length > 0;
  }

  async acknowledge(messageId: string, keyId: string, agency: string, at: Date): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO handling_acknowledgements (message_id, key_id, agency_code, acknowledged_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT DO NOTHING`,
      [messageId, keyId, agency, at],
    );
  }

  async senderRejection(id: string, agency: string): Promise<RejectionRow | null> {
    const rows: RejectionRow[] = await this.dataSource.query(
      `SELECT r.message_id, r.case_reference, r.sender_agency, a.name AS sender_name, a.country AS sender_country,
              r.reason, r.detail, r.submitted_at, r.rejected_at
         FROM message_rejections r JOIN agencies a ON a.code = r.sender_agency
        WHERE r.message_id = $1 AND r.sender_agency = $2`,
      [id, agency],
    );
    return rows[0] ?? null;
  }
}
