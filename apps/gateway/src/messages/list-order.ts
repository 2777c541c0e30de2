import type { CursorPosition } from '@liaison/common';

/** One column of a list's order: its SQL, the type a cursor's value for it is cast back to, and its direction. */
export interface OrderColumn {
  sql: string;
  cast: string;
  descending: boolean;
}

/**
 * The order of a list paginated by keyset: an optional leading sort key (a priority's rank, a name, a deadline),
 * then a timestamp, then the id that makes every position unique. The row's leading key is selected as
 * `sort_key` (text), so the cursor carries exactly what the database compares.
 */
export class ListOrder {
  readonly columns: OrderColumn[];

  constructor(
    readonly key: Omit<OrderColumn, 'descending'> | null,
    keyDescending: boolean,
    time: string,
    timeDescending: boolean,
    id: string,
  ) {
    this.columns = [
      ...(key ? [{ ...key, descending: keyDescending }] : []),
      { sql: time, cast: 'timestamptz', descending: timeDescending },
      { sql: id, cast: 'uuid', descending: timeDescending },
    ];
  }

  /** The ORDER BY list. */
  get sql(): string {
    return this.columns.map((c) => `${c.sql} ${c.descending ? 'DESC' : 'ASC'}`).join(', ');
  }

  /** The leading key as text, to select as `sort_key` (NULL when the list has none). */
  get keySql(): string {
    return this.key ? `(${this.key.sql})::text` : 'NULL::text';
  }

  /** Whether a cursor was issued by a list in an order of this shape (with a leading key or without). */
  fits(position: CursorPosition): boolean {
    return (position.key !== undefined) === (this.key !== null);
  }

  /**
   * The condition for rows strictly after the position. Where every column runs one way this is a row
   * comparison an index can serve; where directions differ, one clause per column: equal on those before it,
   * past it on this one.
   */
  after(position: CursorPosition, bind: (value: unknown) => string): string {
    const values = [...(this.key ? [position.key] : []), position.at, position.id].map(
      (value, i) => `${bind(value)}::${this.columns[i].cast}`,
    );
    const descending = this.columns[0].descending;
    if (this.columns.every((c) => c.descending === descending))
      return `(${this.columns.map((c) => c.sql).join(', ')}) ${descending ? '<' : '>'} (${values.join(', ')})`;
    const clauses = this.columns.map((column, i) =>
      [
        ...this.columns.slice(0, i).map((c, j) => `${c.sql} = ${values[j]}`),
        `${column.sql} ${column.descending ? '<' : '>'} ${values[i]}`,
      ].join(' AND '),
    );
    return `(${clauses.map((clause) => `(${clause})`).join(' OR ')})`;
  }
}
