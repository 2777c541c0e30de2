import { createKafka, deleteNamespaceTopics, parseBrokers } from '@liaison/messaging';
import { createLogger } from '@liaison/observability';
import { ApiClient, waitFor } from '@liaison/testing';
import { spawn, spawnSync } from 'node:child_process';
import { setPriority } from 'node:os';
import { join } from 'node:path';
import {
  benchServiceEnvironment,
  loadTest,
  startServiceProcesses,
  stopServiceProcesses,
  waitUntilReady,
  type LoadtestResult,
} from './environment';
import { provision } from '../ops/provision';

/**
 * `npm run bench:abuse`: whether a flood from one agency slows another. The router, tracker and gateway run as
 * processes of their own with the default rate limits. Netherlands reads its inbox at an even 8 requests/s
 * (loadtest, open loop) for BENCH_SECONDS, first on a quiet gateway, then while Spain floods it from processes
 * of their own (autocannon, as fast as 32 connections go: half of them reading Spain's inbox, half submitting
 * messages; BENCH_FLOOD=reads or writes floods with one kind). BENCH_ROUNDS rounds of both; prints each
 * round's latencies and p99 ratio, and the median ratio (target: flooded within 2x of quiet; one round's p99
 * on this 2-core machine moves by half between runs, hence the rounds), and how much of the flood was refused.
 */

const root = join(__dirname, '..', '..', '..');
const run = Date.now().toString(36);
const namespace = `benchabuse.${run}.`;
const databaseUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/liaison_bench_abuse';
const brokers = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';
const port = process.env.BENCH_PORT ?? '3191';
const seconds = Number(process.env.BENCH_SECONDS ?? 30);
/** Netherlands' reads a second: a busy client, within its key's limit. */
const victimRate = 8;
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
/** The key limits Spain is held to (the gateway's defaults, or the same variables set for this run). */
const limits = {
  window: Number(process.env.RATE_LIMIT_WINDOW_SECONDS ?? 10),
  reads: Number(process.env.RATE_LIMIT_KEY_READS ?? 100),
  writes: Number(process.env.RATE_LIMIT_KEY_WRITES ?? 30),
};
const url = `http://127.0.0.1:${port}`;

/** What Spain floods with: reads and writes (the default), or one of them (to tell their effects apart). */
/** Long enough for every rate-limit window to start afresh. */
const freshWindowMs = (Number(process.env.RATE_LIMIT_WINDOW_SECONDS ?? 10) + 1) * 1000;

const floodKind = process.env.BENCH_FLOOD ?? 'both';

const SUBMISSION = JSON.stringify({
  type: 'request',
  recipients: ['PT-ENU'],
  subject: 'Flood',
  body: 'Flood. '.repeat(100),
});

/** Netherlands reading its inbox at an even rate; the latencies of its answers. */
function victim(key: string): Promise<LoadtestResult> {
  return loadTest({
    url: `${url}/v1/inbox?limit=25`,
    headers: { authorization: `Bearer ${key}` },
    requestsPerSecond: victimRate,
    maxSeconds: seconds,
    agentKeepAlive: true,
    quiet: true,
  });
}

interface FloodResult {
  requests: number;
  refused: number;
  accepted: number;
}

const NO_FLOOD: FloodResult = { requests: 0, refused: 0, accepted: 0 };

/** autocannon in a process of its own, so that the flood's client does not share the victim's. */
function flood(key: string, path: string, method: string, body?: string, ratePerSecond?: number): Promise<FloodResult> {
  const args = [
    join(root, 'node_modules/autocannon/autocannon.js'),
    '-j',
    '-c',
    '16',
    '-d',
    String(seconds),
    '-m',
    method,
    '-H',
    `authorization=Bearer ${key}`,
  ];
  if (ratePerSecond) args.push('--overallRate', String(ratePerSecond));
  if (body) args.push('-H', 'content-type=application/json', '-b', body);
  args.push(`${url}${path}`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'ignore'] });
    // The flood's clients stand in for machines of their own: at the lowest CPU priority, they do not take the
    // two cores here from the services, which no limit inside a service could prevent.
    if (child.pid !== undefined) setPriority(child.pid, 19);
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`autocannon exited with ${code}`));
      const result = JSON.parse(out) as {
        requests: { total: number };
        statusCodeStats?: Record<string, { count: number }>;
      };
      const stats = result.statusCodeStats ?? {};
      const count = (prefix: string) =>
        Object.entries(stats)
          .filter(([status]) => status.startsWith(prefix))
          .reduce((sum, [, s]) => sum + s.count, 0);
      resolve({ requests: result.requests.total, refused: stats['429']?.count ?? 0, accepted: count('2') });
    });
  });
}

/** A request made as a well-behaved client makes it: after a 429, again once Retry-After has passed. */
async function politely(send: () => Promise<{ status: number; headers: Headers }>): Promise<void> {
  for (;;) {
    const response = await send();
    if (response.status !== 429) return;
    await new Promise((resolve) => setTimeout(resolve, Number(response.headers.get('retry-after') ?? 1) * 1000));
  }
}

async function main(): Promise<void> {
  if (spawnSync(join(root, 'deploy/local/up.sh'), { stdio: 'inherit' }).status !== 0)
    throw new Error('infrastructure did not come up');
  await provision({ databaseUrl, kafkaBrokers: brokers, kafkaNamespace: namespace, fresh: true });
  const { env, adminKey } = benchServiceEnvironment({ databaseUrl, brokers, namespace, port, rateLimited: true });
  const services = startServiceProcesses(['router', 'tracker', 'gateway'], env);
  const kafka = createKafka(
    { brokers: parseBrokers(brokers), clientId: 'bench-abuse', namespace },
    createLogger({ service: 'bench', level: 'error', format: 'pretty' }),
  );
  try {
    const api = new ApiClient(url);
    await waitUntilReady(api, ['postgres', 'redis', 'kafka', 'router', 'tracker']);
    const issue = async (agency: string) =>
      (await api.as(adminKey).post<{ key: string }>('/v1/api-keys', { agency, role: 'officer', label: 'bench' })).body
        .key;
    const [netherlands, spain, sender] = [await issue('NL-ENU'), await issue('ES-ENU'), await issue('RO-ENU')];
    // Netherlands' inbox holds a page of messages, as a working inbox does.
    const romania = api.as(sender);
    for (let i = 0; i < 25; i += 1)
      await politely(() =>
        romania.post('/v1/messages', {
          recipients: ['NL-ENU', 'ES-ENU'],
          subject: `Check ${i}`,
          body: 'Please check.',
        }),
      );
    await waitFor(
      async () =>
        ((await api.as(netherlands).get<{ items: unknown[] }>('/v1/inbox?limit=25')).body.items?.length ?? 0) === 25,
      { what: 'the inbox filled' },
    );
    await victim(netherlands); // warm-up: JIT, pools, connections
    await new Promise((resolve) => setTimeout(resolve, freshWindowMs)); // a fresh rate-limit window

    const line = (result: LoadtestResult) =>
      `p50 ${result.percentiles['50']} ms, p90 ${result.percentiles['90']} ms, p99 ${result.percentiles['99']} ms, max ${result.maxLatencyMs} ms`;
    const ratios: number[] = [];
    console.log('');
    console.log(
      `Netherlands at ${victimRate} reads/s, ${seconds} s quiet then ${seconds} s flooded, ${rounds} rounds; default limits; flood: ${floodKind}`,
    );
    for (let round = 1; round <= rounds; round += 1) {
      const quiet = await victim(netherlands);
      await new Promise((resolve) => setTimeout(resolve, freshWindowMs));
      // Spain just under its limits, as a busy but well-behaved client: what the limits themselves let it cost.
      const [atLimits] = await Promise.all([
        victim(netherlands),
        floodKind === 'writes'
          ? NO_FLOOD
          : flood(spain, '/v1/inbox?limit=25', 'GET', undefined, Math.floor((limits.reads * 0.95) / limits.window)),
        floodKind === 'reads'
          ? NO_FLOOD
          : flood(spain, '/v1/messages', 'POST', SUBMISSION, Math.floor((limits.writes * 0.95) / limits.window)),
      ]);
      await new Promise((resolve) => setTimeout(resolve, freshWindowMs));
      const [flooded, reads, writes] = await Promise.all([
        victim(netherlands),
        floodKind === 'writes' ? NO_FLOOD : flood(spain, '/v1/inbox?limit=25', 'GET'),
        floodKind === 'reads' ? NO_FLOOD : flood(spain, '/v1/messages', 'POST', SUBMISSION),
      ]);
      if (quiet.totalErrors > 0 || flooded.totalErrors > 0)
        throw new Error(
          `Netherlands was refused or failed (${JSON.stringify(flooded.errorCodes)}): the flood reached another agency`,
        );
      const ratio = flooded.percentiles['99'] / Math.max(quiet.percentiles['99'], 1);
      ratios.push(ratio);
      console.log(`round ${round}: quiet           ${line(quiet)}`);
      console.log(
        `         Spain at limits ${line(atLimits)}; p99 ratio ${(atLimits.percentiles['99'] / Math.max(quiet.percentiles['99'], 1)).toFixed(2)}`,
      );
      console.log(`         Spain flooding  ${line(flooded)}; p99 ratio ${ratio.toFixed(2)}`);
      console.log(
        `         Spain: reads ${reads.requests} (${(reads.requests / seconds).toFixed(0)}/s), ${reads.refused} refused with 429, ${reads.accepted} answered;` +
          ` writes ${writes.requests} (${(writes.requests / seconds).toFixed(0)}/s), ${writes.refused} refused with 429, ${writes.accepted} accepted`,
      );
      await new Promise((resolve) => setTimeout(resolve, freshWindowMs));
    }
    const median = [...ratios].sort((a, b) => a - b)[Math.floor(ratios.length / 2)];
    console.log(`ratio flooded/quiet p99, median of ${rounds} rounds: ${median.toFixed(2)}   (target <= 2)`);
  } finally {
    await stopServiceProcesses(services);
    await deleteNamespaceTopics(kafka, namespace);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error('bench:abuse failed:', error);
    process.exit(1);
  },
);
