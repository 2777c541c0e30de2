import { mapLazily, roundTo } from './numbers';

describe('numbers', () => {
  it('rounds to a number of decimal places', () => {
    expect(roundTo(12.345, 1)).toBe(12.3);
    expect(roundTo(0.6666, 3)).toBe(0.667);
    expect(roundTo(7, 2)).toBe(7);
  });

  it('maps lazily: an item is mapped only when it is read', () => {
    const seen: number[] = [];
    const mapped = mapLazily([1, 2, 3], (n) => {
      seen.push(n);
      return n * 10;
    });
    expect(seen).toEqual([]);
    expect(mapped.next().value).toBe(10);
    expect(seen).toEqual([1]);
    expect([...mapped]).toEqual([20, 30]);
  });
});
