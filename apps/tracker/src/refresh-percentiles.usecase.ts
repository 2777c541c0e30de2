import { CellHistograms, RESPONSE_CUBES, type CubeRow } from '@liaison/domain';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ReportCubeRepository } from './report-cube.repository';

/**
 * Recomputes the percentile buckets of up to `limit` stale rows of each request-count cube and grain, each set of
 * rows in a transaction of its own that first locks them and then reads their answers, so that what it reads
 * includes every batch that touched them. The percentiles are picked from the answers here (`CellHistograms`),
 * not in SQL: the locks are held for a read by primary key and an update, and batches adding to the same rows
 * wait as little as possible. Returns how many rows it refreshed.
 */
@Injectable()
export class RefreshPercentilesUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly cubes: ReportCubeRepository,
  ) {}

  async run(limit = 500): Promise<number> {
    let refreshed = 0;
    for (const cube of RESPONSE_CUBES)
      for (const grain of cube.grains)
        refreshed += await this.dataSource.transaction(async (manager) => {
          const stale = await this.cubes.staleRows(manager, cube, grain, limit);
          if (stale.length === 0) return 0;
          const rowKey = (row: CubeRow) =>
            [row.country, row.day, ...cube.keys.map((field) => row[field])].join('\u0000');
          const histograms = new CellHistograms();
          for (const row of await this.cubes.answersOf(manager, cube, grain, stale))
            histograms.add(rowKey(row), row.bucket, row.answers);
          await this.cubes.setPercentiles(
            manager,
            cube,
            grain,
            stale.map((row) => ({ row, ...histograms.percentiles(rowKey(row)) })),
          );
          return stale.length;
        });
    return refreshed;
  }
}
