import { LRUCache } from 'lru-cache';
import { MasterKeys } from './master-keys';
import { newDataKey } from './sealing';

/** Anything that runs SQL: a TypeORM DataSource or EntityManager (rows), or a pg client or pool (a result). */
export interface Queryable {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

export async function rowsOf<T>(db: Queryable, sql: string, parameters: unknown[]): Promise<T[]> {
  const result = await db.query(sql, parameters);
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

/** A case whose data key has been destroyed: what was sealed under it can no longer be read by anyone. */
export class CaseErasedError extends Error {
  constructor(readonly caseReference: string) {
    super(`case ${caseReference} has been erased`);
    this.name = 'CaseErasedError';
  }
}

/** The data key of each case asked for: the key, `erased` when it was destroyed; absent when it has none. */
export type CaseKeyLookup = Map<string, Buffer | 'erased'>;

/** The key a lookup found for the case: CaseErasedError when erased, an error naming the case when it has none. */
export function usableKey(lookup: CaseKeyLookup, caseReference: string): Buffer {
  const key = lookup.get(caseReference);
  if (key === 'erased') throw new CaseErasedError(caseReference);
  if (!key) throw new Error(`case ${caseReference} has no data key`);
  return key;
}

interface KeyRow {
  case_reference: string;
  master_key_id: string | null;
  wrapped: Buffer | null;
}

export interface CaseKeysOptions {
  /** Unwrapped keys kept in memory (default 10,000). */
  cacheSize?: number;
  /** How long an unwrapped key is kept in memory (default 60 s): a destroyed key outlives no cache longer. */
  cacheTtlMs?: number;
}

/**
 * Each case's own AES-256 data key (envelope encryption): made when the case is opened, kept in `case_keys`
 * wrapped under the current master key, and destroyed when the case is erased, which leaves every copy sealed
 * under it (Kafka's log segments, backups, dead letters) unreadable: crypto-shredding. The row outlives the key,
 * so a late event of an erased case is recognised as such rather than given a new key.
 */
export class CaseKeys {
  private readonly cache: LRUCache<string, Buffer>;

  constructor(
    private readonly masterKeys: MasterKeys,
    { cacheSize = 10_000, cacheTtlMs = 60_000 }: CaseKeysOptions = {},
  ) {
    this.cache = new LRUCache({ max: cacheSize, ttl: cacheTtlMs });
  }

  /** Case keys under the master keys of a MASTER_KEYS setting. */
  static fromSetting(masterKeys: string, options?: CaseKeysOptions): CaseKeys {
    return new CaseKeys(MasterKeys.parse(masterKeys), options);
  }

  /** The case's data key, made (and stored) if it has none yet; CaseErasedError when it was erased. */
  async issue(db: Queryable, caseReference: string): Promise<Buffer> {
    const known = (await this.keysOf(db, [caseReference])).get(caseReference);
    if (known === 'erased') throw new CaseErasedError(caseReference);
    if (known) return known;
    const key = newDataKey();
    const { masterKeyId, wrapped } = this.masterKeys.wrap(key, caseReference);
    const inserted = await rowsOf(
      db,
      `INSERT INTO case_keys (case_reference, master_key_id, wrapped, created_at) VALUES ($1, $2, $3, now())
       ON CONFLICT (case_reference) DO NOTHING RETURNING case_reference`,
      [caseReference, masterKeyId, wrapped],
    );
    if (inserted.length === 0) {
      // Made meanwhile by another writer: theirs is the key.
      this.cache.delete(caseReference);
      return this.issue(db, caseReference);
    }
    this.cache.set(caseReference, key);
    return key;
  }

  /** The keys of the cases asked for, from memory where they were read recently. */
  async keysOf(db: Queryable, caseReferences: Iterable<string>): Promise<CaseKeyLookup> {
    const found: CaseKeyLookup = new Map();
    const missing: string[] = [];
    for (const reference of new Set(caseReferences)) {
      const cached = this.cache.get(reference);
      if (cached) found.set(reference, cached);
      else missing.push(reference);
    }
    if (missing.length === 0) return found;
    const rows = await rowsOf<KeyRow>(
      db,
      'SELECT case_reference, master_key_id, wrapped FROM case_keys WHERE case_reference = ANY($1::text[])',
      [missing],
    );
    for (const row of rows) {
      if (row.wrapped === null || row.master_key_id === null) {
        found.set(row.case_reference, 'erased');
        continue;
      }
      const key = this.masterKeys.unwrap(row.master_key_id, row.wrapped, row.case_reference);
      this.cache.set(row.case_reference, key);
      found.set(row.case_reference, key);
    }
    return found;
  }

  /** The key of one case: CaseErasedError when erased, an error naming the case when it has none. */
  async keyOf(db: Queryable, caseReference: string): Promise<Buffer> {
    return usableKey(await this.keysOf(db, [caseReference]), caseReference);
  }

  /**
   * Destroys the case's data key (kept as a row with no key, so the case is known to be erased). Idempotent. Other
   * processes drop their copy when told of the erasure (forget), and within the cache's lifetime in any case.
   */
  async destroy(db: Queryable, caseReference: string): Promise<void> {
    await db.query(
      `INSERT INTO case_keys (case_reference, master_key_id, wrapped, created_at, erased_at) VALUES ($1, NULL, NULL, now(), now())
       ON CONFLICT (case_reference) DO UPDATE SET master_key_id = NULL, wrapped = NULL,
         erased_at = coalesce(case_keys.erased_at, now())`,
      [caseReference],
    );
    this.forget(caseReference);
  }

  /** Drops the case's key from this process's memory. */
  forget(caseReference: string): void {
    this.cache.delete(caseReference);
  }

  /**
   * Rewraps, `batch` at a time, every data key not yet under the current master key; returns how many. After it,
   * the older master keys can be taken out of MASTER_KEYS.
   */
  async rewrap(db: Queryable, batch = 1_000): Promise<number> {
    const current = this.masterKeys.current.id;
    let total = 0;
    for (;;) {
      const rows = await rowsOf<KeyRow>(
        db,
        `SELECT case_reference, master_key_id, wrapped FROM case_keys
          WHERE wrapped IS NOT NULL AND master_key_id <> $1 ORDER BY case_reference LIMIT $2`,
        [current, batch],
      );
      if (rows.length === 0) return total;
      for (const row of rows) {
        const key = this.masterKeys.unwrap(row.master_key_id!, row.wrapped!, row.case_reference);
        const { masterKeyId, wrapped } = this.masterKeys.wrap(key, row.case_reference);
        await db.query(
          'UPDATE case_keys SET master_key_id = $2, wrapped = $3 WHERE case_reference = $1 AND wrapped IS NOT NULL',
          [row.case_reference, masterKeyId, wrapped],
        );
      }
      total += rows.length;
    }
  }
}
