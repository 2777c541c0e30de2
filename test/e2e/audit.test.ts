import { auditEntryHash } from '@liaison/domain';
import type { AuditRow } from '../../apps/gateway/src';
import { createDataSource } from '@liaison/persistence';
import { waitFor, type ApiClient } from '@liaison/testing';
import type { DataSource } from 'typeorm';
import { issueKey, startServices, type RunningServices } from '../support/services';

type Accepted = { id: string; caseReference: string };
type AuditPage = {
  items: {
    seq: number;
    action: string;
    agency: string;
    keyId: string;
    objectType: string;
    objectId: string;
    detail: string;
  }[];
  nextCursor: string | null;
};
type Verification = {
  entries: number;
  valid: boolean;
  firstBroken: { seq: number; reason: string; detail: string } | null;
  checkpoint: { seq: number; at: string; sources: string[] } | null;
};

/**
 * The sealed audit log: what is recorded, who may read it, and that an edit, a chain sealed again without the
 * key and a removal of its newest entries are each found and named, even by someone with every database right.
 */
describe('the audit log', () => {
  let services: RunningServices;
  let db: DataSource;
  let admin: ApiClient;
  let nca: ApiClient;
  let romania: ApiClient;

  beforeAll(async () => {
    services = await startServices();
    db = await createDataSource({
      url: process.env.DATABASE_URL!,
      poolSize: 2,
      applicationName: 'e2e-audit',
    }).initialize();
    admin = services.api.as(services.adminKey);
    [nca, romania] = await Promise.all([
      issueKey(services, 'GB-NCA', 'officer'),
      issueKey(services, 'RO-ENU', 'officer'),
    ]);
  }, 90_000);

  afterAll(async () => {
    await services?.stop();
    await db?.destroy();
  });

  const entriesFor = (objectId: string, expected: number) =>
    waitFor(
      async () => {
        const page = await admin.get<AuditPage>(`/v1/audit?objectId=${objectId}`);
        return page.body.items.length >= expected ? page.body.items : undefined;
      },
      { what: `${expected} audit entries for ${objectId}` },
    );

  it('records a submission and every opening, with who and which agency, and no content', async () => {
    const sent = await nca.post<Accepted>('/v1/messages', {
      recipients: ['RO-ENU'],
      subject: 'Audit subject SECRET-1',
      body: 'Audit body SECRET-2',
    });
    expect(sent.status).toBe(202);
    await waitFor(async () => (await romania.get(`/v1/messages/${sent.body.id}`)).status === 200, {
      what: 'the message at Romania',
    });
    expect((await nca.get(`/v1/messages/${sent.body.id}`)).status).toBe(200);

    const entries = await entriesFor(sent.body.id, 3);
    const actions = entries.map((e) => `${e.action} ${e.agency}`);
    expect(actions).toContain('message.submitted GB-NCA');
    expect(actions).toContain('message.opened RO-ENU');
    expect(actions).toContain('message.opened GB-NCA');
    expect(entries.every((e) => e.objectType === 'message' && /^[0-9a-f-]{36}$/.test(e.keyId))).toBe(true);
    expect(JSON.stringify(entries)).not.toMatch(/SECRET/);
    const stored: { n: string }[] = await db.query(
      `SELECT count(*) AS n FROM audit_log WHERE row_to_json(audit_log)::text LIKE '%SECRET%'`,
    );
    expect(stored[0].n).toBe('0');
  });

  it('records key changes, filters by action and agency, and pages newest first', async () => {
    const issued = await admin.post<{ id: string }>('/v1/api-keys', {
      agency: 'FR-ENU',
      role: 'officer',
      label: 'audit test',
    });
    expect(issued.status).toBe(201);
    expect((await admin.request('DELETE', `/v1/api-keys/${issued.body.id}`)).status).toBe(204);
    const entries = await entriesFor(issued.body.id, 2);
    expect(entries.map((e) => e.action)).toEqual(['key.revoked', 'key.created']);

    const created = await admin.get<AuditPage>('/v1/audit?action=key.created&limit=1');
    expect(created.status).toBe(200);
    expect(created.body.items).toHaveLength(1);
    expect(created.body.nextCursor).not.toBeNull();
    const next = await admin.get<AuditPage>(`/v1/audit?action=key.created&limit=1&cursor=${created.body.nextCursor}`);
    expect(next.body.items[0].seq).toBeLessThan(created.body.items[0].seq);
    const romanian = await admin.get<AuditPage>('/v1/audit?agency=RO-ENU');
    expect(romanian.body.items.length).toBeGreaterThan(0);
    expect(romanian.body.items.every((e) => e.agency === 'RO-ENU')).toBe(true);
  });

  it('is for admins only, and refuses bad filters by name', async () => {
    expect((await nca.get('/v1/audit')).status).toBe(403);
    expect((await nca.get('/v1/audit/verify')).status).toBe(403);
    expect((await services.api.get('/v1/audit')).status).toBe(401);
    const bad = await admin.get<{ errors: { field: string }[] }>('/v1/audit?action=message.deleted&from=yesterday');
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e) => e.field).sort()).toEqual(['action', 'from']);
  });

  type Row = AuditRow;
  const factsOf = (row: Row) => ({
    eventId: row.event_id,
    at: row.at,
    action: row.action,
    agency: row.agency,
    keyId: row.key_id,
    objectType: row.object_type,
    objectId: row.object_id,
    detail: row.detail,
    principalType: row.principal_type,
    principalId: row.principal_id,
  });

  /** Runs statements as someone with every database right: the append-only trigger is bypassed. */
  const asDatabaseOwner = (work: (query: (sql: string, parameters?: unknown[]) => Promise<unknown>) => Promise<void>) =>
    db.transaction(async (manager) => {
      await manager.query('SET LOCAL session_replication_role = replica');
      await work((sql, parameters) => manager.query(sql, parameters));
    });

  const restore = (rows: Row[]) =>
    asDatabaseOwner(async (query) => {
      await query('DELETE FROM audit_log WHERE seq = ANY($1::bigint[])', [rows.map((r) => r.seq)]);
      for (const r of rows) {
        await query(
          `INSERT INTO audit_log (seq, event_id, at, action, agency, key_id, object_type, object_id, detail, prev_hash, hash, seal,
                                 principal_type, principal_id)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
          [
            r.seq,
            r.event_id,
            r.at,
            r.action,
            r.agency,
            r.key_id,
            r.object_type,
            r.object_id,
            r.detail,
            r.prev_hash,
            r.hash,
            r.seal,
            r.principal_type,
            r.principal_id,
          ],
        );
      }
    });

  /** Waits until nothing more is being appended and the newest checkpoint records the log's last entry. */
  async function checkpointedHead(): Promise<{ verification: Verification; rows: Row[] }> {
    const verification = await waitFor(
      async () => {
        const [{ last }] = await db.query('SELECT max(seq)::int AS last FROM audit_log');
        const response = await admin.get<Verification>('/v1/audit/verify');
        return response.body.checkpoint?.seq === last && response.body.valid ? response.body : undefined;
      },
      { what: 'a checkpoint of the last entry', timeoutMs: 20_000 },
    );
    return { verification, rows: await db.query('SELECT * FROM audit_log ORDER BY seq') };
  }

  it('refuses changes in the database, and verification finds an edit made by someone who bypasses that', async () => {
    const before = await admin.get<Verification>('/v1/audit/verify');
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({ valid: true, firstBroken: null });
    expect(before.body.entries).toBeGreaterThanOrEqual(5);

    await expect(db.query(`UPDATE audit_log SET agency = 'XX-FORGED' WHERE seq = 2`)).rejects.toThrow(/append-only/);
    await expect(db.query('DELETE FROM audit_log WHERE seq = 2')).rejects.toThrow(/append-only/);

    const [{ agency: original }] = await db.query('SELECT agency FROM audit_log WHERE seq = 2');
    await db.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only');
    try {
      await db.query(`UPDATE audit_log SET agency = 'XX-FORGED' WHERE seq = 2`);
      const after = await admin.get<Verification>('/v1/audit/verify');
      expect(after.body).toMatchObject({ valid: false, entries: 1, firstBroken: { seq: 2, reason: 'changed' } });
      // Put back as it was, the chain verifies again: the check is on content, not on a flag.
      await db.query('UPDATE audit_log SET agency = $1 WHERE seq = 2', [original]);
      expect((await admin.get<Verification>('/v1/audit/verify')).body.valid).toBe(true);
    } finally {
      await db.query('UPDATE audit_log SET agency = $1 WHERE seq = 2', [original]);
      await db.query('ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only');
    }
  });

  it('keeps checkpoints of the chain head outside PostgreSQL, in a file and a topic', async () => {
    const { verification, rows } = await checkpointedHead();
    expect(verification.checkpoint).toMatchObject({
      seq: Number(rows[rows.length - 1].seq),
      sources: ['file', 'topic'],
    });
    expect(rows.every((r) => r.seal === 'hmac-sha256')).toBe(true);
  });

  it('names an entry sealed again without the key, after an edit with the trigger bypassed, as resealed', async () => {
    const { rows } = await checkpointedHead();
    const from = rows.length - 2;
    try {
      // Change an entry and seal it and every later one again, with the hash anyone can compute.
      await asDatabaseOwner(async (query) => {
        let prevHash = rows[from - 1].hash;
        for (const row of rows.slice(from)) {
          const facts = { ...factsOf(row), agency: row === rows[from] ? 'XX-FORGED' : row.agency };
          const hash = auditEntryHash(prevHash, Number(row.seq), facts);
          await query('UPDATE audit_log SET agency = $2, prev_hash = $3, hash = $4 WHERE seq = $1', [
            row.seq,
            facts.agency,
            prevHash,
            hash,
          ]);
          prevHash = hash;
        }
      });
      const resealed = await admin.get<Verification>('/v1/audit/verify');
      expect(resealed.body).toMatchObject({
        valid: false,
        firstBroken: { seq: Number(rows[from].seq), reason: 'resealed' },
      });

      // The whole log passed off as sealed before the key: each plain hash holds, the checkpoint does not.
      await restore(rows);
      await asDatabaseOwner(async (query) => {
        let prevHash = '0'.repeat(64);
        for (const row of rows) {
          const hash = auditEntryHash(prevHash, Number(row.seq), factsOf(row));
          await query(`UPDATE audit_log SET prev_hash = $2, hash = $3, seal = 'sha256' WHERE seq = $1`, [
            row.seq,
            prevHash,
            hash,
          ]);
          prevHash = hash;
        }
      });
      const downgraded = await admin.get<Verification>('/v1/audit/verify');
      expect(downgraded.body).toMatchObject({
        valid: false,
        firstBroken: { seq: Number(rows[rows.length - 1].seq), reason: 'resealed' },
      });
    } finally {
      await restore(rows);
    }
    expect((await admin.get<Verification>('/v1/audit/verify')).body).toMatchObject({ valid: true });
  });

  it('names a log whose newest entries were removed as truncated', async () => {
    const { rows } = await checkpointedHead();
    const removed = rows.slice(-2);
    try {
      await asDatabaseOwner(
        async (query) =>
          void (await query('DELETE FROM audit_log WHERE seq = ANY($1::bigint[])', [removed.map((r) => r.seq)])),
      );
      const truncated = await admin.get<Verification>('/v1/audit/verify');
      expect(truncated.body).toMatchObject({
        valid: false,
        entries: rows.length - 2,
        firstBroken: {
          seq: Number(removed[0].seq),
          reason: 'truncated',
          detail: expect.stringContaining(`records entry ${removed[1].seq}`) as string,
        },
      });
    } finally {
      await restore(removed);
    }
    expect((await admin.get<Verification>('/v1/audit/verify')).body).toMatchObject({ valid: true });
  });
});
