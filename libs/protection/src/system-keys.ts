import { createHmac } from 'node:crypto';
import { rowsOf, type Queryable } from './case-keys';
import type { MasterKeys } from './master-keys';
import { newDataKey, open, seal } from './sealing';

/**
 * Keys that belong to no case: `match-index`, the HMAC key of the blind match index, and `match-exclusions`, which
 * seals the values admins excluded from matching. Each is made once by whichever service needs it first, kept in
 * `system_keys` wrapped under the master key, and never changes (rotation rewraps it), so blind keys stay stable.
 */
export type SystemKeyName = 'match-index' | 'match-exclusions';

export class SystemKeys {
  private readonly known = new Map<SystemKeyName, Buffer>();

  constructor(private readonly masterKeys: MasterKeys) {}

  /** The key, made and stored if there is none yet (of two makers at once, the first stored is the key). */
  async keyOf(db: Queryable, name: SystemKeyName): Promise<Buffer> {
    const known = this.known.get(name);
    if (known) return known;
    const candidate = newDataKey();
    const { masterKeyId, wrapped } = this.masterKeys.wrap(candidate, `system:${name}`);
    await db.query(
      `INSERT INTO system_keys (name, master_key_id, wrapped, created_at) VALUES ($1, $2, $3, now()) ON CONFLICT (name) DO NOTHING`,
      [name, masterKeyId, wrapped],
    );
    const [row] = await rowsOf<{ master_key_id: string; wrapped: Buffer }>(
      db,
      'SELECT master_key_id, wrapped FROM system_keys WHERE name = $1',
      [name],
    );
    const key = this.masterKeys.unwrap(row.master_key_id, row.wrapped, `system:${name}`);
    this.known.set(name, key);
    return key;
  }

  /** Rewraps every system key not under the current master key; returns how many. */
  async rewrap(db: Queryable): Promise<number> {
    const rows = await rowsOf<{ name: string; master_key_id: string; wrapped: Buffer }>(
      db,
      'SELECT name, master_key_id, wrapped FROM system_keys WHERE master_key_id <> $1',
      [this.masterKeys.current.id],
    );
    for (const row of rows) {
      const key = this.masterKeys.unwrap(row.master_key_id, row.wrapped, `system:${row.name}`);
      const { masterKeyId, wrapped } = this.masterKeys.wrap(key, `system:${row.name}`);
      await db.query('UPDATE system_keys SET master_key_id = $2, wrapped = $3 WHERE name = $1', [
        row.name,
        masterKeyId,
        wrapped,
      ]);
    }
    return rows.length;
  }
}

/** Marks a blind key's value part: `<kind>:#<digest>`. No normalised value starts with it. */
const BLIND = '#';

/**
 * The blind match index: a match key (`phone:+40721234567`) is stored as its kind and a keyed digest of the whole
 * key (`phone:#<HMAC-SHA256, base64url>`), so equal keys still meet in the index while a dump of the database
 * names no value, and without the index key (wrapped under the master key) no guessed value can be checked
 * against it. The value itself is kept beside each holding, sealed under the holding case's key.
 */
export class MatchKeyBlinder {
  constructor(private readonly indexKey: Buffer) {}

  static async load(db: Queryable, systemKeys: SystemKeys): Promise<MatchKeyBlinder> {
    return new MatchKeyBlinder(await systemKeys.keyOf(db, 'match-index'));
  }

  /** The blind form of a key; a key already blind is returned as it is. */
  blind(key: string): string {
    const at = key.indexOf(':');
    if (at < 0) throw new Error('not a match key');
    if (isBlindKey(key)) return key;
    const digest = createHmac('sha256', this.indexKey).update(key, 'utf8').digest('base64url');
    return `${key.slice(0, at)}:${BLIND}${digest}`;
  }
}

export function isBlindKey(key: string): boolean {
  const at = key.indexOf(':');
  return at > 0 && key[at + 1] === BLIND;
}

/** A holding's match key in clear, sealed under its case's key and bound to the case and the blind key. */
export function sealMatchValue(caseKey: Buffer, caseReference: string, blindKey: string, key: string): Buffer {
  return seal(caseKey, Buffer.from(key, 'utf8'), `liaison.match-key/${caseReference}/${blindKey}`);
}

export function openMatchValue(caseKey: Buffer, caseReference: string, blindKey: string, sealed: Uint8Array): string {
  return open(caseKey, sealed, `liaison.match-key/${caseReference}/${blindKey}`, 'a match key').toString('utf8');
}

/** An excluded match key in clear, sealed under the `match-exclusions` key and bound to its blind key. */
export function sealExcludedKey(exclusionsKey: Buffer, blindKey: string, key: string): Buffer {
  return seal(exclusionsKey, Buffer.from(key, 'utf8'), `liaison.excluded-key/${blindKey}`);
}

export function openExcludedKey(exclusionsKey: Buffer, blindKey: string, sealed: Uint8Array): string {
  return open(exclusionsKey, sealed, `liaison.excluded-key/${blindKey}`, 'an excluded key').toString('utf8');
}
