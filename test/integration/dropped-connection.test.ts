import { createDataSource } from '@liaison/persistence';
import { waitFor } from '@liaison/testing';
import { Client, type Pool } from 'pg';
import type { DataSource } from 'typeorm';

/**
 * A connection the server drops while a service holds it (PostgreSQL restarted in the middle of a transaction):
 * the statement fails, the process carries on, and the next statement gets a sound connection.
 */
describe('a dropped database connection (real PostgreSQL)', () => {
  let db: DataSource;
  let admin: Client;

  beforeAll(async () => {
    db = await createDataSource({
      url: process.env.DATABASE_URL!,
      poolSize: 2,
      applicationName: 'dropped-connection-test',
    }).initialize();
    admin = new Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
  });

  afterAll(async () => {
    await admin?.end();
    await db?.destroy();
  });

  it('fails the transaction whose connection went, without ending the process, and goes on', async () => {
    const failure = db.transaction(async (manager) => {
      const [{ pid }] = await manager.query<{ pid: number }[]>('SELECT pg_backend_pid() AS pid');
      await admin.query('SELECT pg_terminate_backend($1)', [pid]);
      // The server's notice arrives while the connection is checked out and idle: an 'error' event on its client.
      await waitFor(
        async () =>
          (await admin.query('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [pid])).rows.length === 0 || undefined,
        { what: 'the backend gone' },
      );
      await new Promise((resolve) => setTimeout(resolve, 100));
      await manager.query('SELECT 1');
    });
    await expect(failure).rejects.toThrow();
    expect(await db.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
  });

  it('keeps a listener on a connection held straight from the pool, so its loss is no unhandled event', async () => {
    const pool = (db.driver as unknown as { master: Pool }).master;
    const client = await pool.connect();
    try {
      // pg-pool takes its own listener away while a client is out; the data source's stays.
      expect(client.listenerCount('error')).toBe(1);
      const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      await admin.query('SELECT pg_terminate_backend($1)', [rows[0].pid]);
      await expect(client.query('SELECT pg_sleep(5)')).rejects.toThrow();
    } finally {
      client.release(true);
    }
    expect(await db.query('SELECT 2 AS two')).toEqual([{ two: 2 }]);
  });
});
