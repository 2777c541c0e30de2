import { createDataSource } from '@liaison/persistence';
import { MIGRATIONS } from '../../libs/persistence/src/migrations';
import { SealedContent1796600000000 } from '../../libs/persistence/src/migrations/1796600000000-sealed-content';
import {
  CaseErasedError,
  CaseKeys,
  MasterKeys,
  MatchKeyBlinder,
  openCaseNames,
  openExcludedKey,
  openMatchValue,
  SystemKeys,
  openDraft,
  openMessageText,
  openUploadName,
  RowKeys,
  type WrappedKeyColumns,
  SealBrokenError,
  sealMessageText,
} from '@liaison/protection';
import { Client } from 'pg';
import { randomBytes, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';

const keyText = () => randomBytes(32).toString('base64');

describe('case keys in PostgreSQL', () => {
  let db: DataSource;
  const run = randomUUID().slice(0, 8).toUpperCase();
  let counter = 0;
  const reference = () => `LIA-CK${run}-${String(++counter).padStart(3, '0')}`;

  beforeAll(async () => {
    db = await createDataSource({
      url: process.env.DATABASE_URL!,
      poolSize: 4,
      applicationName: 'case-keys',
    }).initialize();
  });

  afterAll(async () => {
    await db.destroy();
  });

  it('gives a case one key, however many writers ask at once, and stores it only wrapped', async () => {
    const ref = reference();
    const master = `k1:${keyText()}`;
    const same = Array.from({ length: 6 }, () => CaseKeys.fromSetting(master));
    const keys = await Promise.all(same.map((keys) => keys.issue(db, ref)));
    for (const key of keys) expect(key.equals(keys[0])).toBe(true);
    const [row] = await db.query<{ master_key_id: string; wrapped: Buffer; erased_at: Date | null }[]>(
      'SELECT master_key_id, wrapped, erased_at FROM case_keys WHERE case_reference = $1',
      [ref],
    );
    expect(row).toMatchObject({ master_key_id: 'k1', erased_at: null });
    expect(row.wrapped.includes(keys[0])).toBe(false);
    // Under another master key of the same id, the stored key does not open.
    await expect(CaseKeys.fromSetting(`k1:${keyText()}`).keyOf(db, ref)).rejects.toThrow(SealBrokenError);
  });

  it('destroys a key for good: what was sealed under it no longer opens, and the case takes no new key', async () => {
    const ref = reference();
    const keys = CaseKeys.fromSetting(`k1:${keyText()}`);
    const sealed = sealMessageText(await keys.issue(db, ref), ref, 'm1', {
      subject: 'Marker subject',
      body: 'Marker body',
      entities: [],
      links: [],
      handlingRestriction: '',
      attachmentNames: [],
    });
    await keys.destroy(db, ref);
    await keys.destroy(db, ref);
    expect((await keys.keysOf(db, [ref])).get(ref)).toBe('erased');
    await expect(keys.issue(db, ref)).rejects.toThrow(CaseErasedError);
    await expect(keys.keyOf(db, ref)).rejects.toThrow(`case ${ref} has been erased`);
    // Another process that still held the key in memory drops it when told of the erasure.
    const other = CaseKeys.fromSetting(`k1:${keyText()}`);
    other.forget(ref);
    expect((await other.keysOf(db, [ref])).get(ref)).toBe('erased');
    const [row] = await db.query<{ wrapped: Buffer | null; erased_at: Date | null }[]>(
      'SELECT wrapped, erased_at FROM case_keys WHERE case_reference = $1',
      [ref],
    );
    expect(row.wrapped).toBeNull();
    expect(row.erased_at).toBeInstanceOf(Date);
    expect(sealed.length).toBeGreaterThan(0);
  });
});

describe('the migration that seals what was stored in clear', () => {
  const database = `liaison_test_seal_${randomUUID().slice(0, 8)}`;
  const url = new URL(process.env.DATABASE_URL!);
  url.pathname = `/${database}`;
  let admin: Client;

  beforeAll(async () => {
    const adminUrl = new URL(process.env.DATABASE_URL!);
    adminUrl.pathname = '/postgres';
    admin = new Client({ connectionString: adminUrl.toString() });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${database}`);
  });

  afterAll(async () => {
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
  });

  it('seals every message and case title under its case key, and upload names and drafts under keys of their own', async () => {
    const options = createDataSource({ url: url.toString(), poolSize: 1, applicationName: 'seal-migration' }).options;
    const before = await new DataSource({
      ...options,
      migrations: MIGRATIONS.slice(0, MIGRATIONS.indexOf(SealedContent1796600000000)),
    }).initialize();
    await before.runMigrations({ transaction: 'each' });
    await before.query(
      `INSERT INTO agencies (code, name, kind, country) VALUES ('GB-WMP', 'West Midlands Police', 'police', 'GB')`,
    );
    await before.query(
      `INSERT INTO cases (reference, owner_agency, opened_at, title, operation_name) VALUES ('LIA-2026-OLDCASE01', 'GB-WMP', now(), 'Nail bars', 'KESTREL'),
       ('LIA-2026-OLDCASE02', 'GB-WMP', now(), NULL, NULL)`,
    );
    const id = randomUUID();
    await before.query(
      `INSERT INTO messages (id, case_reference, sender_agency, subject, body, submitted_at, routed_at, submitted_by_key_id, correlation_id,
                             handling_code, handling_restriction, entities, entity_links)
       VALUES ($1, 'LIA-2026-OLDCASE01', 'GB-WMP', 'Old subject', 'Old body', now(), now(), $2, 'c', 'H3', 'Not the employer',
               '[{"ref":"p1","type":"phone","number":"+40721234567"}]', '[{"from":"p1","to":"p1","relation":"self"}]')`,
      [id, randomUUID()],
    );
    await before.query(
      `INSERT INTO message_attachments (message_id, ordinal, sha256, file_name, content_type, size) VALUES ($1, 1, $2, 'ledger.pdf', 'application/pdf', 10)`,
      [id, 'a'.repeat(64)],
    );
    const [upload, person, draft] = [randomUUID(), randomUUID(), randomUUID()];
    await before.query(
      `INSERT INTO uploads (id, agency_code, key_id, sha256, size, file_name, content_type, uploaded_at)
       VALUES ($1, 'GB-WMP', $2, $3, 10, 'victim-passport.jpg', 'image/jpeg', now())`,
      [upload, randomUUID(), 'b'.repeat(64)],
    );
    await before.query(
      `INSERT INTO people (id, agency_code, email, name, role, sign_in, created_at, created_by_type, created_by)
       VALUES ($1, 'GB-WMP', 'a@example.test', 'A', 'officer', 'password', now(), 'system', 'test')`,
      [person],
    );
    await before.query(
      `INSERT INTO drafts (id, person_id, agency_code, content, created_at, updated_at) VALUES ($1, $2, 'GB-WMP', $3, now(), now())`,
      [draft, person, JSON.stringify({ caseReference: 'LIA-2026-OLDCASE01', subject: 'Draft about KESTREL' })],
    );
    // The match index as it was: keys in clear, a match on one, an exclusion of another.
    const phoneKey = 'phone:+40721234567';
    await before.query(
      `INSERT INTO match_keys (key_hash, key, case_reference, agency, extracted, message_id, indexed_at)
       VALUES (hashtextextended($1, 0), $1, 'LIA-2026-OLDCASE01', 'GB-WMP', false, $2, now())`,
      [phoneKey, id],
    );
    await before.query(
      `INSERT INTO matches (id, key, kind, strength, case_a, agency_a, case_b, agency_b, message_id, found_at)
       VALUES ($1, $2, 'phone', 'strong', 'LIA-2026-OLDCASE01', 'GB-WMP', 'LIA-2026-OLDCASE02', 'GB-WMP', $3, now())`,
      [randomUUID(), phoneKey, id],
    );
    await before.query(
      `INSERT INTO match_key_exclusions (key, reason, excluded_by_key_id, excluded_at) VALUES ('phone:+442079460000', 'switchboard', $1, now())`,
      [randomUUID()],
    );
    await before.destroy();

    const all = await new DataSource(options).initialize();
    const master = `m1:${keyText()}`;
    const previous = process.env.MASTER_KEYS;
    try {
      delete process.env.MASTER_KEYS;
      await expect(all.runMigrations({ transaction: 'each' })).rejects.toThrow(
        'MASTER_KEYS must be set to seal the messages written before sealing',
      );
      process.env.MASTER_KEYS = master;
      await all.runMigrations({ transaction: 'each' });
    } finally {
      process.env.MASTER_KEYS = previous;
    }
    const keys = CaseKeys.fromSetting(master);
    const [message] = await all.query<{ content: Buffer }[]>('SELECT content FROM messages WHERE id = $1', [id]);
    expect(message.content.includes(Buffer.from('Old subject'))).toBe(false);
    expect(
      openMessageText(await keys.keyOf(all, 'LIA-2026-OLDCASE01'), 'LIA-2026-OLDCASE01', id, message.content),
    ).toEqual({
      subject: 'Old subject',
      body: 'Old body',
      entities: [{ ref: 'p1', type: 'phone', number: '+40721234567' }],
      links: [{ from: 'p1', to: 'p1', relation: 'self' }],
      handlingRestriction: 'Not the employer',
      attachmentNames: ['ledger.pdf'],
    });
    const cases = await all.query<{ reference: string; details: Buffer | null }[]>(
      'SELECT reference, details FROM cases ORDER BY reference',
    );
    expect(openCaseNames(await keys.keyOf(all, 'LIA-2026-OLDCASE01'), 'LIA-2026-OLDCASE01', cases[0].details!)).toEqual(
      {
        title: 'Nail bars',
        operationName: 'KESTREL',
      },
    );
    expect(cases[1].details).toBeNull();
    // Uploads' names and drafts are sealed under keys of their own; a draft keeps its case beside it.
    const rowKeys = new RowKeys(MasterKeys.parse(master));
    const [uploadRow] = await all.query<(WrappedKeyColumns & { name: Buffer; file_id: string | null })[]>(
      'SELECT master_key_id, wrapped_key, name, file_id FROM uploads WHERE id = $1',
      [upload],
    );
    expect(uploadRow.name.includes(Buffer.from('passport'))).toBe(false);
    expect(openUploadName(rowKeys.keyOf('upload', upload, uploadRow), upload, uploadRow.name)).toBe(
      'victim-passport.jpg',
    );
    expect(uploadRow.file_id).toBeNull();
    const [draftRow] = await all.query<(WrappedKeyColumns & { sealed: Buffer; case_reference: string })[]>(
      'SELECT master_key_id, wrapped_key, sealed, case_reference FROM drafts WHERE id = $1',
      [draft],
    );
    expect(draftRow.case_reference).toBe('LIA-2026-OLDCASE01');
    expect(openDraft(rowKeys.keyOf('draft', draft, draftRow), draft, draftRow.sealed)).toEqual({
      caseReference: 'LIA-2026-OLDCASE01',
      subject: 'Draft about KESTREL',
    });
    // The match index is blind, each value sealed under its case's key (an exclusion's under the exclusions' key).
    const blinder = await MatchKeyBlinder.load(all, new SystemKeys(MasterKeys.parse(master)));
    const blindPhone = blinder.blind('phone:+40721234567');
    expect(blindPhone).toMatch(/^phone:#[A-Za-z0-9_-]{43}$/);
    const [holding] = await all.query<{ key: string; key_hash: string; hash: string; sealed_value: Buffer }[]>(
      'SELECT key, key_hash, hashtextextended(key, 0) AS hash, sealed_value FROM match_keys',
    );
    expect(holding).toMatchObject({ key: blindPhone, key_hash: holding.hash });
    expect(
      openMatchValue(
        await keys.keyOf(all, 'LIA-2026-OLDCASE01'),
        'LIA-2026-OLDCASE01',
        blindPhone,
        holding.sealed_value,
      ),
    ).toBe('phone:+40721234567');
    expect(await all.query('SELECT key FROM matches')).toEqual([{ key: blindPhone }]);
    const [exclusion] = await all.query<{ key: string; sealed_value: Buffer }[]>(
      'SELECT key, sealed_value FROM match_key_exclusions',
    );
    const exclusionsKey = await new SystemKeys(MasterKeys.parse(master)).keyOf(all, 'match-exclusions');
    expect(openExcludedKey(exclusionsKey, exclusion.key, exclusion.sealed_value)).toBe('phone:+442079460000');
    expect(exclusion.key).toBe(blinder.blind('phone:+442079460000'));
    // Rotation: a new master key first, the old one after it; once rewrapped, the old one can go.
    const next = `m2:${keyText()}`;
    expect(await CaseKeys.fromSetting(`${next},${master}`).rewrap(all, 1)).toBe(1);
    expect(await new RowKeys(MasterKeys.parse(`${next},${master}`)).rewrap(all, 1)).toBe(2);
    expect(await new SystemKeys(MasterKeys.parse(`${next},${master}`)).rewrap(all)).toBe(2);
    // The blind keys do not change with the master key.
    expect((await MatchKeyBlinder.load(all, new SystemKeys(MasterKeys.parse(next)))).blind('phone:+40721234567')).toBe(
      blindPhone,
    );
    const nextKeys = new RowKeys(MasterKeys.parse(next));
    const [rewrappedDraft] = await all.query<(WrappedKeyColumns & { sealed: Buffer })[]>(
      'SELECT master_key_id, wrapped_key, sealed FROM drafts WHERE id = $1',
      [draft],
    );
    expect(rewrappedDraft.master_key_id).toBe('m2');
    expect(openDraft(nextKeys.keyOf('draft', draft, rewrappedDraft), draft, rewrappedDraft.sealed)).toMatchObject({
      subject: 'Draft about KESTREL',
    });
    const [rewrapped] = await all.query<{ master_key_id: string }[]>('SELECT master_key_id FROM case_keys');
    expect(rewrapped.master_key_id).toBe('m2');
    const rotated = CaseKeys.fromSetting(next);
    expect(
      openCaseNames(await rotated.keyOf(all, 'LIA-2026-OLDCASE01'), 'LIA-2026-OLDCASE01', cases[0].details!).title,
    ).toBe('Nail bars');
    const columns = await all.query<{ column_name: string }[]>(
      `SELECT column_name FROM information_schema.columns WHERE table_name IN ('messages', 'cases', 'message_attachments', 'uploads', 'drafts')
          AND column_name IN ('subject', 'body', 'entities', 'entity_links', 'handling_restriction', 'file_name', 'title', 'operation_name', 'content')
          AND NOT (table_name = 'messages' AND column_name = 'content')`,
    );
    expect(columns).toEqual([]);
    await all.destroy();
  });
});
