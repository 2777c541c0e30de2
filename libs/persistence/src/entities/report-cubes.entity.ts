import { factColumn, grainTable, REPORT_CUBES, type ReportCube, type StoredGrain } from '@liaison/domain';
import { EntitySchema, type EntitySchemaColumnOptions } from 'typeorm';

/**
 * The tracker's aggregate tables, one per cube of the catalogue (`REPORT_CUBES`) and grain it is kept at, derived
 * from the cube's declaration: reports sum these rows and never read messages, cases or matches. Aggregates are
 * kept per day, month, quarter or year (a table per grain), so that a report over five years sums five rows per
 * combination instead of 1,826. Every table starts its key with the country the figures are seen from (`*` for
 * every country's sum) and the period's first day, so that a national programme lead's report reads only its own
 * country's rows. Key columns compare bytewise (collation C): they hold codes, never prose; counts are bigint.
 */
function cubeEntity(cube: ReportCube, grain: StoredGrain): EntitySchema {
  const key = (type: 'text' | 'date' | 'smallint', name: string): EntitySchemaColumnOptions => ({
    type,
    name,
    primary: true,
    ...(type === 'text' ? { collation: 'C' } : {}),
  });
  const columns: Record<string, EntitySchemaColumnOptions> = {
    country: key('text', 'country'),
    period: key('date', 'period'),
  };
  for (const field of cube.keys) columns[field] = key(field === 'bucket' ? 'smallint' : 'text', factColumn(field));
  for (const field of cube.counts) columns[field] = { type: 'bigint', name: factColumn(field) };
  const percentiles = cube.answers !== undefined;
  if (percentiles) {
    // The buckets (`responseBucket`) of the row's median and 80th-percentile time to answer, null while nothing
    // is answered, kept from its answers per bucket so that a report showing the row as it is reads none; stale
    // when answers were added since, until the tracker recomputes them shortly after.
    columns.medianBucket = { type: 'smallint', name: 'median_bucket', nullable: true };
    columns.p80Bucket = { type: 'smallint', name: 'p80_bucket', nullable: true };
    columns.percentilesStale = { type: 'boolean', name: 'percentiles_stale', default: true };
  }
  return new EntitySchema({
    name: grainTable(cube.table, grain),
    tableName: grainTable(cube.table, grain),
    columns,
    indices: percentiles ? [{ columns: ['country', 'period'], where: 'percentiles_stale' }] : [],
  });
}

export const REPORT_CUBE_ENTITIES: readonly EntitySchema[] = REPORT_CUBES.flatMap((cube) =>
  cube.grains.map((grain) => cubeEntity(cube, grain)),
);
