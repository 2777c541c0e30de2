import { AgencyEntity, createDataSource, loadAgencyRegister, seedAgencies } from '@liaison/persistence';
import { EXCHANGE_CUBES, grainTable, MATCH_CUBES, reportCube, type ExchangeFact } from '@liaison/domain';
import { ReportCubeRepository } from '../../apps/tracker/src';
import type { DataSource, QueryRunner } from 'typeorm';

describe('database schema', () => {
  let dataSource: DataSource;

  beforeAll(async () => {
    dataSource = await createDataSource({
      url: process.env.DATABASE_URL!,
      poolSize: 2,
      applicationName: 'test-schema',
    }).initialize();
  });

  afterAll(async () => {
    await dataSource.destroy();
  });

  it('matches the entities exactly (no entity change without a migration)', async () => {
    const pending = await dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((q) => q.query)).toEqual([]);
  });

  it('has run every migration', async () => {
    expect(await dataSource.showMigrations()).toBe(false);
  });

  it('holds the whole agency register, and seeding again changes nothing', async () => {
    const register = loadAgencyRegister();
    expect(await dataSource.getRepository(AgencyEntity).count()).toBe(register.length);
    await seedAgencies(dataSource);
    expect(await dataSource.getRepository(AgencyEntity).count()).toBe(register.length);
    expect(await dataSource.getRepository(AgencyEntity).findOneByOrFail({ code: 'RO-ENU' })).toMatchObject({
      name: 'Romania Europol National Unit',
      country: 'RO',
      region: null,
    });
  });

  it('keeps room on the pages of every exchange and match cube at every grain, a cube added later too', async () => {
    // Storage parameters are not part of the entities, so the check that entities match the migrations cannot
    // see a new cube table created without them.
    const tables = [...EXCHANGE_CUBES, ...MATCH_CUBES].flatMap((cube) =>
      cube.grains.map((grain) => grainTable(cube.table, grain)),
    );
    const rows: { table: string; options: string[] | null }[] = await dataSource.query(
      `SELECT relname AS table, reloptions AS options FROM pg_class WHERE relname = ANY($1::text[]) AND relkind = 'r'`,
      [tables],
    );
    expect(rows.map((row) => row.table).sort()).toEqual([...tables].sort());
    expect(rows.filter((row) => !(row.options ?? []).includes('fillfactor=80')).map((row) => row.table)).toEqual([]);
  });

  it("leaves room on the tracker's counter pages: adding to stored counts is mostly heap-only (HOT) updates", async () => {
    // 2,000 rows of one table written in one upsert, then added to: on full pages every new version would go
    // to another page, with a new index entry; with room kept, a share of them stays on its page. In 1989, a
    // year no other test writes to, and rolled back.
    const facts: ExchangeFact[] = Array.from({ length: 2000 }, (_, i) => ({
      day: '1989-06-01',
      country: 'GB',
      agency: `GB-FILL-${String(i).padStart(4, '0')}`,
      direction: 'outbound',
      partnerCountry: 'RO',
      messageType: 'request',
      crimeArea: '',
      messages: 1,
      agencyMessages: 1,
      partnerMessages: 1,
      countryMessages: 1,
    }));
    const table = 'report_agency_partner_exchanges_yearly';
    const runner = dataSource.createQueryRunner();
    try {
      await runner.startTransaction();
      const cubes = new ReportCubeRepository();
      const cube = reportCube('report_agency_partner_exchanges', 'exchanges');
      await cubes.add(runner, [cube], facts, ['year']);
      const before = await hotUpdates(runner, table);
      await cubes.add(runner, [cube], facts, ['year']);
      const [{ sum }] = await runner.query(
        `SELECT sum(messages)::int AS sum FROM ${table} WHERE period = '1989-01-01' AND agency LIKE 'GB-FILL-%'`,
      );
      expect(sum).toBe(4000);
      // About a quarter of a page's rows fit in the room a fifth of the page leaves; with full pages, only
      // those on the table's last page could be.
      expect((await hotUpdates(runner, table)) - before).toBeGreaterThan(300);
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  });
});

/** The heap-only updates of a table in this transaction so far. */
async function hotUpdates(runner: QueryRunner, table: string): Promise<number> {
  const [{ n }]: { n: number }[] = await runner.query(
    `SELECT pg_stat_get_xact_tuples_hot_updated($1::regclass)::int AS n`,
    [table],
  );
  return n;
}
