import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { backup } from '../ops/backup';
import { restore } from '../ops/restore';

/**
 * `npm run bench:backup`: backs up the database `bench:pipeline` leaves (BENCH_DATABASE_URL, by default
 * liaison_bench: its routed messages and deliveries) and restores it into a new database, printing its size and
 * how long each takes: the recovery time a restore of that size needs on this machine.
 */
const databaseUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/liaison_bench';
const brokers = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';

async function main(): Promise<void> {
  const source = new Client({ connectionString: databaseUrl });
  await source.connect();
  const { rows } = await source.query<{ messages: string; deliveries: string; size: string }>(
    `SELECT (SELECT count(*) FROM messages) AS messages, (SELECT count(*) FROM deliveries) AS deliveries,
            pg_database_size(current_database()) AS size`,
  );
  await source.end();
  const work = mkdtempSync(join(tmpdir(), 'liaison-bench-backup-'));
  const restored = new URL(databaseUrl);
  restored.pathname = '/liaison_bench_restore';
  const admin = new Client({ connectionString: databaseUrl.replace(/\/[^/]+$/, '/postgres') });
  await admin.connect();
  await admin.query('DROP DATABASE IF EXISTS liaison_bench_restore WITH (FORCE)');
  try {
    const manifest = await backup({
      databaseUrl,
      kafkaBrokers: brokers,
      kafkaNamespace: '',
      attachmentDir: join(work, 'no-attachments'),
      target: join(work, 'backup'),
    });
    const outcome = await restore({
      source: join(work, 'backup'),
      databaseUrl: restored.toString(),
      kafkaBrokers: brokers,
      kafkaNamespace: '',
      attachmentDir: join(work, 'attachments'),
    });
    const dump = Number(
      execFileSync('du', ['-sb', join(work, 'backup')])
        .toString()
        .split('\t')[0],
    );
    const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
    console.log(
      `database:   ${Number(rows[0].messages)} messages, ${Number(rows[0].deliveries)} deliveries, ${mb(Number(rows[0].size))} on disk`,
    );
    console.log(`backup:     ${manifest.seconds.toFixed(1)} s, ${mb(dump)} written`);
    console.log(
      `restore:    ${outcome.seconds.toFixed(1)} s (digests checked, pg_restore with its indexes and constraints)`,
    );
  } finally {
    await admin.query('DROP DATABASE IF EXISTS liaison_bench_restore WITH (FORCE)');
    await admin.end();
    rmSync(work, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error('bench:backup failed:', error);
    process.exit(1);
  },
);
