import { CommonConfig, loadConfig } from '@liaison/config';
import { createKafka, parseBrokers } from '@liaison/messaging';
import { createLogger } from '@liaison/observability';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { ConfigResourceTypes } from 'kafkajs';

/** What a backup holds, with each file's digest, written last: a backup without it is incomplete. */
export interface BackupManifest {
  format: 'liaison-backup/1';
  takenAt: string;
  /** The newest migration the database had: a restore needs code that knows it. */
  schema: string;
  database: { file: string; bytes: number; sha256: string };
  attachments: { file: string; bytes: number; sha256: string; files: number } | null;
  auditCheckpoints: { file: string; bytes: number; sha256: string } | null;
  topics: { file: string; count: number };
  seconds: number;
}

export interface TopicBackup {
  name: string;
  partitions: number;
  replicationFactor: number;
  configs: Record<string, string>;
}

export interface BackupSettings {
  databaseUrl: string;
  kafkaBrokers: string;
  kafkaNamespace: string;
  attachmentDir: string;
  auditCheckpointFile?: string;
  /** Where the backup goes: a new folder, made here. */
  target: string;
}

function fileEntry(path: string) {
  const bytes = statSync(path).size;
  const sha256 = createHash('sha256').update(readFileSync(path)).digest('hex');
  return { file: basename(path), bytes, sha256 };
}

/** The libpq form of a postgres:// URL's connection, with the password in the environment rather than argv. */
export function pgConnection(url: string): { args: string[]; env: NodeJS.ProcessEnv; database: string } {
  const parsed = new URL(url);
  const database = decodeURIComponent(parsed.pathname.slice(1));
  return {
    database,
    args: ['-h', parsed.hostname, '-p', parsed.port || '5432', '-U', decodeURIComponent(parsed.username || 'postgres')],
    env: { ...process.env, ...(parsed.password ? { PGPASSWORD: decodeURIComponent(parsed.password) } : {}) },
  };
}

/**
 * `npm run backup`: a consistent dump of PostgreSQL (pg_dump's custom format, one snapshot), the attachment
 * store (a tar of its files, which are immutable once stored and named by id), the audit checkpoints kept
 * outside the database, and every topic's partitions, copies and configuration. The Kafka records themselves
 * are not copied: Kafka keeps them (on its own replicas), and a restore can replay what came after the dump.
 */
export async function backup(settings: BackupSettings): Promise<BackupManifest> {
  const started = Date.now();
  const takenAt = new Date().toISOString();
  const target = resolve(settings.target);
  if (existsSync(join(target, 'manifest.json'))) throw new Error(`${target} already holds a backup`);
  mkdirSync(target, { recursive: true });

  // The checkpoints first: each records an entry the tracker had committed, so every one of them is in the dump
  // taken after. Copied after the dump, a checkpoint of an entry appended meanwhile would read as a truncated log.
  let auditCheckpoints: BackupManifest['auditCheckpoints'] = null;
  if (settings.auditCheckpointFile && existsSync(settings.auditCheckpointFile)) {
    const copy = join(target, 'audit-checkpoints.jsonl');
    copyFileSync(settings.auditCheckpointFile, copy);
    auditCheckpoints = fileEntry(copy);
  }

  const pg = pgConnection(settings.databaseUrl);
  const dump = join(target, 'database.dump');
  execFileSync('pg_dump', [...pg.args, '--format=custom', '--compress=6', '--no-owner', '--file', dump, pg.database], {
    env: pg.env,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const schema = execFileSync(
    'psql',
    [...pg.args, '-At', '-c', 'SELECT name FROM schema_migrations ORDER BY id DESC LIMIT 1', pg.database],
    { env: pg.env },
  )
    .toString()
    .trim();

  let attachments: BackupManifest['attachments'] = null;
  if (existsSync(settings.attachmentDir)) {
    const tar = join(target, 'attachments.tar');
    // Files being written land in incoming/ first and are moved in whole: that folder is left out.
    execFileSync('tar', ['-cf', tar, '--exclude=./incoming', '-C', settings.attachmentDir, '.']);
    const files = Number(
      execFileSync('sh', ['-c', `tar -tf "$1" | grep -vc '/$' || true`, 'count', tar]).toString().trim(),
    );
    attachments = { ...fileEntry(tar), files };
  }

  const topics = await topicConfiguration(settings);
  writeFileSync(join(target, 'topics.json'), `${JSON.stringify(topics, null, 2)}\n`);

  const manifest: BackupManifest = {
    format: 'liaison-backup/1',
    takenAt,
    schema,
    database: fileEntry(dump),
    attachments,
    auditCheckpoints,
    topics: { file: 'topics.json', count: topics.length },
    seconds: (Date.now() - started) / 1000,
  };
  writeFileSync(join(target, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

async function topicConfiguration(settings: BackupSettings): Promise<TopicBackup[]> {
  const kafka = createKafka(
    { brokers: parseBrokers(settings.kafkaBrokers), clientId: 'liaison-backup', namespace: settings.kafkaNamespace },
    createLogger({ service: 'backup', level: 'warn', format: 'pretty' }),
  );
  const admin = kafka.admin();
  await admin.connect();
  try {
    const names = (await admin.listTopics())
      .filter((name) => name.startsWith(`${settings.kafkaNamespace}liaison.`))
      .sort();
    if (names.length === 0) return [];
    const { topics } = await admin.fetchTopicMetadata({ topics: names });
    const described = await admin.describeConfigs({
      includeSynonyms: false,
      resources: names.map((name) => ({ type: ConfigResourceTypes.TOPIC, name })),
    });
    return topics.map((topic) => {
      const entries =
        described.resources.find((r) => r.resourceName === topic.name)?.configEntries.filter((e) => !e.isDefault) ?? [];
      return {
        name: topic.name,
        partitions: topic.partitions.length,
        replicationFactor: topic.partitions[0]?.replicas.length ?? 1,
        configs: Object.fromEntries(entries.map((e) => [e.configName, e.configValue])),
      };
    });
  } finally {
    await admin.disconnect();
  }
}

if (require.main === module) {
  const config = loadConfig(CommonConfig, process.env);
  const target = process.argv[2] ?? join('backups', new Date().toISOString().replace(/[:.]/g, '-'));
  backup({
    databaseUrl: config.DATABASE_URL,
    kafkaBrokers: config.KAFKA_BROKERS,
    kafkaNamespace: config.KAFKA_NAMESPACE,
    attachmentDir: process.env.ATTACHMENT_DIR ?? '.liaison/attachments',
    auditCheckpointFile: process.env.AUDIT_CHECKPOINT_FILE ?? '.liaison/audit-checkpoints.jsonl',
    target,
  }).then(
    (manifest) => {
      const size = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
      console.log(
        `backup written to ${resolve(target)} in ${manifest.seconds.toFixed(1)} s: database ${size(manifest.database.bytes)}` +
          (manifest.attachments
            ? `, ${manifest.attachments.files} attachment files ${size(manifest.attachments.bytes)}`
            : '') +
          `, ${manifest.topics.count} topics' configuration`,
      );
    },
    (error: unknown) => {
      console.error('backup failed:', error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
