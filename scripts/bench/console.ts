import { issueCaseReference } from '@liaison/domain';
import { createDataSource, timeOrderedId } from '@liaison/persistence';
import { ApiClient, caseKeysFromEnvironment, seedMessages } from '@liaison/testing';
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import { provision } from '../ops/provision';
import { liveRound, LIVE_EVERY_MS, type LiveFigures } from './console-live';
import { signIn } from './console-people';
import {
  benchMasterKeys,
  benchServiceEnvironment,
  startServiceProcesses,
  stopServiceProcesses,
  waitUntilReady,
} from './environment';

/**
 * `npm run bench:console`: the console's pages under 20 people at once, with 10,000 messages in one agency's
 * inbox (Romania's ENU) in 3,000 cases and 1,000 matches on its own cases, seeded straight into PostgreSQL.
 * Twenty supervisors of that agency, each signed in (password and TOTP, as a person does), go round the pages
 * (home, inbox, the inbox filtered and sorted by deadline, its live results, sent messages, a case, a message,
 * matches, a match, teams, compose, the counts the script asks for) for BENCH_SECONDS, each pausing between
 * pages as a person reads (exponentially distributed, mean BENCH_CONSOLE_THINK_MS, default 1 s: far busier than
 * people are). Prints each page's p50 and p95 server time (the gateway's `Server-Timing: app`) and round trip,
 * against the target p95 < 150 ms. Then the same people without pausing, to find what the machine can serve at
 * most (pages/s, and the latency once it is saturated), and the JavaScript a page loads (gzip), against 50 kB.
 * Last, BENCH_LIVE_PEOPLE (300) people keep the inbox open while messages arrive (see console-live.ts), as the
 * gateway runs and with every poll read alone: how soon a new message is on each screen, against 2 s.
 */
const root = join(__dirname, '..', '..', '..');
const run = Date.now().toString(36);
const namespace = `benchconsole.${run}.`;
const databaseUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/liaison_bench_console';
const brokers = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';
const port = process.env.BENCH_PORT ?? '3192';
const seconds = Number(process.env.BENCH_SECONDS ?? 30);
const PEOPLE = Number(process.env.BENCH_CONSOLE_PEOPLE ?? 20);
const url = `http://127.0.0.1:${port}`;
const AGENCY = 'RO-ENU';
const PARTNERS = ['GB-NCA-UKLB', 'GB-WMP', 'BG-ENU', 'NL-ENU', 'FR-ENU', 'ES-ENU', 'PL-ENU', 'DE-ENU', 'IT-ENU'];
const MESSAGES = 10_000;
const CASES = 3_000;
const OWN_CASES = 500;
const MATCHES = 1_000;
const THINK_MS = Number(process.env.BENCH_CONSOLE_THINK_MS ?? 1000);
const LIVE_PEOPLE = Number(process.env.BENCH_LIVE_PEOPLE ?? 300);
benchMasterKeys();
const caseKeys = caseKeysFromEnvironment();

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** The agency's inbox, sent messages, cases and matches, written as the router and matcher would have. */
async function seed(): Promise<{ caseReference: string; partner: string; messageId: string; matchId: string }> {
  const db = await createDataSource({ url: databaseUrl, poolSize: 2, applicationName: 'bench-console' }).initialize();
  try {
    const now = Date.now();
    const day = 86_400_000;
    const cases = Array.from({ length: CASES }, (_, i) => ({
      reference: issueCaseReference(new Date(now)),
      owner: PARTNERS[i % PARTNERS.length],
      openedAt: new Date(now - (i % 90) * day - 3_600_000),
    }));
    const own = Array.from({ length: OWN_CASES }, (_, i) => ({
      reference: issueCaseReference(new Date(now)),
      owner: AGENCY,
      openedAt: new Date(now - (i % 90) * day - 3_600_000),
    }));
    const all = [...cases, ...own];
    await db.query(
      `INSERT INTO cases (reference, owner_agency, opened_at, status)
       SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::text[])`,
      [all.map((c) => c.reference), all.map((c) => c.owner), all.map((c) => c.openedAt), all.map(() => 'open')],
    );
    const participants = [
      ...cases.flatMap((c) => [
        [c.reference, c.owner],
        [c.reference, AGENCY],
      ]),
      ...own.flatMap((c) => [
        [c.reference, AGENCY],
        [c.reference, PARTNERS[0]],
      ]),
    ];
    await db.query(
      `INSERT INTO case_participants (case_reference, agency_code, joined_at)
       SELECT r, a, now() FROM unnest($1::text[], $2::text[]) AS t(r, a)`,
      [participants.map((p) => p[0]), participants.map((p) => p[1])],
    );
    const types = ['request', 'information', 'cross-check', 'request'];
    const priorities = ['normal', 'normal', 'urgent', 'urgent-direct'];
    const body = 'Subscriber and movement checks requested on the persons and vehicles below. '.repeat(6);
    const messages = [
      ...Array.from({ length: MESSAGES }, (_, i) => ({ c: cases[i % CASES], to: AGENCY, i })),
      ...Array.from({ length: OWN_CASES }, (_, i) => ({ c: own[i], to: PARTNERS[0], i })),
    ].map(({ c, to, i }) => {
      const at = new Date(c.openedAt.getTime() + (i % 50) * 60_000);
      const type = types[i % types.length];
      const priority = priorities[i % priorities.length];
      const hours = priority === 'urgent-direct' ? 8 : priority === 'urgent' ? 72 : 168;
      return {
        id: timeOrderedId(at.getTime()),
        caseReference: c.reference,
        sender: c.owner,
        to,
        at,
        type,
        priority,
        handling: `H${i % 4 === 3 ? 2 : i % 3}`,
        subject: `Operation ${['KESTREL', 'HERON', 'LARK', 'SWIFT'][i % 4]}: ${type} ${i}`,
        deadline: type === 'information' ? null : new Date(at.getTime() + hours * 3_600_000),
        state: ['delivered', 'read', 'answered'][i % 3],
      };
    });
    await seedMessages(db, caseKeys, messages, body);
    const ownMessages = messages.slice(MESSAGES);
    const matches = Array.from({ length: MATCHES }, (_, i) => ({
      id: randomUUID(),
      key: `phone:+40721${String(100_000 + i).padStart(6, '0')}`,
      caseA: own[i % OWN_CASES].reference,
      caseB: cases[i % CASES].reference,
      agencyB: cases[i % CASES].owner,
      message: ownMessages[i % OWN_CASES].id,
      at: new Date(now - (i % 60) * day),
    }));
    await db.query(
      `INSERT INTO matches (id, key, kind, strength, case_a, agency_a, case_b, agency_b, message_id, found_at, decision_a, decision_b, announced_at)
       SELECT id, k, 'phone', 'strong', ca, $4, cb, ab, m, at, 'pending', 'pending', at
         FROM unnest($1::uuid[], $2::text[], $3::text[], $5::text[], $6::text[], $7::uuid[], $8::timestamptz[]) AS x(id, k, ca, cb, ab, m, at)`,
      [
        matches.map((m) => m.id),
        matches.map((m) => m.key),
        matches.map((m) => m.caseA),
        AGENCY,
        matches.map((m) => m.caseB),
        matches.map((m) => m.agencyB),
        matches.map((m) => m.message),
        matches.map((m) => m.at),
      ],
    );
    await db.query('ANALYZE');
    return {
      caseReference: cases[0].reference,
      partner: cases[0].owner,
      messageId: messages[0].id,
      matchId: matches[0].id,
    };
  } finally {
    await db.destroy();
  }
}

async function main(): Promise<void> {
  if (spawnSync(join(root, 'deploy/local/up.sh'), { stdio: 'inherit' }).status !== 0)
    throw new Error('infrastructure did not come up');
  await provision({ databaseUrl, kafkaBrokers: brokers, kafkaNamespace: namespace, fresh: true });
  const seeded = await seed();
  console.log(
    `seeded: ${MESSAGES.toLocaleString('en-GB')} messages in ${AGENCY}'s inbox in ${CASES.toLocaleString('en-GB')} cases, ${MATCHES.toLocaleString('en-GB')} matches`,
  );
  const { env, adminKey } = benchServiceEnvironment({ databaseUrl, brokers, namespace, port });
  env.RATE_LIMIT_SIGN_IN_ADDRESS = '1000000000';
  env.RATE_LIMIT_SIGN_IN_ACCOUNT = '1000000000';
  let services = startServiceProcesses(['gateway'], env);
  try {
    const api = new ApiClient(url);
    await waitUntilReady(api, ['postgres', 'redis', 'kafka']);
    const admin = api.as(adminKey);
    const people = await Promise.all(Array.from({ length: PEOPLE }, (_, i) => signIn(url, admin, AGENCY, i)));
    const pages: Record<string, string> = {
      home: '/console',
      inbox: '/console/inbox',
      'inbox, filtered': '/console/inbox?priority=urgent&handlingCode=H1&state=delivered',
      'inbox, by deadline': '/console/inbox?sort=deadline&overdue=false',
      'inbox results (live)': '/console/inbox/results',
      sent: '/console/outbox',
      case: `/console/cases/${seeded.caseReference}`,
      message: `/console/messages/${seeded.messageId}`,
      matches: '/console/matches',
      'matches, awaiting decision': '/console/matches?awaitingDecision=true',
      match: `/console/matches/${seeded.matchId}`,
      teams: '/console/jits',
      compose: '/console/compose',
      counts: '/console/counts',
    };
    // Each page once, checked, and the JavaScript it loads measured.
    const home = await people[0].request('GET', '/console/inbox');
    for (const [name, path] of Object.entries(pages)) {
      const answer = await people[0].request('GET', path);
      if (answer.status !== 200) throw new Error(`${name} answered ${answer.status}`);
    }
    const scripts = [...home.text.matchAll(/src="(\/console\/assets\/[^"]+\.js)"/g)].map((m) => m[1]);
    const manifest = JSON.parse(readFileSync(join(root, 'build/console-assets/manifest.json'), 'utf8')) as Record<
      string,
      string
    >;
    const loaded = new Set(scripts.map((s) => s.replace('/console/assets/', '')));
    for (const name of ['govuk-frontend.js', 'moj-frontend.js']) loaded.add(manifest[name]); // imported by console.js
    let gzipped = 0;
    for (const file of loaded) gzipped += gzipSync(readFileSync(join(root, 'build/console-assets', file))).length;

    let failed = 0;
    const round = async (think: number, label: string) => {
      const timings = new Map<string, { server: number[]; trip: number[] }>(
        Object.keys(pages).map((name) => [name, { server: [], trip: [] }]),
      );
      const names = Object.keys(pages);
      const until = performance.now() + seconds * 1000;
      await Promise.all(
        people.map(async (person, worker) => {
          for (let n = worker; performance.now() < until; n += 1) {
            if (think > 0) await new Promise((resolve) => setTimeout(resolve, -Math.log(1 - Math.random()) * think));
            const name = names[n % names.length];
            const started = performance.now();
            const answer = await person.request('GET', pages[name]);
            const trip = performance.now() - started;
            if (answer.status !== 200) failed += 1;
            timings.get(name)!.server.push(answer.timing);
            timings.get(name)!.trip.push(trip);
          }
        }),
      );
      let requests = 0;
      let worst = 0;
      console.log(`${label}; server time (Server-Timing) and round trip, ms:`);
      for (const [name, { server, trip }] of timings) {
        server.sort((x, y) => x - y);
        trip.sort((x, y) => x - y);
        requests += server.length;
        worst = Math.max(worst, percentile(server, 95));
        console.log(
          `  ${name.padEnd(28)} n=${String(server.length).padStart(5)}  server p50 ${percentile(server, 50).toFixed(1).padStart(6)}  p95 ${percentile(server, 95).toFixed(1).padStart(6)}   round trip p50 ${percentile(trip, 50).toFixed(1).padStart(6)}  p95 ${percentile(trip, 95).toFixed(1).padStart(6)}`,
        );
      }
      console.log(
        `  ${(requests / seconds).toFixed(1)} pages/s in all; slowest page's server p95 ${worst.toFixed(1)} ms`,
      );
      return worst;
    };
    const worst = await round(
      THINK_MS,
      `${PEOPLE} people at once for ${seconds} s, pausing ${THINK_MS} ms on average between pages`,
    );
    await round(0, `the same ${PEOPLE} people without pausing (the machine saturated: its capacity)`);
    console.log(
      `slowest page's server p95 with ${PEOPLE} people: ${worst.toFixed(1)} ms (target < 150 ms); failed ${failed}`,
    );
    console.log(
      `JavaScript a page loads: ${(gzipped / 1024).toFixed(1)} kB gzip in ${loaded.size} files (target < 50 kB)`,
    );
    if (failed > 0) throw new Error('some pages failed');

    // Live: many people with the inbox open at once, first as the gateway runs (polls of one agency and view
    // shared for CONSOLE_SHARED_READS_MS), then with every poll read alone, as the baseline.
    const watchers = [...people];
    while (watchers.length < LIVE_PEOPLE)
      watchers.push(
        ...(await Promise.all(
          Array.from({ length: Math.min(10, LIVE_PEOPLE - watchers.length) }, (_, j) =>
            signIn(url, admin, AGENCY, watchers.length + j),
          ),
        )),
      );
    const db = await createDataSource({ url: databaseUrl, poolSize: 2, applicationName: 'bench-live' }).initialize();
    const arrival = { agency: AGENCY, sender: seeded.partner, caseReference: seeded.caseReference };
    const rounds: [string, LiveFigures][] = [];
    try {
      for (const shareMs of [undefined, '0']) {
        if (shareMs !== undefined) {
          await stopServiceProcesses(services);
          services = startServiceProcesses(['gateway'], { ...env, CONSOLE_SHARED_READS_MS: shareMs });
          await waitUntilReady(api, ['postgres', 'redis', 'kafka']);
        }
        const label = shareMs === undefined ? 'polls shared (as it runs)' : 'each poll read alone';
        rounds.push([label, await liveRound(db, watchers, seconds, services[0].pid!, arrival)]);
      }
    } finally {
      await db.destroy();
    }
    console.log(
      `${LIVE_PEOPLE} people with the inbox open for ${seconds} s (the first page polled every ${LIVE_EVERY_MS / 1000} s, the counts every 15 s), a new message stored every 2 s:`,
    );
    for (const [label, live] of rounds)
      console.log(
        `  ${label.padEnd(26)} ${(live.polls / seconds).toFixed(0)} polls/s (${((100 * live.notModified) / live.polls).toFixed(0)}% 304)  poll server p50 ${percentile(live.server, 50).toFixed(1)} p95 ${percentile(live.server, 95).toFixed(1)} ms  new message visible p50 ${(percentile(live.visible, 50) / 1000).toFixed(2)} p95 ${(percentile(live.visible, 95) / 1000).toFixed(2)} max ${(live.visible.at(-1)! / 1000).toFixed(2)} s (target < 2 s)  gateway CPU ${live.gatewayCores.toFixed(2)} cores  unseen ${live.unseen}  failed ${live.failed}`,
      );
    const [[, shared], [, alone]] = rounds;
    console.log(
      `  shared / alone: gateway CPU ${(shared.gatewayCores / alone.gatewayCores).toFixed(2)}x, poll server p95 ${(percentile(shared.server, 95) / percentile(alone.server, 95)).toFixed(2)}x`,
    );
    if (rounds.some(([, live]) => live.failed > 0 || live.unseen > 0)) throw new Error('some polls failed');
  } finally {
    await stopServiceProcesses(services);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error('bench:console failed:', error);
    process.exit(1);
  },
);
