import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface DeadLetterRow {
  id: string;
  dlqTopic: string;
  dlqPartition: number;
  dlqOffset: string;
  sourceTopic: string;
  sourcePartition: number;
  sourceOffset: string;
  consumerGroup: string;
  failure: string;
  error: string;
  eventId: string;
  eventType: string;
  correlationId: string;
  deadLetteredAt: Date;
  recordKey: Buffer | null;
  recordValue: Buffer | null;
  recordHeaders: Record<string, string>;
  /** Set for a submitted message the router itself could not apply: its sender is told it was rejected. */
  rejection: { messageId: string; caseReference: string; senderAgency: string; submittedAt: Date } | null;
}

export interface UnprocessableRejection {
  messageId: string;
  caseReference: string;
  senderAgency: string;
  detail: string;
  rejectedAt: Date;
}

/** The dead-letter ledger, and the rejections its submitted messages stand for. */
@Injectable()
export class DeadLetterRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Records dead letters once each (by their place in the dead-letter topic) and, in the same transaction,
   * rejects each submitted message among them that was not routed meanwhile. Returns every UNPROCESSABLE
   * rejection of those messages, new or recorded before, for its event to be published (again).
   */
  async record(rows: DeadLetterRow[], rejectedAt: Date): Promise<UnprocessableRejection[]> {
    if (rows.length === 0) return [];
    return this.dataSource.transaction(async (manager) => {
      await manager.query(
        `INSERT INTO dead_letters (id, dlq_topic, dlq_partition, dlq_offset, source_topic, source_partition, source_offset, consumer_group,
                                   failure, error, event_id, event_type, correlation_id, message_id, sender_agency, dead_lettered_at,
                                   record_key, record_value, record_headers)
         SELECT * FROM unnest($1::uuid[], $2::text[], $3::int[], $4::bigint[], $5::text[], $6::int[], $7::bigint[], $8::text[], $9::text[],
                              $10::text[], $11::text[], $12::text[], $13::text[], $14::uuid[], $15::text[], $16::timestamptz[], $17::bytea[],
                              $18::bytea[], $19::jsonb[])
         ON CONFLICT ON CONSTRAINT uq_dead_letters_position DO NOTHING`,
        [
          rows.map((r) => r.id),
          rows.map((r) => r.dlqTopic),
          rows.map((r) => r.dlqPartition),
          rows.map((r) => r.dlqOffset),
          rows.map((r) => r.sourceTopic),
          rows.map((r) => r.sourcePartition),
          rows.map((r) => r.sourceOffset),
          rows.map((r) => r.consumerGroup),
          rows.map((r) => r.failure),
          rows.map((r) => r.error),
          rows.map((r) => r.eventId),
          rows.map((r) => r.eventType),
          rows.map((r) => r.correlationId),
          rows.map((r) => r.rejection?.messageId ?? null),
          rows.map((r) => r.rejection?.senderAgency ?? null),
          rows.map((r) => r.deadLetteredAt),
          rows.map((r) => r.recordKey),
          rows.map((r) => r.recordValue),
          rows.map((r) => JSON.stringify(r.recordHeaders)),
        ],
      );
      const rejections = rows.flatMap((r) =>
        r.rejection
          ? [
              {
                ...r.rejection,
                detail: `the router could not process it (${r.error}); an administrator can re-drive it`,
              },
            ]
          : [],
      );
      if (rejections.length === 0) return [];
      await manager.query(
        `INSERT INTO message_rejections (message_id, case_reference, sender_agency, reason, detail, submitted_at, rejected_at)
         SELECT r.message_id, r.case_reference, r.sender_agency, 'UNPROCESSABLE', r.detail, r.submitted_at, $6
           FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::timestamptz[]) AS r(message_id, case_reference, sender_agency, detail, submitted_at)
          WHERE NOT EXISTS (SELECT 1 FROM messages m WHERE m.id = r.message_id)
         ON CONFLICT DO NOTHING`,
        [
          rejections.map((r) => r.messageId),
          rejections.map((r) => r.caseReference),
          rejections.map((r) => r.senderAgency),
          rejections.map((r) => r.detail),
          rejections.map((r) => r.submittedAt),
          rejectedAt,
        ],
      );
      const stored: {
        message_id: string;
        case_reference: string;
        sender_agency: string;
        detail: string;
        rejected_at: Date;
      }[] = await manager.query(
        `SELECT message_id, case_reference, sender_agency, detail, rejected_at FROM message_rejections WHERE message_id = ANY($1::uuid[]) AND reason = 'UNPROCESSABLE'`,
        [rejections.map((r) => r.messageId)],
      );
      return stored.map((s) => ({
        messageId: s.message_id,
        caseReference: s.case_reference,
        senderAgency: s.sender_agency,
        detail: s.detail,
        rejectedAt: s.rejected_at,
      }));
    });
  }
}
