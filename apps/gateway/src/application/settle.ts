/** How long a request waits for a consumer to apply the event it published, so that the answer reflects it. */
export const SETTLE_MS = 5_000;

/**
 * Reads until `done` holds or the wait runs out, and returns the last reading either way: the change is
 * accepted (the broker has it) and applies shortly even when the consumer is slower than the wait.
 */
export async function settle<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = SETTLE_MS,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
