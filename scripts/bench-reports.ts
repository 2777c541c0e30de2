import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import {
  AgencyRefSchema,
  ConsumerGroups,
  MessageRoutedSchema,
  MessageType,
  Priority,
  qualifiedTopic,
  timedEventId,
  Topics,
} from '@liaison/contracts';
import {
  ANSWER_CUBES,
  approachingFrom,
  EXCHANGE_CUBES,
  exchangeFacts,
  factColumn,
  grainTable,
  MATCH_CUBES,
  matchFacts,
  REPORT_CUBES,
  requestFacts,
  RESPONSE_CUBES,
  type ReportCube,
  type AnswerTimeFact,
  type ExchangeFact,
  type MatchFact,
  type RequestCountFact,
  type RoutedExchange,
} from '@liaison/domain';
import { createKafka, deleteNamespaceTopics, EventPublisher, parseBrokers } from '@liaison/messaging';
import { createLogger } from '@liaison/observability';
import { createDataSource, timeOrderedId } from '@liaison/persistence';
import { ApiClient, seededRandom, waitFor } from '@liaison/testing';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { benchServiceEnvironment } from './bench-environment';
import type { DataSource } from 'typeorm';
import { RefreshPercentilesUseCase, ReportCubeRepository } from '../apps/tracker/src';
import { provision } from './provision';

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
const root = join(__dirname, '..', '..');
const run = Date.now().toString(36);
const namespace = `benchreports.${run}.`;
const databaseUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/liaison_bench_reports';
const brokers = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';
const port = process.env.BENCH_PORT ?? '3191';
const TOTAL = Number(process.env.BENCH_REPORTS_MESSAGES ?? 10_000_000);
const INGEST = Number(process.env.BENCH_REPORTS_INGEST ?? 300_000);
const SAMPLES = Number(process.env.BENCH_REPORTS_SAMPLES ?? 300);
const REUSE = process.env.BENCH_REPORTS_REUSE === '1';
const FIRST_YEAR = 2021;
const YEARS = 5;
const random = seededRandom(2015);

interface Agency {
  code: string;
  country: string;
}

const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];

/** An index from a Zipf distribution over n ranks (rank 0 the most frequent). */
function zipf(n: number, s = 1.1): () => number {
  const weights = Array.from({ length: n }, (_, i) => 1 / (i + 1) ** s);
  const total = weights.reduce((a, b) => a + b, 0);
  const cumulative: number[] = [];
  let sum = 0;
  for (const w of weights) cumulative.push((sum += w / total));
  return () => {
    const r = random();
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] < r) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

function weighted<T>(choices: readonly [T, number][]): () => T {
  const total = choices.reduce((sum, [, w]) => sum + w, 0);
  return () => {
    let r = random() * total;
    for (const [value, w] of choices) if ((r -= w) < 0) return value;
    return choices[choices.length - 1][0];
  };
}

/** A normal deviate (Box-Muller), for log-normal times to answer. */
function normal(): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

const DAY = 86_400_000;
const ALLOWED: Record<string, number> = { 'urgent-direct': 8 * 3_600_000, urgent: 3 * DAY, normal: 7 * DAY };
const PRIORITY_PROTO: Record<string, Priority> = {
  'urgent-direct': Priority.URGENT_DIRECT,
  urgent: Priority.URGENT,
  normal: Priority.NORMAL,
};

/** The traffic model: who sends to whom, what, and how it is answered. */
class Traffic {
  private readonly gb: Agency[];
  private readonly bureau: Agency;
  private readonly byCountry = new Map<string, Agency[]>();
  private readonly partners: string[];
  private readonly gbSender: () => number;
  private readonly partner: () => number;
  readonly crimeArea = weighted<string>([
    ['labour-exploitation', 30],
    ['sexual-exploitation', 30],
    ['criminal-exploitation', 10],
    ['domestic-servitude', 5],
    ['organ-harvesting', 1],
    ['other-trafficking', 6],
    ['organised-immigration-crime', 8],
    ['', 10],
  ]);
  readonly type = weighted<'request' | 'cross-check' | 'information'>([
    ['request', 40],
    ['cross-check', 10],
    ['information', 50],
  ]);
  readonly priority = weighted<string>([
    ['normal', 80],
    ['urgent', 15],
    ['urgent-direct', 5],
  ]);
  readonly recipientCount = weighted<number>([
    [1, 70],
    [2, 20],
    [3, 10],
  ]);

  constructor(agencies: Agency[]) {
    for (const agency of agencies)
      this.byCountry.set(agency.country, [...(this.byCountry.get(agency.country) ?? []), agency]);
    this.gb = this.byCountry.get('GB')!;
    this.bureau = this.gb.find((a) => a.code === 'GB-NCA-UKLB')!;
    const preferred = [
      'RO',
      'PL',
      'AL',
      'BG',
      'LT',
      'VN',
      'NL',
      'EU',
      'FR',
      'ES',
      'SK',
      'HU',
      'NG',
      'CZ',
      'DE',
      'IT',
      'LV',
      'IE',
      'BE',
      'PT',
    ];
    this.partners = [
      ...preferred.filter((c) => this.byCountry.has(c)),
      ...[...this.byCountry.keys()].filter((c) => c !== 'GB' && !preferred.includes(c)).sort(),
    ];
    this.gbSender = zipf(this.gb.length, 1.0);
    this.partner = zipf(this.partners.length, 1.1);
  }

  sender(): Agency {
    if (random() < 0.55) return random() < 0.33 ? this.bureau : this.gb[this.gbSender()];
    return pick(this.byCountry.get(this.partners[this.partner()])!);
  }

  recipients(sender: Agency): Agency[] {
    const chosen = new Map<string, Agency>();
    const count = this.recipientCount();
    for (let i = 0; i < count * 3 && chosen.size < count; i++) {
      let agency: Agency;
      if (sender.country === 'GB')
        agency =
          sender !== this.bureau && random() < 0.4
            ? random() < 0.7
              ? this.bureau
              : pick(this.gb)
            : pick(this.byCountry.get(this.partners[this.partner()])!);
      else
        agency =
          random() < 0.7
            ? random() < 0.6
              ? this.bureau
              : pick(this.gb)
            : pick(this.byCountry.get(this.partners[this.partner()])!);
      if (agency.code !== sender.code) chosen.set(agency.code, agency);
    }
    if (chosen.size === 0)
      chosen.set(
        this.bureau.code === sender.code ? 'RO-ENU' : this.bureau.code,
        this.bureau.code === sender.code ? this.byCountry.get('RO')![0] : this.bureau,
      );
    return [...chosen.values()];
  }

  anyAgency(): Agency {
    return random() < 0.5 ? pick(this.gb) : pick(this.byCountry.get(this.partners[this.partner()])!);
  }
}

/** Inserts rows in chunks with one unnest per chunk; array columns travel as their text form. */
async function insertRows(
  db: DataSource,
  table: string,
  columns: readonly (readonly [string, string])[],
  rows: readonly unknown[][],
): Promise<void> {
  const isArray = columns.map(([, type]) => type.endsWith('[]'));
  for (let i = 0; i < rows.length; i += 20_000) {
    const chunk = rows.slice(i, i + 20_000);
    await db.query(
      `INSERT INTO ${table} (${columns.map(([c]) => c).join(', ')})
       SELECT ${columns.map(([, type], j) => (isArray[j] ? `c${j}::${type}` : `c${j}`)).join(', ')}
         FROM unnest(${columns.map(([, type], j) => `$${j + 1}::${isArray[j] ? 'text' : type}[]`).join(', ')}) AS u(${columns.map((_, j) => `c${j}`).join(', ')})`,
      columns.map((_, j) => chunk.map((row) => (isArray[j] ? `{${(row[j] as string[]).join(',')}}` : row[j]))),
    );
  }
}

/** Sums a table's monthly rows into its quarterly or yearly ones (the tracker adds to every grain as it goes). */
async function rollUp(db: DataSource, cube: ReportCube, grain: 'quarter' | 'year'): Promise<void> {
  const keys = ['country', ...cube.keys.map(factColumn)];
  const counts = cube.counts.map(factColumn);
  await db.query(
    `INSERT INTO ${grainTable(cube.table, grain)} (period, ${[...keys, ...counts].join(', ')})
     SELECT date_trunc('${grain}', period)::date, ${keys.join(', ')}, ${counts.map((c) => `sum(${c})`).join(', ')}
       FROM ${grainTable(cube.table, 'month')} GROUP BY 1, ${keys.map((_, i) => i + 2).join(', ')}`,
  );
}

interface Pending {
  request: { messageId: string; sender: Agency; sentAt: Date; crimeArea: string };
  recipient: Agency;
  at: Date;
}

/** Generates and loads five years of facts; returns the message count. */
async function load(db: DataSource, traffic: Traffic): Promise<number> {
  const months = YEARS * 12;
  const weights = Array.from({ length: months }, (_, m) => 1.15 ** (m / 12));
  const weightTotal = weights.reduce((a, b) => a + b, 0);
  const answersDue = new Map<number, Pending[]>();
  let messages = 0;
  let matchesFound = 0;
  const started = Date.now();
  const cubes = new ReportCubeRepository();
  for (let m = 0; m < months; m++) {
    const year = FIRST_YEAR + Math.floor(m / 12);
    const month = m % 12;
    const monthStart = Date.UTC(year, month, 1);
    const monthLength = Date.UTC(year, month + 1, 1) - monthStart;
    const originating = Math.round(((TOTAL / 1.5) * weights[m]) / weightTotal);
    const exchanges: ExchangeFact[] = [];
    const requestCounts: RequestCountFact[] = [];
    const times: AnswerTimeFact[] = [];
    const matches: MatchFact[] = [];
    const requestRows: unknown[][] = [];
    const matchRows: unknown[][] = [];
    const count = (message: RoutedExchange) => {
      for (const fact of exchangeFacts(message)) exchanges.push(fact);
      messages += 1;
    };
    for (let i = 0; i < originating; i++) {
      const at = new Date(monthStart + Math.floor(random() * monthLength));
      const day = at.toISOString().slice(0, 10);
      const sender = traffic.sender();
      const recipients = traffic.recipients(sender);
      const type = traffic.type();
      const crimeArea = traffic.crimeArea();
      count({
        day,
        sender: { agency: sender.code, country: sender.country },
        recipients: recipients.map((r) => ({ agency: r.code, country: r.country })),
        messageType: type,
        crimeArea,
      });
      if (type !== 'information') {
        const priority = traffic.priority();
        const deadline = new Date(at.getTime() + ALLOWED[priority]);
        const messageId = timeOrderedId(at.getTime());
        for (const recipient of recipients) {
          const answered = random() < 0.85;
          // Log-normal times to answer: the median at 40% of the time allowed, one in five or so late.
          const answeredAt = answered
            ? new Date(at.getTime() + Math.max(60_000, ALLOWED[priority] * 0.4 * Math.exp(0.9 * normal())))
            : null;
          const closedAt = !answered && random() < 0.9 ? new Date(at.getTime() + 30 * DAY) : null;
          const facts = requestFacts({
            country: sender.country,
            partnerCountry: recipient.country,
            priority,
            sentAt: at,
            deadline,
            answeredAt,
          });
          requestCounts.push(facts.counts);
          times.push(...facts.times);
          requestRows.push([
            messageId,
            recipient.code,
            `LIA-${year}-BENCH${i}`,
            sender.country,
            recipient.country,
            priority,
            at,
            approachingFrom(at, deadline),
            deadline,
            answeredAt,
            closedAt,
          ]);
          if (answeredAt) {
            const dueMonth = (answeredAt.getUTCFullYear() - FIRST_YEAR) * 12 + answeredAt.getUTCMonth();
            const due = answersDue.get(dueMonth) ?? answersDue.set(dueMonth, []).get(dueMonth)!;
            due.push({ request: { messageId, sender, sentAt: at, crimeArea }, recipient, at: answeredAt });
          }
        }
      }
      if (random() < 0.04) {
        const other = traffic.anyAgency();
        if (other.code !== sender.code) {
          matchesFound += 1;
          const strength: 'strong' | 'candidate' = random() < 0.8 ? 'strong' : 'candidate';
          const decision = weighted<'released' | 'declined' | 'pending'>([
            ['released', 60],
            ['declined', 10],
            ['pending', 30],
          ]);
          const state = {
            foundOn: day,
            entityType: pick(['phone', 'phone', 'person', 'iban', 'email', 'vehicle', 'document']),
            strength,
            a: { agency: sender.code, country: sender.country, decision: decision() },
            b: { agency: other.code, country: other.country, decision: decision() },
            candidateState: strength === 'candidate' ? pick(['confirmed', 'dismissed', 'suggested'] as const) : null,
          };
          matches.push(...matchFacts(state));
          matchRows.push([
            randomUUID(),
            day,
            state.entityType,
            strength,
            state.a.agency,
            state.a.country,
            state.a.decision,
            state.b.agency,
            state.b.country,
            state.b.decision,
            state.candidateState,
            at,
          ]);
        }
      }
    }
    // This month's answers (to requests of this month and earlier ones) are messages too.
    for (const answer of answersDue.get(m) ?? []) {
      count({
        day: answer.at.toISOString().slice(0, 10),
        sender: { agency: answer.recipient.code, country: answer.recipient.country },
        recipients: [{ agency: answer.request.sender.code, country: answer.request.sender.country }],
        messageType: 'reply',
        crimeArea: answer.request.crimeArea,
      });
    }
    answersDue.delete(m);
    for (const cube of EXCHANGE_CUBES)
      await cubes.add(
        db,
        [cube],
        exchanges,
        cube.grains.filter((g) => g === 'day' || g === 'month'),
      );
    await cubes.add(db, RESPONSE_CUBES, requestCounts, ['month']);
    await cubes.add(db, ANSWER_CUBES, times, ['month']);
    await cubes.add(db, MATCH_CUBES, matches, ['month']);
    await insertRows(
      db,
      'report_requests',
      [
        ['message_id', 'uuid'],
        ['recipient_agency', 'text'],
        ['case_reference', 'text'],
        ['country', 'text'],
        ['partner_country', 'text'],
        ['priority', 'text'],
        ['sent_at', 'timestamptz'],
        ['approaching_at', 'timestamptz'],
        ['deadline', 'timestamptz'],
        ['answered_at', 'timestamptz'],
        ['closed_at', 'timestamptz'],
      ],
      requestRows,
    );
    await insertRows(
      db,
      'report_matches',
      [
        ['match_id', 'uuid'],
        ['found_on', 'date'],
        ['entity_type', 'text'],
        ['strength', 'text'],
        ['a_agency', 'text'],
        ['a_country', 'text'],
        ['a_decision', 'text'],
        ['b_agency', 'text'],
        ['b_country', 'text'],
        ['b_decision', 'text'],
        ['candidate_state', 'text'],
        ['updated_at', 'timestamptz'],
      ],
      matchRows,
    );
    await loadTeams(db, traffic, year, month);
    if (month === 11)
      console.log(
        `[bench] ${year} loaded: ${messages.toLocaleString('en')} messages, ${matchesFound.toLocaleString('en')} matches so far (${((Date.now() - started) / 1000).toFixed(0)} s)`,
      );
  }
  for (const cube of REPORT_CUBES)
    for (const grain of (['quarter', 'year'] as const).filter((g) => cube.grains.includes(g)))
      await rollUp(db, cube, grain);
  // The open requests per country, partner and priority, as the tracker keeps them.
  await db.query(`INSERT INTO report_open_requests (country, partner_country, priority, open)
                  SELECT country, partner_country, priority, count(*) FROM report_requests WHERE answered_at IS NULL AND closed_at IS NULL GROUP BY 1, 2, 3`);
  // Statistics for the loaded rows first, then every row's percentiles, as the tracker computes them.
  await maintain(db, 'ANALYZE');
  const refresh = new RefreshPercentilesUseCase(db, cubes);
  while ((await refresh.run(20_000)) > 0);
  await settle(db);
  return messages;
}

/**
 * Leaves the loaded database as five years of running would: vacuumed and analysed as autovacuum leaves it
 * (statistics, and the visibility map that index-only scans need), and checkpointed. A bulk load leaves
 * gigabytes of pages to be written out; without the checkpoint the checkpointer would write them, spread over
 * minutes, while the ingest and the reports are measured.
 */
async function settle(db: DataSource): Promise<void> {
  await maintain(db, 'VACUUM ANALYZE');
  try {
    await maintain(db, 'CHECKPOINT');
  } catch (error) {
    // Refused to a role that is neither superuser nor a member of pg_checkpoint: measured all the same, and said.
    if ((error as { code?: string }).code !== '42501') throw error;
    console.log(
      '[bench] not checkpointed (this role may not run CHECKPOINT): the checkpointer may still be writing the load out while it is measured',
    );
  }
}

/** Runs a maintenance command over the whole database, without the connections' statement timeout. */
async function maintain(db: DataSource, command: 'ANALYZE' | 'VACUUM ANALYZE' | 'CHECKPOINT'): Promise<void> {
  const runner = db.createQueryRunner();
  try {
    await runner.query('SET statement_timeout = 0');
    await runner.query(command);
  } finally {
    await runner.query('RESET statement_timeout');
    await runner.release();
  }
}

/** Twenty-five teams a month, two to four countries each, eighteen months long, with a meeting every couple of months. */
async function loadTeams(db: DataSource, traffic: Traffic, year: number, month: number): Promise<void> {
  const teams: unknown[][] = [];
  const meetings: unknown[][] = [];
  for (let i = 0; i < 25; i++) {
    const lead = traffic.anyAgency();
    const members = [lead, ...Array.from({ length: 1 + Math.floor(random() * 3) }, () => traffic.anyAgency())];
    const countries = [...new Set(members.map((a) => a.country))].sort();
    const created = new Date(Date.UTC(year, month, 1 + Math.floor(random() * 28)));
    const ends = new Date(created.getTime() + 548 * DAY);
    const jitId = randomUUID();
    teams.push([
      jitId,
      lead.code,
      lead.country,
      [...new Set(members.map((a) => a.code))],
      countries,
      created,
      created,
      ends,
    ]);
    for (
      let t = created.getTime() + 20 * DAY;
      t < ends.getTime() && t < Date.UTC(FIRST_YEAR + YEARS, 0, 1);
      t += (30 + random() * 60) * DAY
    ) {
      const caller = pick(members);
      meetings.push([randomUUID(), jitId, new Date(t), caller.country, countries]);
    }
  }
  await insertRows(
    db,
    'report_jits',
    [
      ['jit_id', 'uuid'],
      ['lead_agency', 'text'],
      ['lead_country', 'text'],
      ['members', 'text[]'],
      ['countries', 'text[]'],
      ['created_on', 'date'],
      ['starts_on', 'date'],
      ['ends_on', 'date'],
    ],
    teams,
  );
  await insertRows(
    db,
    'report_jit_meetings',
    [
      ['meeting_id', 'uuid'],
      ['jit_id', 'uuid'],
      ['held_on', 'date'],
      ['called_by_country', 'text'],
      ['countries', 'text[]'],
    ],
    meetings,
  );
}

/**
 * Routed messages for the ingest run, in the order they are routed, as the tracker meets them live: requests,
 * cross-checks and information from 1 December 2025 at the five-year traffic's rate, and the answers when they
 * come.
 */
function ingestEvents(traffic: Traffic, count: number): Parameters<EventPublisher['publish']>[1] {
  const timed: { at: number; event: Parameters<EventPublisher['publish']>[1][number] }[] = [];
  const perDay = TOTAL / 1.5 / (YEARS * 365);
  let at = Date.UTC(2025, 11, 1);
  let originating = 0;
  while (timed.length < count) {
    at += (-Math.log(1 - random()) * DAY) / perDay;
    const sentAt = new Date(at);
    const sender = traffic.sender();
    const recipients = traffic.recipients(sender);
    const type = traffic.type();
    const messageId = timeOrderedId(at);
    const caseReference = `LIA-2025-INGEST${(originating += 1)}`;
    const priority = traffic.priority();
    const payload = create(MessageRoutedSchema, {
      messageId,
      caseReference,
      sender: create(AgencyRefSchema, { code: sender.code, country: sender.country }),
      recipients: recipients.map((r) => create(AgencyRefSchema, { code: r.code, country: r.country })),
      submittedAt: timestampFromDate(sentAt),
      routedAt: timestampFromDate(sentAt),
      type:
        type === 'request'
          ? MessageType.REQUEST
          : type === 'cross-check'
            ? MessageType.CROSS_CHECK
            : MessageType.INFORMATION,
      priority: PRIORITY_PROTO[priority],
      answerDeadline:
        type === 'information' ? undefined : timestampFromDate(new Date(sentAt.getTime() + ALLOWED[priority])),
      crimeArea: traffic.crimeArea(),
    });
    timed.push({
      at,
      event: {
        eventId: timedEventId(sentAt, Topics.messageRouted, messageId),
        key: caseReference,
        correlationId: messageId,
        payload,
      },
    });
    if (type === 'information') continue;
    for (const recipient of recipients) {
      if (random() > 0.85) continue;
      const answeredAt = new Date(
        sentAt.getTime() + Math.max(60_000, ALLOWED[priority] * 0.4 * Math.exp(0.9 * normal())),
      );
      const replyId = timeOrderedId(answeredAt.getTime());
      timed.push({
        at: answeredAt.getTime(),
        event: {
          eventId: timedEventId(answeredAt, Topics.messageRouted, replyId),
          key: caseReference,
          correlationId: replyId,
          payload: create(MessageRoutedSchema, {
            messageId: replyId,
            caseReference,
            sender: create(AgencyRefSchema, { code: recipient.code, country: recipient.country }),
            recipients: [payload.sender!],
            submittedAt: timestampFromDate(answeredAt),
            routedAt: timestampFromDate(answeredAt),
            type: MessageType.REPLY,
            inReplyTo: messageId,
            crimeArea: payload.crimeArea,
          }),
        },
      });
    }
  }
  return timed
    .sort((a, b) => a.at - b.at)
    .slice(0, count)
    .map(({ event }) => event);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
}

function start(name: string, env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, [join(root, 'dist/apps', name, 'src/main.js')], {
    env: process.env.BENCH_LOG ? { ...env, LOG_LEVEL: 'debug', LOG_FORMAT: 'json' } : env,
    stdio: ['ignore', process.env.BENCH_LOG ? 'inherit' : 'ignore', 'inherit'],
  });
}

/** The report shapes timed: each report in the breakdowns a programme lead uses, for one year and for five. */
function reportQueries(span: '1 year' | '5 years'): [report: string, path: string][] {
  const range = span === '1 year' ? 'from=2025' : 'from=2021&to=2025';
  const quarters = span === '1 year' ? 'from=2025&granularity=quarter' : 'from=2021&to=2025&granularity=quarter';
  const months = span === '1 year' ? 'from=2025&granularity=month' : 'from=2021&to=2025&granularity=month';
  const days = span === '1 year' ? 'from=2025-01-01&to=2025-12-31' : 'from=2021-01-01&to=2025-12-31';
  return [
    ['volumes', `/v1/reports/volumes?${days}&by=direction`],
    ['volumes', `/v1/reports/volumes?${range}&by=direction,partner-country`],
    ['volumes', `/v1/reports/volumes?${months}&by=direction`],
    ['volumes', `/v1/reports/volumes?${range}&by=agency`],
    ['volumes', `/v1/reports/volumes?${quarters}&by=region,direction`],
    ['volumes', `/v1/reports/volumes?${range}&by=agency,partner-country&direction=outbound`],
    ['volumes', `/v1/reports/volumes?${range}&by=agency,message-type,crime-area`],
    ['volumes', `/v1/reports/volumes?${months}&by=crime-area,message-type,direction`],
    ['volumes', `/v1/reports/volumes?${range}&by=partner-country&message-type=request&partner-country=EU,RO`],
    ['response-times', `/v1/reports/response-times?${months}`],
    ['response-times', `/v1/reports/response-times?${range}&by=partner-country,priority`],
    ['response-times', `/v1/reports/response-times?${quarters}&by=priority`],
    ['response-times', `/v1/reports/response-times?${months}&by=priority&partner-country=EU,RO,PL`],
    ['deadlines', '/v1/reports/deadlines'],
    ['deadlines', '/v1/reports/deadlines?by=partner-country,priority'],
    ['matches', `/v1/reports/matches?${months}&by=partner-country`],
    ['matches', `/v1/reports/matches?${range}&by=partner-country,entity-type,strength`],
    ['jits', `/v1/reports/jits?${range}`],
  ];
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

/**
 * Times every report shape through the gateway at BENCH_REPORTS_URL, as the leads whose keys BENCH_REPORTS_KEYS
 * lists (a national and a European one, asking alternately), and prints p50, p99 and each shape's slowest answer.
 */
async function timeReports(): Promise<void> {
  const api = new ApiClient(process.env.BENCH_REPORTS_URL!);
  const leads = process.env.BENCH_REPORTS_KEYS!.split(',').map((key) => api.as(key));
  console.log(
    `\n[bench] reports over ${Number(process.env.BENCH_REPORTS_TOTAL).toLocaleString('en')} messages, ${SAMPLES} samples per report and span (national and European lead alternately):`,
  );
  console.log('[bench]   report           span      shapes   p50 ms   p99 ms   max ms   rows (largest)');
  const p99s = new Map<string, number>();
  for (const span of ['1 year', '5 years'] as const) {
    const queries = reportQueries(span);
    for (const report of [...new Set(queries.map(([r]) => r))]) {
      const shapes = queries.filter(([r]) => r === report).map(([, path]) => path);
      const latencies: number[] = [];
      const byShape = new Map<string, number[]>();
      let largest = 0;
      for (let i = 0; i < SAMPLES + shapes.length * 2; i++) {
        const path = shapes[i % shapes.length];
        const lead = leads[Math.floor(i / shapes.length) % 2];
        const accept = i % 5 === 4 ? 'text/csv' : 'application/json';
        // Timed from sending the request to receiving the last byte of the answer; read as JSON afterwards.
        const began = performance.now();
        const answer = await fetch(`${lead.baseUrl}${path}`, {
          headers: { authorization: `Bearer ${lead.key}`, accept },
        });
        const text = await answer.text();
        const elapsed = performance.now() - began;
        if (answer.status !== 200) throw new Error(`${path} answered ${answer.status}: ${text.slice(0, 300)}`);
        const response = {
          body: accept === 'application/json' ? (JSON.parse(text) as { rows?: unknown[]; years?: unknown[] }) : {},
        };
        // The first round of each shape warms the caches and is not counted.
        if (i >= shapes.length * 2) {
          latencies.push(elapsed);
          byShape.set(path, [...(byShape.get(path) ?? []), elapsed]);
        }
        if (accept === 'application/json')
          largest = Math.max(largest, (response.body.rows ?? response.body.years ?? []).length);
      }
      latencies.sort((a, b) => a - b);
      const p99 = percentile(latencies, 0.99);
      p99s.set(`${report} ${span}`, p99);
      console.log(
        `[bench]   ${report.padEnd(16)} ${span.padEnd(9)} ${String(shapes.length).padStart(6)} ${percentile(latencies, 0.5).toFixed(1).padStart(8)} ${p99.toFixed(1).padStart(8)} ${latencies[latencies.length - 1].toFixed(1).padStart(8)}   ${largest}`,
      );
      // Each shape's slowest answer, to show where the time goes.
      for (const [path, times] of byShape)
        console.log(
          `[bench]       ${Math.max(...times)
            .toFixed(1)
            .padStart(8)} ms  ${path}`,
        );
    }
  }
  const worst = Math.max(...p99s.values());
  const growth = Math.max(
    ...[...p99s]
      .filter(([k]) => k.endsWith('5 years'))
      .map(([k, v]) => v / (p99s.get(k.replace('5 years', '1 year')) ?? v)),
  );
  console.log(
    `\n[bench] slowest report p99: ${worst.toFixed(1)} ms (target < 100 ms: ${(worst / 100).toFixed(2)}x of the limit); largest p99 growth from one year to five: ${growth.toFixed(2)}x`,
  );
}

(process.argv[2] === 'time-reports' ? timeReports() : main()).catch((error: unknown) => {
  console.error('bench:reports failed:', error instanceof Error ? error.message : error);
  process.exit(1);
});
