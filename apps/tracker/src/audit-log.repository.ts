import { chainAuditEntries, type AuditFacts } from '@liaison/domain';
import { SERVICE_CONFIG } from '@liaison/runtime';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { TrackerConfig } from './tracker.config';

export interface ChainHead {
  seq: number;
  hash: string;
}

/** Serialises appends to the one chain, across replicas and rebalances. */
const AUDIT_CHAIN_LOCK = 'liaison.audit_log';

/** Appends to the hash-chained audit log: the only writer of `audit_log`. */
@Injectable()
export class AuditLogRepository {
  private readonly key: string;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(SERVICE_CONFIG) config: TrackerConfig,
  ) {
    this.key = config.AUDIT_SEAL_KEY;
  }

  /** The newest entry, or null for an empty log. */
  async head(): Promise<ChainHead | null> {
    const [last]: { seq: string; hash: string }[] = await this.dataSource.query(
      'SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1',
    );
    return last ? { seq: Number(last.seq), hash: last.hash } : null;
  }

  /**
   * Appends the entries not already in the log, in the order given, each sealed to the one before with the
   * seal key. Returns how many were appended (an event delivered again is not appended twice).
   */
  async append(entries: AuditFacts[]): Promise<number> {
    if (entries.length === 0) return 0;
    return this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [AUDIT_CHAIN_LOCK]);
      const present: { event_id: string }[] = await manager.query(
        'SELECT event_id FROM audit_log WHERE event_id = ANY($1::uuid[])',
        [entries.map((e) => e.eventId)],
      );
      const skip = new Set(present.map((row) => row.event_id));
      const fresh = entries.filter((e) => !skip.has(e.eventId) && skip.add(e.eventId));
      if (fresh.length === 0) return 0;
      const last: { seq: string; hash: string }[] = await manager.query(
        'SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1',
      );
      const chained = chainAuditEntries(
        this.key,
        last[0] ? { seq: Number(last[0].seq), hash: last[0].hash } : null,
        fresh,
      );
      await manager.query(
        `INSERT INTO audit_log (seq, event_id, at, action, agency, key_id, object_type, object_id, detail, prev_hash, hash,
                                principal_type, principal_id, seal)
         SELECT *, 'hmac-sha256' FROM unnest($1::bigint[], $2::uuid[], $3::timestamptz[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
                              $9::text[], $10::bpchar[], $11::bpchar[], $12::text[], $13::text[])`,
        [
          chained.map((e) => e.seq),
          chained.map((e) => e.eventId),
          chained.map((e) => e.at),
          chained.map((e) => e.action),
          chained.map((e) => e.agency),
          chained.map((e) => e.keyId),
          chained.map((e) => e.objectType),
          chained.map((e) => e.objectId),
          chained.map((e) => e.detail),
          chained.map((e) => e.prevHash),
          chained.map((e) => e.hash),
          chained.map((e) => e.principalType),
          chained.map((e) => e.principalId),
        ],
      );
      return chained.length;
    });
  }
}
