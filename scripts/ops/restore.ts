import { CommonConfig, loadConfig } from '@liaison/config';
import { ConsumerGroups } from '@liaison/contracts';
import { createKafka, parseBrokers } from '@liaison/messaging';
import { createLogger } from '@liaison/observability';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, copyFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { ConfigResourceTypes } from 'kafkajs';
import { pgConnection, type BackupManifest, type TopicBackup } from './backup';

export interface RestoreSettings {
  /** A folder `npm run backup` wrote. */
  source: string;
  /** The database to restore into: it must not exist yet, or be empty. */
  databaseUrl: string;
  kafkaBrokers: string;
  kafkaNamespace: string;
  /** Where the attachment files go: missing or empty. */
  attachmentDir: string;
  auditCheckpointFile?: string;
  /**
   * Moves every consumer group back to the time of the backup, so that the services apply again what Kafka
   * received after it: with Kafka intact, nothing accepted after the backup is lost. The services must be
   * stopped; consumers deduplicate what they had already applied.
   */
  replay?: boolean;
}

export interface RestoreOutcome {
  seconds: number;
  topicsCreated: number;
  groupsRewound: string[];
}

function checkFile(folder: string, entry: { file: string; bytes: number; sha256: string }): string {
  const path = join(folder, entry.file);
  if (!existsSync(path)) throw new Error(`the backup has no ${entry.file}`);
  const digest = createHash('sha256').update(readFileSync(path)).digest('hex');
  if (digest !== entry.sha256)
    throw new Error(`${entry.file} does not match the manifest's digest: the backup is damaged`);
  return path;
}

/**
 * `npm run restore -- <backup folder>`: checks every file against the manifest, restores PostgreSQL into a new
 * (or empty) database, the attachment files into an empty folder, the audit checkpoints, and creates any topic
 * the cluster lacks with the partitions, copies and configuration it had. With `--replay`, rewinds the
 * consumer groups to the backup's time so that what Kafka still holds after it is applied again.
 */
export async function restore(settings: RestoreSettings): Promise<RestoreOutcome> {
  const started = Date.now();
  const folder = resolve(settings.source);
  const manifestPath = join(folder, 'manifest.json');
  if (!existsSync(manifestPath)) throw new Error(`${folder} holds no complete backup (no manifest.json)`);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as BackupManifest;
  if (manifest.format !== 'liaison-backup/1') throw new Error(`unknown backup format ${String(manifest.format)}`);
  const dump = checkFile(folder, manifest.database);
  const tar = manifest.attachments ? checkFile(folder, manifest.attachments) : null;
  const checkpoints = manifest.auditCheckpoints ? checkFile(folder, manifest.auditCheckpoints) : null;

  // The database: created here, or an existing one with no tables.
  const pg = pgConnection(settings.databaseUrl);
  const adminUrl = new URL(settings.databaseUrl);
  adminUrl.pathname = '/postgres';
  const admin = new Client({ connectionString: adminUrl.toString() });
  await admin.connect();
  try {
    if (!/^[a-z_][a-z0-9_]*$/.test(pg.database))
      throw new Error(`database name ${pg.database} must be lower-case letters, digits and _`);
    const exists = (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [pg.database])).rowCount! > 0;
    if (!exists) await admin.query(`CREATE DATABASE ${pg.database}`);
  } finally {
    await admin.end();
  }
  const target = new Client({ connectionString: settings.databaseUrl });
  await target.connect();
  try {
    const tables = await target.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema')",
    );
    if (tables.rows[0].n > 0) throw new Error(`database ${pg.database} is not empty: restore into a new one`);
  } finally {
    await target.end();
  }
  execFileSync('pg_restore', [...pg.args, '--no-owner', '--exit-on-error', '--dbname', pg.database, dump], {
    env: pg.env,
    stdio: ['ignore', 'ignore', 'inherit'],
  });

  if (tar) {
    mkdirSync(settings.attachmentDir, { recursive: true });
    if (readdirSync(settings.attachmentDir).length > 0)
      throw new Error(`${settings.attachmentDir} is not empty: restore the attachments into an empty folder`);
    execFileSync('tar', ['-xf', tar, '-C', settings.attachmentDir]);
  }
  if (checkpoints && settings.auditCheckpointFile) {
    if (existsSync(settings.auditCheckpointFile))
      throw new Error(`${settings.auditCheckpointFile} exists: the checkpoints kept since would be overwritten`);
    copyFileSync(checkpoints, settings.auditCheckpointFile);
  }

  const topics = JSON.parse(readFileSync(join(folder, manifest.topics.file), 'utf8')) as TopicBackup[];
  const { created, rewound } = await restoreTopics(settings, manifest, topics);
  return { seconds: (Date.now() - started) / 1000, topicsCreated: created, groupsRewound: rewound };
}

async function restoreTopics(settings: RestoreSettings, manifest: BackupManifest, topics: TopicBackup[]) {
  const kafka = createKafka(
    { brokers: parseBrokers(settings.kafkaBrokers), clientId: 'liaison-restore', namespace: settings.kafkaNamespace },
    createLogger({ service: 'restore', level: 'warn', format: 'pretty' }),
  );
  const admin = kafka.admin();
  await admin.connect();
  try {
    // The backup's topics are named with the namespace they had; they are made under this one.
    const rename = (name: string) => `${settings.kafkaNamespace}${name.slice(name.indexOf('liaison.'))}`;
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((t) => !existing.has(rename(t.name)));
    if (missing.length > 0) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((t) => ({
          topic: rename(t.name),
          numPartitions: t.partitions,
          replicationFactor: t.replicationFactor,
          configEntries: Object.entries(t.configs).map(([name, value]) => ({ name, value })),
        })),
      });
    }
    const present = topics.filter((t) => existing.has(rename(t.name)));
    if (present.length > 0) {
      await admin.alterConfigs({
        validateOnly: false,
        resources: present
          .filter((t) => Object.keys(t.configs).length > 0)
          .map((t) => ({
            type: ConfigResourceTypes.TOPIC,
            name: rename(t.name),
            configEntries: Object.entries(t.configs).map(([name, value]) => ({ name, value })),
          })),
      });
    }
    const rewound: string[] = [];
    if (settings.replay) {
      // A margin before the dump began: what consumers applied just before it is applied again, harmlessly.
      const since = new Date(manifest.takenAt).getTime() - 60_000;
      const names = topics.map((t) => rename(t.name)).filter((name) => !name.endsWith('.dlq'));
      for (const group of Object.values(ConsumerGroups)) {
        const groupId = `${settings.kafkaNamespace}${group}`;
        const committed = await admin.fetchOffsets({ groupId, topics: names });
        for (const { topic, partitions } of committed) {
          if (partitions.every((p) => Number(p.offset) < 0)) continue;
          const offsets = await admin.fetchTopicOffsetsByTimestamp(topic, since);
          await admin.setOffsets({
            groupId,
            topic,
            partitions: offsets.map((o) => ({ partition: o.partition, offset: o.offset })),
          });
        }
        rewound.push(group);
      }
    }
    return { created: missing.length, rewound };
  } finally {
    await admin.disconnect();
  }
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const source = args.find((a) => !a.startsWith('--'));
  if (!source) {
    console.error('usage: npm run restore -- <backup folder> [--replay]');
    process.exit(2);
  }
  const config = loadConfig(CommonConfig, process.env);
  restore({
    source,
    databaseUrl: config.DATABASE_URL,
    kafkaBrokers: config.KAFKA_BROKERS,
    kafkaNamespace: config.KAFKA_NAMESPACE,
    attachmentDir: process.env.ATTACHMENT_DIR ?? '.liaison/attachments',
    auditCheckpointFile: process.env.AUDIT_CHECKPOINT_FILE ?? '.liaison/audit-checkpoints.jsonl',
    replay: args.includes('--replay'),
  }).then(
    (outcome) =>
      console.log(
        `restored in ${outcome.seconds.toFixed(1)} s; ${outcome.topicsCreated} topics created` +
          (outcome.groupsRewound.length > 0
            ? `; consumer groups rewound to the backup: ${outcome.groupsRewound.join(', ')}`
            : ''),
      ),
    (error: unknown) => {
      console.error('restore failed:', error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
