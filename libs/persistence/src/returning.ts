/** Anything that runs raw SQL through TypeORM: a DataSource, an EntityManager or a QueryRunner. */
export interface SqlExecutor {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

/**
 * The rows of an `UPDATE ... RETURNING` or `DELETE ... RETURNING` run through TypeORM's `query()`: on
 * PostgreSQL it answers those with `[rows, affectedCount]` rather than the rows (INSERT and SELECT answer
 * with the rows).
 */
export function returnedRows<T>(result: unknown): T[] {
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number')
    return result[0] as T[];
  return result as T[];
}

/** Runs a statement with a RETURNING clause and gives its rows, whatever kind of statement it is. */
export async function queryReturning<T = unknown>(
  executor: SqlExecutor,
  sql: string,
  parameters: unknown[],
): Promise<T[]> {
  return returnedRows<T>(await executor.query(sql, parameters));
}
