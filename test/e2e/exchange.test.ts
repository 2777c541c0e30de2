import { waitFor, type ApiClient, type ApiResponse } from '@liaison/testing';
import { randomUUID } from 'node:crypto';
import {
  exchangeFixture,
  pair,
  total,
  type Accepted,
  type InboxPage,
  type Problem,
  type ExchangeFixture,
} from '../support/exchange-fixture';
import { issueKey } from '../support/services';

/**
 * The first exchange end to end: HTTP gateway -> Kafka -> router -> PostgreSQL -> inbox, counted by the
 * tracker, with every service running against the real broker and database.
 */
describe('the first exchange, end to end', () => {
  const fixture = exchangeFixture();
  const { logs, inboxItem, volumesThisYear } = fixture;
  let services: ExchangeFixture['services'];
  let db: ExchangeFixture['db'];
  let wmp: ApiClient;
  let bureau: ApiClient;
  let romania: ApiClient;
  let bulgaria: ApiClient;

  beforeAll(() => {
    ({ services, db, wmp, bureau, romania, bulgaria } = fixture);
  });

  describe('health', () => {
    it('is live, ready on what the gateway needs, and says separately that every consumer answers', async () => {
      expect((await services.api.get('/health/live')).status).toBe(200);
      const ready = await services.api.get<{ ready: boolean; checks: Record<string, { ok: boolean }> }>(
        '/health/ready',
      );
      expect(ready.status).toBe(200);
      expect(Object.keys(ready.body.checks).sort()).toEqual(['kafka', 'postgres', 'redis']);
      expect(Object.values(ready.body.checks).every((check) => check.ok)).toBe(true);
      const exchange = await services.api.get<{ complete: boolean; services: Record<string, { ok: boolean }> }>(
        '/health/exchange',
      );
      expect(exchange.status).toBe(200);
      expect(Object.keys(exchange.body.services).sort()).toEqual(['matcher', 'notifier', 'router', 'tracker']);
      expect(exchange.body.complete).toBe(true);
    });
  });

  describe('a West Midlands request through the UK liaison bureau to Romania, and the answer', () => {
    it('travels the whole way and is counted', async () => {
      const before = await volumesThisYear();
      const correlationId = `e2e-${randomUUID()}`;
      const request = await wmp.post<Accepted>(
        '/v1/messages',
        {
          recipients: ['GB-NCA-UKLB'],
          subject: 'Operation KESTREL: request to Romania',
          body: 'Please ask RO-ENU for the subscriber of +40 721 000 000.',
        },
        { 'x-correlation-id': correlationId },
      );
      expect(request.status).toBe(202);
      expect(request.body.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(request.body.caseReference).toMatch(/^LIA-\d{4}-/);
      expect(request.headers.get('location')).toBe(`/v1/messages/${request.body.id}`);
      expect(request.headers.get('x-correlation-id')).toBe(correlationId);
      const caseReference = request.body.caseReference;

      const atBureau = await inboxItem(bureau, request.body.id);
      expect(atBureau).toMatchObject({
        caseReference,
        subject: 'Operation KESTREL: request to Romania',
        sender: { code: 'GB-WMP' },
      });
      const detail = await bureau.get<{ body: string; recipients: { code: string; state: string }[] }>(
        `/v1/messages/${request.body.id}`,
      );
      expect(detail.status).toBe(200);
      expect(detail.body.body).toContain('+40 721 000 000');
      expect(detail.body.recipients).toEqual([expect.objectContaining({ code: 'GB-NCA-UKLB', state: 'delivered' })]);
      expect(await db.query('SELECT correlation_id FROM messages WHERE id = $1', [request.body.id])).toEqual([
        { correlation_id: correlationId },
      ]);

      const toRomania = await bureau.post<Accepted>('/v1/messages', {
        recipients: ['RO-ENU'],
        caseReference,
        subject: 'International request',
        body: 'Subscriber check, urgent.',
      });
      expect(toRomania.status).toBe(202);
      expect(toRomania.body.caseReference).toBe(caseReference);
      await inboxItem(romania, toRomania.body.id);

      const answer = await romania.post<Accepted>('/v1/messages', {
        recipients: ['GB-NCA-UKLB'],
        caseReference,
        subject: 'Reply: subscriber identified',
        body: 'Pre-paid SIM, registered 2025.',
      });
      expect(answer.status).toBe(202);
      await inboxItem(bureau, answer.body.id);

      // Romania never sees the force's original message; the sender and the recipient do.
      expect((await romania.get(`/v1/messages/${request.body.id}`)).status).toBe(404);
      expect((await wmp.get(`/v1/messages/${request.body.id}`)).status).toBe(200);
      expect((await bulgaria.get(`/v1/messages/${answer.body.id}`)).status).toBe(404);

      const after = await waitFor(
        async () => {
          const report = await volumesThisYear();
          return total(report) >= total(before) + 3 ? report : undefined;
        },
        { what: 'the tracker to count the three messages' },
      );
      expect(total(after) - total(before)).toBe(3);
      expect(pair(after, 'domestic', 'GB') - pair(before, 'domestic', 'GB')).toBe(1);
      expect(pair(after, 'outbound', 'RO') - pair(before, 'outbound', 'RO')).toBe(1);
      expect(pair(after, 'inbound', 'RO') - pair(before, 'inbound', 'RO')).toBe(1);

      // An agency outside the case cannot write into it, and is not told whether it exists.
      const intrusion = await bulgaria.post<Problem>('/v1/messages', {
        recipients: ['RO-ENU'],
        caseReference,
        subject: 's',
        body: 'b',
      });
      expect(intrusion.status).toBe(422);
      expect(intrusion.body.errors?.[0].field).toBe('caseReference');
    });

    it('pages through an inbox newest first without repeating or skipping', async () => {
      // Finland's unit takes no other test's messages, so its inbox holds exactly these five.
      const sent: string[] = [];
      for (let i = 0; i < 5; i += 1) {
        const response = await bulgaria.post<Accepted>('/v1/messages', {
          recipients: ['FI-ENU'],
          subject: `page ${i}`,
          body: 'b',
        });
        sent.push(response.body.id);
      }
      const finland = await issueKey(services, 'FI-ENU', 'officer');
      await inboxItem(finland, sent[4]);
      await waitFor(async () => (await finland.get<InboxPage>('/v1/inbox')).body.items.length === 5, {
        what: 'five messages',
      });
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: ApiResponse<InboxPage> = await finland.get<InboxPage>(
          `/v1/inbox?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        );
        expect(page.status).toBe(200);
        expect(page.body.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.body.items.map((item) => item.id));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(new Set(seen).size).toBe(5);
      expect([...seen].sort()).toEqual([...sent].sort());
    });
  });

  describe('logs', () => {
    it('carry the correlation id and never a subject or body', async () => {
      const marker = `MARKER${randomUUID().replace(/-/g, '')}`;
      const correlationId = `logs-${randomUUID()}`;
      const sent = await wmp.post<Accepted>(
        '/v1/messages',
        { recipients: ['GB-NCA-UKLB'], subject: `${marker}-subject`, body: `${marker}-body` },
        { 'x-correlation-id': correlationId },
      );
      await inboxItem(bureau, sent.body.id);
      await bureau.get(`/v1/messages/${sent.body.id}`);
      const text = logs.text();
      const lines = text.split('\n');
      // The use case's own line and the request line both carry the request's correlation id.
      expect(lines.find((line) => line.includes('message submitted') && line.includes(sent.body.id))).toContain(
        correlationId,
      );
      expect(lines.find((line) => line.includes('request completed') && line.includes(correlationId))).toContain(
        '"url":"/v1/messages"',
      );
      expect(text).not.toContain(marker);
      expect(text).not.toContain(services.adminKey);
    });
  });

  describe('readiness', () => {
    it("stays ready when the tracker stops consuming, and the exchange's health names the tracker", async () => {
      await services.tracker.app.close();
      const response = await waitFor(
        async () => {
          const exchange = await services.api.get<{
            complete: boolean;
            services: Record<string, { ok: boolean; detail?: string }>;
          }>('/health/exchange');
          return exchange.status === 503 ? exchange : undefined;
        },
        { what: 'the exchange to be incomplete' },
      );
      expect(response.body.complete).toBe(false);
      expect(response.body.services.tracker.ok).toBe(false);
      expect(response.body.services.tracker.detail).toMatch(/consumer group .*tracker/);
      expect(response.body.services.router.ok).toBe(true);
      expect((await services.api.get('/health/ready')).status).toBe(200);
      expect((await services.api.get('/health/live')).status).toBe(200);
    });
  });
});
