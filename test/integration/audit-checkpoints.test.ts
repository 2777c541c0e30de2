import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { AuditRecordedSchema, Topics } from '@liaison/contracts';
import { isAuthenticCheckpoint } from '@liaison/domain';
import { type ConsumerService } from '@liaison/runtime';
import { createKafka, EventPublisher, parseBrokers } from '@liaison/messaging';
import { createLogger } from '@liaison/observability';
import { createDataSource } from '@liaison/persistence';
import { waitFor } from '@liaison/testing';
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { startTracker } from '../../apps/tracker/src';

/** The tracker's checkpoints of the audit chain: one after every AUDIT_CHECKPOINT_EVERY entries, sealed with the key. */
describe('audit checkpoints', () => {
  const file = join(tmpdir(), `liaison-checkpoints-${randomUUID()}.jsonl`);
  let tracker: ConsumerService;
  let publisher: EventPublisher;
  let db: DataSource;

  beforeAll(async () => {
    // An hour between timed checkpoints: any checkpoint seen here comes from the count of entries.
    tracker = await startTracker({
      ...process.env,
      AUDIT_CHECKPOINT_FILE: file,
      AUDIT_CHECKPOINT_EVERY: '3',
      AUDIT_CHECKPOINT_INTERVAL_MS: '3600000',
    });
    publisher = new EventPublisher(
      createKafka(
        {
          brokers: parseBrokers(process.env.KAFKA_BROKERS!),
          clientId: 'checkpoint-test',
          namespace: process.env.KAFKA_NAMESPACE!,
        },
        createLogger({ service: 'test', level: 'error', format: 'pretty' }),
      ),
      process.env.KAFKA_NAMESPACE!,
    );
    db = await createDataSource({
      url: process.env.DATABASE_URL!,
      poolSize: 1,
      applicationName: 'checkpoint-test',
    }).initialize();
  });

  afterAll(async () => {
    await publisher.disconnect();
    await tracker.app.close();
    await db.destroy();
  });

  const lines = async () =>
    (await readFile(file, 'utf8').catch(() => ''))
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { seq: number; hash: string; at: string; mac: string });

  it('checkpoints the head once three entries were appended, with a seal the key verifies', async () => {
    const before = (await lines()).length;
    const events = [1, 2, 3].map((n) => ({
      key: 'GB-NCA',
      correlationId: randomUUID(),
      payload: create(AuditRecordedSchema, {
        action: 'message.opened',
        agency: 'GB-NCA',
        keyId: randomUUID(),
        objectType: 'message',
        objectId: `checkpoint-${n}`,
        detail: '',
        at: timestampFromDate(new Date()),
      }),
    }));
    await publisher.publish(Topics.auditRecorded, events);
    const [{ seq }] = (await waitFor(
      async () => {
        const rows: { seq: string; hash: string }[] = await db.query(
          `SELECT seq, hash FROM audit_log WHERE object_id = 'checkpoint-3'`,
        );
        return rows.length > 0 ? rows : undefined;
      },
      { what: 'the entries appended' },
    )) as { seq: string; hash: string }[];
    const checkpoint = await waitFor(async () => (await lines()).slice(before).find((c) => c.seq >= Number(seq)), {
      what: 'a checkpoint of the new head',
    });
    const [stored] = await db.query('SELECT hash FROM audit_log WHERE seq = $1', [checkpoint.seq]);
    expect(checkpoint.hash).toBe(stored.hash);
    expect(isAuthenticCheckpoint(process.env.AUDIT_SEAL_KEY!, { ...checkpoint, at: new Date(checkpoint.at) })).toBe(
      true,
    );
  });
});
