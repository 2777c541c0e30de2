import { decodeCursor, encodeCursor, type CursorPosition } from '@liaison/common';
import { ApplicationError } from './application-error';

/** The position a `cursor` query parameter names, or null for the first page; 400 for a forged cursor. */
export function cursorOf(query: { cursor?: string }): CursorPosition | null {
  if (query.cursor === undefined) return null;
  const position = decodeCursor(query.cursor);
  if (!position) throw ApplicationError.field('cursor', 'is not a cursor from a previous page');
  return position;
}

/** One page of a newest-first list, from `limit + 1` rows: the extra row says whether a next page exists. */
export function page<R, V>(
  rows: R[],
  limit: number,
  view: (row: R) => V,
  position: (row: R) => CursorPosition,
): { items: V[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return {
    items: items.map(view),
    nextCursor: rows.length > limit && last !== undefined ? encodeCursor(position(last)) : null,
  };
}
