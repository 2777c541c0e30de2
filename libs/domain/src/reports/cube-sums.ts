import { ALL_COUNTRIES } from './cube-choice';
import { REPORT_CUBES, type CubeFacts, type CubeFactTypes, type ReportCube } from './cube-catalogue';
import { grainStart, type StoredGrain } from './report-facts';

/** A fact, or a row of a cube summed from facts: its period's first day (`day`), the country and the other fields. */
export type CubeRow = { day: string; country: string } & Record<string, string | number>;

/** The rows a batch of facts adds to one cube at one grain. */
export interface CubeRows {
  cube: ReportCube;
  grain: StoredGrain;
  rows: CubeRow[];
}

/** The stored grains, and the finer grains each is a whole number of, finest first. */
const FINER: Record<StoredGrain, readonly StoredGrain[]> = {
  day: [],
  month: ['day'],
  quarter: ['month', 'day'],
  year: ['quarter', 'month', 'day'],
};

/**
 * Rows summed per row of a cube at a grain, sorted by key so that concurrent writers lock rows in one order.
 * Every country's sum is added when `allCountries` (rows summed from rows that hold it already must not add
 * it twice). One pass, building each row's key as a string: the tracker sums every batch into every cube and
 * grain, so this is its busiest loop, and it is kept to as few rows as possible by summing each grain from the
 * next finer one, and small cubes from larger ones (see `cubeRows`).
 */
function sumRows(cube: ReportCube, source: readonly CubeRow[], grain: StoredGrain, allCountries: boolean): CubeRow[] {
  const keys = cube.keys as readonly string[];
  const counts = cube.counts;
  const sums = new Map<string, CubeRow>();
  const periods = new Map<string, string>();
  const add = (country: string, period: string, fact: CubeRow) => {
    let key = `${country}\u0000${period}`;
    for (const field of keys) key += `\u0000${fact[field]}`;
    let row = sums.get(key);
    if (!row) {
      row = { day: period, country } as CubeRow;
      for (const field of keys) row[field] = fact[field];
      for (const field of counts) row[field] = 0;
      sums.set(key, row);
    }
    for (const field of counts) (row[field] as number) += fact[field] as number;
  };
  for (const fact of source) {
    let period = periods.get(fact.day);
    if (period === undefined) periods.set(fact.day, (period = grainStart(fact.day, grain)));
    add(fact.country, period, fact);
    if (allCountries) add(ALL_COUNTRIES, period, fact);
  }
  return [...sums].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, row]) => row);
}

/**
 * What facts add (counts may be negative: a change) to cubes at every grain each is kept at, or at those given:
 * each grain summed from the next finer one kept, a cube from the larger one it is summed from (`summedFrom`),
 * and only the rest from the facts themselves. In the order of the cubes and grains, so that concurrent writers
 * lock aggregate rows in one order; rows that add nothing are left out, and so are cubes and grains without rows.
 */
export function cubeRows<K extends CubeFacts>(
  cubes: readonly ReportCube<K>[],
  facts: readonly CubeFactTypes[K][],
  grains?: readonly StoredGrain[],
): CubeRows[] {
  if (facts.length === 0) return [];
  const summed = new Map<string, CubeRow[]>();
  const rowsOf = (cube: ReportCube, grain: StoredGrain): CubeRow[] => {
    const id = `${cube.table}\u0000${grain}`;
    const done = summed.get(id);
    if (done) return done;
    const finer = FINER[grain].find((g) => cube.grains.includes(g));
    const larger = cube.summedFrom === undefined ? undefined : REPORT_CUBES.find((c) => c.table === cube.summedFrom);
    const fromLarger = larger && [grain, ...FINER[grain]].find((g) => larger.grains.includes(g));
    const rows =
      finer !== undefined
        ? sumRows(cube, rowsOf(cube, finer), grain, false)
        : larger && fromLarger !== undefined
          ? sumRows(cube, rowsOf(larger, fromLarger), grain, false)
          : sumRows(cube, facts as unknown as CubeRow[], grain, cube.allCountries);
    summed.set(id, rows);
    return rows;
  };
  const written: CubeRows[] = [];
  for (const cube of cubes as readonly ReportCube[])
    for (const grain of (grains ?? cube.grains).filter((g) => cube.grains.includes(g))) {
      const counts = cube.counts;
      const rows = rowsOf(cube, grain).filter((row) => counts.some((field) => row[field] !== 0));
      if (rows.length > 0) written.push({ cube, grain, rows });
    }
  return written;
}
