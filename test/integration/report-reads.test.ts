import {
  ANSWER_CUBES,
  bucketSeconds,
  chooseCube,
  MATCH_CUBES,
  reportRange,
  RESPONSE_CUBES,
  responseBucket,
  type MatchFact,
  type ReportRange,
} from '@liaison/domain';
import { createDataSource } from '@liaison/persistence';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import {
  MatchCountReadRepository,
  ReportDatabase,
  ResponseReadRepository,
  TeamReadRepository,
} from '../../apps/gateway/src';
import { RefreshPercentilesUseCase, ReportCubeRepository } from '../../apps/tracker/src';
import { ukRequestsToRomania } from '../support/report-facts';

/**
 * The report reads other than volumes (see report-grid.test.ts) on PostgreSQL: requests with their percentiles,
 * open requests against their deadline, matches and teams, each read from rows written as the tracker writes
 * them. The rows are in 1986 (and open requests to partner ZZ), which no other test writes to, and are removed
 * after.
 */
describe('report reads (real PostgreSQL)', () => {
  let db: DataSource;
  let responses: ResponseReadRepository;
  const cubes = new ReportCubeRepository();
  const range = (from: string, granularity: 'month' | 'year'): ReportRange => {
    const result = reportRange({ from, granularity }, { granularities: [granularity], maxPeriods: 100 });
    if ('problem' in result) throw new Error(result.problem.message);
    return result.range;
  };

  beforeAll(async () => {
    db = await createDataSource({
      url: process.env.DATABASE_URL!,
      poolSize: 3,
      applicationName: 'report-reads',
    }).initialize();
    responses = new ResponseReadRepository(new ReportDatabase(db));
    const { counts, answers } = ukRequestsToRomania('1986-05-02');
    await db.transaction(async (manager) => {
      await cubes.add(manager, RESPONSE_CUBES, counts);
      await cubes.add(manager, ANSWER_CUBES, answers);
    });
    while ((await new RefreshPercentilesUseCase(db, cubes).run(100_000)) > 0);
  });

  afterAll(async () => {
    for (const table of ReportCubeRepository.TABLES)
      await db.query(`DELETE FROM ${table} WHERE period BETWEEN '1986-01-01' AND '1986-12-31'`);
    await db.query("DELETE FROM report_open_requests WHERE partner_country = 'ZZ'");
    await db.query("DELETE FROM report_requests WHERE partner_country = 'ZZ'");
    await db.query("DELETE FROM report_jit_meetings WHERE held_on BETWEEN '1986-01-01' AND '1986-12-31'");
    await db.query("DELETE FROM report_jits WHERE created_on BETWEEN '1986-01-01' AND '1986-12-31'");
    await db.destroy();
  });

  const median = bucketSeconds(responseBucket(2 * 3600));
  const p80 = bucketSeconds(responseBucket(30 * 3600));

  it('reads requests with the percentiles kept on their row', async () => {
    const cells = await responses.responseCells(
      chooseCube(RESPONSE_CUBES, 'month', ['priority'])!,
      { country: 'GB' },
      range('1986-05', 'month'),
      ['priority'],
      {},
    );
    expect(cells.sort((a, b) => String(a.values[0]).localeCompare(String(b.values[0])))).toEqual([
      {
        period: '1986-05',
        values: ['normal'],
        counts: { requests: 1, answered: 0, within_deadline: 0 },
        medianSeconds: null,
        p80Seconds: null,
      },
      {
        period: '1986-05',
        values: ['urgent'],
        counts: { requests: 2, answered: 2, within_deadline: 2 },
        medianSeconds: median,
        p80Seconds: p80,
      },
    ]);
  });

  it('merges the answers of several rows, and of a row being recomputed, into the same percentiles', async () => {
    // Two priorities in one cell: the answers of both rows merged.
    const merged = await responses.responseCells(
      chooseCube(RESPONSE_CUBES, 'month', ['partner-country', 'priority'])!,
      { country: 'GB' },
      range('1986-05', 'month'),
      ['partner-country'],
      { priority: ['urgent', 'normal'] },
    );
    expect(merged).toEqual([
      {
        period: '1986-05',
        values: ['RO'],
        counts: { requests: 3, answered: 2, within_deadline: 2 },
        medianSeconds: median,
        p80Seconds: p80,
      },
    ]);
    // A row marked stale (answers added moments ago) is computed from its answers, not from its kept buckets.
    await db.query(
      `UPDATE report_partner_requests_monthly SET percentiles_stale = true, median_bucket = 0, p80_bucket = 0
        WHERE country = 'GB' AND period = '1986-05-01'`,
    );
    const stale = await responses.responseCells(
      chooseCube(RESPONSE_CUBES, 'month', ['partner-country'])!,
      { country: 'GB' },
      range('1986-05', 'month'),
      ['partner-country'],
      {},
    );
    expect(stale.map((cell) => [cell.medianSeconds, cell.p80Seconds])).toEqual([[median, p80]]);
  });

  it('tells open requests within their deadline and approaching it from the counts, the rest overdue', async () => {
    const now = new Date();
    const hours = (n: number) => new Date(now.getTime() + n * 3_600_000);
    await db.query(
      "INSERT INTO report_open_requests (country, partner_country, priority, open) VALUES ('GB', 'ZZ', 'normal', 4)",
    );
    const pending = [
      { approaching: hours(10), deadline: hours(20) },
      { approaching: hours(-1), deadline: hours(5) },
    ];
    for (const { approaching, deadline } of pending)
      await db.query(
        `INSERT INTO report_requests (message_id, recipient_agency, case_reference, country, partner_country, priority, sent_at, approaching_at, deadline)
         VALUES ($1, 'ZZ-TEST', 'LIA-1986-00000001', 'GB', 'ZZ', 'normal', $2, $3, $4)`,
        [randomUUID(), hours(-30), approaching, deadline],
      );
    expect(
      await responses.openRequests({ country: 'GB' }, ['partner-country'], { 'partner-country': ['ZZ'] }, now),
    ).toEqual([{ values: ['ZZ'], within: 1, approaching: 1, overdue: 2 }]);
  });

  it('reads matches found and the decisions on them, for a country and for every country', async () => {
    const match = (country: string, partnerCountry: string, released: number): MatchFact => ({
      day: '1986-07-14',
      country,
      partnerCountry,
      entityType: 'phone',
      strength: 'strong',
      found: 1,
      released,
      declined: 0,
      confirmed: 0,
      dismissed: 0,
    });
    await db.transaction((manager) =>
      cubes.add(manager, MATCH_CUBES, [match('GB', 'RO', 1), match('RO', 'GB', 0), match('GB', 'PL', 0)]),
    );
    const reads = new MatchCountReadRepository(new ReportDatabase(db));
    const grid = await reads.matchGrid(
      chooseCube(MATCH_CUBES, 'year', ['partner-country'])!,
      { country: 'GB' },
      range('1986', 'year'),
      ['partner-country'],
      {},
    );
    expect([...grid.rows()].map(({ values, counts }) => ({ values, counts }))).toEqual([
      { values: ['PL'], counts: [1, 0, 0, 0, 0] },
      { values: ['RO'], counts: [1, 1, 0, 0, 0] },
    ]);
    const everyCountry = await reads.matchGrid(
      chooseCube(MATCH_CUBES, 'year', ['entity-type'])!,
      { country: null },
      range('1986', 'year'),
      [],
      {
        'entity-type': ['phone'],
      },
    );
    expect([...everyCountry.rows()].map(({ counts }) => counts)).toEqual([[3, 1, 0, 0, 0]]);
  });

  it('counts teams live on a day, created per year with the country, and the meetings it took part in and called', async () => {
    const jit = randomUUID();
    await db.query(
      `INSERT INTO report_jits (jit_id, lead_agency, lead_country, members, countries, created_on, starts_on, ends_on)
       VALUES ($1, 'GB-NCA', 'GB', '{GB-NCA,RO-ENU}', '{GB,RO}', '1986-02-01', '1986-02-01', '1987-01-31')`,
      [jit],
    );
    await db.query(
      `INSERT INTO report_jit_meetings (meeting_id, jit_id, held_on, called_by_country, countries)
       VALUES ($1, $2, '1986-03-01', 'RO', '{GB,RO}'), ($3, $2, '1986-04-01', 'GB', '{GB,RO}')`,
      [randomUUID(), jit, randomUUID()],
    );
    const teams = new TeamReadRepository(new ReportDatabase(db));
    expect(await teams.teams('GB', { from: '1986-01-01', to: '1986-12-31' }, '1986-06-01')).toEqual({
      live: 1,
      perYear: [{ year: '1986', created: 1, meetings: 2, calledByCountry: 1 }],
    });
    expect((await teams.teams('PL', { from: '1986-01-01', to: '1986-12-31' }, '1986-06-01')).live).toBe(0);
  });
});
