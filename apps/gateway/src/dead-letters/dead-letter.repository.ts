import type { CursorPosition } from '@liaison/common';
import { queryReturning } from '@liaison/persistence';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

export interface DeadLetterRow {
  id: string;
  source_topic: string;
  source_partition: number;
  source_offset: string;
  consumer_group: string;
  failure: string;
  error: string;
  event_id: string;
  event_type: string;
  correlation_id: string;
  message_id: string | null;
  sender_agency: string | null;
  dead_lettered_at: Date;
  redriven_at: Date | null;
  redrive_count: number;
}

export interface DeadRecord {
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, string>;
}

const COLUMNS = `id, source_topic, source_partition, source_offset::text AS source_offset, consumer_group, failure, error, event_id, event_type,
                 correlation_id, message_id, sender_agency, dead_lettered_at, redriven_at, redrive_count`;

/** The dead-letter ledger the router's recorder keeps, as administrators read and re-drive it. */
@Injectable()
export class DeadLetterRepository {
  constructor(private readonly dataSource: DataSource) {}

  list(
    filter: { state?: 'open' | 'redriven'; topic?: string },
    limit: number,
    after: CursorPosition | null,
  ): Promise<DeadLetterRow[]> {
    return this.dataSource.query(
      `SELECT ${COLUMNS} FROM dead_letters
        WHERE ($1::text IS NULL OR ($1 = 'open') = (redriven_at IS NULL))
          AND ($2::text IS NULL OR source_topic = $2)
          AND ($3::timestamptz IS NULL OR (dead_lettered_at, id) < ($3, $4::uuid))
        ORDER BY dead_lettered_at DESC, id DESC LIMIT $5`,
      [filter.state ?? null, filter.topic ?? null, after?.at ?? null, after?.id ?? null, limit],
    );
  }

  /**
   * Re-drives one dead letter in a transaction that holds its row: `publish` gets the record and must resolve
   * once the broker has it. The UNPROCESSABLE rejection of its message is withdrawn with it (the router
   * would otherwise take the message as decided), and both are undone if the broker does not acknowledge.
   */
  async redrive(
    id: string,
    keyId: string,
    publish: (row: DeadLetterRow, record: DeadRecord) => Promise<void>,
  ): Promise<DeadLetterRow | null> {
    return this.dataSource.transaction(async (manager: EntityManager) => {
      const [found]: (DeadLetterRow & {
        record_key: Buffer | null;
        record_value: Buffer | null;
        record_headers: Record<string, string>;
      })[] = await manager.query(
        `SELECT ${COLUMNS}, record_key, record_value, record_headers FROM dead_letters WHERE id = $1 FOR UPDATE`,
        [id],
      );
      if (!found) return null;
      if (found.message_id)
        await manager.query(`DELETE FROM message_rejections WHERE message_id = $1 AND reason = 'UNPROCESSABLE'`, [
          found.message_id,
        ]);
      const [updated] = await queryReturning<DeadLetterRow>(
        manager,
        `UPDATE dead_letters SET redriven_at = now(), redriven_by_key_id = $2, redrive_count = redrive_count + 1 WHERE id = $1 RETURNING ${COLUMNS}`,
        [id, keyId],
      );
      await publish(found, { key: found.record_key, value: found.record_value, headers: found.record_headers });
      return updated;
    });
  }
}
