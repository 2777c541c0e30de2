import { createKafka, deleteNamespaceTopics, parseBrokers } from '@liaison/messaging';
import { createLogger } from '@liaison/observability';
import { ApiClient } from '@liaison/testing';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import {
  benchServiceEnvironment,
  loadTest,
  startServiceProcesses,
  stopServiceProcesses,
  waitUntilReady,
} from './environment';
import { provision } from '../ops/provision';

/**
 * `npm run bench:http`: submissions through the HTTP gateway with every service running as its own process,
 * in two runs. First as fast as the gateway accepts, with autocannon (32 connections, closed loop): accepted
 * submissions per second. Then a steady 200 requests/s with loadtest, which starts one request every 5 ms
 * whether or not earlier ones have finished (open loop), so the latency percentiles are those of an even
 * arrival rate. (autocannon's rate limit sends each connection's quota for a second back to back at the
 * start of that second: a burst, not a steady rate.) Targets: at least 800 accepted/s; p99 under 50 ms at 200/s.
 */
interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p90: number; p99: number; max: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  duration: number;
}
type Autocannon = (options: Record<string, unknown>) => Promise<AutocannonResult>;
// autocannon ships no type declarations; this is the part of its API used here.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as Autocannon;

const root = join(__dirname, '..', '..', '..');
const run = Date.now().toString(36);
const namespace = `benchhttp.${run}.`;
const databaseUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/liaison_bench_http';
const brokers = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';
const port = process.env.BENCH_PORT ?? '3190';
const seconds = Number(process.env.BENCH_SECONDS ?? 20);
const url = `http://127.0.0.1:${port}`;

const BODY = JSON.stringify({
  type: 'request',
  priority: 'urgent',
  recipients: ['RO-ENU', 'BG-ENU'],
  handling: { code: 'H2' },
  evaluation: { scheme: '4x4', source: 'B', information: '2' },
  subject: 'Request for subscriber and travel checks: labour exploitation, Operation KESTREL',
  body: 'Operation KESTREL is investigating the labour exploitation of Romanian and Bulgarian nationals at hand car washes. '.repeat(
    12,
  ),
});

async function main(): Promise<void> {
  if (spawnSync(join(root, 'deploy/local/up.sh'), { stdio: 'inherit' }).status !== 0)
    throw new Error('infrastructure did not come up');
  await provision({ databaseUrl, kafkaBrokers: brokers, kafkaNamespace: namespace, fresh: true });
  const { env, adminKey } = benchServiceEnvironment({ databaseUrl, brokers, namespace, port });
  const services = startServiceProcesses(['router', 'tracker', 'gateway'], env);
  const kafka = createKafka(
    { brokers: parseBrokers(brokers), clientId: 'bench-http', namespace },
    createLogger({ service: 'bench', level: 'error', format: 'pretty' }),
  );
  try {
    const api = new ApiClient(url);
    // The matcher and notifier are not run here (this measures the submission path), so they show as not ready.
    await waitUntilReady(api, ['postgres', 'redis', 'kafka', 'router', 'tracker']);
    const issued = await api
      .as(adminKey)
      .post<{ key: string }>('/v1/api-keys', { agency: 'GB-NCA-UKLB', role: 'officer', label: 'bench' });
    const request = {
      url: `${url}/v1/messages`,
      method: 'POST',
      headers: { authorization: `Bearer ${issued.body.key}`, 'content-type': 'application/json' },
      body: BODY,
    };
    console.log(`request body ${BODY.length} B; ${seconds} s per run`);
    await autocannon({ ...request, connections: 8, duration: 3 }); // warm-up: JIT, pools, connections

    const flat = await autocannon({ ...request, connections: 32, duration: seconds });
    const steady = await loadTest({
      url: request.url,
      method: 'POST',
      headers: { authorization: request.headers.authorization },
      contentType: 'application/json',
      body: BODY,
      requestsPerSecond: 200,
      maxSeconds: seconds,
      agentKeepAlive: true,
      quiet: true,
    });

    const accepted = (flat.requests.total - flat.non2xx) / flat.duration;
    console.log('');
    console.log(`max throughput:   ${accepted.toFixed(0)} accepted submissions/s   (target >= 800)`);
    console.log(
      `                  latency p50 ${flat.latency.p50} ms, p99 ${flat.latency.p99} ms; non-2xx ${flat.non2xx}, errors ${flat.errors}`,
    );
    const { percentiles } = steady;
    console.log(
      `at 200 requests/s: p50 ${percentiles['50']} ms, p90 ${percentiles['90']} ms, p99 ${percentiles['99']} ms   (target p99 < 50)`,
    );
    console.log(
      `                  ${steady.effectiveRps} requests/s achieved, max ${steady.maxLatencyMs} ms; errors ${steady.totalErrors} ${JSON.stringify(steady.errorCodes)}`,
    );
    if (flat.non2xx > 0 || steady.totalErrors > 0) throw new Error('some submissions were not accepted');
  } finally {
    await stopServiceProcesses(services);
    await deleteNamespaceTopics(kafka, namespace);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error('bench:http failed:', error);
    process.exit(1);
  },
);
