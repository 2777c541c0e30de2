import { ConsumerGroups, qualifiedTopic, Topics } from '@liaison/contracts';
import { createKafka, deleteNamespaceTopics, EventPublisher, parseBrokers } from '@liaison/messaging';
import { createLogger } from '@liaison/observability';
import { createDataSource } from '@liaison/persistence';
import { ApiClient, waitFor } from '@liaison/testing';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { benchServiceEnvironment } from './environment';
import { RefreshPercentilesUseCase, ReportCubeRepository } from '../../apps/tracker/src';
import { provision } from '../ops/provision';

import { brokers, databaseUrl, INGEST, namespace, port, REUSE, root, YEARS } from './reports/settings';
import { Traffic, ingestEvents, type Agency } from './reports/traffic';
import { load, settle } from './reports/loader';
import { timeReports } from './reports/timing';

/**
 * `npm run bench:reports`: generates 10 million tracked messages spread over five years (2021-2025, growing 15% a
 * year) and loads their report facts, then measures the tracker's ingest and every report through the gateway.
 *
 * 1. Load. The messages are turned into facts by the tracker's own rules (`exchangeFacts`, `requestFacts`,
 *    `matchFacts`) and written month by month with the tracker's own writer (`addFacts`); the quarterly and
 *    yearly tables are then summed from the monthly ones, and the answer-time percentiles computed. Loading 10
 *    million messages through Kafka at the target rate would take over half an hour, so the tracker's
 *    consumers are measured separately (2). The database is then vacuumed, analysed and checkpointed (`settle`).
 * 2. Ingest. BENCH_REPORTS_INGEST routed messages (default 300,000: requests, answers, information, in the
 *    order they are routed from 1 December 2025 at the same traffic's rate) are published while the tracker is
 *    stopped; the tracker is started and timed from joining its consumer group until it has committed the last
 *    offset (it commits once a batch's facts are committed; the database then holds every event id), on top of
 *    the five years already in the tables: the rate of a tracker catching up on a backlog.
 * 3. Reports. Every report, through the gateway over HTTP, for a full year (2025) and for five years, in
 *    several breakdowns each, BENCH_REPORTS_SAMPLES times (default 300, so that the p99 is not simply the
 *    slowest answer) after a warm-up: p50 and p99 per report and span, each answer timed from sending the
 *    request to receiving its last byte, by a client process of its own, straight after the ingest (the tracker
 *    still running). A national programme lead (the UK) and a European one (Europol, every country) ask
 *    alternately.
 *
 * The traffic: 101 agencies from the register; the UK sends 55% of the messages (its bureau a third of those)
 * and receives most of the rest; partner countries are Zipf-distributed; requests and cross-checks are half of
 * what is sent, each recipient answering 85% of them after a log-normal time (some late), the rest closed
 * unanswered with their case in most cases; 4% of messages make a match; 25 teams a month with meetings.
 * BENCH_REPORTS_MESSAGES changes the size. BENCH_REPORTS_REUSE=1 keeps the database a previous run loaded (its
 * migrations are brought up to date; the loaded figures stay) and goes straight to the ingest, adding to it.
 */

function start(name: string, env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, [join(root, 'dist/apps', name, 'src/main.js')], {
    env: process.env.BENCH_LOG ? { ...env, LOG_LEVEL: 'debug', LOG_FORMAT: 'json' } : env,
    stdio: ['ignore', process.env.BENCH_LOG ? 'inherit' : 'ignore', 'inherit'],
  });
}

async function main(): Promise<void> {
  if (spawnSync(join(root, 'deploy/local/up.sh'), { stdio: 'inherit' }).status !== 0)
    throw new Error('infrastructure did not come up');
  await provision({ databaseUrl, kafkaBrokers: brokers, kafkaNamespace: namespace, fresh: !REUSE });
  const db = await createDataSource({ url: databaseUrl, poolSize: 4, applicationName: 'bench-reports' }).initialize();
  const kafka = createKafka(
    { brokers: parseBrokers(brokers), clientId: 'bench-reports', namespace },
    createLogger({ service: 'bench', level: 'error', format: 'pretty' }),
  );
  const { env, adminKey } = benchServiceEnvironment({ databaseUrl, brokers, namespace, port });
  const services: ChildProcess[] = [];
  try {
    const agencies: Agency[] = await db.query('SELECT code, country FROM agencies ORDER BY code');
    const traffic = new Traffic(agencies);
    const loadStarted = Date.now();
    await db.query('CREATE TABLE IF NOT EXISTS bench_loaded (messages bigint NOT NULL)');
    const loaded: { messages: string }[] = await db.query('SELECT messages::text FROM bench_loaded');
    const messages = REUSE && loaded.length > 0 ? Number(loaded[0].messages) : await load(db, traffic);
    // A kept database may have been migrated just now, or left just after an ingest.
    if (REUSE && loaded.length > 0) await settle(db);
    if (loaded.length === 0) await db.query('INSERT INTO bench_loaded (messages) VALUES ($1)', [messages]);
    const sizes: { table: string; rows: string }[] = await db.query(
      `SELECT relname AS table, n_live_tup::text AS rows FROM pg_stat_user_tables WHERE relname LIKE 'report\\_%' AND n_live_tup > 0 ORDER BY n_live_tup DESC`,
    );
    console.log(
      `[bench] loaded ${messages.toLocaleString('en')} messages over ${YEARS} years in ${((Date.now() - loadStarted) / 1000).toFixed(0)} s`,
    );
    for (const { table, rows } of sizes)
      console.log(`[bench]   ${table.padEnd(42)} ${Number(rows).toLocaleString('en').padStart(12)} rows`);

    let ingested = `tracker ingest: not measured (BENCH_REPORTS_INGEST=0); every stale percentile recomputed first, as a tracker left running would`;
    if (INGEST > 0) {
      // Ingest: publish while the tracker is stopped, then time the tracker catching up.
      const publisher = new EventPublisher(kafka, namespace);
      const events = ingestEvents(traffic, INGEST);
      for (let i = 0; i < events.length; i += 1000)
        await publisher.publish(Topics.messageRouted, events.slice(i, i + 1000));
      await publisher.disconnect();
      const counted = async () => {
        const rows: { n: number }[] = await db.query(
          `SELECT count(*)::int AS n FROM processed_events WHERE consumer = 'tracker'`,
        );
        return rows[0].n;
      };
      const countedBefore = await counted();
      const routedTopic = qualifiedTopic(namespace, Topics.messageRouted);
      const trackerGroup = `${namespace}${ConsumerGroups.tracker}`;
      services.push(start('tracker', env));
      // Timed from the moment the tracker's consumer has joined its group (it fetches at once), so that its
      // start-up is not part of the rate.
      const admin = kafka.admin();
      await admin.connect();
      await waitFor(
        async () => {
          const { groups } = await admin.describeGroups([`${namespace}${ConsumerGroups.tracker}`]);
          return groups[0]?.state === 'Stable';
        },
        { what: 'the tracker to join its group', timeoutMs: 120_000, intervalMs: 10 },
      );
      const ingestStarted = Date.now();
      // Done when the tracker has committed every partition's last offset: it commits a batch only once the
      // batch's facts are committed in the database. (Asked of the broker: counting rows in the database while
      // the tracker writes would load the machine being measured.)
      const ends = await admin.fetchTopicOffsets(routedTopic);
      await waitFor(
        async () => {
          const [committed] = await admin.fetchOffsets({ groupId: trackerGroup, topics: [routedTopic] });
          return ends.every(
            (end) =>
              Number(committed.partitions.find((p) => p.partition === end.partition)?.offset ?? -1) >= Number(end.high),
          );
        },
        { what: 'the tracker to count every event', timeoutMs: 1_800_000, intervalMs: 50 },
      );
      const ingestSeconds = (Date.now() - ingestStarted) / 1000;
      await admin.disconnect();
      const countedNow = await counted();
      if (countedNow < countedBefore + events.length)
        throw new Error(`the tracker counted ${countedNow - countedBefore} of ${events.length} events`);
      const ingestRate = events.length / ingestSeconds;
      ingested = `tracker ingest: ${events.length.toLocaleString('en')} events in ${ingestSeconds.toFixed(1)} s = ${Math.round(ingestRate).toLocaleString('en')} events/s (target >= 5,000: ${(ingestRate / 5000).toFixed(2)}x)`;
    } else {
      // Reports on a quiet database: no ingest just before them, no percentile left stale.
      const refresh = new RefreshPercentilesUseCase(db, new ReportCubeRepository());
      while ((await refresh.run(20_000)) > 0);
    }

    // Reports through the gateway, timed by a process of their own: this one's heap holds what it generated,
    // and collecting that while reports are timed would stall the client, not the gateway.
    services.push(start('gateway', env));
    const api = new ApiClient(`http://127.0.0.1:${port}`);
    await waitFor(async () => (await api.get('/health/live').catch(() => ({ status: 0 }))).status === 200, {
      what: 'the gateway',
      timeoutMs: 60_000,
    });
    const issue = async (agency: string) =>
      (await api.as(adminKey).post<{ key: string }>('/v1/api-keys', { agency, role: 'programme-lead', label: 'bench' }))
        .body.key;
    const leads = [await issue('GB-NCA'), await issue('EU-EUROPOL')];
    console.log(`\n[bench] ${ingested}`);
    const timer = spawn(process.execPath, [__filename, 'time-reports'], {
      env: {
        ...process.env,
        BENCH_REPORTS_URL: api.baseUrl,
        BENCH_REPORTS_KEYS: leads.join(','),
        BENCH_REPORTS_TOTAL: String(messages),
      },
      stdio: 'inherit',
    });
    const code = await new Promise<number | null>((resolve) => timer.on('exit', resolve));
    if (code !== 0) throw new Error(`timing the reports failed (exit ${code})`);
  } finally {
    for (const service of services) service.kill('SIGTERM');
    await db.destroy();
    await deleteNamespaceTopics(kafka, namespace).catch(() => undefined);
  }
}

(process.argv[2] === 'time-reports' ? timeReports() : main()).catch((error: unknown) => {
  console.error('bench:reports failed:', error instanceof Error ? error.message : error);
  process.exit(1);
});
