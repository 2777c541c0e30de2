import { generateApiKey } from '@liaison/domain';
import { waitFor, type ApiClient } from '@liaison/testing';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where a bench's services run: its own database, broker namespace and gateway port. */
export interface BenchPlace {
  databaseUrl: string;
  brokers: string;
  namespace: string;
  port: string;
  /** With the default rate limits (bench:abuse); otherwise they are out of the way. */
  rateLimited?: boolean;
}

/**
 * The master keys of this bench process and every service it starts (MASTER_KEYS, or one made for the run and
 * put in this process's environment), so that what the bench seeds directly the services can read.
 */
export function benchMasterKeys(): string {
  process.env.MASTER_KEYS ??= `bench:${randomBytes(32).toString('base64')}`;
  return process.env.MASTER_KEYS;
}

/**
 * The environment of the services a bench starts, and the admin key it registers: the bench's database,
 * namespace and port, the run's own audit seal key and checkpoint file, quiet logs, and rate limits out of the
 * way unless asked for (a bench drives one key far past what a client may).
 */
export function benchServiceEnvironment(place: BenchPlace): { env: NodeJS.ProcessEnv; adminKey: string } {
  const adminKey = generateApiKey();
  const unlimited: Record<string, string> = place.rateLimited
    ? {}
    : {
        RATE_LIMIT_KEY_READS: '1000000000',
        RATE_LIMIT_KEY_WRITES: '1000000000',
        RATE_LIMIT_AGENCY_READS: '1000000000',
        RATE_LIMIT_AGENCY_WRITES: '1000000000',
      };
  const env = {
    ...process.env,
    DATABASE_URL: place.databaseUrl,
    KAFKA_BROKERS: place.brokers,
    KAFKA_NAMESPACE: place.namespace,
    PORT: place.port,
    // Each worker's operations server on a free port, beside a stack that may be running.
    METRICS_PORT: '0',
    LIAISON_ADMIN_KEY: adminKey,
    LOG_LEVEL: 'warn',
    AUDIT_SEAL_KEY: randomBytes(32).toString('base64url'),
    IDENTITY_SECRET_KEY: randomBytes(32).toString('base64url'),
    MASTER_KEYS: benchMasterKeys(),
    AUDIT_CHECKPOINT_FILE: join(tmpdir(), `liaison-${place.namespace}audit-checkpoints.jsonl`),
    ...unlimited,
  };
  return { env, adminKey };
}

const root = join(__dirname, '..', '..', '..');

/** Starts built services as processes of their own; BENCH_NODE_ARGS (e.g. `--cpu-prof`) is passed to each node. */
export function startServiceProcesses(names: string[], env: NodeJS.ProcessEnv): ChildProcess[] {
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  return names.map((name) =>
    spawn(process.execPath, [...nodeArgs, join(root, 'dist/apps', name, 'src/main.js')], {
      env,
      stdio: ['ignore', 'ignore', 'inherit'],
    }),
  );
}

/** Stops them and waits until each has exited. */
export async function stopServiceProcesses(children: ChildProcess[]): Promise<void> {
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
        }),
    ),
  );
}

/** The part of loadtest's result the benches read (loadtest ships no type declarations). */
export interface LoadtestResult {
  totalRequests: number;
  totalErrors: number;
  effectiveRps: number;
  maxLatencyMs: number;
  percentiles: Record<'50' | '90' | '95' | '99', number>;
  errorCodes: Record<string, number>;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const { loadTest } = require('loadtest') as {
  loadTest: (options: Record<string, unknown>) => Promise<LoadtestResult>;
};

/**
 * Waits until the gateway reports these checks passing: its readiness (postgres, redis, kafka) and the services
 * behind it that are consuming (router, tracker, ...; a bench runs only some services).
 */
export async function waitUntilReady(api: ApiClient, checks: string[]): Promise<void> {
  await waitFor(
    async () => {
      const ready = await api.get<{ checks?: Record<string, { ok: boolean }> }>('/health/ready');
      const exchange = await api.get<{ services?: Record<string, { ok: boolean }> }>('/health/exchange');
      const passing = { ...ready.body.checks, ...exchange.body.services };
      return checks.every((check) => passing[check]?.ok === true);
    },
    { timeoutMs: 120_000, what: `the gateway's checks ${checks.join(', ')} to pass` },
  );
}
