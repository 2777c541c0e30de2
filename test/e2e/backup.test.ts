import { startGateway, type Gateway } from '../../apps/gateway/src';
import { ApiClient, waitFor } from '@liaison/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { MIGRATIONS } from '../../libs/persistence/src/migrations';
import { backup } from '../../scripts/ops/backup';
import { restore } from '../../scripts/ops/restore';
import { issueKey, startServices, type RunningServices } from '../support/services';

type Verification = { valid: boolean; entries: number; firstBroken: unknown; checkpoint: { seq: number } | null };

/**
 * `npm run backup` and `npm run restore`: a running exchange backed up, restored into a new database and
 * attachment folder, and served from there by a gateway of its own: the messages, the attachment's exact bytes,
 * and an audit chain that still verifies against its checkpoints.
 */
describe('backup and restore', () => {
  const work = mkdtempSync(join(tmpdir(), 'liaison-backup-'));
  const attachmentDir = join(work, 'attachments');
  const restoredUrl = new URL(process.env.DATABASE_URL!);
  restoredUrl.pathname = `/liaison_restore_${process.env.LIAISON_TEST_RUN}`;
  let services: RunningServices;
  let restored: Gateway | undefined;

  beforeAll(async () => {
    services = await startServices({ ATTACHMENT_DIR: attachmentDir });
  }, 90_000);

  afterAll(async () => {
    await restored?.app.close();
    await services?.stop();
    const admin = new Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${restoredUrl.pathname.slice(1)} WITH (FORCE)`);
    await admin.end();
    rmSync(work, { recursive: true, force: true });
  });

  it('restores messages, attachments and a verifiable audit chain into a fresh database', async () => {
    const wmp = await issueKey(services, 'GB-WMP', 'officer');
    const romania = await issueKey(services, 'RO-ENU', 'officer');
    const uploaded = await fetch(`${services.gateway.url}/v1/attachments?name=statement.pdf`, {
      method: 'POST',
      headers: { authorization: `Bearer ${wmp.key}`, 'content-type': 'application/pdf' },
      body: '%PDF-1.7 restored statement',
    });
    expect(uploaded.status).toBe(201);
    const { id: uploadId } = (await uploaded.json()) as { id: string };
    const sent = await wmp.post<{ id: string }>('/v1/messages', {
      recipients: ['RO-ENU'],
      subject: 'Operation HERON: before the backup',
      body: 'Statement attached.',
      attachments: [uploadId],
    });
    expect(sent.status).toBe(202);
    await waitFor(async () => (await romania.get(`/v1/messages/${sent.body.id}`)).status === 200, {
      what: 'the message routed',
    });
    // Quiet, and the newest checkpoint at the log's last entry: the backup is of a settled exchange.
    const admin = services.api.as(services.adminKey);
    const db = new Client({ connectionString: process.env.DATABASE_URL });
    await db.connect();
    const settled = await waitFor(
      async () => {
        const { rows } = await db.query<{ last: number }>('SELECT max(seq)::int AS last FROM audit_log');
        const verification = (await admin.get<Verification>('/v1/audit/verify')).body;
        return verification.valid && verification.checkpoint?.seq === rows[0].last ? verification : undefined;
      },
      { what: 'a checkpoint of the last audit entry', timeoutMs: 30_000 },
    );
    await db.end();

    const manifest = await backup({
      databaseUrl: process.env.DATABASE_URL!,
      kafkaBrokers: process.env.KAFKA_BROKERS!,
      kafkaNamespace: process.env.KAFKA_NAMESPACE!,
      attachmentDir,
      auditCheckpointFile: process.env.AUDIT_CHECKPOINT_FILE,
      target: join(work, 'backup'),
    });
    expect(manifest.attachments?.files).toBeGreaterThanOrEqual(1);
    expect(manifest.topics.count).toBeGreaterThanOrEqual(30);
    // The schema is named by its newest migration.
    expect(manifest.schema).toBe(MIGRATIONS[MIGRATIONS.length - 1].name);

    const restoredAttachments = join(work, 'restored-attachments');
    const restoredCheckpoints = join(work, 'restored-checkpoints.jsonl');
    const outcome = await restore({
      source: join(work, 'backup'),
      databaseUrl: restoredUrl.toString(),
      kafkaBrokers: process.env.KAFKA_BROKERS!,
      kafkaNamespace: process.env.KAFKA_NAMESPACE!,
      attachmentDir: restoredAttachments,
      auditCheckpointFile: restoredCheckpoints,
    });
    expect(outcome.topicsCreated).toBe(0); // the cluster still has them

    // A second restore into the same, now full, database is refused before anything is touched.
    await expect(
      restore({
        source: join(work, 'backup'),
        databaseUrl: restoredUrl.toString(),
        kafkaBrokers: process.env.KAFKA_BROKERS!,
        kafkaNamespace: process.env.KAFKA_NAMESPACE!,
        attachmentDir: join(work, 'elsewhere'),
      }),
    ).rejects.toThrow(/is not empty/);

    restored = await startGateway({
      ...process.env,
      PORT: '0',
      DATABASE_URL: restoredUrl.toString(),
      ATTACHMENT_DIR: restoredAttachments,
      // The checkpoints the backup holds: the running exchange's file has gone on since.
      AUDIT_CHECKPOINT_FILE: restoredCheckpoints,
      // Topics of its own: the running exchange's checkpoint topic goes on too (this gateway's own reads of the
      // audit log are appended there, and checkpointed past what the backup holds).
      KAFKA_NAMESPACE: `${process.env.KAFKA_NAMESPACE}restored.`,
      LIAISON_ADMIN_KEY: services.adminKey,
    });
    const api = new ApiClient(restored.url);
    const verification = (await api.as(services.adminKey).get<Verification>('/v1/audit/verify')).body;
    expect(verification).toMatchObject({ valid: true, firstBroken: null });
    // Every entry the backup holds verifies: those settled before it, and any appended while it was taken.
    const restoredDb = new Client({ connectionString: restoredUrl.toString() });
    await restoredDb.connect();
    const { rows } = await restoredDb.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log');
    await restoredDb.end();
    expect(verification.entries).toBe(rows[0].n);
    expect(verification.entries).toBeGreaterThanOrEqual(settled.entries);
    const message = await api.as(romania.key!).get<{ subject: string }>(`/v1/messages/${sent.body.id}`);
    expect(message.body.subject).toBe('Operation HERON: before the backup');
    const download = await api.as(romania.key!).get<string>(`/v1/messages/${sent.body.id}/attachments/1`);
    expect(download.status).toBe(200);
    expect(download.body).toBe('%PDF-1.7 restored statement');
  });

  it('refuses a damaged backup', async () => {
    const { appendFileSync } = await import('node:fs');
    const folder = join(work, 'damaged');
    await backup({
      databaseUrl: process.env.DATABASE_URL!,
      kafkaBrokers: process.env.KAFKA_BROKERS!,
      kafkaNamespace: process.env.KAFKA_NAMESPACE!,
      attachmentDir: attachmentDir,
      target: folder,
    });
    appendFileSync(join(folder, 'database.dump'), 'x');
    await expect(
      restore({
        source: folder,
        databaseUrl: `${restoredUrl.toString()}_never`,
        kafkaBrokers: process.env.KAFKA_BROKERS!,
        kafkaNamespace: process.env.KAFKA_NAMESPACE!,
        attachmentDir: join(work, 'never'),
      }),
    ).rejects.toThrow(/database.dump does not match the manifest's digest/);
  });
});
