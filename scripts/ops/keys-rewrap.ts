import 'reflect-metadata';
import { CommonConfig, loadConfig } from '@liaison/config';
import { createDataSource } from '@liaison/persistence';
import { CaseKeys, IsMasterKeys, MasterKeys, RowKeys, SystemKeys } from '@liaison/protection';

/** What rewrapping reads: the database, and the master keys (the new one first, the old ones after it). */
class RewrapConfig extends CommonConfig {
  @IsMasterKeys()
  MASTER_KEYS = '';
}

/**
 * `npm run keys:rewrap`: master key rotation. With a new key put first in MASTER_KEYS and the old ones kept after it
 * (every service restarted with that list), rewraps every case's, upload's and draft's data key, and the system keys (the blind index's), under the new master key, a thousand at
 * a time; then the old keys can be taken out of MASTER_KEYS. The data keys themselves, and so everything sealed
 * under them, do not change. Prints counts only.
 */
async function main(): Promise<void> {
  const config = loadConfig(RewrapConfig, process.env);
  const dataSource = await createDataSource({
    url: config.DATABASE_URL,
    poolSize: 1,
    applicationName: 'liaison-keys-rewrap',
  }).initialize();
  try {
    const master = MasterKeys.parse(config.MASTER_KEYS);
    const keys = new CaseKeys(master);
    const rewrapped = await keys.rewrap(dataSource);
    const rows = (await new RowKeys(master).rewrap(dataSource)) + (await new SystemKeys(master).rewrap(dataSource));
    const [{ current, other }] = await dataSource.query<{ current: number; other: number }[]>(
      `SELECT count(*) FILTER (WHERE master_key_id = $1)::int AS current,
              count(*) FILTER (WHERE master_key_id <> $1)::int AS other FROM case_keys`,
      [master.current.id],
    );
    console.log(
      `rewrapped ${rewrapped} case keys and ${rows} upload, draft and system keys; of the case keys ${current} are under the current master key, ${other} under any other`,
    );
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error: unknown) => {
  console.error('keys:rewrap failed:', error instanceof Error ? error.message : error);
  process.exit(1);
});
