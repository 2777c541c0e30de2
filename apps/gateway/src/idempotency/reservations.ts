import { AsyncLocalStorage } from 'node:async_hooks';

const current = new AsyncLocalStorage<Map<string, string>>();

/**
 * Values a request made up (a message's id, its case reference, its time) that must come out the same when the
 * request is retried with its Idempotency-Key after the broker left it unacknowledged: the first attempt may
 * have landed after all, and the retry then publishes the same message, which the router takes once, rather
 * than a second one.
 */
export const Reservations = {
  /** Runs a request with the values an earlier attempt reserved (none on a first attempt). */
  run<T>(reserved: Record<string, string>, work: () => Promise<T>): Promise<T> {
    return current.run(new Map(Object.entries(reserved)), work);
  },

  /** The value reserved under `name`, or `make()`'s, reserved for a retry. Outside a keyed request, `make()`'s. */
  take(name: string, make: () => string): string {
    const values = current.getStore();
    const value = values?.get(name) ?? make();
    values?.set(name, value);
    return value;
  },

  /** What the running request has reserved so far. */
  taken(): Record<string, string> {
    return Object.fromEntries(current.getStore() ?? []);
  },
};
