import { waitFor, type ApiClient } from '@liaison/testing';
import { createHash, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { LogCapture } from '../support/log-capture';
import { issueKey, startServices, type RunningServices } from '../support/services';

const CANARY = 'canary7731';

/**
 * Tables that refuse a row as a check constraint would (SQLSTATE 23514), and what they look for: a message by
 * its correlation id and an attachment by its digest (content is sealed, so a message whose entity only the
 * matcher refuses is stored), a holding of the blind index by its kind (only one message names an e-mail
 * address), API keys the canary anywhere in the row.
 */
/** The poison message's correlation id: its content is sealed, so the database is told to refuse it by this. */
const REFUSED_CORRELATION = `refused-${randomUUID()}`;
const STATEMENT = '%PDF-1.4 statement';
const REFUSING_TABLES: [table: string, column: string, pattern: string][] = [
  ['messages', 'correlation_id', REFUSED_CORRELATION],
  ['message_attachments', 'sha256', createHash('sha256').update(STATEMENT).digest('hex')],
  ['api_keys', '*', CANARY],
  ['match_keys', 'key', 'email:#'],
];

interface MessageView {
  status?: string;
  rejection?: { reason: string; detail: string };
}

interface DeadLetterView {
  id: string;
  messageId: string | null;
  sourceTopic: string;
  consumerGroup: string;
  failure: string;
  error: string;
  redriveCount: number;
}

/**
 * A database that refuses what services write: the records are dead-lettered at once (the partition moves
 * on), the sender sees its message rejected with the failure's code, admins see the dead letters and
 * re-drive them once the cause is mended, and no log line of any service carries the refused content.
 */
describe('dead letters', () => {
  const logs = new LogCapture();
  let services: RunningServices;
  let bureau: ApiClient;
  let romania: ApiClient;
  let netherlands: ApiClient;
  let admin: ApiClient;
  let database: Client;

  beforeAll(async () => {
    logs.start();
    services = await startServices();
    bureau = await issueKey(services, 'GB-NCA-UKLB', 'officer');
    romania = await issueKey(services, 'RO-ENU', 'officer');
    netherlands = await issueKey(services, 'NL-ENU', 'officer');
    admin = services.api.as(services.adminKey);
    database = new Client({ connectionString: process.env.DATABASE_URL });
    await database.connect();
    await database.query(`CREATE OR REPLACE FUNCTION refuse_canary() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF (CASE WHEN TG_ARGV[0] = '*' THEN to_jsonb(NEW)::text ELSE to_jsonb(NEW) ->> TG_ARGV[0] END) LIKE '%' || TG_ARGV[1] || '%' THEN
          RAISE EXCEPTION 'refused' USING ERRCODE = '23514';
        END IF;
        RETURN NEW;
      END $$`);
    for (const [table, column, pattern] of REFUSING_TABLES)
      await database.query(
        `CREATE TRIGGER refuse_canary BEFORE INSERT ON ${table} FOR EACH ROW EXECUTE FUNCTION refuse_canary('${column}', '${pattern}')`,
      );
  }, 90_000);

  afterAll(async () => {
    for (const [table] of REFUSING_TABLES) await database?.query(`DROP TRIGGER IF EXISTS refuse_canary ON ${table}`);
    await database?.end();
    await services?.stop();
    logs.stop();
  });

  let poisonId: string;
  let attachedId: string;
  let indexedId: string;

  it('dead-letters what the database refuses, keeps routing, tells the sender and logs none of the content', async () => {
    const upload = await bureau.request<{ id: string }>('POST', `/v1/attachments?name=${CANARY}-statement.pdf`, {
      raw: STATEMENT,
      headers: { 'content-type': 'application/pdf' },
    });
    expect(upload.status).toBe(201);
    const poison = await bureau.post<{ id: string }>(
      '/v1/messages',
      {
        recipients: ['RO-ENU'],
        subject: `Checks on ${CANARY}`,
        body: `Subscriber of ${CANARY}`,
        entities: [{ ref: 'p1', type: 'person', names: ['Ion', CANARY] }],
      },
      { 'x-correlation-id': REFUSED_CORRELATION },
    );
    const attached = await bureau.post<{ id: string }>('/v1/messages', {
      recipients: ['RO-ENU'],
      subject: 'Statement',
      body: 'Attached.',
      attachments: [upload.body.id],
    });
    const indexed = await bureau.post<{ id: string }>('/v1/messages', {
      recipients: ['RO-ENU'],
      subject: 'E-mail',
      body: 'Seen.',
      entities: [{ ref: 'e1', type: 'email', address: `${CANARY}@example.ro` }],
    });
    const unrelated = await romania.post<{ id: string }>('/v1/messages', {
      recipients: ['NL-ENU'],
      subject: 'Vehicle check',
      body: 'Please check.',
    });
    [poisonId, attachedId, indexedId] = [poison.body.id, attached.body.id, indexed.body.id];
    for (const response of [poison, attached, indexed, unrelated]) expect(response.status).toBe(202);

    // The partition moved on: another agency's message is delivered, and so is the one the matcher refused.
    await waitFor(async () => (await netherlands.get(`/v1/messages/${unrelated.body.id}`)).status === 200, {
      what: 'unrelated message delivered',
    });
    await waitFor(async () => (await romania.get(`/v1/messages/${indexedId}`)).status === 200, {
      what: 'message with the refused match key delivered',
    });
    for (const id of [poisonId, attachedId]) {
      const seen = await waitFor(
        async () => {
          const response = await bureau.get<MessageView>(`/v1/messages/${id}`);
          return response.body.status === 'rejected' ? response.body : undefined;
        },
        { what: 'sender sees the message rejected' },
      );
      expect(seen.rejection).toMatchObject({
        reason: 'UNPROCESSABLE',
        detail: expect.stringContaining('SQLSTATE 23514') as string,
      });
      expect((await romania.get(`/v1/messages/${id}`)).status).toBe(404);
    }
    const keyLabel = await admin.post<{ errorId?: string }>('/v1/api-keys', {
      agency: 'GB-WMP',
      role: 'officer',
      label: `desk ${CANARY}`,
    });
    expect(keyLabel.status).toBe(500);
    expect(JSON.stringify(keyLabel.body)).not.toContain(CANARY);

    const listed = await waitFor(
      async () => {
        const response = await admin.get<{ items: DeadLetterView[] }>('/v1/dead-letters?state=open');
        const items = response.body.items;
        return items.some((d) => d.messageId === poisonId) &&
          items.some((d) => d.messageId === attachedId) &&
          items.some((d) => d.consumerGroup === 'liaison-matcher')
          ? items
          : undefined;
      },
      { what: 'dead letters listed' },
    );
    expect(listed.find((d) => d.messageId === poisonId)).toMatchObject({
      sourceTopic: 'liaison.messages.submitted.v1',
      consumerGroup: 'liaison-router',
      failure: 'permanent',
      error: 'SQLSTATE 23514 (integrity constraint violation)',
      redriveCount: 0,
    });
    expect(listed.find((d) => d.consumerGroup === 'liaison-matcher')).toMatchObject({
      sourceTopic: 'liaison.messages.routed.v1',
      failure: 'permanent',
    });
    expect(JSON.stringify(listed)).not.toContain(CANARY);

    // Every service logged its failures; none wrote the content it failed on.
    await waitFor(() => /records dead-lettered/.test(logs.text()), { what: 'dead-lettering logged' });
    expect(logs.text()).toContain('SQLSTATE 23514');
    expect(logs.text()).not.toContain(CANARY);
  });

  it('re-drives the dead letters once the cause is mended, and audits it', async () => {
    for (const [table] of REFUSING_TABLES) await database.query(`DROP TRIGGER refuse_canary ON ${table}`);
    // This test's dead letters (other tests leave poison records whose cause is in the record itself).
    const open = (
      await admin.get<{ items: DeadLetterView[] }>('/v1/dead-letters?state=open&limit=100')
    ).body.items.filter(
      (d) => [poisonId, attachedId].includes(d.messageId ?? '') || d.consumerGroup === 'liaison-matcher',
    );
    expect(open).toHaveLength(3);
    for (const deadLetter of open) {
      const redriven = await admin.post<DeadLetterView>(`/v1/dead-letters/${deadLetter.id}/redrive`, {});
      expect(redriven.status).toBe(202);
      expect(redriven.body.redriveCount).toBe(1);
    }
    for (const id of [poisonId, attachedId]) {
      await waitFor(async () => (await romania.get(`/v1/messages/${id}`)).status === 200, {
        what: 're-driven message delivered',
      });
      expect((await bureau.get<MessageView>(`/v1/messages/${id}`)).body.status).toBe('routed');
    }
    // The matcher indexed the e-mail address it had refused.
    await waitFor(
      async () =>
        Number(
          (await database.query(`SELECT count(*) AS n FROM match_keys WHERE message_id = $1`, [indexedId])).rows[0].n,
        ) === 1,
      { what: 'refused match key indexed' },
    );
    const audit = await admin.get<{ items: { action: string }[] }>('/v1/audit?action=dead-letter.redriven');
    expect(audit.body.items.length).toBeGreaterThanOrEqual(open.length);
    const stillOpen = (
      await admin.get<{ items: DeadLetterView[] }>('/v1/dead-letters?state=open&limit=100')
    ).body.items.map((d) => d.id);
    expect(stillOpen.filter((id) => open.some((d) => d.id === id))).toEqual([]);
    expect((await admin.post('/v1/dead-letters/00000000-0000-4000-8000-000000000000/redrive', {})).status).toBe(404);
  });
});
