import {
  cubeRows,
  factColumn,
  grainTable,
  REPORT_CUBES,
  type CubeFacts,
  type CubeFactTypes,
  type CubeRow,
  type CubeRows,
  type ReportCube,
  type StoredGrain,
} from '@liaison/domain';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** One statement prepared before a transaction needs it. */
export interface PreparedStatement {
  sql: string;
  params: unknown[];
}

type Manager = Pick<EntityManager, 'query'>;
type ColumnType = 'text' | 'date' | 'smallint';

/** A cube's key columns in table order: the country, the period (`day` in rows), then its keys. */
function keyColumns(cube: ReportCube): readonly (readonly [column: string, field: string, type: ColumnType])[] {
  return [
    ['country', 'country', 'text'],
    ['period', 'day', 'date'],
    ...cube.keys.map((field) => [factColumn(field), field, field === 'bucket' ? 'smallint' : 'text'] as const),
  ];
}

/** `$1::text[], $2::date[], ...`: one array parameter per column. */
const arrays = (types: readonly string[], from = 1) => types.map((type, i) => `$${i + from}::${type}[]`).join(', ');

/**
 * The tracker's writes to the cubes (see `cube-catalogue.ts`): each batch's facts summed into every cube and
 * grain (`cubeRows`) and added with one upsert per table, whatever the number of rows; and the percentile buckets
 * of request-count rows, kept from their answers per bucket.
 */
@Injectable()
export class ReportCubeRepository {
  /** Every table the cubes are kept in, one per cube and grain. */
  static readonly TABLES: readonly string[] = REPORT_CUBES.flatMap((cube) =>
    cube.grains.map((grain) => grainTable(cube.table, grain)),
  );

  /**
   * The upserts that add summed rows (counts may be negative: a change), in the order given: concurrent writers
   * lock aggregate rows in one order. A request-count row added to is marked stale (`percentiles_stale`), and its
   * percentile buckets are recomputed shortly after, once however many batches touched it.
   */
  prepare(written: readonly CubeRows[]): PreparedStatement[] {
    return written.map(({ cube, grain, rows }) => {
      const keys = keyColumns(cube);
      const columns = [...keys, ...cube.counts.map((field) => [factColumn(field), field, 'bigint'] as const)];
      const sets = [
        ...cube.counts.map((field) => `${factColumn(field)} = t.${factColumn(field)} + EXCLUDED.${factColumn(field)}`),
        ...(cube.answers !== undefined ? ['percentiles_stale = true'] : []),
      ];
      return {
        sql: `INSERT INTO ${grainTable(cube.table, grain)} AS t (${columns.map(([column]) => column).join(', ')})
           SELECT * FROM unnest(${arrays(columns.map(([, , type]) => type))})
           ON CONFLICT (${keys.map(([column]) => column).join(', ')}) DO UPDATE SET ${sets.join(', ')}`,
        params: columns.map(([, field]) => rows.map((row) => row[field])),
      };
    });
  }

  /**
   * Runs statements prepared beforehand. Aggregate rows are shared by every batch of a period, so a transaction
   * adds to them last and computes nothing in between: the rows stay locked for as short a time as possible.
   */
  async run(manager: Manager, statements: readonly PreparedStatement[]): Promise<void> {
    for (const { sql, params } of statements) await manager.query(sql, params);
  }

  /** Adds facts to cubes at every grain each is kept at, or at those given. */
  async add<K extends CubeFacts>(
    manager: Manager,
    cubes: readonly ReportCube<K>[],
    facts: readonly CubeFactTypes[K][],
    grains?: readonly StoredGrain[],
  ): Promise<void> {
    await this.run(manager, this.prepare(cubeRows(cubes, facts, grains)));
  }

  /**
   * Up to `limit` request-count rows of a cube and grain marked stale, by their keys, locked (skipping rows a batch
   * is writing: they are stale again when it commits).
   */
  staleRows(manager: Manager, cube: ReportCube<'requests'>, grain: StoredGrain, limit: number): Promise<CubeRow[]> {
    const keys = keyColumns(cube);
    const selected = keys.map(([column, field, type]) => `${column}::${type === 'date' ? 'text' : type} AS "${field}"`);
    return manager.query(
      `SELECT ${selected.join(', ')} FROM ${grainTable(cube.table, grain)} WHERE percentiles_stale
        ORDER BY ${keys.map(([column]) => column).join(', ')} LIMIT ${Number(limit)} FOR UPDATE SKIP LOCKED`,
    );
  }

  /**
   * The answers per time bucket of request-count rows, each row given by its keys: its keys as fields (`day` for
   * the period) with `bucket` and `answers` (a double: a number, exact to 2^53). The keys arrive as arrays, so
   * that the answers are read through their primary key, row by row.
   */
  answersOf(
    manager: Manager,
    cube: ReportCube<'requests'>,
    grain: StoredGrain,
    rows: readonly CubeRow[],
  ): Promise<(CubeRow & { bucket: number; answers: number })[]> {
    const keys = keyColumns(cube);
    const list = keys.map(([column]) => column).join(', ');
    const fields = keys.map(([column, field, type]) => `a.${column}${type === 'date' ? '::text' : ''} AS "${field}"`);
    return manager.query(
      `SELECT ${fields.join(', ')}, a.bucket, a.answers::float8 AS answers
         FROM unnest(${arrays(keys.map(([, , type]) => type))}) AS k(${list})
         JOIN ${grainTable(cube.answers!, grain)} a USING (${list})
        WHERE a.answers > 0`,
      keys.map(([, field]) => rows.map((row) => row[field])),
    );
  }

  /** Sets the median and 80th-percentile buckets of request-count rows (null without answers) and marks them fresh. */
  async setPercentiles(
    manager: Manager,
    cube: ReportCube<'requests'>,
    grain: StoredGrain,
    cells: readonly { row: CubeRow; median: number | null; p80: number | null }[],
  ): Promise<void> {
    const keys = keyColumns(cube);
    const columns = keys.map(([column]) => column);
    await manager.query(
      `UPDATE ${grainTable(cube.table, grain)} c SET median_bucket = u.median, p80_bucket = u.p80, percentiles_stale = false
         FROM unnest(${arrays([...keys.map(([, , type]) => type), 'smallint', 'smallint'])}) AS u(${columns.join(', ')}, median, p80)
        WHERE ${columns.map((c) => `c.${c} = u.${c}`).join(' AND ')}`,
      [
        ...keys.map(([, field]) => cells.map(({ row }) => row[field])),
        cells.map((cell) => cell.median),
        cells.map((cell) => cell.p80),
      ],
    );
  }
}
