import { seededRandom } from '@liaison/testing';
import {
  bucketBounds,
  bucketSeconds,
  CellHistograms,
  histogramPercentile,
  percentileBucket,
  responseBucket,
} from './response-times';

/** The exact nearest-rank percentile of a list of times. */
function exact(times: number[], p: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  return sorted[Math.ceil(p * sorted.length) - 1];
}

function histogramOf(times: number[]): Map<number, number> {
  const histogram = new Map<number, number>();
  for (const t of times) histogram.set(responseBucket(t), (histogram.get(responseBucket(t)) ?? 0) + 1);
  return histogram;
}

describe('response-time buckets', () => {
  it('puts every time in the bucket whose bounds hold it', () => {
    for (const seconds of [0, 59, 60, 61, 3_600, 8 * 3_600, 3 * 86_400, 7 * 86_400, 90 * 86_400, 123_456.7]) {
      const { from, to } = bucketBounds(responseBucket(seconds));
      expect(seconds).toBeGreaterThanOrEqual(from - 1e-6);
      expect(seconds).toBeLessThan(to);
    }
    expect(responseBucket(-5)).toBe(0);
    expect(responseBucket(7 * 86_400)).toBeLessThan(250);
  });

  it('gives medians and 80th percentiles within 5% of the exact ones, from minutes to weeks', () => {
    const random = seededRandom(42);
    for (const scale of [600, 8 * 3_600, 4 * 86_400]) {
      const times = Array.from({ length: 5_000 }, () => scale * Math.exp(random() * 2 - 1));
      const histogram = histogramOf(times);
      for (const p of [0.5, 0.8]) {
        const estimate = histogramPercentile(histogram, p)!;
        expect(Math.abs(estimate / exact(times, p) - 1)).toBeLessThan(0.05);
      }
    }
  });

  it('adds up: the histogram of two sets is the sum of theirs', () => {
    const a = [100, 5_000, 90_000];
    const b = [200, 7_000];
    const summed = histogramOf(a);
    for (const [bucket, count] of histogramOf(b)) summed.set(bucket, (summed.get(bucket) ?? 0) + count);
    expect(histogramPercentile(summed, 0.5)).toBe(histogramPercentile(histogramOf([...a, ...b]), 0.5));
  });

  it('takes the nearest rank exactly, as the database computes it for the percentiles it keeps', () => {
    // Five answers: the 80th percentile is the 4th, the median the 3rd.
    const histogram = new Map([
      [7, 2],
      [9, 1],
      [12, 1],
      [30, 1],
    ]);
    expect(percentileBucket(histogram, 0.8)).toBe(12);
    expect(percentileBucket(histogram, 0.5)).toBe(9);
    expect(percentileBucket(new Map([[3, 10]]), 0.8)).toBe(3);
    expect(histogramPercentile(histogram, 0.8)).toBe(bucketSeconds(12));
  });

  it('has no percentile for nothing counted, and only takes p between 0 and 1', () => {
    expect(histogramPercentile(new Map(), 0.5)).toBeNull();
    expect(histogramPercentile(new Map([[3, 0]]), 0.5)).toBeNull();
    expect(histogramPercentile(new Map([[0, 4]]), 0.8)).toBe(30);
    expect(() => histogramPercentile(new Map([[1, 1]]), 1)).toThrow(RangeError);
  });

  it("keeps each cell's answers apart, summing what is added to a bucket twice", () => {
    const cells = new CellHistograms();
    cells.add('GB|RO', 7, 2);
    cells.add('GB|RO', 12, 1);
    cells.add('GB|BG', 30, 1);
    cells.add('GB|RO', 12, 2);
    // GB|RO: 7,7,12,12,12 — the median is the 3rd, the 80th percentile the 4th.
    expect(cells.percentiles('GB|RO')).toEqual({ median: 12, p80: 12 });
    expect(cells.percentiles('GB|BG')).toEqual({ median: 30, p80: 30 });
    expect(cells.percentiles('GB|PL')).toEqual({ median: null, p80: null });
  });
});
