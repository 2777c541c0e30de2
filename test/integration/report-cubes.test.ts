import { ANSWER_CUBES, EXCHANGE_CUBES, exchangeFacts, RESPONSE_CUBES, responseBucket } from '@liaison/domain';
import { createDataSource } from '@liaison/persistence';
import type { DataSource, QueryRunner } from 'typeorm';
import { RefreshPercentilesUseCase, ReportCubeRepository } from '../../apps/tracker/src';
import { ukRequestsToRomania } from '../support/report-facts';

/**
 * The tracker's writes to the cubes on PostgreSQL: the rows an upsert leaves, what a second batch adds to them,
 * and the percentiles kept on request-count rows. Each test writes in 1988, a year no other test writes to, and
 * rolls back.
 */
describe('the report cubes (real PostgreSQL)', () => {
  let db: DataSource;
  let runner: QueryRunner;
  const cubes = new ReportCubeRepository();

  beforeAll(async () => {
    db = await createDataSource({
      url: process.env.DATABASE_URL!,
      poolSize: 3,
      applicationName: 'report-cubes-test',
    }).initialize();
  });

  afterAll(async () => {
    await db.destroy();
  });

  beforeEach(async () => {
    runner = db.createQueryRunner();
    await runner.startTransaction();
  });

  afterEach(async () => {
    await runner.rollbackTransaction();
    await runner.release();
  });

  const exchange = (day: string) =>
    exchangeFacts({
      day,
      sender: { agency: 'GB-WMP', country: 'GB' },
      recipients: [
        { agency: 'RO-ENU', country: 'RO' },
        { agency: 'GB-NCA-UKLB', country: 'GB' },
      ],
      messageType: 'request',
      crimeArea: 'labour-exploitation',
    });

  it('adds exchange facts to every cube and grain, and a second batch adds to the same rows', async () => {
    await cubes.add(runner.manager, EXCHANGE_CUBES, [...exchange('1988-03-04'), ...exchange('1988-03-20')]);
    await cubes.add(runner.manager, EXCHANGE_CUBES, exchange('1988-11-30'));
    expect(
      await runner.query(
        `SELECT country, period::text, direction, country_messages::int AS n FROM report_country_directions_monthly
          WHERE period BETWEEN '1988-01-01' AND '1988-12-31' ORDER BY 1, 2, 3`,
      ),
    ).toEqual([
      { country: '*', period: '1988-03-01', direction: 'domestic', n: 2 },
      { country: '*', period: '1988-03-01', direction: 'inbound', n: 2 },
      { country: '*', period: '1988-03-01', direction: 'outbound', n: 2 },
      { country: '*', period: '1988-11-01', direction: 'domestic', n: 1 },
      { country: '*', period: '1988-11-01', direction: 'inbound', n: 1 },
      { country: '*', period: '1988-11-01', direction: 'outbound', n: 1 },
      { country: 'GB', period: '1988-03-01', direction: 'domestic', n: 2 },
      { country: 'GB', period: '1988-03-01', direction: 'outbound', n: 2 },
      { country: 'GB', period: '1988-11-01', direction: 'domestic', n: 1 },
      { country: 'GB', period: '1988-11-01', direction: 'outbound', n: 1 },
      { country: 'RO', period: '1988-03-01', direction: 'inbound', n: 2 },
      { country: 'RO', period: '1988-11-01', direction: 'inbound', n: 1 },
    ]);
    // Per agency and partner, by year: one row per agency, direction and partner, summed over both batches.
    expect(
      await runner.query(
        `SELECT agency, direction, partner_country, messages::int AS n FROM report_agency_partner_exchanges_yearly
          WHERE period = '1988-01-01' ORDER BY 1, 2, 3`,
      ),
    ).toEqual([
      { agency: 'GB-WMP', direction: 'domestic', partner_country: 'GB', n: 3 },
      { agency: 'GB-WMP', direction: 'outbound', partner_country: 'RO', n: 3 },
      { agency: 'RO-ENU', direction: 'inbound', partner_country: 'GB', n: 3 },
    ]);
  });

  it('marks request-count rows stale when added to, and keeps their percentiles from the answers once refreshed', async () => {
    const { counts, answers } = ukRequestsToRomania('1988-05-02');
    await cubes.add(runner.manager, RESPONSE_CUBES, counts);
    await cubes.add(runner.manager, ANSWER_CUBES, answers);
    const rows = () =>
      runner.query(
        `SELECT country, priority, requests::int, answered::int, median_bucket, p80_bucket, percentiles_stale AS stale
           FROM report_priority_requests_monthly WHERE period = '1988-05-01' ORDER BY 1, 2`,
      );
    expect(await rows()).toEqual([
      {
        country: '*',
        priority: 'normal',
        requests: 1,
        answered: 0,
        median_bucket: null,
        p80_bucket: null,
        stale: true,
      },
      {
        country: '*',
        priority: 'urgent',
        requests: 2,
        answered: 2,
        median_bucket: null,
        p80_bucket: null,
        stale: true,
      },
      {
        country: 'GB',
        priority: 'normal',
        requests: 1,
        answered: 0,
        median_bucket: null,
        p80_bucket: null,
        stale: true,
      },
      {
        country: 'GB',
        priority: 'urgent',
        requests: 2,
        answered: 2,
        median_bucket: null,
        p80_bucket: null,
        stale: true,
      },
    ]);
    // The refresh runs in transactions of its own: on a data source whose one connection is this transaction's.
    const inTransaction = {
      transaction: (work: (m: typeof runner.manager) => Promise<number>) => work(runner.manager),
    };
    const refresh = new RefreshPercentilesUseCase(inTransaction as unknown as DataSource, cubes);
    expect(await refresh.run(100_000)).toBeGreaterThanOrEqual(4);
    const urgent = (await rows()).filter((row: { priority: string }) => row.priority === 'urgent');
    // Two answers: the median is the first, the 80th percentile the second.
    expect(urgent.map((row: { median_bucket: number; p80_bucket: number; stale: boolean }) => row)).toEqual(
      ['*', 'GB'].map((country) => ({
        country,
        priority: 'urgent',
        requests: 2,
        answered: 2,
        median_bucket: responseBucket(2 * 3600),
        p80_bucket: responseBucket(30 * 3600),
        stale: false,
      })),
    );
    expect((await rows()).filter((row: { stale: boolean }) => row.stale)).toEqual([]);
  });
});
