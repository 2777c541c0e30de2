import { waitFor, type ApiClient } from '@liaison/testing';
import { LogCapture } from '../support/log-capture';
import { issueKey, startServices, type RunningServices } from '../support/services';
import { StateSnapshots } from '../support/state-snapshot';

interface Problem {
  status: number;
  errors?: { field: string; message: string }[];
  detail: string;
}

/**
 * Text the database would refuse, nesting that overflowed a recursive walk, and parameters that reached code
 * unchecked: each is a 400 naming the field or parameter, and leaves every topic and table as it was.
 */
describe('hostile input', () => {
  const logs = new LogCapture();
  let services: RunningServices;
  let officer: ApiClient;
  let admin: ApiClient;
  let lead: ApiClient;
  let snapshots: StateSnapshots;
  let jitId: string;

  beforeAll(async () => {
    logs.start();
    services = await startServices();
    officer = await issueKey(services, 'GB-NCA-UKLB', 'officer');
    lead = await issueKey(services, 'GB-NCA', 'programme-lead');
    admin = services.api.as(services.adminKey);
    const jit = await officer.post<{ id: string }>('/v1/jits', {
      name: 'JIT hostile',
      parties: [
        { country: 'GB', agencies: ['GB-NCA-UKLB'] },
        { country: 'RO', agencies: ['RO-ENU'] },
      ],
      startsOn: '2026-01-01',
      endsOn: '2099-12-31',
    });
    jitId = jit.body.id;
    snapshots = await new StateSnapshots().start();
  }, 90_000);

  afterAll(async () => {
    await snapshots?.stop();
    await services?.stop();
    logs.stop();
  });

  const message = (fields: Record<string, unknown>) => ({
    recipients: ['RO-ENU'],
    subject: 'Checks',
    body: 'Text',
    ...fields,
  });
  const cases: [
    what: string,
    client: () => ApiClient,
    method: string,
    path: () => string,
    body: unknown,
    field: string,
  ][] = [
    ['a NUL in a subject', () => officer, 'POST', () => '/v1/messages', message({ subject: 'x\u0000' }), 'subject'],
    ['a NUL in a body', () => officer, 'POST', () => '/v1/messages', message({ body: 'b\u0000' }), 'body'],
    [
      'a NUL in a person name',
      () => officer,
      'POST',
      () => '/v1/messages',
      message({ entities: [{ ref: 'p1', type: 'person', names: ['Ion', 'POP\u0000ESCU'] }] }),
      'entities.0.names.1',
    ],
    [
      'a NUL in an organisation name',
      () => officer,
      'POST',
      () => '/v1/messages',
      message({ entities: [{ ref: 'o1', type: 'organisation', name: 'SC\u0000 SRL' }] }),
      'entities.0.name',
    ],
    [
      'a NUL in an H3 restriction',
      () => officer,
      'POST',
      () => '/v1/messages',
      message({ handling: { code: 'H3', restriction: 'r\u0000' } }),
      'handling.restriction',
    ],
    [
      'an escape character in a body',
      () => officer,
      'POST',
      () => '/v1/messages',
      message({ body: 'b\u001b[31m' }),
      'body',
    ],
    [
      'a C1 control in a body',
      () => officer,
      'POST',
      () => '/v1/messages',
      message({ body: 'next\u0085line' }),
      'body',
    ],
    [
      'a line break in a subject',
      () => officer,
      'POST',
      () => '/v1/messages',
      message({ subject: 'one\ntwo' }),
      'subject',
    ],
    [
      'a tab in a person name',
      () => officer,
      'POST',
      () => '/v1/messages',
      message({ entities: [{ ref: 'p1', type: 'person', names: ['Ion\tPopescu'] }] }),
      'entities[0].names[0]',
    ],
    [
      'a lone surrogate in a subject',
      () => officer,
      'POST',
      () => '/v1/messages',
      message({ subject: 'x\ud800' }),
      'subject',
    ],
    [
      'a NUL in a property name',
      () => officer,
      'POST',
      () => '/v1/messages',
      message({ entities: [{ ref: 'p1', type: 'person', ['na\u0000mes']: ['Ion'] }] }),
      'entities.0.na\u0000mes',
    ],
    [
      'a NUL in a case title',
      () => officer,
      'POST',
      () => '/v1/cases',
      { title: 't\u0000', crimeArea: 'labour-exploitation' },
      'title',
    ],
    [
      'a NUL in a JIT name',
      () => officer,
      'POST',
      () => '/v1/jits',
      {
        name: 'JIT\u0000',
        parties: [
          { country: 'GB', agencies: ['GB-NCA-UKLB'] },
          { country: 'RO', agencies: ['RO-ENU'] },
        ],
        startsOn: '2026-01-01',
        endsOn: '2099-12-31',
      },
      'name',
    ],
    [
      'a NUL in a meeting place',
      () => officer,
      'POST',
      () => `/v1/jits/${jitId}/meetings`,
      { heldOn: '2026-12-01', place: 'The Hague\u0000', participants: ['GB-NCA-UKLB'], fundedBy: 'national' },
      'place',
    ],
    [
      'a NUL in an exclusion reason',
      () => admin,
      'POST',
      () => '/v1/match-keys/exclusions',
      { key: 'phone:+40212000000', reason: 'switchboard\u0000' },
      'reason',
    ],
    [
      'a NUL in a key label',
      () => admin,
      'POST',
      () => '/v1/api-keys',
      { agency: 'GB-WMP', role: 'officer', label: 'desk\u0000' },
      'label',
    ],
    ['a NUL in an upload name', () => officer, 'POST', () => '/v1/attachments?name=a%00.pdf', undefined, 'name'],
    ['a NUL in a cursor', () => officer, 'GET', () => '/v1/inbox?cursor=%00', undefined, 'cursor'],
    [
      'a team whose parties are lists',
      () => officer,
      'POST',
      () => '/v1/jits',
      { name: 'JIT', parties: [[[]]], startsOn: '2026-01-01', endsOn: '2099-12-31' },
      'parties',
    ],
    ['a report ten years ahead', () => lead, 'GET', () => '/v1/reports/volumes?from=9999', undefined, 'from'],
  ];

  it.each(cases)(
    '%s is a 400 naming the field, and changes nothing',
    async (_what, client, method, path, body, field) => {
      const before = await snapshots.settled();
      const response = await client().request<Problem>(
        method,
        path(),
        body === undefined ? {} : { json: body, headers: {} },
      );
      expect(response.status).toBe(400);
      expect(response.body.errors?.map((e) => e.field) ?? []).toContain(field);
      expect(await snapshots.take()).toEqual(before);
    },
  );

  it('takes tabs and line breaks where a field allows them', async () => {
    const sent = await officer.post<{ id: string }>(
      '/v1/messages',
      message({ body: 'line one\r\nline\ttwo', handling: { code: 'H3', restriction: 'one\ntwo' } }),
    );
    expect(sent.status).toBe(202);
    const seen = await waitFor(
      async () => {
        const read = await officer.get<{ status?: string; body?: string }>(`/v1/messages/${sent.body.id}`);
        return read.status === 200 ? read.body : undefined;
      },
      { what: 'message routed' },
    );
    expect(seen.body).toBe('line one\r\nline\ttwo');
  });

  it.each(['/v1/messages', '/v1/cases', '/v1/jits', '/v1/api-keys', '/v1/match-keys/exclusions'])(
    'JSON nested 10,000 deep is a 400 at %s, and changes nothing',
    async (path) => {
      const before = await snapshots.settled();
      const raw = `{"a":${'['.repeat(10_000)}${']'.repeat(10_000)}}`;
      const client = path === '/v1/api-keys' || path.startsWith('/v1/match-keys') ? admin : officer;
      const response = await client.request<Problem>('POST', path, { raw });
      expect(response.status).toBe(400);
      expect(response.body.errors?.[0]?.message).toMatch(/nests deeper than 32 levels/);
      expect(await snapshots.take()).toEqual(before);
    },
  );

  it.each([
    ['from=1900', 200],
    ['from=1900-01-01&granularity=day', 200],
    ['from=1899', 400],
    ['from=2026&to=9999', 400],
  ])('a volumes report %s is a %i, not a 500', async (query, status) => {
    const response = await lead.get<Problem>(`/v1/reports/volumes?${query}`);
    expect(response.status).toBe(status);
  });
});
