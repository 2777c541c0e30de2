import { generateApiKey } from '@liaison/domain';
import { createKafka, deleteNamespaceTopics, parseBrokers } from '@liaison/messaging';
import { createLogger } from '@liaison/observability';
import { ApiClient, waitFor } from '@liaison/testing';
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { benchServiceEnvironment, loadTest, startServiceProcesses, stopServiceProcesses, waitUntilReady, type LoadtestResult } from './bench-environment';
import { provision } from './provision';

/**
 * `npm run bench:abuse`: whether a flood from one agency slows another. The router, tracker and gateway run as
 * processes of their own with the default rate limits. Netherlands reads its inbox at an even 20 requests/s
 * (loadtest, open loop) for BENCH_SECONDS, first on a quiet gateway, then while Spain floods it from a process
 * of its own (autocannon, as fast as 32 connections go: half of them reading Spain's inbox, half submitting
 * messages). Prints both p99s and their ratio (target: flooded within 2x of quiet), and how much of the flood
 * was refused with 429.
 */

const root = join(__dirname, '..', '..');
const run = Date.now().toString(36);
const namespace = `benchabuse.${run}.`;
const databaseUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/liaison_bench_abuse';
const brokers = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';
const port = process.env.BENCH_PORT ?? '3191';
const seconds = Number(process.env.BENCH_SECONDS ?? 15);
const url = `http://127.0.0.1:${port}`;

const SUBMISSION = JSON.stringify({ type: 'request', recipients: ['PT-ENU'], subject: 'Flood', body: 'Flood. '.repeat(100) });

/** Netherlands reading its inbox at an even rate; the latencies of its answers. */
function victim(key: string): Promise<LoadtestResult> {
  return loadTest({ url: `${url}/v1/inbox?limit=25`, headers: { authorization: `Bearer ${key}` }, requestsPerSecond: 20, maxSeconds: seconds, agentKeepAlive: true, quiet: true });
}

interface FloodResult {
  requests: number;
  refused: number;
  accepted: number;
}

/** autocannon in a process of its own, so that the flood's client does not share the victim's. */
function flood(key: string, path: string, method: string, body?: string): Promise<FloodResult> {
  const args = [join(root, 'node_modules/autocannon/autocannon.js'), '-j', '-c', '16', '-d', String(seconds), '-m', method, '-H', `authorization=Bearer ${key}`];
  if (body) args.push('-H', 'content-type=application/json', '-b', body);
  args.push(`${url}${path}`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`autocannon exited with ${code}`));
      const result = JSON.parse(out) as { requests: { total: number }; statusCodeStats?: Record<string, { count: number }> };
      const stats = result.statusCodeStats ?? {};
      const count = (prefix: string) => Object.entries(stats).filter(([status]) => status.startsWith(prefix)).reduce((sum, [, s]) => sum + s.count, 0);
      resolve({ requests: result.requests.total, refused: stats['429']?.count ?? 0, accepted: count('2') });
    });
  });
}

async function main(): Promise<void> {
  if (spawnSync(join(root, 'deploy/local/up.sh'), { stdio: 'inherit' }).status !== 0) throw new Error('infrastructure did not come up');
  await provision({ databaseUrl, kafkaBrokers: brokers, kafkaNamespace: namespace, fresh: true });
  const adminKey = generateApiKey();
  const env = { ...process.env, DATABASE_URL: databaseUrl, KAFKA_BROKERS: brokers, KAFKA_NAMESPACE: namespace, PORT: port, LIAISON_ADMIN_KEY: adminKey, LOG_LEVEL: 'warn', ...benchServiceEnvironment(namespace, { rateLimited: true }) };
  const services = startServiceProcesses(['router', 'tracker', 'gateway'], env);
  const kafka = createKafka({ brokers: parseBrokers(brokers), clientId: 'bench-abuse', namespace }, createLogger({ service: 'bench', level: 'error', format: 'pretty' }));
  try {
    const api = new ApiClient(url);
    await waitUntilReady(api, ['postgres', 'redis', 'kafka', 'router', 'tracker']);
    const issue = async (agency: string) => (await api.as(adminKey).post<{ key: string }>('/v1/api-keys', { agency, role: 'officer', label: 'bench' })).body.key;
    const [netherlands, spain, sender] = [await issue('NL-ENU'), await issue('ES-ENU'), await issue('RO-ENU')];
    // Netherlands' inbox holds a page of messages, as a working inbox does.
    const romania = api.as(sender);
    for (let i = 0; i < 25; i += 1) await romania.post('/v1/messages', { recipients: ['NL-ENU', 'ES-ENU'], subject: `Check ${i}`, body: 'Please check.' });
    await waitFor(async () => ((await api.as(netherlands).get<{ items: unknown[] }>('/v1/inbox?limit=25')).body.items?.length ?? 0) === 25, { what: 'the inbox filled' });
    await victim(netherlands); // warm-up: JIT, pools, connections
    await new Promise((resolve) => setTimeout(resolve, 11_000)); // a fresh rate-limit window

    const quiet = await victim(netherlands);
    await new Promise((resolve) => setTimeout(resolve, 11_000));
    const [flooded, reads, writes] = await Promise.all([victim(netherlands), flood(spain, '/v1/inbox?limit=25', 'GET'), flood(spain, '/v1/messages', 'POST', SUBMISSION)]);

    const ratio = flooded.percentiles['99'] / Math.max(quiet.percentiles['99'], 1);
    console.log('');
    console.log(`Netherlands at 20 reads/s, ${seconds} s each; default limits`);
    console.log(`quiet:   p50 ${quiet.percentiles['50']} ms, p99 ${quiet.percentiles['99']} ms; errors ${quiet.totalErrors}`);
    console.log(`flooded: p50 ${flooded.percentiles['50']} ms, p99 ${flooded.percentiles['99']} ms; errors ${flooded.totalErrors} ${JSON.stringify(flooded.errorCodes)}`);
    console.log(`ratio flooded/quiet p99: ${ratio.toFixed(2)}   (target <= 2)`);
    console.log(`Spain's flood: reads ${reads.requests} (${(reads.requests / seconds).toFixed(0)}/s), ${reads.refused} refused with 429, ${reads.accepted} answered`);
    console.log(`               writes ${writes.requests} (${(writes.requests / seconds).toFixed(0)}/s), ${writes.refused} refused with 429, ${writes.accepted} accepted`);
    if (quiet.totalErrors > 0 || flooded.totalErrors > 0) throw new Error('Netherlands was refused or failed: the flood reached another agency');
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
