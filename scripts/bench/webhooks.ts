import { signWebhook } from '@liaison/domain';
import {
  createKafka,
  deleteNamespaceQueues,
  deleteNamespaceTopics,
  JobQueues,
  parseBrokers,
  jobConnection,
  jobQueue,
  WEBHOOK_JOB_OPTIONS,
  webhookJobId,
  type WebhookJob,
} from '@liaison/messaging';
import { createLogger } from '@liaison/observability';
import { waitFor } from '@liaison/testing';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Client } from 'pg';
import { provision } from '../ops/provision';

/**
 * `npm run bench:webhooks [N]`: N notifications (default 20,000) for one agency with a registered endpoint,
 * delivered by the notifier running as its own process (BullMQ on Redis, each attempt read from and recorded in
 * PostgreSQL, each body signed) to a receiver in this process that checks every signature. The clock runs from
 * queueing the first delivery until the last is recorded as delivered. The baseline, in the same run: the same
 * number of signed POSTs of the same bodies sent straight to the receiver with the same concurrency (no
 * queue, no database). Prints both rates and their ratio.
 */
const root = join(__dirname, '..', '..', '..');
const count = Number(process.argv[2] ?? process.env.BENCH_WEBHOOKS ?? 20_000);
const concurrency = Number(process.env.WEBHOOK_CONCURRENCY ?? 64);
const run = Date.now().toString(36);
const namespace = `benchhooks.${run}.`;
const databaseUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/liaison_bench_webhooks';
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const secret = randomBytes(32).toString('hex');

/** The receiver: a force system that verifies every signature and answers 204. */
async function receiver(): Promise<{
  url: string;
  verified: () => number;
  invalid: () => number;
  ids: Set<string>;
  close: () => void;
}> {
  let verified = 0;
  let invalid = 0;
  const ids = new Set<string>();
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const raw = Buffer.concat(chunks);
      const fields = new Map(
        String(request.headers['liaison-signature'])
          .split(',')
          .map((p) => p.split('=') as [string, string]),
      );
      const expected = createHmac('sha256', secret)
        .update(`${fields.get('t')}.`)
        .update(raw)
        .digest();
      const given = Buffer.from(fields.get('v1') ?? '', 'hex');
      if (given.length === expected.length && timingSafeEqual(given, expected)) {
        verified++;
        ids.add(String(request.headers['liaison-delivery-id']));
      } else {
        invalid++;
      }
      response.writeHead(204).end();
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    verified: () => verified,
    invalid: () => invalid,
    ids,
    close: () => server.close(),
  };
}

function body(i: number): string {
  return JSON.stringify({
    id: randomUUID(),
    event: 'message.received',
    agency: 'GB-WMP',
    createdAt: new Date().toISOString(),
    data: {
      messageId: randomUUID(),
      caseReference: `LIA-2026-${String(i).padStart(9, '0')}`,
      sender: 'RO-ENU',
      type: 'request',
      priority: 'urgent',
      answerDeadline: null,
    },
  });
}

/** The same work without Liaison: signed POSTs straight to the receiver, `concurrency` at a time. */
async function baseline(url: string): Promise<number> {
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const payload = body(next++);
        const response = await fetch(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'liaison-signature': signWebhook(secret, Math.floor(Date.now() / 1000), payload),
            'liaison-delivery-id': randomUUID(),
            'liaison-event': 'message.received',
          },
          body: payload,
        });
        await response.arrayBuffer();
      }
    }),
  );
  return count / (Number(process.hrtime.bigint() - started) / 1e9);
}

async function main(): Promise<void> {
  if (spawnSync(join(root, 'deploy/local/up.sh'), { stdio: 'inherit' }).status !== 0)
    throw new Error('infrastructure did not come up');
  await provision({
    databaseUrl,
    kafkaBrokers: process.env.KAFKA_BROKERS ?? '127.0.0.1:9092',
    kafkaNamespace: namespace,
    fresh: true,
  });
  const hooks = await receiver();
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  const redis = jobConnection(redisUrl, 'producer');
  let notifier: ChildProcess | undefined;
  try {
    console.log(`bench:webhooks: ${count.toLocaleString('en-GB')} deliveries, ${concurrency} in flight`);
    const baselineRate = await baseline(hooks.url);
    const baselineIds = hooks.verified();

    // One endpoint, N notifications and their pending deliveries, as the notifier records them.
    const endpoint = randomUUID();
    await db.query(
      `INSERT INTO webhook_endpoints (id, agency, url, secret, events, created_by_key_id, created_at) VALUES ($1, 'GB-WMP', $2, $3, '{message.received}', $4, now())`,
      [endpoint, hooks.url, secret, randomUUID()],
    );
    const { rows } = await db.query<{ id: string }>(
      `WITH n AS (
         INSERT INTO notifications (id, agency, event, source_id, payload, created_at)
         SELECT gen_random_uuid(), 'GB-WMP', 'message.received', 'bench-' || i,
                jsonb_build_object('messageId', gen_random_uuid(), 'caseReference', 'LIA-2026-' || lpad(i::text, 9, '0'), 'sender', 'RO-ENU', 'type', 'request', 'priority', 'urgent', 'answerDeadline', null),
                now()
           FROM generate_series(1, $1) AS i RETURNING id
       )
       INSERT INTO webhook_deliveries (id, endpoint_id, notification_id, agency, event, state, created_at)
       SELECT gen_random_uuid(), $2, n.id, 'GB-WMP', 'message.received', 'pending', now() FROM n RETURNING id`,
      [count, endpoint],
    );

    const env = {
      ...process.env,
      DATABASE_URL: databaseUrl,
      KAFKA_NAMESPACE: namespace,
      REDIS_URL: redisUrl,
      LOG_LEVEL: 'warn',
      WEBHOOK_CONCURRENCY: String(concurrency),
      WEBHOOK_ALLOW_LOOPBACK: 'true',
    };
    notifier = spawn(process.execPath, [join(root, 'dist/apps/notifier/src/main.js')], {
      env,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const queue = jobQueue<WebhookJob>(JobQueues.webhooks, redis, namespace);
    await waitFor(async () => (await queue.getWorkers()).length > 0, {
      timeoutMs: 60_000,
      what: 'the notifier to take jobs',
    });
    // The notifier's start-up sweep may already have queued some: the same job ids make the rest no-ops.
    const started = process.hrtime.bigint();
    for (let i = 0; i < rows.length; i += 1000) {
      await queue.addBulk(
        rows.slice(i, i + 1000).map((row) => ({
          name: 'deliver',
          data: { deliveryId: row.id },
          opts: { ...WEBHOOK_JOB_OPTIONS, jobId: webhookJobId(row.id, 0) },
        })),
      );
    }
    const delivered = async () =>
      Number(
        (await db.query<{ n: string }>(`SELECT count(*) AS n FROM webhook_deliveries WHERE state = 'delivered'`))
          .rows[0].n,
      );
    await waitFor(async () => (await delivered()) >= count, {
      timeoutMs: 600_000,
      intervalMs: 200,
      what: 'every delivery to be recorded',
    });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    await queue.close();
    const rate = count / seconds;
    const received = hooks.verified() - baselineIds;
    console.log(`baseline signed POSTs/s:      ${Math.round(baselineRate)}`);
    console.log(`notifier deliveries/s:        ${Math.round(rate)}   (target >= 500)`);
    console.log(`ratio notifier/baseline:      ${(rate / baselineRate).toFixed(3)}`);
    console.log(
      `signatures verified: ${received} of ${count} (${hooks.invalid()} invalid); distinct delivery ids: ${hooks.ids.size - baselineIds}`,
    );
  } finally {
    notifier?.kill('SIGTERM');
    await db.end();
    await deleteNamespaceQueues(redis, namespace).catch(() => 0);
    const kafka = createKafka(
      { brokers: parseBrokers(process.env.KAFKA_BROKERS ?? '127.0.0.1:9092'), clientId: 'bench-webhooks', namespace },
      createLogger({ service: 'bench', level: 'error', format: 'pretty' }),
    );
    await deleteNamespaceTopics(kafka, namespace).catch(() => undefined);
    redis.disconnect();
    hooks.close();
  }
}

main().catch((error: unknown) => {
  console.error('bench:webhooks failed:', error instanceof Error ? error.message : error);
  process.exit(1);
});
