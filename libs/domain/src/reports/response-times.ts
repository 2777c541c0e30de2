/**
 * Times to answer, kept as counts per bucket so that medians and percentiles over any partners and periods come
 * from summing pre-aggregated rows, never from the answers themselves. Buckets grow by 10% from one minute up
 * (about 120 of them reach a year), and a percentile is read as the geometric middle of its bucket, so it is
 * within 5% of the exact one, from minutes to months.
 */

/** Each bucket is this much wider than the one before. */
const GROWTH = 1.1;
const LOG_GROWTH = Math.log(GROWTH);

/** The bucket of a time to answer in seconds: 0 for under a minute, then 10% steps. */
export function responseBucket(seconds: number): number {
  const minutes = Math.max(0, seconds) / 60;
  if (minutes < 1) return 0;
  return 1 + Math.floor(Math.log(minutes) / LOG_GROWTH + 1e-9);
}

/** The times (seconds) a bucket holds: from `from` up to, not including, `to`. */
export function bucketBounds(bucket: number): { from: number; to: number } {
  if (bucket === 0) return { from: 0, to: 60 };
  return { from: 60 * GROWTH ** (bucket - 1), to: 60 * GROWTH ** bucket };
}

/**
 * The bucket the p-th percentile (0 < p < 1: 0.5 the median, 0.8 the 80th) of the times counted in a histogram
 * (bucket -> count) falls in; null when nothing was counted. The rank is the nearest-rank one: the smallest time
 * with at least p of all times at or below it.
 */
export function percentileBucket(histogram: ReadonlyMap<number, number>, p: number): number | null {
  if (!(p > 0 && p < 1)) throw new RangeError('p must be between 0 and 1');
  const buckets = [...histogram].filter(([, count]) => count > 0).sort(([a], [b]) => a - b);
  const total = buckets.reduce((sum, [, count]) => sum + count, 0);
  if (total === 0) return null;
  // In whole hundredths, so that the rank is exact (as the database's numeric arithmetic computes it).
  const rank = Math.ceil((Math.round(p * 100) * total) / 100);
  let seen = 0;
  for (const [bucket, count] of buckets) {
    seen += count;
    if (seen >= rank) return bucket;
  }
  return null;
}

/**
 * Answers per time bucket of many cells (report cells, or stored rows), by a key of the caller's, and each cell's
 * median and 80th-percentile buckets (null for a cell with no answers).
 */
export class CellHistograms {
  private readonly cells = new Map<string, Map<number, number>>();

  /** Adds answers in a bucket to a cell. */
  add(cell: string, bucket: number, answers: number): void {
    const histogram = this.cells.get(cell) ?? this.cells.set(cell, new Map()).get(cell)!;
    histogram.set(bucket, (histogram.get(bucket) ?? 0) + answers);
  }

  percentiles(cell: string): { median: number | null; p80: number | null } {
    const histogram = this.cells.get(cell);
    return histogram
      ? { median: percentileBucket(histogram, 0.5), p80: percentileBucket(histogram, 0.8) }
      : { median: null, p80: null };
  }
}

/** The time (seconds) a bucket stands for: its geometric middle (30 s for the first, under a minute). */
export function bucketSeconds(bucket: number): number {
  if (bucket === 0) return 30;
  const { from, to } = bucketBounds(bucket);
  return Math.sqrt(from * to);
}

/** The p-th percentile of the times counted in a histogram, in seconds (see `percentileBucket`). */
export function histogramPercentile(histogram: ReadonlyMap<number, number>, p: number): number | null {
  const bucket = percentileBucket(histogram, p);
  return bucket === null ? null : bucketSeconds(bucket);
}
