import type { CursorPosition } from '@liaison/common';
import type { CaseStatus, CrimeArea, DeliveryState, MessageType, Priority } from '@liaison/domain';
import {
  CaseKeys,
  openCaseRows,
  openMessageRows,
  type SealedCaseRow,
  type SealedMessageRow,
} from '@liaison/protection';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { JIT_MEMBER_SQL } from '../messages/message-read.repository';

export interface CaseRow {
  reference: string;
  owner_agency: string;
  owner_name: string;
  opened_at: Date;
  title: string | null;
  crime_area: CrimeArea | null;
  operation_name: string | null;
  status: CaseStatus;
  closed_at: Date | null;
  jit_id: string | null;
  participants: string[];
  last_activity_at: Date;
}

export interface ReceiptRow {
  agency: string;
  state: DeliveryState;
  deliveredAt: string;
  readAt: string | null;
  answeredAt: string | null;
}

/** A forward of one of the case's messages. */
export interface CaseForwardRow {
  id: string;
  message_id: string;
  provider_agency: string;
  from_agency: string;
  to_agency: string;
  state: string;
  requested_at: Date;
  decided_at: Date | null;
}

export interface ThreadRow {
  id: string;
  type: MessageType;
  priority: Priority;
  sender_agency: string;
  recipients: string[];
  subject: string;
  submitted_at: Date;
  in_reply_to: string | null;
  receipts: ReceiptRow[];
}

/** Cases as their participants see them. A case is visible only to the agencies that take part in it. */
@Injectable()
export class CaseReadRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly keys: CaseKeys,
  ) {}

  /** Case rows with their names opened. */
  private async named(rows: (Omit<CaseRow, 'title' | 'operation_name'> & SealedCaseRow)[]): Promise<CaseRow[]> {
    return openCaseRows(this.keys, this.dataSource, rows);
  }

  /** Message rows with what they say opened. */
  private opened<R extends SealedMessageRow>(rows: R[]) {
    return openMessageRows(this.keys, this.dataSource, rows);
  }

  /** Cases the agency takes part in, most recently active first. */
  async list(
    agency: string,
    filter: { status?: CaseStatus; crimeArea?: CrimeArea },
    limit: number,
    after: CursorPosition | null,
  ): Promise<CaseRow[]> {
    return this.named(
      await this.dataSource.query(
        `SELECT * FROM (
         SELECT c.reference, c.owner_agency, o.name AS owner_name, c.opened_at, c.details, c.crime_area, c.status, c.closed_at, c.jit_id,
                (SELECT array_agg(p.agency_code ORDER BY p.agency_code) FROM case_participants p WHERE p.case_reference = c.reference) AS participants,
                coalesce((SELECT max(m.routed_at) FROM messages m WHERE m.case_reference = c.reference), c.opened_at) AS last_activity_at
           FROM case_participants mine
           JOIN cases c ON c.reference = mine.case_reference
           JOIN agencies o ON o.code = c.owner_agency
          WHERE mine.agency_code = $1
            AND ($5::text IS NULL OR c.status = $5) AND ($6::text IS NULL OR c.crime_area = $6)) AS visible
        WHERE ($2::timestamptz IS NULL OR (last_activity_at, reference) < ($2::timestamptz, $3::text))
        ORDER BY last_activity_at DESC, reference DESC
        LIMIT $4`,
        [agency, after?.at ?? null, after?.id ?? null, limit, filter.status ?? null, filter.crimeArea ?? null],
      ),
    );
  }

  /** A case the agency takes part in, or that is linked to a JIT the agency is a current member of. */
  async find(reference: string, agency: string): Promise<CaseRow | null> {
    const rows: (Omit<CaseRow, 'title' | 'operation_name'> & SealedCaseRow)[] = await this.dataSource.query(
      `SELECT c.reference, c.owner_agency, o.name AS owner_name, c.opened_at, c.details, c.crime_area, c.status, c.closed_at, c.jit_id,
              (SELECT array_agg(p.agency_code ORDER BY p.agency_code) FROM case_participants p WHERE p.case_reference = c.reference) AS participants,
              coalesce((SELECT max(m.routed_at) FROM messages m WHERE m.case_reference = c.reference), c.opened_at) AS last_activity_at
         FROM cases c JOIN agencies o ON o.code = c.owner_agency
        WHERE c.reference = $1
          AND (EXISTS (SELECT 1 FROM case_participants p WHERE p.case_reference = c.reference AND p.agency_code = $2)
               OR EXISTS (SELECT 1 FROM jit_members jm WHERE jm.jit_id = c.jit_id AND jm.agency_code = $2 AND jm.left_at IS NULL))`,
      [reference, agency],
    );
    const [found] = await this.named(rows);
    return found ?? null;
  }

  /**
   * The messages of a case that the agency sent or received (or that were addressed to a JIT it is a member
   * of), oldest first: a participant sees no others. Receipts: every recipient's to the sender, only its own
   * to a recipient.
   */
  async thread(reference: string, agency: string): Promise<ThreadRow[]> {
    const rows: (Omit<ThreadRow, 'subject'> & SealedMessageRow)[] = await this.dataSource.query(
      `SELECT m.id, m.case_reference, m.type, m.priority, m.sender_agency, m.content, m.submitted_at, m.in_reply_to,
              array_agg(d.recipient_agency ORDER BY d.recipient_agency) AS recipients,
              coalesce(json_agg(json_build_object('agency', d.recipient_agency, 'state', d.state,
                  'deliveredAt', d.delivered_at, 'readAt', d.read_at, 'answeredAt', d.answered_at) ORDER BY d.recipient_agency)
                FILTER (WHERE m.sender_agency = $2 OR d.recipient_agency = $2), '[]') AS receipts
         FROM messages m JOIN deliveries d ON d.message_id = m.id
        WHERE m.case_reference = $1
        GROUP BY m.id
       HAVING m.sender_agency = $2 OR bool_or(d.recipient_agency = $2) OR ${JIT_MEMBER_SQL}
        ORDER BY m.submitted_at, m.id`,
      [reference, agency],
    );
    return (await this.opened(rows)).map(({ text, ...row }) => ({ ...row, subject: text.subject }));
  }

  /**
   * The entities of the case's messages the agency may see, each with its message; those of an H3 message
   * only once the person (or key) reading has accepted its restriction, as when the message is opened.
   */
  async entities(
    reference: string,
    agency: string,
    readerId: string,
  ): Promise<{ message_id: string; subject: string; entity: Record<string, unknown> }[]> {
    const rows: SealedMessageRow[] = await this.dataSource.query(
      `${VISIBLE_MESSAGES}
       SELECT m.id, m.case_reference, m.content
         FROM visible v JOIN messages m ON m.id = v.id
        WHERE ${READABLE_CONTENT}
        ORDER BY m.submitted_at, m.id`,
      [reference, agency, readerId],
    );
    return (await this.opened(rows)).flatMap(({ id, text }) =>
      text.entities.map((entity) => ({
        message_id: id,
        subject: text.subject,
        entity: entity as unknown as Record<string, unknown>,
      })),
    );
  }

  /**
   * What of the case may leave Liaison in an export: the entities and links of the messages the agency may see
   * whose handling code lets them be passed on (H0, H1; never H2 or H3), in order.
   */
  async exportable(
    reference: string,
    agency: string,
  ): Promise<{ id: string; submitted_at: Date; entities: unknown[]; entity_links: unknown[] }[]> {
    const rows: (SealedMessageRow & { submitted_at: Date })[] = await this.dataSource.query(
      `${VISIBLE_MESSAGES}
       SELECT m.id, m.case_reference, m.submitted_at, m.content
         FROM visible v JOIN messages m ON m.id = v.id
        WHERE m.handling_code IN ('H0', 'H1')
        ORDER BY m.submitted_at, m.id`,
      [reference, agency],
    );
    return (await this.opened(rows)).map(({ id, submitted_at, text }) => ({
      id,
      submitted_at,
      entities: text.entities,
      entity_links: text.links,
    }));
  }

  /** The attachments of the case's messages the agency may see (H3: once accepted), in order. */
  async attachments(
    reference: string,
    agency: string,
    readerId: string,
  ): Promise<
    { message_id: string; subject: string; ordinal: number; file_name: string; content_type: string; size: string }[]
  > {
    const rows: (SealedMessageRow & { attachments: { ordinal: number; content_type: string; size: string }[] })[] =
      await this.dataSource.query(
        `${VISIBLE_MESSAGES}
       SELECT m.id, m.case_reference, m.content,
              json_agg(json_build_object('ordinal', a.ordinal, 'content_type', a.content_type, 'size', a.size::text) ORDER BY a.ordinal) AS attachments
         FROM visible v JOIN messages m ON m.id = v.id JOIN message_attachments a ON a.message_id = m.id
        WHERE ${READABLE_CONTENT}
        GROUP BY m.id
        ORDER BY m.submitted_at, m.id`,
        [reference, agency, readerId],
      );
    return (await this.opened(rows)).flatMap(({ id, text, attachments }) =>
      attachments.map((a) => ({
        message_id: id,
        subject: text.subject,
        ordinal: a.ordinal,
        file_name: text.attachmentNames[a.ordinal - 1] ?? '',
        content_type: a.content_type,
        size: a.size,
      })),
    );
  }

  /** Forwards of the case's messages that involve the agency (as provider, forwarding agency or receiver). */
  async forwards(reference: string, agency: string): Promise<(CaseForwardRow & { subject: string })[]> {
    const rows: (CaseForwardRow & { content: Buffer })[] = await this.dataSource.query(
      `SELECT f.id, f.message_id, m.content, f.provider_agency, f.from_agency, f.to_agency, f.state, f.requested_at, f.decided_at
         FROM forwards f JOIN messages m ON m.id = f.message_id
        WHERE m.case_reference = $1 AND (f.provider_agency = $2 OR f.from_agency = $2 OR f.to_agency = $2)
        ORDER BY f.requested_at, f.id`,
      [reference, agency],
    );
    const opened = await this.opened(
      rows.map((row) => ({ id: row.message_id, case_reference: reference, content: row.content })),
    );
    return rows.map(({ content: _content, ...row }, i) => ({ ...row, subject: opened[i].text.subject }));
  }
}

/** The case's ($1) messages the agency ($2) may see: sent, received, or addressed to a JIT it is a member of. */
const VISIBLE_MESSAGES = `WITH visible AS (
   SELECT m.id FROM messages m JOIN deliveries d ON d.message_id = m.id
    WHERE m.case_reference = $1
    GROUP BY m.id
   HAVING m.sender_agency = $2 OR bool_or(d.recipient_agency = $2) OR ${JIT_MEMBER_SQL})`;

/** A message `m` whose content the reader ($3) may see: not H3, its sender's own, or its restriction accepted. */
const READABLE_CONTENT = `(m.handling_code <> 'H3' OR m.sender_agency = $2
   OR EXISTS (SELECT 1 FROM handling_acknowledgements h WHERE h.message_id = m.id AND h.key_id = $3))`;
