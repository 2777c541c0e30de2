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
  return new DataSource({
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
