import { openedMessages, waitFor, type ApiClient } from '@liaison/testing';
import { randomUUID } from 'node:crypto';
import {
  exchangeFixture,
  type Accepted,
  type InboxPage,
  type Problem,
  type ExchangeFixture,
} from '../support/exchange-fixture';
import { issueKey } from '../support/services';

/** Read and answer receipts, and submissions repeated with an Idempotency-Key. */
describe('receipts and repeated submissions, end to end', () => {
  const fixture = exchangeFixture();
  const { inboxItem } = fixture;
  let services: ExchangeFixture['services'];
  let db: ExchangeFixture['db'];
  let wmp: ApiClient;
  let bureau: ApiClient;
  let romania: ApiClient;

  beforeAll(() => {
    ({ services, db, wmp, bureau, romania } = fixture);
  });

  describe('receipts', () => {
    type Recipient = {
      code: string;
      state?: string;
      readAt?: string | null;
      answeredAt?: string | null;
      overdue?: boolean;
    };
    type Outbox = { items: { id: string; recipients: Recipient[] }[]; nextCursor: string | null };

    it('move each recipient from delivered to read to answered, visible to the sender', async () => {
      const supervisor = await issueKey(services, 'GB-NCA-UKLB', 'supervisor');
      const request = await supervisor.post<Accepted>('/v1/messages', {
        type: 'request',
        recipients: ['RO-ENU', 'BG-ENU'],
        subject: 'Checks',
        body: 'Please check.',
      });
      expect(request.status).toBe(202);
      await inboxItem(romania, request.body.id);
      const recipientsSeenBySender = async () =>
        (await supervisor.get<{ recipients: Recipient[] }>(`/v1/messages/${request.body.id}`)).body.recipients;
      expect((await recipientsSeenBySender()).map((r) => r.state)).toEqual(['delivered', 'delivered']);

      expect((await romania.get(`/v1/messages/${request.body.id}`)).status).toBe(200);
      const afterRead = await waitFor(
        async () => {
          const recipients = await recipientsSeenBySender();
          return recipients.find((r) => r.code === 'RO-ENU')?.state === 'read' ? recipients : undefined;
        },
        { what: 'the read receipt' },
      );
      expect(afterRead.find((r) => r.code === 'RO-ENU')?.readAt).toEqual(expect.any(String));
      expect(afterRead.find((r) => r.code === 'BG-ENU')?.state).toBe('delivered');

      await romania.post<Accepted>('/v1/messages', {
        type: 'reply',
        inReplyTo: request.body.id,
        recipients: ['GB-NCA-UKLB'],
        subject: 'Answer',
        body: 'Nothing held.',
      });
      const afterAnswer = await waitFor(
        async () => {
          const recipients = await recipientsSeenBySender();
          return recipients.find((r) => r.code === 'RO-ENU')?.state === 'answered' ? recipients : undefined;
        },
        { what: 'the answered state' },
      );
      expect(afterAnswer.find((r) => r.code === 'RO-ENU')?.answeredAt).toEqual(expect.any(String));

      // Reading the request again after answering never moves it back to read.
      await romania.get(`/v1/messages/${request.body.id}`);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect((await recipientsSeenBySender()).find((r) => r.code === 'RO-ENU')?.state).toBe('answered');

      const outbox = await supervisor.get<Outbox>(`/v1/outbox?caseReference=${request.body.caseReference}`);
      expect(outbox.status).toBe(200);
      expect(outbox.body.items.map((i) => i.id)).toEqual([request.body.id]);
      expect(outbox.body.items[0].recipients.map((r) => [r.code, r.state])).toEqual([
        ['BG-ENU', 'delivered'],
        ['RO-ENU', 'answered'],
      ]);
      // An officer reads the outbox too (the console's "Sent" list is theirs as well).
      const officers = await bureau.get<Outbox>(`/v1/outbox?caseReference=${request.body.caseReference}`);
      expect(officers.body.items.map((i) => i.id)).toEqual([request.body.id]);
    });

    it('filter the inbox by state, type, priority, case and overdue', async () => {
      const supervisor = await issueKey(services, 'LT-ENU', 'supervisor');
      const lithuania = await issueKey(services, 'LV-ENU', 'officer');
      const urgent = await supervisor.post<Accepted>('/v1/messages', {
        type: 'request',
        priority: 'urgent',
        recipients: ['LV-ENU'],
        subject: 'u',
        body: 'b',
      });
      const info = await supervisor.post<Accepted>('/v1/messages', { recipients: ['LV-ENU'], subject: 'i', body: 'b' });
      await inboxItem(lithuania, urgent.body.id);
      await inboxItem(lithuania, info.body.id);
      const ids = async (query: string) =>
        (await lithuania.get<InboxPage>(`/v1/inbox?${query}`)).body.items.map((i) => i.id);

      expect(await ids('type=request')).toEqual([urgent.body.id]);
      expect(await ids('priority=urgent')).toEqual([urgent.body.id]);
      expect(await ids(`caseReference=${info.body.caseReference}`)).toEqual([info.body.id]);
      expect(await ids('overdue=true')).toEqual([]);

      // Time passes: the request's deadline is now behind us.
      await db.query("UPDATE deliveries SET answer_deadline = now() - interval '1 hour' WHERE message_id = $1", [
        urgent.body.id,
      ]);
      expect(await ids('overdue=true')).toEqual([urgent.body.id]);
      expect(await ids('overdue=false')).toEqual([info.body.id]);
      const overdueOutbox = await supervisor.get<Outbox>('/v1/outbox?overdue=true');
      expect(overdueOutbox.body.items.map((i) => i.id)).toEqual([urgent.body.id]);
      expect(overdueOutbox.body.items[0].recipients[0].overdue).toBe(true);

      await lithuania.get(`/v1/messages/${info.body.id}`);
      await waitFor(async () => (await ids('state=read')).includes(info.body.id), { what: 'state=read' });
      expect(await ids('state=delivered')).toEqual([urgent.body.id]);
      expect((await lithuania.get<Problem>('/v1/inbox?state=archived')).body.errors?.[0].field).toBe('state');
      expect((await lithuania.get<Problem>('/v1/inbox?overdue=maybe')).body.errors?.[0].field).toBe('overdue');
    });
  });

  describe('Idempotency-Key', () => {
    it('answers a retry with the first answer and creates nothing new', async () => {
      const key = `retry-${randomUUID()}`;
      const body = { recipients: ['GB-NCA-UKLB'], subject: 'Once only', body: 'Sent with a retry.' };
      const first = await wmp.post<Accepted>('/v1/messages', body, { 'idempotency-key': key });
      const retry = await wmp.post<Accepted>('/v1/messages', body, { 'idempotency-key': key });
      expect(first.status).toBe(202);
      expect(retry.status).toBe(202);
      expect(retry.body).toEqual(first.body);
      expect(retry.headers.get('idempotent-replayed')).toBe('true');
      expect(retry.headers.get('location')).toBe(`/v1/messages/${first.body.id}`);
      await inboxItem(bureau, first.body.id);
      const stored = await openedMessages(db, "m.sender_agency = 'GB-WMP'");
      expect(stored.filter((m) => m.text.subject === 'Once only')).toHaveLength(1);
    });

    it('refuses the same key with a different request, and a malformed key', async () => {
      const key = `reuse-${randomUUID()}`;
      await wmp.post(
        '/v1/messages',
        { recipients: ['GB-NCA-UKLB'], subject: 'a', body: 'a' },
        { 'idempotency-key': key },
      );
      const reused = await wmp.post<Problem>(
        '/v1/messages',
        { recipients: ['GB-NCA-UKLB'], subject: 'b', body: 'b' },
        { 'idempotency-key': key },
      );
      expect(reused.status).toBe(409);
      expect(reused.body.errors?.[0].field).toBe('Idempotency-Key');
      expect(
        (
          await wmp.post(
            '/v1/messages',
            { recipients: ['GB-NCA-UKLB'], subject: 'a', body: 'a' },
            { 'idempotency-key': 'has spaces in it' },
          )
        ).status,
      ).toBe(400);
    });

    it('never keeps an issued API key for a replay', async () => {
      const admin = services.api.as(services.adminKey);
      const key = `apikey-${randomUUID()}`;
      const body = { agency: 'SE-ENU', role: 'officer', label: 'idempotent' };
      const first = await admin.post<{ id: string; key: string }>('/v1/api-keys', body, { 'idempotency-key': key });
      const replay = await admin.post<{ id: string; key?: string }>('/v1/api-keys', body, { 'idempotency-key': key });
      expect(first.status).toBe(201);
      expect(replay.status).toBe(201);
      expect(replay.body.id).toBe(first.body.id);
      expect(replay.body.key).toBeUndefined();
      const kept = await db.query('SELECT response::text AS response FROM idempotency_keys WHERE key = $1', [key]);
      expect(kept[0].response).not.toContain(first.body.key);
    });

    it('frees the key of a request that failed, and keeps keys apart between agencies', async () => {
      const key = `fix-${randomUUID()}`;
      expect(
        (
          await wmp.post(
            '/v1/messages',
            { recipients: ['XX-NOPE'], subject: 's', body: 'b' },
            { 'idempotency-key': key },
          )
        ).status,
      ).toBe(422);
      expect(
        (
          await wmp.post(
            '/v1/messages',
            { recipients: ['GB-NCA-UKLB'], subject: 's', body: 'b' },
            { 'idempotency-key': key },
          )
        ).status,
      ).toBe(202);
      expect(
        (
          await romania.post(
            '/v1/messages',
            { recipients: ['GB-NCA-UKLB'], subject: 'other agency', body: 'b' },
            { 'idempotency-key': key },
          )
        ).status,
      ).toBe(202);
    });
  });
});
