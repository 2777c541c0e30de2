/** How often a consumer tells its group it is alive. */
export const HEARTBEAT_INTERVAL_MS = 3_000;

/**
 * Runs `work` sending the group a heartbeat every interval meanwhile: a large batch's transaction may take longer
 * than the session, and the consumer stays in its group for it. A heartbeat that fails (a rebalance has begun)
 * is left to the checks between slices.
 */
export async function whileBeating<T>(heartbeat: () => Promise<void>, work: () => Promise<T>): Promise<T> {
  const timer = setInterval(() => void heartbeat().catch(() => undefined), HEARTBEAT_INTERVAL_MS);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}
