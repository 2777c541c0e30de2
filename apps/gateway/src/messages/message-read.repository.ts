import type { CursorPosition, Evaluation, HandlingCode, MessageType, Priority, UkHandlingCode } from '@liaison/domain';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface InboxRow {
  id: string;
  type: MessageType;
  priority: Priority;
  answer_deadline: Date | null;
  case_reference: string;
  sender_agency: string;
  sender_name: string;
  sender_country: string;
  subject: string;
  submitted_at: Date;
  delivered_at: Date;
  state: string;
}

export interface MessageRow {
  id: string;
  type: MessageType;
  priority: Priority;
  handling_code: HandlingCode;
  handling_restriction: string | null;
  uk_handling: UkHandlingCode | null;
  evaluation: Evaluation | null;
  in_reply_to: string | null;
  case_reference: string;
  sender_agency: string;
  sender_name: string;
  sender_country: string;
  subject: string;
  body: string;
  submitted_at: Date;
  routed_at: Date;
  recipients: { agency: string; name: string; country: string; state: string; deliveredAt: string; answerDeadline: string | null }[];
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

/** Read models the gateway serves, straight from the router's tables. Every query is scoped to an agency. */
@Injectable()
export class MessageReadRepository {
  constructor(private readonly dataSource: DataSource) {}

  async isCaseParticipant(caseReference: string, agency: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      'SELECT 1 FROM case_participants WHERE case_reference = $1 AND agency_code = $2',
      [caseReference, agency],
    );
    return rows.length > 0;
  }

  /** A message delivered to the agency (so the agency may answer it): its case and type. */
  async receivedMessage(id: string, agency: string): Promise<{ caseReference: string; type: string } | null> {
    const rows: { case_reference: string; type: string }[] = await this.dataSource.query(
      `SELECT m.case_reference, m.type FROM messages m JOIN deliveries d ON d.message_id = m.id
        WHERE m.id = $1 AND d.recipient_agency = $2`,
      [id, agency],
    );
    return rows[0] ? { caseReference: rows[0].case_reference, type: rows[0].type } : null;
  }

  /** Messages delivered to an agency, newest first, strictly after the cursor position. */
  inbox(agency: string, limit: number, after: CursorPosition | null): Promise<InboxRow[]> {
    return this.dataSource.query(
      `SELECT m.id, m.type, m.priority, d.answer_deadline, m.case_reference, m.sender_agency, a.name AS sender_name,
              a.country AS sender_country, m.subject, m.submitted_at, d.delivered_at, d.state
         FROM deliveries d
         JOIN messages m ON m.id = d.message_id
         JOIN agencies a ON a.code = m.sender_agency
        WHERE d.recipient_agency = $1
          AND ($2::timestamptz IS NULL OR (d.delivered_at, d.message_id) < ($2::timestamptz, $3::uuid))
        ORDER BY d.delivered_at DESC, d.message_id DESC
        LIMIT $4`,
      [agency, after?.at ?? null, after?.id ?? null, limit],
    );
  }

  /** A message if the agency sent it or received it; otherwise nothing, as if it did not exist. */
  async visibleMessage(id: string, agency: string): Promise<MessageRow | null> {
    const rows: MessageRow[] = await this.dataSource.query(
      `SELECT m.id, m.case_reference, m.sender_agency, s.name AS sender_name, s.country AS sender_country,
              m.subject, m.body, m.submitted_at, m.routed_at, m.type, m.priority, m.handling_code, m.handling_restriction,
              m.uk_handling, m.evaluation, m.in_reply_to,
              json_agg(json_build_object('agency', d.recipient_agency, 'name', r.name, 'country', r.country,
                                         'state', d.state, 'deliveredAt', d.delivered_at, 'answerDeadline', d.answer_deadline)
                       ORDER BY d.recipient_agency) AS recipients
         FROM messages m
         JOIN agencies s ON s.code = m.sender_agency
         JOIN deliveries d ON d.message_id = m.id
         JOIN agencies r ON r.code = d.recipient_agency
        WHERE m.id = $1
        GROUP BY m.id, s.code
       HAVING m.sender_agency = $2 OR bool_or(d.recipient_agency = $2)`,
      [id, agency],
    );
    return rows[0] ?? null;
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

