import { AgencyEntity, createDataSource, loadAgencyRegister, seedAgencies } from '@liaison/persistence';
import type { DataSource } from 'typeorm';

describe('database schema', () => {
  let dataSource: DataSource;

  beforeAll(async () => {
    dataSource = await createDataSource({ url: process.env.DATABASE_URL!, poolSize: 2, applicationName: 'test-schema' }).initialize();
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
});
