/**
 * The rows of an `UPDATE ... RETURNING` or `DELETE ... RETURNING` run through TypeORM's `query()`: on
 * PostgreSQL it answers those with `[rows, affectedCount]` rather than the rows (INSERT and SELECT answer
 * with the rows).
 */
export function returnedRows<T>(result: unknown): T[] {
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[0] as T[];
  return result as T[];
}
