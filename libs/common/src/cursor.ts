/**
 * Opaque pagination cursors for lists ordered by (timestamp, id), newest first or oldest first, optionally after
 * a leading sort key (a priority, a name, a deadline). The cursor names the last item of a page; the next page
 * starts strictly after it, so items inserted meanwhile never repeat or vanish.
 */
export interface CursorPosition {
  at: Date;
  id: string;
  /** The value of the list's leading sort key at the last item, as text, when the list is sorted by one. */
  key?: string;
}

/** Ids in cursors are UUIDs or case references (whose check character may be one of * ~ $ =). */
const ID = /^[A-Za-z0-9*~$=-]{1,64}$/;

/** A sort key: printable text (an agency's name may hold any letter), no longer than a name may be. */
// eslint-disable-next-line no-control-regex
const KEY = /^[^\u0000-\u001f\u007f]{1,200}$/u;

export function encodeCursor(position: CursorPosition): string {
  const parts = [position.at.toISOString(), position.id, ...(position.key === undefined ? [] : [position.key])];
  return Buffer.from(parts.join('|'), 'utf8').toString('base64url');
}

/** Returns null for anything that is not a cursor this service issued. */
export function decodeCursor(cursor: string): CursorPosition | null {
  if (!/^[A-Za-z0-9_-]{1,400}$/.test(cursor)) return null;
  const [at, id, ...rest] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (!at || !id || !ID.test(id)) return null;
  const date = new Date(at);
  if (Number.isNaN(date.getTime()) || date.toISOString() !== at) return null;
  if (rest.length === 0) return { at: date, id };
  const key = rest.join('|');
  return KEY.test(key) ? { at: date, id, key } : null;
}
