import { SharedReads } from './shared-reads';

describe('SharedReads', () => {
  it('computes once for everyone asking within the window, even while computing, then again after it', async () => {
    const reads = new SharedReads<number>(500);
    let computed = 0;
    const compute = async () => (computed += 1);
    const [a, b] = await Promise.all([reads.read('RO-ENU|', compute, 1_000), reads.read('RO-ENU|', compute, 1_100)]);
    expect([a, b, computed]).toEqual([1, 1, 1]);
    expect(await reads.read('RO-ENU|', compute, 1_499)).toBe(1);
    expect(await reads.read('RO-ENU|', compute, 1_500)).toBe(2);
  });

  it('keeps each key apart (an agency never sees another agency’s answer)', async () => {
    const reads = new SharedReads<string>(500);
    expect(await reads.read('RO-ENU|', async () => 'ro', 0)).toBe('ro');
    expect(await reads.read('BG-ENU|', async () => 'bg', 0)).toBe('bg');
    expect(await reads.read('RO-ENU|', async () => 'wrong', 1)).toBe('ro');
  });

  it('does not keep a failure: the next request computes again', async () => {
    const reads = new SharedReads<number>(500);
    await expect(reads.read('k', () => Promise.reject(new Error('database away')), 0)).rejects.toThrow('away');
    expect(await reads.read('k', async () => 7, 1)).toBe(7);
  });

  it('with a window of 0 computes for every request', async () => {
    const reads = new SharedReads<number>(0);
    let computed = 0;
    await reads.read('k', async () => (computed += 1), 0);
    await reads.read('k', async () => (computed += 1), 0);
    expect(computed).toBe(2);
  });

  it('forgets the oldest keys past its bound', async () => {
    const reads = new SharedReads<string>(10_000, 2);
    await reads.read('a', async () => 'a1', 0);
    await reads.read('b', async () => 'b1', 0);
    await reads.read('c', async () => 'c1', 0);
    expect(await reads.read('a', async () => 'a2', 1)).toBe('a2');
    expect(await reads.read('c', async () => 'c2', 1)).toBe('c1');
  });
});
