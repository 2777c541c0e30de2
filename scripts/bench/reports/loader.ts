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
import { timeOrderedId } from '@liaison/persistence';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { RefreshPercentilesUseCase, ReportCubeRepository } from '../../../apps/tracker/src';

import { FIRST_YEAR, random, TOTAL, YEARS } from './settings';
import { ALLOWED, DAY, normal, pick, Traffic, weighted, type Agency } from './traffic';

/** Inserts rows in chunks with one unnest per chunk; array columns travel as their text form. */
export async function insertRows(
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
export async function rollUp(db: DataSource, cube: ReportCube, grain: 'quarter' | 'year'): Promise<void> {
  const keys = ['country', ...cube.keys.map(factColumn)];
  const counts = cube.counts.map(factColumn);
  await db.query(
    `INSERT INTO ${grainTable(cube.table, grain)} (period, ${[...keys, ...counts].join(', ')})
     SELECT date_trunc('${grain}', period)::date, ${keys.join(', ')}, ${counts.map((c) => `sum(${c})`).join(', ')}
       FROM ${grainTable(cube.table, 'month')} GROUP BY 1, ${keys.map((_, i) => i + 2).join(', ')}`,
  );
}

export interface Pending {
  request: { messageId: string; sender: Agency; sentAt: Date; crimeArea: string };
  recipient: Agency;
  at: Date;
}

/** Generates and loads five years of facts; returns the message count. */
export async function load(db: DataSource, traffic: Traffic): Promise<number> {
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
export async function settle(db: DataSource): Promise<void> {
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
export async function maintain(db: DataSource, command: 'ANALYZE' | 'VACUUM ANALYZE' | 'CHECKPOINT'): Promise<void> {
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
export async function loadTeams(db: DataSource, traffic: Traffic, year: number, month: number): Promise<void> {
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
