import { qualifiedTopic, Topics } from '@liaison/contracts';
import { createKafka, parseBrokers } from '@liaison/messaging';
import { createLogger } from '@liaison/observability';
import { createDataSource } from '@liaison/persistence';
import { waitFor, type ApiClient, type ApiResponse } from '@liaison/testing';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { LogCapture } from '../support/log-capture';
import { issueKey, startServices, type RunningServices } from '../support/services';

type Problem = {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: { field: string; message: string }[];
};
type Accepted = { id: string; caseReference: string };
type InboxPage = {
  items: { id: string; caseReference: string; subject: string; sender: { code: string } }[];
  nextCursor: string | null;
};
type Volumes = { rows: { direction: string; partnerCountry: string; messages: number }[] };

/**
 * The first exchange end to end: HTTP gateway -> Kafka -> router -> PostgreSQL -> inbox, counted by the
 * tracker, with every service running against the real broker and database.
 */
describe('the first exchange, end to end', () => {
  const logs = new LogCapture();
  let services: RunningServices;
  let db: DataSource;
  let wmp: ApiClient;
  let bureau: ApiClient;
  let romania: ApiClient;
  let bulgaria: ApiClient;
  let lead: ApiClient;
  const kafka = createKafka(
    { brokers: parseBrokers(process.env.KAFKA_BROKERS!), clientId: 'e2e', namespace: process.env.KAFKA_NAMESPACE! },
    createLogger({ service: 'e2e', level: 'error', format: 'pretty' }),
  );

  beforeAll(async () => {
    logs.start();
    services = await startServices({ LOG_LEVEL: 'debug' });
    db = await createDataSource({ url: process.env.DATABASE_URL!, poolSize: 2, applicationName: 'e2e' }).initialize();
    [wmp, bureau, romania, bulgaria, lead] = await Promise.all([
      issueKey(services, 'GB-WMP', 'officer'),
      issueKey(services, 'GB-NCA-UKLB', 'officer'),
      issueKey(services, 'RO-ENU', 'officer'),
      issueKey(services, 'BG-ENU', 'officer'),
      issueKey(services, 'GB-NCA', 'programme-lead'),
    ]);
  }, 90_000);

  afterAll(async () => {
    await services?.stop();
    await db?.destroy();
    logs.stop();
  });

  async function inboxItem(client: ApiClient, messageId: string) {
    return waitFor(
      async () => (await client.get<InboxPage>('/v1/inbox?limit=100')).body.items.find((item) => item.id === messageId),
      {
        what: `message ${messageId} in the inbox`,
      },
    );
  }

  /** The UK's messages this year by direction and partner: country by year, so no count is hidden. */
  async function volumesThisYear(): Promise<Volumes> {
    const response = await lead.get<Volumes>(
      `/v1/reports/volumes?from=${new Date().getUTCFullYear()}&by=direction,partner-country`,
    );
    expect(response.status).toBe(200);
    return response.body;
  }

  const pair = (report: Volumes, direction: string, partner: string) =>
    report.rows.find((row) => row.direction === direction && row.partnerCountry === partner)?.messages ?? 0;
  const total = (report: Volumes) => report.rows.reduce((sum, row) => sum + row.messages, 0);

  describe('health', () => {
    it('is live, and ready once Kafka, PostgreSQL, Redis and every consumer answer', async () => {
      expect((await services.api.get('/health/live')).status).toBe(200);
      const ready = await services.api.get<{ ready: boolean; checks: Record<string, { ok: boolean }> }>(
        '/health/ready',
      );
      expect(ready.status).toBe(200);
      expect(Object.keys(ready.body.checks).sort()).toEqual([
        'kafka',
        'matcher',
        'notifier',
        'postgres',
        'redis',
        'router',
        'tracker',
      ]);
      expect(Object.values(ready.body.checks).every((check) => check.ok)).toBe(true);
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
      const sent: string[] = [];
      for (let i = 0; i < 5; i += 1) {
        const response = await bulgaria.post<Accepted>('/v1/messages', {
          recipients: ['EE-ENU'],
          subject: `page ${i}`,
          body: 'b',
        });
        sent.push(response.body.id);
      }
      const estonia = await issueKey(services, 'EE-ENU', 'officer');
      await inboxItem(estonia, sent[4]);
      await waitFor(async () => (await estonia.get<InboxPage>('/v1/inbox')).body.items.length === 5, {
        what: 'five messages',
      });
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: ApiResponse<InboxPage> = await estonia.get<InboxPage>(
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

  describe('message codes', () => {
    type Detail = {
      type: string;
      priority: string;
      caseReference: string;
      inReplyTo: string | null;
      submittedAt: string;
      handling: { code: string; restriction?: string; uk?: string; marking?: string };
      evaluation: { scheme: string; label: string } | null;
      recipients: { code: string; answerDeadline: string | null }[];
    };

    it("take a deadline the sender sets in place of the priority's", async () => {
      const deadline = new Date(Date.now() + 36 * 3_600_000);
      deadline.setUTCMilliseconds(0);
      const sent = await bureau.post<Accepted>('/v1/messages', {
        type: 'cross-check',
        priority: 'normal',
        deadline: deadline.toISOString(),
        recipients: ['RO-ENU'],
        subject: 'Cross-check, due in 36 hours',
        body: 'Please check the attached numbers.',
      });
      expect(sent.status).toBe(202);
      expect(await inboxItem(romania, sent.body.id)).toMatchObject({
        type: 'cross-check',
        answerDeadline: deadline.toISOString(),
      });
    });

    it('give a request each recipient’s deadline from its priority, and carry handling and evaluation as given', async () => {
      const sent = await bureau.post<Accepted>('/v1/messages', {
        type: 'request',
        priority: 'urgent-direct',
        recipients: ['RO-ENU', 'BG-ENU'],
        subject: 'Urgent: vehicle keeper',
        body: 'Keeper of B-123-XYZ, please.',
        handling: { code: 'H3', restriction: 'Not to be shared with the vehicle keeper’s employer', uk: 'C' },
        evaluation: { scheme: '3x5x2', source: '2', intelligence: 'B', handling: 'C' },
      });
      expect(sent.status).toBe(202);
      const item = await inboxItem(romania, sent.body.id);
      const detail = (await romania.get<Detail>(`/v1/messages/${sent.body.id}`)).body;
      const due = new Date(Date.parse(detail.submittedAt) + 8 * 3_600_000).toISOString();
      expect(item).toMatchObject({ type: 'request', priority: 'urgent-direct', answerDeadline: due });
      // A recipient sees the addressees but only its own deadline and state; the sender sees them all.
      expect(detail.recipients.map((r) => [r.code, r.answerDeadline])).toEqual([
        ['BG-ENU', undefined],
        ['RO-ENU', due],
      ]);
      const asSender = (await bureau.get<Detail>(`/v1/messages/${sent.body.id}`)).body;
      expect(asSender.recipients.map((r) => [r.code, r.answerDeadline])).toEqual([
        ['BG-ENU', due],
        ['RO-ENU', due],
      ]);
      expect(detail.handling).toEqual({
        code: 'H3',
        restriction: 'Not to be shared with the vehicle keeper’s employer',
        uk: 'C',
      });
      expect(detail.evaluation).toEqual({
        scheme: '3x5x2',
        source: '2',
        intelligence: 'B',
        handling: 'C',
        label: '2/B/C',
      });
    });

    it('carry structured entities and their links exactly as sent', async () => {
      const entities = [
        {
          ref: 'p1',
          type: 'person',
          names: ['Ștefan', 'POPESCU'],
          dateOfBirth: '1988-04-02',
          nationality: 'RO',
          gender: 'male',
        },
        { ref: 'ph1', type: 'phone', number: '+40 721 234 567', country: 'RO' },
        { ref: 'b1', type: 'bank-account', iban: 'RO49 AAAA 1B31 0075 9384 0000', bic: 'RNCBROBU' },
        { ref: 'v1', type: 'vehicle', plate: 'B-123-XYZ', country: 'RO' },
      ];
      const links = [
        { from: 'ph1', to: 'p1', relation: 'used-by' },
        { from: 'b1', to: 'p1', relation: 'held-by' },
      ];
      const sent = await bureau.post<Accepted>('/v1/messages', {
        type: 'cross-check',
        recipients: ['RO-ENU'],
        subject: 'Cross-check',
        body: 'See entities.',
        entities,
        links,
      });
      expect(sent.status).toBe(202);
      await inboxItem(romania, sent.body.id);
      const detail = (await romania.get<{ entities: unknown[]; links: unknown[] }>(`/v1/messages/${sent.body.id}`))
        .body;
      expect(detail.entities).toEqual(entities);
      expect(detail.links).toEqual(links);
    });

    it('refuse invalid entities, naming each one', async () => {
      const response = await bureau.post<Problem>('/v1/messages', {
        recipients: ['RO-ENU'],
        subject: 's',
        body: 'b',
        entities: [
          { ref: 'p1', type: 'person', names: ['X'], dateOfBirth: '2999-01-01' },
          { ref: 'b1', type: 'bank-account', iban: 'GB82 WEST 1234 5698 7654 33' },
        ],
        links: [{ from: 'p1', to: 'nobody', relation: 'uses' }],
      });
      expect(response.status).toBe(400);
      expect(response.body.errors?.map((e) => e.field)).toEqual([
        'entities[0].dateOfBirth',
        'entities[1].iban',
        'links[0].to',
      ]);
    });

    it('hold back an H3 message’s content until each reading user acknowledges its restriction', async () => {
      type Opened = {
        body?: string;
        entities?: unknown[];
        acknowledgementRequired?: boolean;
        handling: { restriction?: string };
        recipients: { code: string; state?: string }[];
      };
      const restriction = 'Not to be disclosed to the labour inspectorate before 1 March';
      const sent = await bureau.post<Accepted>('/v1/messages', {
        recipients: ['RO-ENU'],
        subject: 'Restricted',
        body: 'The content behind the restriction.',
        handling: { code: 'H3', restriction },
        entities: [{ ref: 'p1', type: 'person', names: ['A', 'B'] }],
      });
      await inboxItem(romania, sent.body.id);

      const first = (await romania.get<Opened>(`/v1/messages/${sent.body.id}`)).body;
      expect(first.acknowledgementRequired).toBe(true);
      expect(first.handling.restriction).toBe(restriction);
      expect(first.body).toBeUndefined();
      expect(first.entities).toBeUndefined();
      // Not read until the content is shown.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect((await bureau.get<Opened>(`/v1/messages/${sent.body.id}`)).body.recipients[0].state).toBe('delivered');

      const acknowledged = await romania.post<Opened>(`/v1/messages/${sent.body.id}/acknowledge`, {});
      expect(acknowledged.status).toBe(200);
      expect(acknowledged.body.body).toBe('The content behind the restriction.');
      expect(acknowledged.body.acknowledgementRequired).toBeUndefined();
      expect((await romania.get<Opened>(`/v1/messages/${sent.body.id}`)).body.body).toBe(
        'The content behind the restriction.',
      );
      await waitFor(
        async () => (await bureau.get<Opened>(`/v1/messages/${sent.body.id}`)).body.recipients[0].state === 'read',
        { what: 'read after acknowledgement' },
      );

      // Each user acknowledges for themselves; the sender needs no acknowledgement.
      const colleague = await issueKey(services, 'RO-ENU', 'officer');
      expect((await colleague.get<Opened>(`/v1/messages/${sent.body.id}`)).body.acknowledgementRequired).toBe(true);
      expect((await bureau.get<Opened>(`/v1/messages/${sent.body.id}`)).body.body).toBe(
        'The content behind the restriction.',
      );
      expect((await bulgaria.post(`/v1/messages/${sent.body.id}/acknowledge`, {})).status).toBe(404);
      expect((await bureau.post(`/v1/messages/${sent.body.id}/acknowledge`, {})).status).toBe(404);
      const plain = await bureau.post<Accepted>('/v1/messages', {
        recipients: ['RO-ENU'],
        subject: 'Plain',
        body: 'b',
      });
      await inboxItem(romania, plain.body.id);
      expect((await romania.post<Problem>(`/v1/messages/${plain.body.id}/acknowledge`, {})).status).toBe(422);
    });

    it('never deliver a message above a recipient agency’s clearance', async () => {
      const admin = services.api.as(services.adminKey);
      const register = (await bureau.get<{ code: string; clearance: string }[]>('/v1/agencies')).body;
      expect(register.find((a) => a.code === 'RO-ENU')?.clearance).toBe('restricted');

      const tooHigh = await bureau.post<Problem>('/v1/messages', {
        classification: 'confidential',
        recipients: ['RO-ENU'],
        subject: 's',
        body: 'b',
      });
      expect(tooHigh.status).toBe(422);
      expect(tooHigh.body.detail).toContain('RO-ENU');
      expect(
        (
          await bureau.post('/v1/messages', {
            classification: 'restricted',
            recipients: ['RO-ENU'],
            subject: 's',
            body: 'b',
          })
        ).status,
      ).toBe(202);

      expect(
        (await bureau.request('PUT', '/v1/agencies/RO-ENU/clearance', { json: { clearance: 'confidential' } })).status,
      ).toBe(403);
      const raised = await admin.request<{ clearance: string }>('PUT', '/v1/agencies/RO-ENU/clearance', {
        json: { clearance: 'confidential' },
      });
      expect(raised.status).toBe(200);
      expect(raised.body.clearance).toBe('confidential');
      const sent = await bureau.post<Accepted>('/v1/messages', {
        classification: 'confidential',
        recipients: ['RO-ENU'],
        subject: 'Confidential',
        body: 'b',
      });
      expect(sent.status).toBe(202);
      await inboxItem(romania, sent.body.id);
      expect((await romania.get<{ classification: string }>(`/v1/messages/${sent.body.id}`)).body.classification).toBe(
        'confidential',
      );
      expect(
        (await admin.request<Problem>('PUT', '/v1/agencies/RO-ENU/clearance', { json: { clearance: 'top-secret' } }))
          .body.errors?.[0].field,
      ).toBe('clearance');
      expect(
        (await admin.request('PUT', '/v1/agencies/XX-NONE/clearance', { json: { clearance: 'restricted' } })).status,
      ).toBe(404);
      await admin.request('PUT', '/v1/agencies/RO-ENU/clearance', { json: { clearance: 'restricted' } });
    });

    it('mark H1 messages, and give information no deadline', async () => {
      const sent = await bureau.post<Accepted>('/v1/messages', {
        recipients: ['RO-ENU'],
        subject: 'For information',
        body: 'Intelligence picture, not for court.',
        handling: { code: 'H1' },
        evaluation: { scheme: '4x4', source: 'B', information: '2' },
      });
      await inboxItem(romania, sent.body.id);
      const detail = (await romania.get<Detail>(`/v1/messages/${sent.body.id}`)).body;
      expect(detail.type).toBe('information');
      expect(detail.priority).toBe('normal');
      expect(detail.recipients[0].answerDeadline).toBeNull();
      expect(detail.handling.marking).toMatch(/judicial proceedings/);
      expect(detail.evaluation?.label).toBe('B2');
    });

    it('file a reply in the case of the request it answers, and refuse replies to what expects no answer', async () => {
      const request = await bureau.post<Accepted>('/v1/messages', {
        type: 'cross-check',
        recipients: ['RO-ENU'],
        subject: 'Cross-check',
        body: 'Check these.',
      });
      const information = await bureau.post<Accepted>('/v1/messages', {
        recipients: ['RO-ENU'],
        subject: 'FYI',
        body: 'No answer needed.',
      });
      await inboxItem(romania, request.body.id);
      await inboxItem(romania, information.body.id);

      const reply = await romania.post<Accepted>('/v1/messages', {
        type: 'reply',
        inReplyTo: request.body.id,
        recipients: ['GB-NCA-UKLB'],
        subject: 'No trace',
        body: 'Nothing held.',
      });
      expect(reply.status).toBe(202);
      expect(reply.body.caseReference).toBe(request.body.caseReference);
      await inboxItem(bureau, reply.body.id);
      expect((await bureau.get<Detail>(`/v1/messages/${reply.body.id}`)).body).toMatchObject({
        type: 'reply',
        inReplyTo: request.body.id,
      });

      const toInformation = await romania.post<Problem>('/v1/messages', {
        type: 'reply',
        inReplyTo: information.body.id,
        recipients: ['GB-NCA-UKLB'],
        subject: 's',
        body: 'b',
      });
      expect(toInformation.status).toBe(422);
      expect(toInformation.body.errors?.[0]).toMatchObject({ field: 'inReplyTo' });
      expect(toInformation.body.detail).toContain('expects no answer');

      const wrongCase = await romania.post<Problem>('/v1/messages', {
        type: 'reply',
        inReplyTo: request.body.id,
        caseReference: information.body.caseReference,
        recipients: ['GB-NCA-UKLB'],
        subject: 's',
        body: 'b',
      });
      expect(wrongCase.status).toBe(422);
      // The sender of a request cannot "reply" to its own message: it never received it.
      expect(
        (
          await bureau.post('/v1/messages', {
            type: 'reply',
            inReplyTo: request.body.id,
            recipients: ['RO-ENU'],
            subject: 's',
            body: 'b',
          })
        ).status,
      ).toBe(422);
    });
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
      expect((await bureau.get('/v1/outbox')).status).toBe(403);
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
      const stored = await db.query(
        "SELECT count(*)::int AS n FROM messages WHERE subject = 'Once only' AND sender_agency = 'GB-WMP'",
      );
      expect(stored).toEqual([{ n: 1 }]);
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

  describe('cases', () => {
    type CaseList = { items: { reference: string; participants: string[] }[]; nextCursor: string | null };
    type CaseDetail = {
      reference: string;
      owner: { code: string };
      participants: string[];
      messages: { id: string; sender: string; recipients: string[] }[];
    };

    it('show each participant the case and only the messages its agency sent or received', async () => {
      const estonia = await issueKey(services, 'EE-ENU', 'officer');
      const request = await bureau.post<Accepted>('/v1/messages', {
        type: 'request',
        recipients: ['RO-ENU'],
        subject: 'Case thread',
        body: 'b',
      });
      const reference = request.body.caseReference;
      await inboxItem(romania, request.body.id);
      const reply = await romania.post<Accepted>('/v1/messages', {
        type: 'reply',
        inReplyTo: request.body.id,
        recipients: ['GB-NCA-UKLB'],
        subject: 'Answer',
        body: 'b',
      });
      const toEstonia = await bureau.post<Accepted>('/v1/messages', {
        caseReference: reference,
        recipients: ['EE-ENU'],
        subject: 'Also for Estonia',
        body: 'b',
      });
      await inboxItem(bureau, reply.body.id);
      await inboxItem(estonia, toEstonia.body.id);

      const asBureau = (await bureau.get<CaseDetail>(`/v1/cases/${reference}`)).body;
      expect(asBureau.owner.code).toBe('GB-NCA-UKLB');
      expect(asBureau.participants).toEqual(['EE-ENU', 'GB-NCA-UKLB', 'RO-ENU']);
      expect(asBureau.messages.map((m) => m.id)).toEqual([request.body.id, reply.body.id, toEstonia.body.id]);

      const asEstonia = await estonia.get<CaseDetail>(`/v1/cases/${reference}`);
      expect(asEstonia.status).toBe(200);
      expect(asEstonia.body.messages.map((m) => m.id)).toEqual([toEstonia.body.id]);
      const asRomania = (await romania.get<CaseDetail>(`/v1/cases/${reference}`)).body;
      expect(asRomania.messages.map((m) => m.id)).toEqual([request.body.id, reply.body.id]);

      expect((await bulgaria.get(`/v1/cases/${reference}`)).status).toBe(404);
      expect((await bulgaria.get<CaseList>('/v1/cases?limit=100')).body.items.map((c) => c.reference)).not.toContain(
        reference,
      );
      expect((await estonia.get<CaseList>('/v1/cases')).body.items.map((c) => c.reference)).toContain(reference);
      expect((await bureau.get<Problem>('/v1/cases/not-a-reference')).body.errors?.[0].field).toBe('reference');
      expect((await lead.get(`/v1/cases/${reference}`)).status).toBe(403);
    });

    it('open on their own with a title and crime area, take messages, and stop taking them once the owner closes them', async () => {
      type Opened = { reference: string; status: string };
      type Detail = {
        title: string;
        crimeArea: string;
        operationName: string;
        status: string;
        closedAt: string | null;
        owner: { code: string };
        participants: string[];
      };
      const opened = await wmp.post<Opened>('/v1/cases', {
        title: 'Car wash labour exploitation',
        crimeArea: 'labour-exploitation',
        operationName: 'KESTREL',
      });
      expect(opened.status).toBe(202);
      expect(opened.body.status).toBe('open');
      expect(opened.headers.get('location')).toBe(`/v1/cases/${opened.body.reference}`);
      const reference = opened.body.reference;

      // Usable as soon as it is answered.
      const first = await wmp.post<Accepted>('/v1/messages', {
        caseReference: reference,
        type: 'request',
        recipients: ['GB-NCA-UKLB'],
        subject: 'Checks',
        body: 'b',
      });
      expect(first.status).toBe(202);
      expect(first.body.caseReference).toBe(reference);
      await inboxItem(bureau, first.body.id);

      const detail = (await wmp.get<Detail>(`/v1/cases/${reference}`)).body;
      expect(detail).toMatchObject({
        title: 'Car wash labour exploitation',
        crimeArea: 'labour-exploitation',
        operationName: 'KESTREL',
        status: 'open',
        closedAt: null,
      });
      expect(detail.owner.code).toBe('GB-WMP');
      expect(detail.participants).toEqual(['GB-NCA-UKLB', 'GB-WMP']);
      const filtered = (
        await wmp.get<CaseList>('/v1/cases?crimeArea=labour-exploitation&status=open&limit=100')
      ).body.items.map((c) => c.reference);
      expect(filtered).toContain(reference);
      expect(
        (await wmp.get<CaseList>('/v1/cases?crimeArea=organ-harvesting&limit=100')).body.items.map((c) => c.reference),
      ).not.toContain(reference);

      expect((await bureau.post<Problem>(`/v1/cases/${reference}/close`, {})).status).toBe(403);
      expect((await bulgaria.post<Problem>(`/v1/cases/${reference}/close`, {})).status).toBe(404);
      const closed = await wmp.post<Opened>(`/v1/cases/${reference}/close`, {});
      expect(closed.status).toBe(202);
      expect(closed.body.status).toBe('closed');
      expect((await wmp.get<Detail>(`/v1/cases/${reference}`)).body.closedAt).toEqual(expect.any(String));

      const late = await bureau.post<Problem>('/v1/messages', {
        caseReference: reference,
        recipients: ['GB-WMP'],
        subject: 'late',
        body: 'b',
      });
      expect(late.status).toBe(422);
      expect(late.body.type).toBe('urn:liaison:problem:case-closed');
      expect((await wmp.post<Problem>(`/v1/cases/${reference}/close`, {})).status).toBe(422);
    });

    it('refuse a case without a title or with an unknown crime area', async () => {
      expect((await wmp.post<Problem>('/v1/cases', { crimeArea: 'labour-exploitation' })).body.errors?.[0].field).toBe(
        'title',
      );
      expect((await wmp.post<Problem>('/v1/cases', { title: 't', crimeArea: 'fraud' })).body.errors?.[0].field).toBe(
        'crimeArea',
      );
      expect((await lead.post('/v1/cases', { title: 't', crimeArea: 'fraud' })).status).toBe(403);
    });

    it('page through cases, most recently active first', async () => {
      const latvia = await issueKey(services, 'LV-ENU', 'officer');
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: ApiResponse<CaseList> = await latvia.get<CaseList>(
          `/v1/cases?limit=1${cursor ? `&cursor=${cursor}` : ''}`,
        );
        expect(page.status).toBe(200);
        seen.push(...page.body.items.map((c) => c.reference));
        cursor = page.body.nextCursor;
      } while (cursor);
      const all = (await latvia.get<CaseList>('/v1/cases?limit=100')).body.items.map((c) => c.reference);
      expect(seen).toEqual(all);
      expect(all.length).toBeGreaterThanOrEqual(2);
    });
  });

  describe('who may do what', () => {
    it('answers 401 without a valid key and 403 for the wrong role', async () => {
      const anonymous = await services.api.get<Problem>('/v1/inbox');
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect((await services.api.as('lia_not-a-real-key').get('/v1/inbox')).status).toBe(401);
      expect((await services.api.get('/v1/inbox', { authorization: 'Basic abc' })).status).toBe(401);
      expect((await lead.get('/v1/inbox')).status).toBe(403);
      expect((await lead.post('/v1/messages', { recipients: ['RO-ENU'], subject: 's', body: 'b' })).status).toBe(403);
      expect((await wmp.get('/v1/reports/volumes?from=2026-01')).status).toBe(403);
      expect((await wmp.post('/v1/api-keys', { agency: 'GB-WMP', role: 'admin', label: 'escalation' })).status).toBe(
        403,
      );
      expect((await services.api.as(services.adminKey).get('/v1/inbox')).status).toBe(403);
    });

    it('issues keys once, stores only their digest, and stops accepting a revoked key', async () => {
      const admin = services.api.as(services.adminKey);
      const issued = await admin.post<{ id: string; key: string; hint: string }>('/v1/api-keys', {
        agency: 'PL-ENU',
        role: 'officer',
        label: 'temporary',
      });
      expect(issued.status).toBe(201);
      expect(issued.body.key.startsWith(issued.body.hint)).toBe(true);
      const stored = await db.query('SELECT key_hash FROM api_keys WHERE id = $1', [issued.body.id]);
      expect(stored[0].key_hash).not.toContain(issued.body.key.slice(4));
      const listed = await admin.get<{ id: string }[]>('/v1/api-keys?agency=PL-ENU');
      expect(JSON.stringify(listed.body)).not.toContain(issued.body.key);
      const polish = services.api.as(issued.body.key);
      expect((await polish.get('/v1/inbox')).status).toBe(200);
      expect((await admin.request('DELETE', `/v1/api-keys/${issued.body.id}`)).status).toBe(204);
      expect((await polish.get('/v1/inbox')).status).toBe(401);
      expect((await admin.request('DELETE', `/v1/api-keys/${issued.body.id}`)).status).toBe(404);
    });

    it('refuses keys for unknown agencies and roles', async () => {
      const admin = services.api.as(services.adminKey);
      const unknown = await admin.post<Problem>('/v1/api-keys', { agency: 'XX-NOWHERE', role: 'officer', label: 'x' });
      expect(unknown.status).toBe(422);
      expect(unknown.body.detail).toContain('XX-NOWHERE');
      const role = await admin.post<Problem>('/v1/api-keys', { agency: 'GB-WMP', role: 'superuser', label: 'x' });
      expect(role.status).toBe(400);
      expect(role.body.errors?.map((e) => e.field)).toEqual(['role']);
    });
  });

  describe('bad input', () => {
    const valid = { recipients: ['RO-ENU'], subject: 'subject', body: 'body' };
    const cases: [string, (client: ApiClient) => Promise<ApiResponse<Problem>>, number, string | null][] = [
      [
        'malformed JSON',
        (c) => c.request<Problem>('POST', '/v1/messages', { raw: '{"recipients": ["RO-ENU"' }),
        400,
        null,
      ],
      [
        'a missing subject',
        (c) => c.post<Problem>('/v1/messages', { recipients: ['RO-ENU'], body: 'b' }),
        400,
        'subject',
      ],
      [
        'recipients of the wrong type',
        (c) => c.post<Problem>('/v1/messages', { ...valid, recipients: 'RO-ENU' }),
        400,
        'recipients',
      ],
      ['a number for a body', (c) => c.post<Problem>('/v1/messages', { ...valid, body: 42 }), 400, 'body'],
      ['an unknown property', (c) => c.post<Problem>('/v1/messages', { ...valid, urgency: 'high' }), 400, 'urgency'],
      ['an unknown message type', (c) => c.post<Problem>('/v1/messages', { ...valid, type: 'query' }), 400, 'type'],
      ['an unknown priority', (c) => c.post<Problem>('/v1/messages', { ...valid, priority: 'asap' }), 400, 'priority'],
      [
        'an unknown handling code',
        (c) => c.post<Problem>('/v1/messages', { ...valid, handling: { code: 'H4' } }),
        400,
        'handling.code',
      ],
      [
        'H3 without its restriction',
        (c) => c.post<Problem>('/v1/messages', { ...valid, handling: { code: 'H3' } }),
        400,
        'handling.restriction',
      ],
      [
        'a restriction on H1',
        (c) => c.post<Problem>('/v1/messages', { ...valid, handling: { code: 'H1', restriction: 'x' } }),
        400,
        'handling.restriction',
      ],
      [
        'a 4x4 grade out of range',
        (c) =>
          c.post<Problem>('/v1/messages', { ...valid, evaluation: { scheme: '4x4', source: 'D', information: '1' } }),
        400,
        'evaluation.source',
      ],
      [
        'a 3x5x2 grade out of range',
        (c) =>
          c.post<Problem>('/v1/messages', {
            ...valid,
            evaluation: { scheme: '3x5x2', source: '1', intelligence: 'F', handling: 'P' },
          }),
        400,
        'evaluation.intelligence',
      ],
      [
        'a reply that names no message',
        (c) => c.post<Problem>('/v1/messages', { ...valid, type: 'reply' }),
        400,
        'inReplyTo',
      ],
      [
        'inReplyTo on a request',
        (c) => c.post<Problem>('/v1/messages', { ...valid, type: 'request', inReplyTo: randomUUID() }),
        400,
        'inReplyTo',
      ],
      [
        'a reply to a message never received',
        (c) => c.post<Problem>('/v1/messages', { ...valid, type: 'reply', inReplyTo: randomUUID() }),
        422,
        'inReplyTo',
      ],
      [
        'a malformed recipient code',
        (c) => c.post<Problem>('/v1/messages', { ...valid, recipients: ["RO'; DROP TABLE messages;--"] }),
        400,
        'recipients',
      ],
      [
        'duplicate recipients',
        (c) => c.post<Problem>('/v1/messages', { ...valid, recipients: ['RO-ENU', 'RO-ENU'] }),
        400,
        'recipients',
      ],
      ['no recipients', (c) => c.post<Problem>('/v1/messages', { ...valid, recipients: [] }), 400, 'recipients'],
      [
        'a malformed case reference',
        (c) => c.post<Problem>('/v1/messages', { ...valid, caseReference: 'LIA-2026-ABCDEFGHZ' }),
        400,
        'caseReference',
      ],
      [
        'an unknown recipient',
        (c) => c.post<Problem>('/v1/messages', { ...valid, recipients: ['RO-ENU', 'XX-NOPE'] }),
        422,
        'recipients',
      ],
      [
        'the sender as recipient',
        (c) => c.post<Problem>('/v1/messages', { ...valid, recipients: ['GB-WMP'] }),
        422,
        'recipients',
      ],
      [
        'a body over the limit',
        (c) => c.post<Problem>('/v1/messages', { ...valid, body: 'x'.repeat(1_100_000) }),
        413,
        null,
      ],
      [
        'a form instead of JSON',
        (c) =>
          c.request<Problem>('POST', '/v1/messages', {
            raw: 'a=1',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
          }),
        415,
        null,
      ],
      [
        'a deadline in the past',
        (c) => c.post<Problem>('/v1/messages', { ...valid, type: 'request', deadline: '2020-01-01T00:00:00Z' }),
        400,
        'deadline',
      ],
      [
        'a deadline on information',
        (c) => c.post<Problem>('/v1/messages', { ...valid, deadline: '2099-01-01T00:00:00Z' }),
        400,
        'deadline',
      ],
      [
        'a deadline that is no date',
        (c) => c.post<Problem>('/v1/messages', { ...valid, type: 'request', deadline: 'next Friday' }),
        400,
        'deadline',
      ],
      [
        'more recipients than allowed',
        (c) =>
          c.post<Problem>('/v1/messages', { ...valid, recipients: Array.from({ length: 51 }, (_, i) => `XX-A${i}`) }),
        400,
        'recipients',
      ],
      [
        'an unknown JIT',
        (c) => c.post<Problem>('/v1/messages', { subject: 's', body: 'b', jit: randomUUID() }),
        422,
        'jit',
      ],
      [
        'a JIT id that is no UUID',
        (c) => c.post<Problem>('/v1/messages', { subject: 's', body: 'b', jit: 'JIT-1' }),
        400,
        'jit',
      ],
      [
        'an attachment never uploaded',
        (c) => c.post<Problem>('/v1/messages', { ...valid, attachments: [randomUUID()] }),
        422,
        'attachments',
      ],
      [
        'an invalid IBAN',
        (c) =>
          c.post<Problem>('/v1/messages', {
            ...valid,
            entities: [{ ref: 'b1', type: 'bank-account', iban: 'GB00 WEST 1234 5698 7654 32' }],
          }),
        400,
        'entities[0].iban',
      ],
      [
        'a date of birth in the future',
        (c) =>
          c.post<Problem>('/v1/messages', {
            ...valid,
            entities: [{ ref: 'p1', type: 'person', names: ['A'], dateOfBirth: '2999-01-01' }],
          }),
        400,
        'entities[0].dateOfBirth',
      ],
      ['a bad inbox cursor', (c) => c.get<Problem>('/v1/inbox?cursor=bogus!'), 400, 'cursor'],
      ['an inbox limit of zero', (c) => c.get<Problem>('/v1/inbox?limit=0'), 400, 'limit'],
      ['a message id that is not a UUID', (c) => c.get<Problem>('/v1/messages/123'), 400, 'id'],
    ];

    // The gateway writes the exchange only by publishing: a request that publishes nothing wrote nothing.
    async function submittedRecords(): Promise<number> {
      const admin = kafka.admin();
      await admin.connect();
      try {
        const offsets = await admin.fetchTopicOffsets(
          qualifiedTopic(process.env.KAFKA_NAMESPACE!, Topics.messageSubmitted),
        );
        return offsets.reduce((sum, partition) => sum + Number(partition.high), 0);
      } finally {
        await admin.disconnect();
      }
    }

    it.each(cases)(
      'answers %s with a problem naming the field, and writes nothing',
      async (_label, send, status, field) => {
        const before = await submittedRecords();
        const response = await send(wmp);
        expect(response.status).toBe(status);
        expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
        expect(response.body.status).toBe(status);
        expect(response.body.type).toMatch(/^urn:liaison:problem:/);
        if (field) expect(response.body.errors?.map((e) => e.field)).toContain(field);
        expect(await submittedRecords()).toBe(before);
      },
    );

    it('counts published submissions (so the check above can fail)', async () => {
      const before = await submittedRecords();
      expect((await wmp.post('/v1/messages', valid)).status).toBe(202);
      expect(await submittedRecords()).toBe(before + 1);
    });

    it('keeps serving after all of that', async () => {
      expect((await wmp.get('/v1/inbox')).status).toBe(200);
    });

    it('stores SQL and HTML verbatim and returns them unchanged', async () => {
      const subject = `<script>alert('x')</script> '; DROP TABLE messages; --`;
      const sent = await wmp.post<Accepted>('/v1/messages', {
        recipients: ['GB-NCA-UKLB'],
        subject,
        body: '<b>bold</b> & "quotes"',
      });
      expect(sent.status).toBe(202);
      const seen = await inboxItem(bureau, sent.body.id);
      expect(seen.subject).toBe(subject);
    });

    it('checks report periods', async () => {
      expect(
        (await lead.get<Problem>('/v1/reports/volumes?from=2026-02-30&to=2026-03-01')).body.errors?.[0].field,
      ).toBe('from');
      expect((await lead.get('/v1/reports/volumes?from=2026-03-01&to=2026-02-01')).status).toBe(400);
      expect((await lead.get<Problem>('/v1/reports/volumes?from=2026-07&granularity=year')).body.errors?.[0]).toEqual({
        field: 'from',
        message: 'from 2026-07 does not start a year',
      });
      expect((await lead.get<Problem>('/v1/reports/volumes?from=2026&partner=RO')).body.errors?.[0].field).toBe(
        'partner',
      );
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
    it('reports not ready, naming the tracker, once the tracker stops consuming', async () => {
      await services.tracker.app.close();
      const response = await waitFor(
        async () => {
          const ready = await services.api.get<{
            ready: boolean;
            checks: Record<string, { ok: boolean; detail?: string }>;
          }>('/health/ready');
          return ready.status === 503 ? ready : undefined;
        },
        { what: 'readiness to fail' },
      );
      expect(response.body.ready).toBe(false);
      expect(response.body.checks.tracker.ok).toBe(false);
      expect(response.body.checks.router.ok).toBe(true);
      expect(response.body.checks.postgres.ok).toBe(true);
      expect((await services.api.get('/health/live')).status).toBe(200);
    });
  });
});
