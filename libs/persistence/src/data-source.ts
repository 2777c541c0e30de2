import type { Pool, PoolClient } from 'pg';
import { DataSource } from 'typeorm';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

export interface DatabaseSettings {
  url: string;
  poolSize: number;
  applicationName: string;
  /** Schemas to find tables in, first to last, e.g. `tracker_rebuild, public` (default: the server's). */
  searchPath?: string;
}

/**
 * The one way every service and script builds its TypeORM data source: never `synchronize`. Just-in-time
 * compilation is off: every statement here is short, and the server compiles any whose estimated cost passes
 * its threshold (a batch's look-ups by key easily do), which costs far more than the statement itself.
 */
export function createDataSource(settings: DatabaseSettings): DataSource {
  return new ResilientDataSource({
    type: 'postgres',
    url: settings.url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    synchronize: false,
    migrationsRun: false,
    logging: false,
    poolSize: settings.poolSize,
    applicationName: settings.applicationName,
    extra: {
      statement_timeout: 30_000,
      options: `-c jit=off${settings.searchPath ? ` -c search_path=${settings.searchPath.replace(/[^a-z0-9_,]/g, '')}` : ''}`,
    },
  });
}

/**
 * A data source whose connections cannot end the process when the server drops them (a restart, a failover,
 * `pg_terminate_backend`). `pg` reports a dropped connection as an 'error' event on its client, and an 'error'
 * event no one listens for is fatal. pg-pool listens while a client is idle, TypeORM's query runner while it holds
 * one; a PostgreSQL restart under load has still ended a worker this way, so every client also gets a listener of
 * its own the first time it is checked out. The statement in flight fails on its own and the pool discards the
 * broken client when it comes back, so the listener has nothing left to do.
 */
class ResilientDataSource extends DataSource {
  override async initialize(): Promise<this> {
    await super.initialize();
    const pool = (this.driver as unknown as { master?: Pool }).master;
    const guarded = new WeakSet<PoolClient>();
    pool?.on('acquire', (client) => {
      if (guarded.has(client)) return;
      guarded.add(client);
      client.on('error', () => undefined);
    });
    return this;
  }
}
