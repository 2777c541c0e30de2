import { rowsOf, type Queryable } from './case-keys';
import type { MasterKeys } from './master-keys';
import { newDataKey } from './sealing';

/** Rows that have a data key of their own, kept in the row wrapped under the master key. */
export type KeyedRowKind = 'upload' | 'draft';

const TABLES: Record<KeyedRowKind, string> = { upload: 'uploads', draft: 'drafts' };

export interface IssuedRowKey {
  key: Buffer;
  masterKeyId: string;
  wrapped: Buffer;
}

/** The wrapped key as a row holds it. */
export interface WrappedKeyColumns {
  master_key_id: string;
  wrapped_key: Uint8Array;
}

/**
 * Data keys for what belongs to no case yet: an upload (its file and its name) and a draft. Each row has its own
 * key, wrapped under the current master key and bound to the row, so a dump of the table opens nothing and a
 * deleted row leaves nothing to open. Once an upload is attached to a message, its key is also sealed under the
 * case's key, and the case's erasure takes it with the rest.
 */
export class RowKeys {
  constructor(private readonly masterKeys: MasterKeys) {}

  issue(kind: KeyedRowKind, id: string): IssuedRowKey {
    const key = newDataKey();
    return { key, ...this.masterKeys.wrap(key, `${kind}:${id}`) };
  }

  keyOf(kind: KeyedRowKind, id: string, row: WrappedKeyColumns): Buffer {
    return this.masterKeys.unwrap(row.master_key_id, row.wrapped_key, `${kind}:${id}`);
  }

  /** Rewraps, `batch` at a time, every row key not under the current master key; returns how many. */
  async rewrap(db: Queryable, batch = 1_000): Promise<number> {
    const current = this.masterKeys.current.id;
    let total = 0;
    for (const [kind, table] of Object.entries(TABLES) as [KeyedRowKind, string][]) {
      for (;;) {
        const rows = await rowsOf<WrappedKeyColumns & { id: string }>(
          db,
          `SELECT id, master_key_id, wrapped_key FROM ${table} WHERE master_key_id <> $1 ORDER BY id LIMIT $2`,
          [current, batch],
        );
        if (rows.length === 0) break;
        for (const row of rows) {
          const { masterKeyId, wrapped } = this.masterKeys.wrap(this.keyOf(kind, row.id, row), `${kind}:${row.id}`);
          await db.query(`UPDATE ${table} SET master_key_id = $2, wrapped_key = $3 WHERE id = $1`, [
            row.id,
            masterKeyId,
            wrapped,
          ]);
        }
        total += rows.length;
      }
    }
    return total;
  }
}
