import { timeOrderedId } from './time-ordered-id';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('timeOrderedId', () => {
  it('is a version 7 UUID carrying its millisecond time in the first 48 bits', () => {
    const at = Date.UTC(2026, 10, 23, 9, 30, 0, 123);
    const id = timeOrderedId(at);
    expect(id).toMatch(UUID_V7);
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(at);
  });

  it('sorts by time, as text and as PostgreSQL compares uuids', () => {
    const ids = [3, 1, 2].map((s) => timeOrderedId(Date.UTC(2026, 0, 1) + s * 1000));
    expect([...ids].sort()).toEqual([ids[1], ids[2], ids[0]]);
  });

  it('never repeats within one millisecond, across the refills of its random pool', () => {
    const at = Date.now();
    const ids = Array.from({ length: 2000 }, () => timeOrderedId(at));
    expect(new Set(ids).size).toBe(2000);
    for (const id of ids) expect(id).toMatch(UUID_V7);
  });
});
