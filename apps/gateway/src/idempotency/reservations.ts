import { AsyncLocalStorage } from 'node:async_hooks';

interface Reserved {
  values: Map<string, string>;
  /** Writes the values beside the request's key, before anything leaves the gateway. */
  keep: (values: Record<string, string>) => Promise<void>;
}

const current = new AsyncLocalStorage<Reserved>();

/**
 * Values a request made up (a message's id, its case reference, its time) that must come out the same when the
 * request is retried with its Idempotency-Key after the broker left it unacknowledged: the first attempt may
 * have landed after all, and the retry then publishes the same message, which the router takes once, rather
 * than a second one. A request that dies half way (its gateway killed) is taken over after a while by its retry,
 * which then finds the values it kept before publishing.
 */
export const Reservations = {
  /** Runs a request with the values an earlier attempt reserved (none on a first attempt). */
  run<T>(
    reserved: Record<string, string>,
    keep: (values: Record<string, string>) => Promise<void>,
    work: () => Promise<T>,
  ): Promise<T> {
    return current.run({ values: new Map(Object.entries(reserved)), keep }, work);
  },

  /** The value reserved under `name`, or `make()`'s, reserved for a retry. Outside a keyed request, `make()`'s. */
  take(name: string, make: () => string): string {
    const values = current.getStore()?.values;
    const value = values?.get(name) ?? make();
    values?.set(name, value);
    return value;
  },

  /** Keeps what the request reserved where its retry will find it; call it before publishing. */
  async keep(): Promise<void> {
    const store = current.getStore();
    if (store && store.values.size > 0) await store.keep(Object.fromEntries(store.values));
  },

  /** What the running request has reserved so far. */
  taken(): Record<string, string> {
    return Object.fromEntries(current.getStore()?.values ?? []);
  },
};
