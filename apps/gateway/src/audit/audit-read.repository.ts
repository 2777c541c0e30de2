import {
  checkpointBreak,
  verifyAuditChain,
  type AuditCheckpoint,
  type AuditSeal,
  type ChainBreak,
  type ChainedAuditEntry,
  type ChainPosition,
} from '@liaison/domain';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface AuditFilter {
  agency?: string;
  /** The acting principal's id (a person's or an API key's). */
  principalId?: string;
  action?: string;
  objectId?: string;
  from?: Date;
  to?: Date;
}

/** An `audit_log` row as PostgreSQL gives it. */
export interface AuditRow {
  seq: string;
  event_id: string;
  at: Date;
  action: string;
  agency: string;
  key_id: string;
  object_type: string;
  object_id: string;
  detail: string;
  prev_hash: string;
  hash: string;
  seal: AuditSeal;
  principal_type: string;
  principal_id: string;
}

export interface AuditVerification {
  entries: number;
  valid: boolean;
  firstBroken: ChainBreak | null;
}

/** Rows read per round trip while verifying: the chain is checked as a stream, never loaded whole. */
const VERIFY_PAGE = 5_000;

function entryOf(row: AuditRow): ChainedAuditEntry {
  return {
    seq: Number(row.seq),
    eventId: row.event_id,
    at: row.at,
    action: row.action,
    agency: row.agency,
    keyId: row.key_id,
    objectType: row.object_type,
    objectId: row.object_id,
    detail: row.detail,
    prevHash: row.prev_hash,
    hash: row.hash,
    seal: row.seal,
    principalType: row.principal_type,
    principalId: row.principal_id,
  };
}

@Injectable()
export class AuditReadRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Entries matching the filter, newest first, before the given sequence number. */
  async list(filter: AuditFilter, limit: number, beforeSeq: number | null): Promise<ChainedAuditEntry[]> {
    const rows: AuditRow[] = await this.dataSource.query(
      `SELECT * FROM audit_log
        WHERE ($1::text IS NULL OR agency = $1) AND ($2::text IS NULL OR action = $2) AND ($3::text IS NULL OR object_id = $3)
          AND ($4::timestamptz IS NULL OR at >= $4) AND ($5::timestamptz IS NULL OR at <= $5) AND ($6::bigint IS NULL OR seq < $6)
          AND ($8::text IS NULL OR principal_id = $8)
        ORDER BY seq DESC LIMIT $7`,
      [
        filter.agency ?? null,
        filter.action ?? null,
        filter.objectId ?? null,
        filter.from ?? null,
        filter.to ?? null,
        beforeSeq,
        limit,
        filter.principalId ?? null,
      ],
    );
    return rows.map(entryOf);
  }

  /** Entries after `afterSeq` up to `lastSeq` (at most `limit`), in chain order. */
  async chainAfter(afterSeq: number, lastSeq: number, limit: number): Promise<ChainedAuditEntry[]> {
    const rows: AuditRow[] = await this.dataSource.query(
      'SELECT * FROM audit_log WHERE seq > $1 AND seq <= $2 ORDER BY seq LIMIT $3',
      [afterSeq, lastSeq, limit],
    );
    return rows.map(entryOf);
  }

  /**
   * The stretch of the chain a period covers: from the first entry recorded at or after `from` to the last recorded
   * at or before `to`, every entry between included (entries are appended in order, their times nearly so), and the
   * entry it follows. Null when the period holds none.
   */
  async span(from: Date, to: Date): Promise<{ after: { seq: number; hash: string } | null; lastSeq: number } | null> {
    const [bounds]: { first: string | null; last: string | null }[] = await this.dataSource.query(
      `SELECT (SELECT min(seq) FROM audit_log WHERE at >= $1) AS first, (SELECT max(seq) FROM audit_log WHERE at <= $2) AS last`,
      [from, to],
    );
    if (bounds.first === null || bounds.last === null || Number(bounds.last) < Number(bounds.first)) return null;
    const before: { seq: string; hash: string }[] = await this.dataSource.query(
      'SELECT seq, hash FROM audit_log WHERE seq < $1 ORDER BY seq DESC LIMIT 1',
      [bounds.first],
    );
    return {
      after: before[0] ? { seq: Number(before[0].seq), hash: before[0].hash } : null,
      lastSeq: Number(bounds.last),
    };
  }

  /**
   * Recomputes every entry's seal from the first with the key, then holds the log's end to the newest
   * checkpoint (read before the chain, which only grows meanwhile), and reports the first break found.
   */
  async verify(key: string, checkpoint: AuditCheckpoint | null): Promise<AuditVerification> {
    let position = null as ChainPosition | null;
    let entries = 0;
    let atCheckpoint: { seq: number; hash: string } | undefined;
    for (;;) {
      const rows: AuditRow[] = await this.dataSource.query(
        'SELECT * FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2',
        [position?.seq ?? 0, VERIFY_PAGE],
      );
      if (rows.length === 0) break;
      const page = rows.map(entryOf);
      const broken = verifyAuditChain(key, position, page);
      if (broken)
        return { entries: entries + page.filter((e) => e.seq < broken.seq).length, valid: false, firstBroken: broken };
      atCheckpoint ??= page.find((e) => e.seq === checkpoint?.seq);
      entries += page.length;
      const last = page[page.length - 1];
      position = {
        seq: last.seq,
        hash: last.hash,
        keyed: (position?.keyed ?? false) || page.some((e) => e.seal === 'hmac-sha256'),
      };
    }
    const ending = checkpoint ? checkpointBreak(checkpoint, atCheckpoint, position?.seq ?? 0) : null;
    return ending ? { entries, valid: false, firstBroken: ending } : { entries, valid: true, firstBroken: null };
  }
}
