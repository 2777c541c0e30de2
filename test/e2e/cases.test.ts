import { waitFor, type ApiClient, type ApiResponse } from '@liaison/testing';
import { exchangeFixture, type Accepted, type Problem, type ExchangeFixture } from '../support/exchange-fixture';
import { issueKey } from '../support/services';

/** Cases opened, closed and listed, and which agency may do what with them. */
describe('cases and who may act on them, end to end', () => {
  const fixture = exchangeFixture();
  const { inboxItem } = fixture;
  let services: ExchangeFixture['services'];
  let db: ExchangeFixture['db'];
  let wmp: ApiClient;
  let bureau: ApiClient;
  let romania: ApiClient;
  let bulgaria: ApiClient;
  let lead: ApiClient;

  beforeAll(() => {
    ({ services, db, wmp, bureau, romania, bulgaria, lead } = fixture);
  });

  describe('cases', () => {
    type CaseList = { items: { reference: string; participants: string[] }[]; nextCursor: string | null };
    type CaseDetail = {
      reference: string;
      owner: { code: string };
      participants: string[];
      messages: { id: string; sender: string; recipients: string[] }[];
    };

    it('export as a STIX 2.1 bundle for the owner alone, without what H2 and H3 messages carried, audited', async () => {
      type Bundle = { type: string; objects: { type: string; id: string; value?: string; iban?: string }[] };
      const first = await bureau.post<Accepted>('/v1/messages', {
        recipients: ['RO-ENU'],
        subject: 'Export',
        body: 'b',
        handling: { code: 'H1' },
        entities: [
          { ref: 'p1', type: 'person', names: ['Ion', 'VASILE'], dateOfBirth: '1988-04-02' },
          { ref: 'e1', type: 'email', address: 'ion.vasile@example.ro' },
        ],
        links: [{ from: 'e1', to: 'p1', relation: 'used-by' }],
      });
      const reference = first.body.caseReference;
      const restricted = await bureau.post<Accepted>('/v1/messages', {
        caseReference: reference,
        recipients: ['RO-ENU'],
        subject: 'Not to be passed on',
        body: 'b',
        handling: { code: 'H2' },
        entities: [{ ref: 'b1', type: 'bank-account', iban: 'RO49 AAAA 1B31 0075 9384 0000' }],
      });
      await inboxItem(romania, restricted.body.id);

      const exported = await bureau.get<Bundle>(`/v1/cases/${reference}/export?format=stix`);
      expect(exported.status).toBe(200);
      expect(exported.headers.get('content-type')).toContain('application/stix+json');
      expect(exported.body.type).toBe('bundle');
      expect(exported.body.objects.map((o) => o.type).sort()).toEqual([
        'email-addr',
        'grouping',
        'identity',
        'identity',
        'relationship',
      ]);
      expect(exported.body.objects.find((o) => o.type === 'email-addr')?.value).toBe('ion.vasile@example.ro');
      expect(JSON.stringify(exported.body)).not.toContain('RO49AAAA1B31007593840000');

      // A participant is told to ask the owner; an agency outside the case does not learn it exists.
      expect((await romania.get<Problem>(`/v1/cases/${reference}/export?format=stix`)).status).toBe(403);
      expect((await bulgaria.get(`/v1/cases/${reference}/export?format=stix`)).status).toBe(404);
      expect((await bureau.get<Problem>(`/v1/cases/${reference}/export?format=misp`)).body.errors).toEqual([
        { field: 'format', message: 'must be stix (a STIX 2.1 bundle)' },
      ]);
      // Recorded through the audit topic, so moments later.
      await waitFor(
        async () =>
          (
            await db.query<unknown[]>("SELECT 1 FROM audit_log WHERE object_id = $1 AND action = 'case.exported'", [
              reference,
            ])
          ).length === 1 || undefined,
        { what: 'the export in the audit log' },
      );
    });

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
      // Cases of Latvia's own, so that there are pages to turn whichever other tests ran.
      const latvia = await issueKey(services, 'LV-ENU', 'officer');
      const opened: string[] = [];
      for (const title of ['Nail bar', 'Hand car wash', 'Farm labour'])
        opened.push(
          (await latvia.post<{ reference: string }>('/v1/cases', { title, crimeArea: 'labour-exploitation' })).body
            .reference,
        );
      await waitFor(
        async () => {
          const listed = (await latvia.get<CaseList>('/v1/cases?limit=100')).body.items.map((c) => c.reference);
          return opened.every((reference) => listed.includes(reference));
        },
        { what: "Latvia's cases opened" },
      );
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
      expect(all).toEqual(expect.arrayContaining(opened));
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
});
