import { CaseKeys, openCaseRows, openMessageRows, type SealedMessageRow } from '@liaison/protection';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface HeldMessage {
  id: string;
  case_reference: string;
  sender_agency: string;
  sender_country: string;
  submitted_at: Date;
  text: { subject: string; body: string; entities: Record<string, unknown>[] };
}

export interface HeldCase {
  reference: string;
  owner_agency: string;
  status: string;
  title: string | null;
  restricted: boolean;
}

export interface Consultation {
  seq: number;
  at: Date;
  action: string;
  agency: string;
  principal_type: string;
  principal_id: string;
  key_id: string;
  object_id: string;
  detail: string;
}

/**
 * What an agency holds, as its data-protection officer searches it: the cases it takes part in that hold any of
 * the blind keys searched for, the messages of those cases it sent or received (opened), and who consulted them,
 * from the audit trail.
 */
@Injectable()
export class SubjectAccessRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly keys: CaseKeys,
  ) {}

  /** The cases the agency takes part in that hold any of these blind keys. */
  async casesHolding(blindKeys: string[], agency: string): Promise<HeldCase[]> {
    const rows: (Omit<HeldCase, 'title'> & { details: Buffer | null })[] = await this.dataSource.query(
      `SELECT c.reference, c.owner_agency, c.status, c.details, EXISTS (SELECT 1 FROM case_restrictions r WHERE r.case_reference = c.reference) AS restricted
         FROM cases c
        WHERE c.reference IN (SELECT k.case_reference FROM unnest($1::text[]) AS b(key)
                                JOIN match_keys k ON k.key_hash = hashtextextended(b.key, 0) AND k.key = b.key)
          AND EXISTS (SELECT 1 FROM case_participants p WHERE p.case_reference = c.reference AND p.agency_code = $2)
        ORDER BY c.reference`,
      [blindKeys, agency],
    );
    return (await openCaseRows(this.keys, this.dataSource, rows)).map(({ operation_name: _, ...row }) => row);
  }

  /** The messages of these cases the agency sent or received, oldest first, opened. */
  async messagesOf(references: string[], agency: string): Promise<HeldMessage[]> {
    if (references.length === 0) return [];
    const rows: (Omit<HeldMessage, 'text'> & SealedMessageRow)[] = await this.dataSource.query(
      `SELECT m.id, m.case_reference, m.sender_agency, a.country AS sender_country, m.submitted_at, m.content
         FROM messages m JOIN agencies a ON a.code = m.sender_agency
        WHERE m.case_reference = ANY($1::text[])
          AND (m.sender_agency = $2 OR EXISTS (SELECT 1 FROM deliveries d WHERE d.message_id = m.id AND d.recipient_agency = $2))
        ORDER BY m.submitted_at, m.id`,
      [references, agency],
    );
    return (await openMessageRows(this.keys, this.dataSource, rows, { skipErased: true })).map((row) => ({
      ...row,
      text: {
        subject: row.text.subject,
        body: row.text.body,
        entities: row.text.entities as unknown as Record<string, unknown>[],
      },
    }));
  }

  /** Who opened, downloaded from, forwarded, rectified or exported these messages and cases, in order. */
  consultations(messageIds: string[], references: string[]): Promise<Consultation[]> {
    return this.dataSource.query(
      `SELECT seq::int, at, action, agency, principal_type, principal_id, key_id, object_id, detail FROM audit_log
        WHERE (object_id = ANY($1::text[]) AND action IN ('message.opened', 'message.forwarded', 'entity.rectified', 'entity.removed'))
           OR (action = 'attachment.downloaded' AND detail = ANY($3::text[]))
           OR (object_id = ANY($2::text[]) AND action IN ('case.exported'))
        ORDER BY seq`,
      [messageIds, references, messageIds.map((id) => `message ${id}`)],
    );
  }
}
