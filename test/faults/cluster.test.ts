import { generateApiKey } from '@liaison/domain';
import { topicSettings } from '@liaison/messaging';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { Pool } from 'pg';
import { checkExchange, faultLine } from './support/exchange-check';
import { buildOnce, FaultStack, isolatedEnvironment, ROOT, WORKERS } from './support/fault-stack';
import { SubmissionLoad } from './support/submission-load';

/** Run without blocking this process: the load it drives goes on meanwhile. */
const cluster = (...args: string[]) => promisify(execFile)(join(ROOT, 'deploy/local/kafka.sh'), ['cluster', ...args]);
const BROKERS = '127.0.0.1:19092,127.0.0.1:19093,127.0.0.1:19094';

/**
 * Beyond one broker and one instance: a three-node Kafka cluster (every topic with three copies, two in sync
 * before an acknowledgement) and two instances of every consuming service in one group. A node killed under
 * load, and an instance of each service killed and started again, lose nothing, duplicate nothing and keep each
 * case's order.
 */
describe('faults beyond one broker and one instance', () => {
  const adminKey = generateApiKey();
  let stack: FaultStack;
  let isolated: Awaited<ReturnType<typeof isolatedEnvironment>>;
  let db: Pool;
  const keys = { wmp: '', romania: '' };
  let scenario = 0;

  beforeAll(async () => {
    buildOnce();
    await cluster('up');
    isolated = await isolatedEnvironment(
      'cluster',
      {
        KAFKA_BROKERS: BROKERS,
        KAFKA_REPLICATION_FACTOR: '3',
        KAFKA_MIN_INSYNC_REPLICAS: '2',
        LIAISON_ADMIN_KEY: adminKey,
        LOG_FORMAT: 'json',
        LOG_LEVEL: 'info',
      },
      topicSettings({
        KAFKA_REPLICATION_FACTOR: 3,
        KAFKA_MIN_INSYNC_REPLICAS: 2,
        KAFKA_TOPIC_PARTITIONS: '',
        KAFKA_CONTENT_RETENTION_HOURS: 168,
      }),
    );
    stack = new FaultStack(isolated.env);
    db = new Pool({ connectionString: isolated.env.DATABASE_URL, max: 2 });
    db.on('error', () => undefined);
    for (const name of WORKERS) {
      await stack.start(name, 1);
      await stack.start(name, 2);
    }
    await stack.start('gateway');
    await stack.waitAllReady();
    for (const [name, agency] of [
      ['wmp', 'GB-WMP'],
      ['romania', 'RO-ENU'],
    ] as const) {
      const issued = await fetch(`${stack.gatewayUrl}/v1/api-keys`, {
        method: 'POST',
        headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ agency, role: 'officer', label: `cluster drill ${name}` }),
      });
      keys[name] = ((await issued.json()) as { key: string }).key;
    }
  }, 600_000);

  afterAll(async () => {
    await stack?.stopAll();
    await db?.end();
    await isolated?.drop();
    await cluster('reset');
  }, 180_000);

  async function underLoad(fault: string, inflict: () => Promise<string>) {
    scenario += 1;
    const tag = `cluster${scenario}-${process.env.LIAISON_TEST_RUN}`;
    const load = new SubmissionLoad(
      () => stack.gatewayUrl,
      keys,
      tag,
      { loops: 4, threadLength: 4 },
      900_000 + scenario * 50_000,
    );
    load.start();
    await load.accepted(20);
    const note = await inflict();
    await load.accepted(20, 240_000);
    const report = await load.stop();
    await stack.waitAllReady();
    const check = await checkExchange(db, tag, report);
    process.stdout.write(`${faultLine(fault, report, check, note)}\n`);
    expect(report.abandoned).toBe(0);
    expect(check.lost).toEqual([]);
    expect(check.duplicated).toEqual([]);
    expect(check.outOfOrder).toEqual([]);
    expect(report.longestRequestMs).toBeLessThanOrEqual(10_000);
    return report;
  }

  it('kill -9 of one of three brokers under load (replication 3, two in sync)', async () => {
    await underLoad('kill -9 of one of three Kafka brokers', async () => {
      await cluster('kill', '2');
      await new Promise((resolve) => setTimeout(resolve, 15_000));
      const started = Date.now();
      await cluster('start', '2');
      return `node 2 down 15 s, back in ${Date.now() - started} ms`;
    });
  }, 600_000);

  it('two instances of each consuming service: one of each killed and started again under load', async () => {
    await underLoad('kill -9 of one of two instances of each service', async () => {
      const times: string[] = [];
      for (const name of WORKERS) {
        await stack.stop(name, 2, 'SIGKILL');
        await new Promise((resolve) => setTimeout(resolve, 2_000));
        const started = Date.now();
        await stack.start(name, 2);
        times.push(`${name} ${Date.now() - started} ms`);
      }
      return `instances ready again after: ${times.join(', ')}`;
    });
  }, 900_000);
});
