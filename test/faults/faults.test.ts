import { qualifiedTopic, TOPIC_PARTITIONS, Topics, type TopicName } from '@liaison/contracts';
import { generateApiKey } from '@liaison/domain';
import { createKafka, parseBrokers } from '@liaison/messaging';
import { createLogger } from '@liaison/observability';
import { waitFor } from '@liaison/testing';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { Pool } from 'pg';
import { kafkaProcesses } from '../support/kafka-processes';
import { WebhookReceiver } from '../support/webhook-receiver';
import { checkExchange, faultLine, type ExchangeCheck } from './support/exchange-check';
import { buildOnce, FaultStack, isolatedEnvironment, ROOT, WORKERS, type ServiceName } from './support/fault-stack';
import { SubmissionLoad, type LoadReport } from './support/submission-load';

/** Commands run without blocking this process: the load it drives goes on meanwhile. */
const run = promisify(execFile);
const SECRET = 'fault-webhook-secret-0123456789abcdef012345';

/**
 * The faults a deployment meets, each under steady submissions, each ending with every accepted message checked in
 * its recipient's inbox (deliveries), notifications, reports and matches: nothing lost, nothing twice, and the
 * stack ready again without anyone's help. Prints one line per fault with its figures.
 */
describe('faults', () => {
  const adminKey = generateApiKey();
  let stack: FaultStack;
  let isolated: Awaited<ReturnType<typeof isolatedEnvironment>>;
  const hooks = new WebhookReceiver(SECRET);
  // A pool: its connections are replaced after PostgreSQL restarts.
  let db: Pool;
  const keys = { wmp: '', romania: '' };
  let scenario = 0;

  const admin = (path: string, body: unknown) =>
    fetch(`${stack.gatewayUrl}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    buildOnce();
    isolated = await isolatedEnvironment('faults', {
      LIAISON_ADMIN_KEY: adminKey,
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'info',
      WEBHOOK_FIRST_RETRY_MS: '500',
      // A request of a killed gateway is taken over by its retry after 15 s rather than a minute.
      IDEMPOTENCY_TAKEOVER_SECONDS: '15',
    });
    stack = new FaultStack(isolated.env);
    db = new Pool({ connectionString: isolated.env.DATABASE_URL, max: 2 });
    db.on('error', () => undefined); // an idle connection cut by a restart is replaced at the next query
    await hooks.start();
    for (const name of [...WORKERS, 'gateway'] as ServiceName[]) await stack.start(name);
    await stack.waitAllReady();
    for (const [name, agency] of [
      ['wmp', 'GB-WMP'],
      ['romania', 'RO-ENU'],
    ] as const) {
      const issued = await admin('/v1/api-keys', { agency, role: 'officer', label: `fault drill ${name}` });
      keys[name] = ((await issued.json()) as { key: string }).key;
    }
    const hook = await admin('/v1/webhooks', {
      agency: 'RO-ENU',
      url: hooks.url,
      secret: SECRET,
      events: ['message.received'],
    });
    expect(hook.status).toBe(201);
  }, 300_000);

  afterAll(async () => {
    await stack?.stopAll();
    await Promise.all([db?.end(), hooks.stop()]);
    await isolated?.drop();
  }, 120_000);

  /** Runs a fault under load: load until `before` are accepted, the fault, load until `after` more, then checks. */
  async function underLoad(
    fault: string,
    inflict: (load: SubmissionLoad) => Promise<string | void>,
    options: { before?: number; after?: number } = {},
  ): Promise<{ report: LoadReport; check: ExchangeCheck; note: string }> {
    scenario += 1;
    const tag = `fault${scenario}-${process.env.LIAISON_TEST_RUN}`;
    const load = new SubmissionLoad(() => stack.gatewayUrl, keys, tag, { loops: 4 }, scenario * 100_000);
    load.start();
    await load.accepted(options.before ?? 20);
    const note = (await inflict(load)) ?? '';
    await load.accepted(options.after ?? 20, 240_000);
    const report = await load.stop();
    await stack.waitAllReady();
    // Romania's endpoint is told of every message West Midlands sends it.
    const check = await checkExchange(db, tag, report, { webhooks: (s) => s.sender === 'wmp' });
    const line = faultLine(fault, report, check, note);
    process.stdout.write(`${line}\n`);
    expect(report.abandoned).toBe(0);
    expect(check.lost).toEqual([]);
    expect(check.duplicated).toEqual([]);
    expect(check.outOfOrder).toEqual([]);
    return { report, check, note };
  }

  it.each(['gateway', 'router', 'matcher', 'notifier', 'tracker'] as ServiceName[])(
    'kill -9 of the %s under load, and its restart',
    async (name) => {
      await underLoad(`kill -9 ${name}`, async () => {
        await stack.stop(name, 1, 'SIGKILL');
        await new Promise((resolve) => setTimeout(resolve, 2_000));
        const started = Date.now();
        await stack.start(name);
        return `${name} ready ${Date.now() - started} ms after its restart`;
      });
    },
    600_000,
  );

  it('kill -9 of the Kafka broker for 15 s: 503 with Retry-After while it is away, and everyone reconnects', async () => {
    let readiness = '';
    const { report } = await underLoad('Kafka broker down 15 s', async (load) => {
      // The single broker this run uses, whichever checkout started it; restarted by that checkout's script.
      const [broker] = (await kafkaProcesses()).filter((candidate) => candidate.script !== null);
      if (!broker) throw new Error('no single Kafka broker of a checkout is running');
      process.kill(broker.pid, 'SIGKILL');
      const down = Date.now();
      // While it is away, the gateway's readiness says why.
      const ready = await waitFor(
        async () => {
          const response = await fetch(`${stack.gatewayUrl}/health/ready`);
          return response.status === 503
            ? ((await response.json()) as { checks: { kafka: { detail: string } } })
            : undefined;
        },
        { what: 'readiness to name Kafka', timeoutMs: 14_000, intervalMs: 200 },
      );
      readiness = ready.checks.kafka.detail;
      const accepted = load.report().accepted.length;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, 15_000 - (Date.now() - down))));
      await run(broker.script!, ['up']);
      return `readiness while away: "${readiness}"; ${load.report().accepted.length - accepted} accepted while it was away`;
    });
    expect(readiness).toMatch(/broker|Kafka/);
    expect(report.statuses['503']).toBeGreaterThan(0);
    expect(report.every503HadRetryAfter).toBe(true);
    expect(report.longest503Ms).toBeLessThanOrEqual(5_000);
    expect(report.longestRequestMs).toBeLessThanOrEqual(10_000);
  }, 600_000);

  it('a restart of PostgreSQL', async () => {
    await underLoad('PostgreSQL restart', async () => {
      const versions = (await run('ls', ['/etc/postgresql'])).stdout.trim().split('\n');
      const version = versions.sort((a, b) => Number(a) - Number(b)).pop()!;
      const started = Date.now();
      await run('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'restart', '-m', 'fast']);
      return `PostgreSQL back in ${Date.now() - started} ms`;
    });
  }, 600_000);

  it('a restart of Redis that loses its data: the webhook jobs are queued again from PostgreSQL', async () => {
    await underLoad('Redis restart (data lost)', async () => {
      // The receiver stops answering, so deliveries wait in Redis as retries when it goes.
      hooks.status = 503;
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      await run('redis-cli', ['-h', '127.0.0.1', '-p', '6379', 'shutdown', 'nosave']);
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      await run(join(ROOT, 'deploy/local/datastores.sh'));
      hooks.status = 200;
    });
  }, 600_000);

  it('a poison record on every partition of every topic: set aside after bounded tries, the partitions move on', async () => {
    const deadLetters = async () => {
      const totals = new Map<string, number>();
      for (const name of WORKERS) {
        const text = await (await fetch(`${stack.operationsUrl(name)}/metrics`)).text();
        for (const [, topic, value] of text.matchAll(
          /^liaison_dead_letters_total\{topic="([^"]+)",service="[a-z]+"\} (\d+)/gm,
        ))
          totals.set(`${name} ${topic}`, Number(value));
      }
      return totals;
    };
    const before = await deadLetters();
    const kafkaClient = createKafka(
      { brokers: parseBrokers(process.env.KAFKA_BROKERS!), clientId: 'fault-poison', namespace: '' },
      createLogger({ service: 'fault-poison', level: 'error', format: 'pretty' }),
    );
    const producer = kafkaClient.producer();
    await producer.connect();
    let poisoned = 0;
    await underLoad('poison record on every topic', async () => {
      for (const topic of Object.values(Topics) as TopicName[]) {
        const partitions = TOPIC_PARTITIONS[topic];
        await producer.send({
          topic: qualifiedTopic(isolated.env.KAFKA_NAMESPACE!, topic),
          acks: -1,
          messages: Array.from({ length: partitions }, (_, partition) => ({
            partition,
            key: 'poison',
            value: Buffer.from([0xff, 0xfe, 0x00, 0x13]),
            headers: { 'liaison-event-id': 'not-an-id' },
          })),
        });
        poisoned += partitions;
      }
      return `${poisoned} poison records`;
    });
    await producer.disconnect();
    // Every consumer of a topic set each partition's poison aside, and counted it.
    const after = await waitFor(
      async () => {
        const totals = await deadLetters();
        const short = [...totals].filter(([series, value]) => {
          const topic = series.split(' ')[1] as TopicName;
          return value - (before.get(series) ?? 0) < TOPIC_PARTITIONS[topic];
        });
        return short.length === 0 ? totals : undefined;
      },
      { what: 'every poison record dead-lettered and counted', timeoutMs: 120_000 },
    );
    expect(after.size).toBeGreaterThanOrEqual(10);
  }, 600_000);

  it('an erasure killed half way: the gateway killed as it erases, the workers down; restarted, it completes', async () => {
    const issued = await admin('/v1/api-keys', { agency: 'GB-WMP', role: 'supervisor', label: 'fault drill erasure' });
    const supervisor = ((await issued.json()) as { key: string }).key;
    const call = (method: string, path: string, key: string, body?: unknown) =>
      fetch(`${stack.gatewayUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    const sent = (await (
      await call('POST', '/v1/messages', keys.wmp, {
        type: 'request',
        recipients: ['RO-ENU'],
        subject: `erasure drill ${process.env.LIAISON_TEST_RUN}`,
        body: 'Held by three services, then erased.',
      })
    ).json()) as { caseReference: string };
    const reference = sent.caseReference;
    const count = async (sql: string) => Number((await db.query<{ n: string }>(sql, [reference])).rows[0].n);
    await waitFor(async () => (await count('SELECT count(*) AS n FROM messages WHERE case_reference = $1')) === 1, {
      what: 'the message routed',
    });
    // The services that apply an erasure are down; the gateway is killed while it erases.
    for (const name of ['router', 'matcher', 'notifier'] as ServiceName[]) await stack.stop(name, 1, 'SIGKILL');
    const answered = call('POST', `/v1/cases/${reference}/erasure`, supervisor, { ground: 'ordered' }).catch(
      () => undefined,
    );
    await new Promise((resolve) => setTimeout(resolve, 40));
    await stack.stop('gateway', 1, 'SIGKILL');
    const answer = await answered;
    const recorded = (await count('SELECT count(*) AS n FROM case_erasures WHERE case_reference = $1')) === 1;
    const started = Date.now();
    for (const name of ['gateway', 'router', 'matcher', 'notifier'] as ServiceName[]) await stack.start(name);
    // A client that got no answer asks again (the same erasure); one that got it has nothing more to do.
    if (!answer)
      expect((await call('POST', `/v1/cases/${reference}/erasure`, supervisor, { ground: 'ordered' })).status).toBe(
        202,
      );
    const erasure = await waitFor(
      async () => {
        const body = (await (await call('GET', `/v1/cases/${reference}/erasure`, supervisor)).json()) as {
          complete?: boolean;
        };
        return body.complete ? body : undefined;
      },
      { what: 'the erasure to complete', timeoutMs: 120_000, intervalMs: 500 },
    );
    expect(erasure.complete).toBe(true);
    expect(await count('SELECT count(*) AS n FROM messages WHERE case_reference = $1')).toBe(0);
    expect(await count('SELECT count(*) AS n FROM case_keys WHERE case_reference = $1 AND wrapped IS NOT NULL')).toBe(
      0,
    );
    const line = `[fault] erasure killed half way: ${recorded ? 'recorded before the kill, finished by the restarted gateway' : 'killed before it was recorded, erased by the retry'}${answer ? ` (answered ${answer.status} first)` : ''}; complete ${Date.now() - started} ms after the restarts began`;
    process.stdout.write(`${line}\n`);
  }, 600_000);

  it('SIGTERM of every service in turn under load: what is in flight finishes', async () => {
    await underLoad(
      'SIGTERM of every service',
      async () => {
        const times: string[] = [];
        for (const name of ['gateway', ...WORKERS] as ServiceName[]) {
          const started = Date.now();
          await stack.stop(name, 1, 'SIGTERM');
          times.push(`${name} stopped in ${Date.now() - started} ms`);
          await stack.start(name);
        }
        return times.join(', ');
      },
      { after: 30 },
    );
  }, 900_000);
});
