import { waitFor, type ApiClient } from '@liaison/testing';
import { exchangeFixture, type Accepted, type Problem, type ExchangeFixture } from '../support/exchange-fixture';
import { issueKey } from '../support/services';

/** Message codes (type, priority, handling, evaluation, deadlines, entities) through every service. */
describe('message codes, end to end', () => {
  const fixture = exchangeFixture();
  const { inboxItem } = fixture;
  let services: ExchangeFixture['services'];
  let bureau: ApiClient;
  let romania: ApiClient;
  let bulgaria: ApiClient;

  beforeAll(() => {
    ({ services, bureau, romania, bulgaria } = fixture);
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
});
