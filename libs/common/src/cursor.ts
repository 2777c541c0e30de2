/**
 * Opaque pagination cursors for lists ordered newest first by (timestamp, id). The cursor names the last
 * item of a page; the next page starts strictly after it, so items inserted meanwhile never repeat or vanish.
 */
export interface CursorPosition {
  at: Date;
  id: string;
}

/** Ids in cursors are UUIDs or case references (whose check character may be one of * ~ $ =). */
const ID = /^[A-Za-z0-9*~$=-]{1,64}$/;

export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(`${position.at.toISOString()}|${position.id}`, 'utf8').toString('base64url');
}

/** Returns null for anything that is not a cursor this service issued. */
export function decodeCursor(cursor: string): CursorPosition | null {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(cursor)) return null;
  const [at, id, ...rest] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (rest.length > 0 || !at || !id || !ID.test(id)) return null;
  const date = new Date(at);
  if (Number.isNaN(date.getTime()) || date.toISOString() !== at) return null;
  return { at: date, id };
}
