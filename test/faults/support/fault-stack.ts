import { waitFor } from '@liaison/testing';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..', '..');
export type ServiceName = 'gateway' | 'router' | 'matcher' | 'notifier' | 'tracker';
export const WORKERS: ServiceName[] = ['router', 'matcher', 'notifier', 'tracker'];
const LOGS = join(ROOT, 'test-results', 'faults');

/** A free TCP port on this machine. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export { isolatedEnvironment } from '../../support/isolated-environment';

let built = false;

/** Builds the services once per test process (`dist/`), as `npm run build` does, for them to run as processes. */
export function buildOnce(): void {
  if (built) return;
  execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'inherit' });
  execFileSync('npx', ['tsc-alias', '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'inherit' });
  if (!existsSync(join(ROOT, 'dist/libs/persistence/data')))
    execFileSync('cp', ['-r', 'libs/persistence/data', 'dist/libs/persistence/'], { cwd: ROOT });
  built = true;
}

interface Instance {
  name: ServiceName;
  instance: number;
  port: number;
  child?: ChildProcess;
}

/**
 * Liaison's services as separate processes, the way they run in production, so that a test can kill one with
 * SIGKILL (or stop it with SIGTERM) and start it again. Each process logs to test-results/faults/.
 */
export class FaultStack {
  private readonly instances = new Map<string, Instance>();
  gatewayUrl = '';

  constructor(readonly env: NodeJS.ProcessEnv) {
    mkdirSync(LOGS, { recursive: true });
    // A test process that ends early (interrupted, timed out) takes its services with it.
    process.once('exit', () => {
      for (const entry of this.instances.values()) entry.child?.kill('SIGKILL');
    });
  }

  private id(name: ServiceName, instance: number): string {
    return `${name}-${instance}`;
  }

  /** Starts a service instance (a new one, or one stopped before, on the same port) and waits until it is ready. */
  async start(name: ServiceName, instance = 1): Promise<void> {
    const id = this.id(name, instance);
    let entry = this.instances.get(id);
    if (!entry) {
      entry = { name, instance, port: await freePort() };
      this.instances.set(id, entry);
    }
    const env = {
      ...this.env,
      INSTANCE_ID: id,
      ...(name === 'gateway' ? { PORT: String(entry.port) } : { METRICS_PORT: String(entry.port) }),
    };
    // Straight to a file: a process never waits for this one to read its output.
    const log = openSync(join(LOGS, `${id}.log`), 'a');
    const child = spawn(process.execPath, [join(ROOT, 'dist/apps', name, 'src/main.js')], {
      env,
      stdio: ['ignore', log, log],
    });
    closeSync(log);
    entry.child = child;
    if (name === 'gateway') this.gatewayUrl = `http://127.0.0.1:${entry.port}`;
    await this.waitReady(name, instance);
  }

  async waitReady(name: ServiceName, instance = 1, timeoutMs = 90_000): Promise<void> {
    const entry = this.instances.get(this.id(name, instance))!;
    await waitFor(
      async () => {
        if (entry.child?.exitCode !== null && entry.child?.exitCode !== undefined)
          throw new Error(`${name} ${instance} exited with ${entry.child.exitCode} (see test-results/faults)`);
        const response = await fetch(`http://127.0.0.1:${entry.port}/health/ready`).catch(() => undefined);
        return response?.status === 200;
      },
      { what: `${name} ${instance} ready`, timeoutMs, intervalMs: 250 },
    );
  }

  /** Every service's readiness, and the gateway's view that every consumer group is consuming. */
  async waitAllReady(timeoutMs = 120_000): Promise<void> {
    for (const entry of this.instances.values())
      if (entry.child) await this.waitReady(entry.name, entry.instance, timeoutMs);
    await waitFor(
      async () => (await fetch(`${this.gatewayUrl}/health/exchange`).catch(() => undefined))?.status === 200,
      {
        what: 'every consumer group consuming',
        timeoutMs,
      },
    );
  }

  /** Sends the signal and waits for the process to end; SIGTERM is given 30 s to finish what is in flight. */
  async stop(name: ServiceName, instance = 1, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const entry = this.instances.get(this.id(name, instance));
    const child = entry?.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    await exited;
    clearTimeout(timer);
    entry.child = undefined;
  }

  /** The address of a worker's operations port (metrics, health). */
  operationsUrl(name: ServiceName, instance = 1): string {
    return `http://127.0.0.1:${this.instances.get(this.id(name, instance))!.port}`;
  }

  running(): { name: ServiceName; instance: number }[] {
    return [...this.instances.values()].filter((e) => e.child).map(({ name, instance }) => ({ name, instance }));
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.instances.values()].map((e) => this.stop(e.name, e.instance, 'SIGTERM')));
  }
}
