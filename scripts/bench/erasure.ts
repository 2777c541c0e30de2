import { createKafka, deleteNamespaceTopics, parseBrokers } from '@liaison/messaging';
import { createLogger } from '@liaison/observability';
import { ApiClient, waitFor } from '@liaison/testing';
import { spawnSync } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { provision } from '../ops/provision';
import { benchServiceEnvironment, startServiceProcesses, stopServiceProcesses, waitUntilReady } from './environment';

/**
 * `npm run bench:erasure`: a case of 1,000 messages carrying 50 entities and 20 attachments (100 KiB each), ten of
 * whose phones another agency's case shares (ten matches), is built through the API with every service running as
 * its own process; then its owner's supervisor erases it. Prints how long the erasure takes from the request to the
 * moment the last service reports it has deleted its copies (target < 5 s), and when each part reported.
 */
const root = join(__dirname, '..', '..', '..');
const MESSAGES = Number(process.env.BENCH_ERASURE_MESSAGES ?? 1_000);
const ENTITIES = 50;
const ATTACHMENTS = 20;
const run = Date.now().toString(36);
const namespace = `bencherase.${run}.`;
const databaseUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/liaison_bench_erasure';
const brokers = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';
const port = process.env.BENCH_PORT ?? '3193';

type Erasure = { complete: boolean; requestedAt: string; parts: { part: string; doneAt: string | null }[] };

async function main(): Promise<void> {
  if (spawnSync(join(root, 'deploy/local/up.sh'), { stdio: 'inherit' }).status !== 0)
    throw new Error('infrastructure did not come up');
  await provision({ databaseUrl, kafkaBrokers: brokers, kafkaNamespace: namespace, fresh: true });
  const store = mkdtempSync(join(tmpdir(), 'liaison-bench-erasure-'));
  const { env, adminKey } = benchServiceEnvironment({ databaseUrl, brokers, namespace, port });
  env.ATTACHMENT_DIR = store;
  const services = startServiceProcesses(['router', 'tracker', 'matcher', 'notifier', 'gateway'], env);
  const api = new ApiClient(`http://127.0.0.1:${port}`);
  const db = new Client({ connectionString: databaseUrl });
  try {
    await waitUntilReady(api, ['postgres', 'redis', 'kafka', 'router', 'matcher', 'notifier', 'tracker']);
    await db.connect();
    const issue = async (agency: string, role: string) => {
      const issued = await api.as(adminKey).post<{ key: string }>('/v1/api-keys', { agency, role, label: 'bench' });
      return api.as(issued.body.key);
    };
    const [officer, supervisor, romania] = [
      await issue('GB-WMP', 'officer'),
      await issue('GB-WMP', 'supervisor'),
      await issue('RO-ENU', 'officer'),
    ];

    console.log(`building a case of ${MESSAGES} messages, ${ENTITIES} entities, ${ATTACHMENTS} attachments...`);
    const uploads: string[] = [];
    for (let i = 0; i < ATTACHMENTS; i += 1) {
      const response = await fetch(`${api.baseUrl}/v1/attachments?name=statement-${i}.pdf`, {
        method: 'POST',
        headers: { authorization: `Bearer ${officer.key}`, 'content-type': 'application/pdf' },
        body: Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(100 * 1024)]),
      });
      uploads.push(((await response.json()) as { id: string }).id);
    }
    const phones = Array.from({ length: ENTITIES }, () => `+4072${randomInt(1_000_000, 9_999_999)}`);
    let reference: string | undefined;
    for (let i = 0; i < MESSAGES; i += 1) {
      const sent = await officer.post<{ caseReference: string }>('/v1/messages', {
        type: 'information',
        recipients: ['RO-ENU'],
        ...(reference ? { caseReference: reference } : {}),
        subject: `Update ${i} on the car wash operation`,
        body: 'Observations of the premises and the workers seen there. '.repeat(20),
        ...(i < ENTITIES ? { entities: [{ ref: 'ph', type: 'phone', number: phones[i] }] } : {}),
        ...(i >= ENTITIES && i < ENTITIES + ATTACHMENTS ? { attachments: [uploads[i - ENTITIES]] } : {}),
      });
      if (sent.status !== 202) throw new Error(`message ${i} refused: ${sent.status} ${JSON.stringify(sent.body)}`);
      reference ??= sent.body.caseReference;
    }
    for (const phone of phones.slice(0, 10))
      await romania.post('/v1/messages', {
        type: 'information',
        recipients: ['FR-ENU'],
        subject: 'Recruiter',
        body: `Answers on ${phone}.`,
      });
    await waitFor(
      async () => {
        const { rows } = await db.query<{ messages: string; matches: string }>(
          `SELECT (SELECT count(*) FROM messages WHERE case_reference = $1) AS messages,
                  (SELECT count(*) FROM matches WHERE case_a = $1 OR case_b = $1) AS matches`,
          [reference],
        );
        return Number(rows[0].messages) === MESSAGES && Number(rows[0].matches) >= 10;
      },
      { timeoutMs: 600_000, intervalMs: 500, what: 'the case routed and matched' },
    );
    const { rows: held } = await db.query<{ keys: string; files: string }>(
      `SELECT (SELECT count(*) FROM match_keys WHERE case_reference = $1) AS keys,
              (SELECT count(*) FROM message_attachments a JOIN messages m ON m.id = a.message_id WHERE m.case_reference = $1) AS files`,
      [reference],
    );
    console.log(`  case ${reference}: ${held[0].keys} keys in the index, ${held[0].files} attachments, 10 matches`);

    const started = performance.now();
    const erased = await supervisor.post<Erasure>(`/v1/cases/${reference}/erasure`, { ground: 'no-longer-needed' });
    if (erased.status !== 202) throw new Error(`erasure refused: ${erased.status} ${JSON.stringify(erased.body)}`);
    const answered = performance.now() - started;
    const done = await waitFor(
      async () => {
        const status = await supervisor.get<Erasure>(`/v1/cases/${reference}/erasure`);
        return status.body.complete ? status.body : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 20, what: 'the erasure to complete' },
    );
    const seconds = (performance.now() - started) / 1000;
    const requested = new Date(done.requestedAt).getTime();
    const left = await db.query<{ n: string }>(
      `SELECT (SELECT count(*) FROM messages WHERE case_reference = $1) + (SELECT count(*) FROM match_keys WHERE case_reference = $1)
            + (SELECT count(*) FROM matches WHERE case_a = $1 OR case_b = $1) AS n`,
      [reference],
    );
    console.log('');
    console.log(`answered:            ${answered.toFixed(0)} ms (key destroyed, gateway's copies deleted)`);
    for (const part of done.parts)
      console.log(`  ${part.part.padEnd(9)} done ${new Date(part.doneAt!).getTime() - requested} ms after the request`);
    console.log(`erasure complete:    ${seconds.toFixed(2)} s   (target < 5 s)`);
    console.log(`rows left of the case: ${left.rows[0].n}`);
  } finally {
    await stopServiceProcesses(services);
    await db.end();
    const kafka = createKafka(
      { brokers: parseBrokers(brokers), clientId: 'bench-erasure', namespace },
      createLogger({ service: 'bench', level: 'error', format: 'pretty' }),
    );
    await deleteNamespaceTopics(kafka, namespace);
    rmSync(store, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error('bench:erasure failed:', error);
    process.exit(1);
  },
);
