import { qualifiedTopic, Topics } from '@liaison/contracts';
import { type ApiClient, type ApiResponse } from '@liaison/testing';
import { randomUUID } from 'node:crypto';
import { exchangeFixture, type Accepted, type Problem } from '../support/exchange-fixture';

/** Bad input of every kind: a clear 4xx naming the problem, never a 500, nothing half-written. */
describe('bad input, end to end', () => {
  const fixture = exchangeFixture();
  const { inboxItem } = fixture;
  let wmp: ApiClient;
  let bureau: ApiClient;
  let lead: ApiClient;
  const kafka = fixture.kafka;

  beforeAll(() => {
    ({ wmp, bureau, lead } = fixture);
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
      ['an inbox order that is neither way', (c) => c.get<Problem>('/v1/inbox?sort=priority&order=up'), 400, 'order'],
      ['an outbox sorted by what it has no column for', (c) => c.get<Problem>('/v1/outbox?sort=status'), 400, 'sort'],
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
});
