import type { DataSource, EntityManager } from 'typeorm';
import { TrackerStore } from './tracker.store';

/** A data source whose transactions run one after another, recording the batches each applied. */
function fakeDataSource() {
  const transactions: string[][] = [];
  let release: (() => void) | null = null;
  let holdNext = false;
  const dataSource = {
    async transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
      const applied: string[] = [];
      const manager = {
        query: (_sql: string, params: unknown[]) => {
          const ids = params[1] as string[];
          applied.push(ids.join(','));
          return Promise.resolve(ids.map((event_id) => ({ event_id })));
        },
      } as unknown as EntityManager;
      if (holdNext) {
        holdNext = false;
        await new Promise<void>((resolve) => (release = resolve));
      }
      const result = await work(manager);
      transactions.push(applied);
      return result;
    },
  } as unknown as DataSource;
  return { dataSource, transactions, hold: () => (holdNext = true), release: () => release?.() };
}

describe('TrackerStore', () => {
  it('applies the batches that arrive while a transaction runs together, in the next one', async () => {
    const { dataSource, transactions, hold, release } = fakeDataSource();
    const store = new TrackerStore(dataSource);
    const work = jest.fn(() => Promise.resolve());
    hold();
    const first = store.once(['a'], work);
    const second = store.once(['b', 'c'], work);
    const third = store.once(['d'], work);
    await new Promise((resolve) => setImmediate(resolve));
    release();
    await expect(Promise.all([first, second, third])).resolves.toEqual([1, 2, 1]);
    expect(transactions).toEqual([['a'], ['b,c', 'd']]);
    expect(work).toHaveBeenCalledTimes(3);
  });

  it('applies each batch of a failed transaction alone, so that only the failing one fails', async () => {
    const { dataSource, transactions, hold, release } = fakeDataSource();
    const store = new TrackerStore(dataSource);
    hold();
    const first = store.once(['a'], () => Promise.resolve());
    const good = store.once(['b'], () => Promise.resolve());
    const bad = store.once(['c'], () => Promise.reject(new Error('check constraint violated')));
    const after = store.once(['d'], () => Promise.resolve());
    await new Promise((resolve) => setImmediate(resolve));
    release();
    await expect(first).resolves.toBe(1);
    await expect(good).resolves.toBe(1);
    await expect(bad).rejects.toThrow('check constraint violated');
    await expect(after).resolves.toBe(1);
    // The group of three failed as a whole (not recorded); then each alone: the good ones committed.
    expect(transactions).toEqual([['a'], ['b'], ['d']]);
  });

  it('fails a batch applied alone once, without applying it again', async () => {
    const { dataSource } = fakeDataSource();
    const store = new TrackerStore(dataSource);
    const work = jest.fn(() => Promise.reject(new Error('deadlock detected')));
    await expect(store.once(['a'], work)).rejects.toThrow('deadlock detected');
    expect(work).toHaveBeenCalledTimes(1);
  });
});
