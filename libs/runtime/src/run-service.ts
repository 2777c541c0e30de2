import { ConfigurationError } from '@liaison/config';

/**
 * Entry-point wrapper for every service process: a bad configuration prints every problem and exits 2;
 * any other start-up failure exits 1. Stopping on SIGINT/SIGTERM is left to Nest's shutdown hooks.
 */
export async function runService(service: string, start: () => Promise<unknown>): Promise<void> {
  try {
    await start();
  } catch (error) {
    if (error instanceof ConfigurationError) {
      console.error(`${service}: ${error.message}`);
      process.exit(2);
    }
    console.error(
      `${service}: failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    process.exit(1);
  }
}
