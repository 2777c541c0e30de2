import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import {
  encodeEvent,
  entitiesToProto,
  evaluationToProto,
  handlingToProto,
  MessageSubmittedSchema,
  MessageType,
  Priority,
  qualifiedTopic,
  Topics,
  type EncodedRecord,
  type EntityJson,
  type Handling,
} from '@liaison/contracts';
import { issueCaseReference } from '@liaison/domain';
import { createKafka, deleteNamespaceTopics, parseBrokers } from '@liaison/messaging';
import { createLogger } from '@liaison/observability';
import { loadAgencyRegister } from '@liaison/persistence';
import { waitFor } from '@liaison/testing';
import type { Kafka } from 'kafkajs';
import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { provision } from '../ops/provision';

/**
 * `npm run bench:pipeline [N]`: N submitted-message events (default 100,000; 1-5 recipients; realistic
 * subject and body sizes; requests, cross-checks and information, with 40% follow-ups in an earlier case,
 * mostly replies; a mix of priorities, handling codes and evaluations; 0-8 structured entities; 5% of new
 * cases opened by a broadcast to one of 40 joint investigation teams of 6-12 agencies) go straight onto Kafka while the
 * router runs as its own process; the clock stops when the router has persisted every message and every
 * delivery. In the same run, the same records are produced to a plain topic and consumed by a bare kafkajs
 * consumer group: the baseline. Prints messages/s for both and their ratio. With `--routers N`, the same records
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
/** Share of new cases opened by a JIT broadcast (BENCH_JIT_SHARE, default 0.05). */
const JIT_SHARE = Number(process.env.BENCH_JIT_SHARE ?? 0.05);

const WORDS =
  'request information subscriber vehicle account victims controller recruitment premises address travel checks linked investigation operation exploitation labour sexual criminal payment transfer identity document border crossing'.split(
    ' ',
  );

function text(random: () => number, min: number, max: number): string {
  const length = min + Math.floor(random() * (max - min));
  let out = '';
  while (out.length < length) out += `${WORDS[Math.floor(random() * WORDS.length)]} `;
  return out.slice(0, length);
}

function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** 0 to 8 entities of the kinds structured traffic carries most: people, phones, accounts, vehicles. */
function entitiesFor(random: () => number, seed: number): EntityJson[] {
  const count = Math.floor(random() * 9);
  return Array.from({ length: count }, (_, k): EntityJson => {
    const ref = `e${k}`;
    const n = String((seed * 9 + k) % 10_000_000).padStart(7, '0');
    switch (k % 4) {
      case 0:
        return {
          ref,
          type: 'person',
          names: [WORDS[k % WORDS.length], `SURNAME${n}`],
          dateOfBirth: '1988-04-02',
          nationality: 'RO',
        };
      case 1:
        return { ref, type: 'phone', number: `+40 72${n}`, country: 'RO' };
      case 2:
        return { ref, type: 'vehicle', plate: `B-${n.slice(0, 3)}-XYZ`, country: 'RO' };
      default:
        return { ref, type: 'email', address: `contact${n}@example.ro` };
    }
  });
}

interface BenchJit {
  id: string;
  members: { code: string; country: string }[];
}

/** The teams broadcasts go to: 40 of 6 to 12 agencies each, active today. */
function teams(random: () => number): BenchJit[] {
  const register = loadAgencyRegister();
  return Array.from({ length: 40 }, () => {
    const size = 6 + Math.floor(random() * 7);
    const members = new Map<string, string>();
    while (members.size < size) {
      const agency = register[Math.floor(random() * register.length)];
      members.set(agency.code, agency.country);
    }
    return { id: randomUUID(), members: [...members].map(([code, country]) => ({ code, country })) };
  });
}

async function storeTeams(db: Client, jits: BenchJit[]): Promise<void> {
  const today = new Date().toISOString().slice(0, 10);
  for (const jit of jits) {
    await db.query(
      `INSERT INTO jits (id, name, lead_agency, starts_on, ends_on, eurojust, europol, created_at) VALUES ($1, $2, $3, $4, $4::date + 365, true, true, now())`,
      [jit.id, `JIT ${jit.id.slice(0, 8)}`, jit.members[0].code, today],
    );
    await db.query(
      `INSERT INTO jit_members (jit_id, agency_code, party_country, joined_at) SELECT $1, code, country, now() FROM unnest($2::text[], $3::text[]) AS m(code, country)`,
      [jit.id, jit.members.map((m) => m.code), jit.members.map((m) => m.country)],
    );
  }
}

function generate(n: number, jits: BenchJit[]): { records: EncodedRecord[]; deliveries: number; broadcasts: number } {
  const random = mulberry32(42);
  const agencies = loadAgencyRegister().map((a) => a.code);
  const pick = () => agencies[Math.floor(random() * agencies.length)];
  let broadcasts = 0;
  const cases: { reference: string; participants: string[]; opener: string }[] = [];
  const weighted = <T>(choices: [T, number][]): T => {
    let roll = random();
    for (const [value, weight] of choices) if ((roll -= weight) < 0) return value;
    return choices[choices.length - 1][0];
  };
  const records: EncodedRecord[] = [];
  let deliveries = 0;
  const now = new Date();
  for (let i = 0; i < n; i += 1) {
    const followUp = cases.length > 0 && random() < 0.4;
    const existing = followUp ? cases[Math.floor(random() * cases.length)] : undefined;
    const jit = !existing && random() < JIT_SHARE ? jits[Math.floor(random() * jits.length)] : undefined;
    const sender = existing
      ? existing.participants[Math.floor(random() * existing.participants.length)]
      : jit
        ? jit.members[Math.floor(random() * jit.members.length)].code
        : pick();
    const recipients = new Set<string>();
    if (jit) {
      // A broadcast goes to every other member of the team.
      for (const member of jit.members) if (member.code !== sender) recipients.add(member.code);
      broadcasts += 1;
    } else {
      const wanted = 1 + Math.floor(random() * 5);
      while (recipients.size < wanted) {
        const candidate = pick();
        if (candidate !== sender) recipients.add(candidate);
      }
    }
    const reference = existing?.reference ?? issueCaseReference(now);
    const messageId = randomUUID();
    const type = existing
      ? weighted<MessageType>([
          [MessageType.REPLY, 0.7],
          [MessageType.INFORMATION, 0.3],
        ])
      : weighted<MessageType>([
          [MessageType.REQUEST, 0.5],
          [MessageType.CROSS_CHECK, 0.1],
          [MessageType.INFORMATION, 0.4],
        ]);
    if (!existing) cases.push({ reference, participants: [sender, ...recipients], opener: messageId });
    else for (const r of recipients) if (!existing.participants.includes(r)) existing.participants.push(r);
    deliveries += recipients.size;
    records.push(
      encodeEvent(Topics.messageSubmitted, {
        key: reference,
        correlationId: randomUUID(),
        payload: create(MessageSubmittedSchema, {
          messageId,
          type,
          inReplyTo: type === MessageType.REPLY && existing ? existing.opener : '',
          priority: weighted<Priority>([
            [Priority.NORMAL, 0.7],
            [Priority.URGENT, 0.25],
            [Priority.URGENT_DIRECT, 0.05],
          ]),
          handling: weighted<Handling>([
            [handlingToProto({ code: 'H0' }), 0.6],
            [handlingToProto({ code: 'H1' }), 0.2],
            [handlingToProto({ code: 'H2', uk: 'C' }), 0.15],
            [handlingToProto({ code: 'H3', restriction: 'Not to be disclosed to the victims’ employer' }), 0.05],
          ]),
          evaluation: random() < 0.5 ? evaluationToProto({ scheme: '4x4', source: 'B', information: '2' }) : undefined,
          entities: entitiesToProto(entitiesFor(random, i)),
          caseReference: reference,
          opensCase: !existing,
          senderAgency: sender,
          recipientAgencies: [...recipients],
          jitId: jit?.id ?? '',
          subject: text(random, 40, 120),
          body: text(random, 300, 3000),
          submittedAt: timestampFromDate(now),
          submittedByKeyId: randomUUID(),
        }),
      }),
    );
  }
  return { records, deliveries, broadcasts };
}

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
  instances = 1,
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
        },
        stdio: ['ignore', 'inherit', 'inherit'],
      },
    ),
  );
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    await storeTeams(db, jits);
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

async function main(): Promise<void> {
  if (!Number.isInteger(count) || count < 1) throw new Error('N must be a positive whole number');
  if (!Number.isInteger(routers) || routers < 1 || routers > 6) throw new Error('--routers must be 1 to 6');
  if (spawnSync(join(root, 'deploy/local/up.sh'), { stdio: 'inherit' }).status !== 0)
    throw new Error('infrastructure did not come up');
  await provision({ databaseUrl, kafkaBrokers: brokers, kafkaNamespace: namespace, fresh: true });
  const kafka = createKafka(
    { brokers: parseBrokers(brokers), clientId: 'bench-pipeline', namespace },
    createLogger({ service: 'bench', level: 'error', format: 'pretty' }),
  );

  console.log(`generating ${count} submitted messages...`);
  const jits = teams(mulberry32(7));
  const { records, deliveries, broadcasts } = generate(count, jits);
  const megabytes = records.reduce((sum, r) => sum + r.value.length, 0) / 1e6;
  console.log(
    `  ${deliveries} deliveries, ${broadcasts} JIT broadcasts, ${megabytes.toFixed(1)} MB of protobuf values (${((megabytes * 1e6) / count).toFixed(0)} B per message)`,
  );

  try {
    const raw = await baseline(kafka, records);
    console.log(`baseline (raw kafkajs produce + group consume): ${raw.toFixed(2)} s`);
    const pipeline = await routed(kafka, records, deliveries, jits);
    console.log(`router (produce + route + persist in PostgreSQL): ${pipeline.toFixed(2)} s`);
    let scaled: number | undefined;
    if (routers > 1) {
      // The same records again, into an empty database and a namespace of their own, routed by N routers.
      await deleteNamespaceTopics(kafka, namespace);
      namespace = `bench.${run}x${routers}.`;
      await provision({ databaseUrl, kafkaBrokers: brokers, kafkaNamespace: namespace, fresh: true });
      scaled = await routed(kafka, records, deliveries, jits, routers);
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
