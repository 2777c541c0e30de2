import { Injectable } from '@nestjs/common';
import { Query, type PoolClient, type QueryArrayConfig } from 'pg';
import { DataSource, type QueryRunner } from 'typeorm';

const REPORT_WORK_MEM = '64MB';

/** How report queries run: read-only sums of the tracker's facts, with room to aggregate in memory. */
@Injectable()
export class ReportDatabase {
  constructor(readonly dataSource: DataSource) {}

  /**
   * Runs report queries in one transaction with room to aggregate in memory: a five-year breakdown groups
   * hundreds of thousands of rows, which the default 4 MB of work memory would spill to disk.
   */
  private async inReportTransaction<T>(run: (runner: QueryRunner) => Promise<T>): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    try {
      await runner.startTransaction();
      await runner.query(`SET LOCAL work_mem = '${REPORT_WORK_MEM}'`);
      const result = await run(runner);
      await runner.commitTransaction();
      return result;
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      throw error;
    } finally {
      await runner.release();
    }
  }

  /** A report query's rows, each as an object of its columns. */
  read(sql: string, params: unknown[]): Promise<Record<string, unknown>[]> {
    return this.inReportTransaction((runner) => runner.query(sql, params));
  }

  /**
   * Runs a report query, handing each row to `take` as it arrives (its columns in order) and keeping none: a
   * five-year export of every agency reads tens of thousands of rows, which then never pile up beside the
   * report made from them. The rows are all read before the report is written, so a failed read is still an
   * error answer.
   */
  eachRow(sql: string, params: unknown[], take: (row: unknown[]) => void): Promise<void> {
    return this.inReportTransaction(async (runner) => {
      const client = (await runner.connect()) as PoolClient;
      await new Promise<void>((resolve, reject) => {
        let failed: Error | undefined;
        const config: QueryArrayConfig = { text: sql, values: params, rowMode: 'array' };
        const query = client.query(new Query<unknown[]>(config));
        query.on('row', (row: unknown[]) => {
          try {
            if (failed === undefined) take(row);
          } catch (error) {
            failed = error instanceof Error ? error : new Error('a report row could not be read');
          }
        });
        query.on('error', reject);
        query.on('end', () => (failed === undefined ? resolve() : reject(failed)));
      });
    });
  }
}
