import { qualifiedTopic, Topics, type EncodedRecord } from '@liaison/contracts';
import { createKafka, deleteNamespaceTopics, parseBrokers } from '@liaison/messaging';
import { createLogger } from '@liaison/observability';
import { seededRandom, waitFor } from '@liaison/testing';
import type { Kafka } from 'kafkajs';
import { spawn, spawnSync } from 'node:child_process';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { MasterKeys } from '@liaison/protection';
import { provision } from '../ops/provision';
import { benchMasterKeys } from './environment';
import { generate, storeTeams, teams, type BenchJit } from './pipeline/workload';

/**
 * `npm run bench:pipeline [N]`: N submitted-message events (default 100,000; see `pipeline/workload.ts`) go
 * straight onto Kafka while the router runs as its own process; the clock stops when the router has persisted every message and every
 * delivery. In the same run, the same records are produced to a plain topic and consumed by a bare kafkajs
 * consumer group: the baseline. Prints messages/s for both and their ratio. Then the same workload with its
 * content in clear is routed into an empty database by a router that stores it unsealed
 * (CONTENT_SEALING=off-for-measurement): what sealing costs, back to back. With `--routers N`, the sealed records
 * are routed again into an empty database by N routers in one consumer group, and the scaling ratio is printed.
 */
const root = join(__dirname, '..', '..', '..');
const args = process.argv.slice(2);
const routersAt = args.indexOf('--routers');
/** Routers in one group for the scaled run (`--routers N`); the run with one router comes first, for the ratio. */
const routers = routersAt >= 0 ? Number(args[routersAt + 1]) : 1;
const positional = args.filter((arg, i) => !arg.startsWith('--') && (routersAt < 0 || i !== routersAt + 1));
const count = Number(positional[0] ?? process.env.BENCH_MESSAGES ?? 100_000);
const run = `${Date.now().toString(36)}`;
let namespace = `bench.${run}.`;
const databaseUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/liaison_bench';
const brokers = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';
async function produce(kafka: Kafka, topic: string, records: EncodedRecord[]): Promise<void> {
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  // One request in flight: records of a case must reach the broker in order (a reply never precedes its case).
  const chunk = 1000;
  const inFlight = 1;
  const chunks: EncodedRecord[][] = [];
  for (let i = 0; i < records.length; i += chunk) chunks.push(records.slice(i, i + chunk));
  let next = 0;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < chunks.length) {
        const messages = chunks[next++];
        await producer.send({ topic, acks: -1, messages });
      }
    }),
  );
  await producer.disconnect();
}

async function baseline(kafka: Kafka, records: EncodedRecord[]): Promise<number> {
  const topic = `${namespace}baseline.raw`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 6, replicationFactor: 1 }], waitForLeaders: true });
  await admin.disconnect();
  const consumer = kafka.consumer({ groupId: `${namespace}baseline`, maxWaitTimeInMs: 250 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let seen = 0;
  const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
  await consumer.run({
    autoCommit: false,
    eachBatch: async ({ batch }) => {
      seen += batch.messages.length;
      const last = batch.messages[batch.messages.length - 1];
      if (last)
        await consumer.commitOffsets([
          { topic: batch.topic, partition: batch.partition, offset: (BigInt(last.offset) + 1n).toString() },
        ]);
    },
  });
  await joined;
  const started = performance.now();
  await produce(kafka, topic, records);
  await waitFor(() => seen >= records.length, { timeoutMs: 600_000, intervalMs: 20, what: 'baseline consumption' });
  const seconds = (performance.now() - started) / 1000;
  await consumer.disconnect();
  return seconds;
}

async function routed(
  kafka: Kafka,
  records: EncodedRecord[],
  deliveries: number,
  jits: BenchJit[],
  keys: Map<string, Buffer>,
  instances = 1,
  routerEnv: Record<string, string> = {},
): Promise<number> {
  const routerProcesses = Array.from({ length: instances }, (_, i) =>
    spawn(
      process.execPath,
      [
        ...(process.env.BENCH_ROUTER_NODE_ARGS ?? '').split(' ').filter(Boolean),
        join(root, 'dist/apps/router/src/main.js'),
      ],
      {
        env: {
          ...process.env,
          DATABASE_URL: databaseUrl,
          KAFKA_BROKERS: brokers,
          KAFKA_NAMESPACE: namespace,
          METRICS_PORT: '0',
          INSTANCE_ID: `bench-router-${i + 1}`,
          LOG_LEVEL: 'warn',
          LOG_FORMAT: 'pretty',
          ...routerEnv,
        },
        stdio: ['ignore', 'inherit', 'inherit'],
      },
    ),
  );
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    await storeTeams(db, jits);
    await storeCaseKeys(db, keys);
    const admin = kafka.admin();
    await admin.connect();
    await waitFor(
      async () => {
        const { groups } = await admin.describeGroups([`${namespace}liaison-router`]);
        return groups[0]?.state === 'Stable' && groups[0].members.length === instances;
      },
      { timeoutMs: 60_000, what: `${instances} router(s) to join their group` },
    );
    await admin.disconnect();
    const started = performance.now();
    await produce(kafka, qualifiedTopic(namespace, Topics.messageSubmitted), records);
    await waitFor(
      async () => {
        const { rows } = await db.query<{ messages: string; deliveries: string; rejected: string }>(
          `SELECT (SELECT count(*) FROM messages) AS messages, (SELECT count(*) FROM deliveries) AS deliveries,
                (SELECT count(*) FROM message_rejections) AS rejected`,
        );
        const done = Number(rows[0].messages) + Number(rows[0].rejected) >= records.length;
        return done && (Number(rows[0].rejected) > 0 || Number(rows[0].deliveries) >= deliveries);
      },
      { timeoutMs: 900_000, intervalMs: 100, what: 'the router to persist every message and delivery' },
    );
    const seconds = (performance.now() - started) / 1000;
    const rejected = await db.query<{ n: string }>('SELECT count(*) AS n FROM message_rejections');
    if (Number(rejected.rows[0].n) > 0)
      throw new Error(`${rejected.rows[0].n} messages were rejected; the generated workload is inconsistent`);
    return seconds;
  } finally {
    await Promise.all(
      routerProcesses.map((router) => {
        const exited = new Promise((resolve) => router.once('exit', resolve));
        router.kill('SIGTERM');
        return exited;
      }),
    );
    await db.end();
  }
}

/** The cases' data keys, wrapped under the bench's master key, as the gateway stores them when it opens a case. */
async function storeCaseKeys(db: Client, keys: Map<string, Buffer>): Promise<void> {
  const master = MasterKeys.parse(benchMasterKeys());
  const rows = [...keys].map(([reference, key]) => ({ reference, ...master.wrap(key, reference) }));
  for (let i = 0; i < rows.length; i += 5_000) {
    const chunk = rows.slice(i, i + 5_000);
    await db.query(
      `INSERT INTO case_keys (case_reference, master_key_id, wrapped, created_at)
       SELECT r, k, w, now() FROM unnest($1::text[], $2::text[], $3::bytea[]) AS x(r, k, w)`,
      [chunk.map((r) => r.reference), chunk.map((r) => r.masterKeyId), chunk.map((r) => r.wrapped)],
    );
  }
}

async function main(): Promise<void> {
  if (!Number.isInteger(count) || count < 1) throw new Error('N must be a positive whole number');
  // The routers this bench starts inherit it.
  benchMasterKeys();
  if (!Number.isInteger(routers) || routers < 1 || routers > 6) throw new Error('--routers must be 1 to 6');
  if (spawnSync(join(root, 'deploy/local/up.sh'), { stdio: 'inherit' }).status !== 0)
    throw new Error('infrastructure did not come up');
  await provision({ databaseUrl, kafkaBrokers: brokers, kafkaNamespace: namespace, fresh: true });
  const kafka = createKafka(
    { brokers: parseBrokers(brokers), clientId: 'bench-pipeline', namespace },
    createLogger({ service: 'bench', level: 'error', format: 'pretty' }),
  );

  console.log(`generating ${count} submitted messages...`);
  const jits = teams(seededRandom(7));
  const { records, deliveries, broadcasts, keys } = generate(count, jits, { sealed: true });
  const megabytes = records.reduce((sum, r) => sum + r.value.length, 0) / 1e6;
  console.log(
    `  ${deliveries} deliveries, ${broadcasts} JIT broadcasts, ${megabytes.toFixed(1)} MB of protobuf values (${((megabytes * 1e6) / count).toFixed(0)} B per message)`,
  );

  try {
    const raw = await baseline(kafka, records);
    console.log(`baseline (raw kafkajs produce + group consume): ${raw.toFixed(2)} s`);
    const pipeline = await routed(kafka, records, deliveries, jits, keys);
    console.log(`router (produce + route + persist in PostgreSQL): ${pipeline.toFixed(2)} s`);
    // The same workload with its content in clear, stored unsealed: the pipeline without encryption.
    await deleteNamespaceTopics(kafka, namespace);
    namespace = `bench.${run}clear.`;
    await provision({ databaseUrl, kafkaBrokers: brokers, kafkaNamespace: namespace, fresh: true });
    const clear = generate(count, jits, { sealed: false });
    const unsealed = await routed(kafka, clear.records, clear.deliveries, jits, clear.keys, 1, {
      CONTENT_SEALING: 'off-for-measurement',
      BENCHMARK_RUN: '1',
    });
    console.log(`router without sealing (content in clear, stored unsealed): ${unsealed.toFixed(2)} s`);
    let scaled: number | undefined;
    if (routers > 1) {
      // The same records again, into an empty database and a namespace of their own, routed by N routers.
      await deleteNamespaceTopics(kafka, namespace);
      namespace = `bench.${run}x${routers}.`;
      await provision({ databaseUrl, kafkaBrokers: brokers, kafkaNamespace: namespace, fresh: true });
      scaled = await routed(kafka, records, deliveries, jits, keys, routers);
      console.log(`${routers} routers in one group (produce + route + persist): ${scaled.toFixed(2)} s`);
    }
    const rawRate = count / raw;
    const routedRate = count / pipeline;
    console.log('');
    console.log(`messages:             ${count}`);
    console.log(`baseline messages/s:  ${rawRate.toFixed(0)}`);
    console.log(`routed messages/s:    ${routedRate.toFixed(0)}   (target >= 2000)`);
    console.log(`deliveries/s:         ${(deliveries / pipeline).toFixed(0)}`);
    console.log(`ratio routed/baseline: ${(routedRate / rawRate).toFixed(3)}   (target >= 0.25)`);
    const unsealedRate = count / unsealed;
    console.log(`without sealing messages/s: ${unsealedRate.toFixed(0)}`);
    console.log(
      `sealing cost:         ${((1 - routedRate / unsealedRate) * 100).toFixed(1)}%   (sealed ${routedRate.toFixed(0)} vs unsealed ${unsealedRate.toFixed(0)} messages/s; target < 10%)`,
    );
    if (scaled !== undefined) {
      console.log(`routed messages/s, ${routers} routers: ${(count / scaled).toFixed(0)}`);
      console.log(
        `scaling ${routers} routers/1 router: ${(pipeline / scaled).toFixed(3)}   (${routers} routers share this machine's ${cpus().length} cores with PostgreSQL and Kafka)`,
      );
    }
  } finally {
    await deleteNamespaceTopics(kafka, namespace);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error('bench:pipeline failed:', error);
    process.exit(1);
  },
);
