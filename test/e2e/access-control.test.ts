import type { Role } from '@liaison/domain';
import { waitFor, type ApiClient } from '@liaison/testing';
import { randomUUID } from 'node:crypto';
import { LogCapture } from '../support/log-capture';
import { issueKey, startServices, type RunningServices } from '../support/services';

/**
 * Every endpoint against every role, and every object endpoint against every relation of the caller's
 * agency to the object (sender or owner, recipient or participant, JIT member, stranger). The matrix must
 * name every route of the API description, so a new endpoint cannot go untested.
 */
describe('access control', () => {
  const logs = new LogCapture();
  let services: RunningServices;
  const as: Partial<Record<Role, ApiClient>> = {};
  let stranger: ApiClient;
  let recipient: ApiClient;
  let jitMember: ApiClient;
  let messageId: string;
  let caseReference: string;
  let jitId: string;
  let jitMessageId: string;
  let jitCase: string;

  beforeAll(async () => {
    logs.start();
    services = await startServices();
    for (const role of ['officer', 'supervisor', 'programme-lead'] as const)
      as[role] = await issueKey(services, 'GB-NCA-UKLB', role);
    as.admin = services.api.as(services.adminKey);
    recipient = await issueKey(services, 'RO-ENU', 'officer');
    stranger = await issueKey(services, 'BG-ENU', 'supervisor');
    const sent = await as.officer!.post<{ id: string; caseReference: string }>('/v1/messages', {
      type: 'request',
      recipients: ['RO-ENU'],
      subject: 's',
      body: 'b',
    });
    messageId = sent.body.id;
    caseReference = sent.body.caseReference;
    await waitFor(async () => (await recipient.get(`/v1/messages/${messageId}`)).status === 200, {
      what: 'message routed',
    });
    // A team of the bureau and Romania, which France joins after a broadcast was sent: France is a member
    // but neither sender nor recipient of that broadcast.
    jitMember = await issueKey(services, 'FR-ENU', 'officer');
    const jit = await as.supervisor!.post<{ id: string }>('/v1/jits', {
      name: 'JIT access',
      parties: [
        { country: 'GB', agencies: ['GB-NCA-UKLB'] },
        { country: 'RO', agencies: ['RO-ENU'] },
      ],
      startsOn: '2026-01-01',
      endsOn: '2099-12-31',
    });
    jitId = jit.body.id;
    const broadcast = await recipient.post<{ id: string; caseReference: string }>('/v1/messages', {
      jit: jitId,
      subject: 's',
      body: 'b',
    });
    jitMessageId = broadcast.body.id;
    jitCase = broadcast.body.caseReference;
    await waitFor(async () => (await as.officer!.get(`/v1/messages/${jitMessageId}`)).status === 200, {
      what: 'broadcast routed',
    });
    await as.supervisor!.post(`/v1/jits/${jitId}/members`, { agency: 'FR-ENU' });
  }, 90_000);

  afterAll(async () => {
    await services?.stop();
    logs.stop();
  });

  type Call = [method: string, path: () => string, body?: unknown];
  const endpoints: [name: string, call: Call, allowed: Role[]][] = [
    ['issue an API key', ['POST', () => '/v1/api-keys', { agency: 'GB-WMP', role: 'officer', label: 'x' }], ['admin']],
    ['list API keys', ['GET', () => '/v1/api-keys'], ['admin']],
    ['revoke an API key', ['DELETE', () => `/v1/api-keys/${randomUUID()}`], ['admin']],
    [
      'invite a person',
      ['POST', () => '/v1/people', { email: `p-${randomUUID()}@nca.example`, name: 'P', role: 'officer' }],
      ['admin'],
    ],
    ['list people', ['GET', () => '/v1/people'], ['admin']],
    ['view a person', ['GET', () => `/v1/people/${randomUUID()}`], ['admin']],
    ["change a person's role", ['PATCH', () => `/v1/people/${randomUUID()}`, { role: 'officer' }], ['admin']],
    ['disable a person', ['POST', () => `/v1/people/${randomUUID()}/disable`, {}], ['admin']],
    ['enable a person', ['POST', () => `/v1/people/${randomUUID()}/enable`, {}], ['admin']],
    ['reset a second factor', ['POST', () => `/v1/people/${randomUUID()}/reset-second-factor`, {}], ['admin']],
    ["end a person's sessions", ['POST', () => `/v1/people/${randomUUID()}/revoke-sessions`, {}], ['admin']],
    ['read the identity provider', ['GET', () => '/v1/identity-provider'], ['admin']],
    [
      'set the identity provider',
      [
        'PUT',
        () => '/v1/identity-provider',
        { issuer: 'http://127.0.0.1:9/realms/none', clientId: 'c', clientSecret: 's', emailDomains: ['nca.example'] },
      ],
      ['admin'],
    ],
    ['remove the identity provider', ['DELETE', () => '/v1/identity-provider'], ['admin']],
    ['issue an enrolment link', ['POST', () => `/v1/people/${randomUUID()}/enrolment-link`, {}], ['admin']],
    [
      'send a message',
      ['POST', () => '/v1/messages', { recipients: ['RO-ENU'], subject: 's', body: 'b' }],
      ['officer', 'supervisor'],
    ],
    ['read the inbox', ['GET', () => '/v1/inbox'], ['officer', 'supervisor']],
    ['read the outbox', ['GET', () => '/v1/outbox'], ['officer', 'supervisor']],
    ['open a message', ['GET', () => `/v1/messages/${messageId}`], ['officer', 'supervisor']],
    [
      'acknowledge a restriction',
      ['POST', () => `/v1/messages/${messageId}/acknowledge`, {}],
      ['officer', 'supervisor'],
    ],
    [
      'open a case',
      ['POST', () => '/v1/cases', { title: 't', crimeArea: 'other-trafficking' }],
      ['officer', 'supervisor'],
    ],
    ['list cases', ['GET', () => '/v1/cases'], ['officer', 'supervisor']],
    ['view a case', ['GET', () => `/v1/cases/${caseReference}`], ['officer', 'supervisor']],
    ['export a case', ['GET', () => `/v1/cases/${caseReference}/export?format=stix`], ['officer', 'supervisor']],
    ['list the agency register', ['GET', () => '/v1/agencies'], ['officer', 'supervisor', 'programme-lead', 'admin']],
    [
      'set an agency clearance',
      ['PUT', () => '/v1/agencies/XX-NONE/clearance', { clearance: 'restricted' }],
      ['admin'],
    ],
    ['read the volumes report', ['GET', () => '/v1/reports/volumes?from=2026'], ['programme-lead']],
    ['read the response-times report', ['GET', () => '/v1/reports/response-times?from=2026'], ['programme-lead']],
    ['read the deadlines report', ['GET', () => '/v1/reports/deadlines'], ['programme-lead']],
    ['read the matches report', ['GET', () => '/v1/reports/matches?from=2026'], ['programme-lead']],
    ['read the JITs report', ['GET', () => '/v1/reports/jits?from=2026'], ['programme-lead']],
    ['import historical counts', ['POST', () => '/v1/reports/imports', 'period,direction'], ['programme-lead']],
    ['list imports of historical counts', ['GET', () => '/v1/reports/imports'], ['programme-lead']],
    ['close a case', ['POST', () => `/v1/cases/LIA-2026-AAAAAAAAA/close`, {}], ['officer', 'supervisor']],
    // Bodies that fail validation, on a case no one has: nothing is erased or held.
    ['erase a case', ['POST', () => `/v1/cases/LIA-2026-AAAAAAAAA/erasure`, { ground: 'x' }], ['supervisor']],
    [
      'view an erasure',
      ['GET', () => `/v1/cases/LIA-2026-AAAAAAAAA/erasure`],
      ['supervisor', 'admin', 'data-protection-officer'],
    ],
    ['place a legal hold', ['POST', () => `/v1/cases/LIA-2026-AAAAAAAAA/hold`, {}], ['supervisor']],
    ['release a legal hold', ['DELETE', () => `/v1/cases/LIA-2026-AAAAAAAAA/hold`], ['supervisor']],
    ['restrict a case', ['POST', () => `/v1/cases/LIA-2026-AAAAAAAAA/restriction`, {}], ['supervisor']],
    ['lift a restriction', ['DELETE', () => `/v1/cases/LIA-2026-AAAAAAAAA/restriction`], ['supervisor']],
    ['list the review queue', ['GET', () => '/v1/reviews'], ['supervisor']],
    ['decide a review', ['POST', () => `/v1/cases/LIA-2026-AAAAAAAAA/review`, { decision: 'x' }], ['supervisor']],
    ['read the retention rules', ['GET', () => '/v1/retention-rules'], ['supervisor', 'admin']],
    ['set a retention rule', ['PUT', () => '/v1/retention-rules', { reviewAfterMonths: 0 }], ['admin']],
    ['remove a retention rule', ['DELETE', () => '/v1/retention-rules?crimeArea=x'], ['admin']],
    // Bodies that fail validation, on a message no one has: nothing is rectified.
    ['rectify an entity', ['PUT', () => `/v1/messages/${randomUUID()}/entities/1`, {}], ['supervisor']],
    ['remove an entity', ['DELETE', () => `/v1/messages/${randomUUID()}/entities/1`], ['supervisor']],
    [
      'forward a message',
      ['POST', () => `/v1/messages/${randomUUID()}/forward`, { to: 'NL-ENU' }],
      ['officer', 'supervisor'],
    ],
    ['list permission requests', ['GET', () => '/v1/permissions'], ['supervisor']],
    [
      'grant a permission',
      ['POST', () => `/v1/messages/${messageId}/permissions/${randomUUID()}/grant`, {}],
      ['supervisor'],
    ],
    [
      'deny a permission',
      ['POST', () => `/v1/messages/${messageId}/permissions/${randomUUID()}/deny`, {}],
      ['supervisor'],
    ],
    ['upload an attachment', ['POST', () => '/v1/attachments?name=x.txt', 'x'], ['officer', 'supervisor']],
    ['download an attachment', ['GET', () => `/v1/messages/${messageId}/attachments/1`], ['officer', 'supervisor']],
    ['create a JIT', ['POST', () => '/v1/jits', { name: 'x' }], ['officer', 'supervisor']],
    ['list JITs', ['GET', () => '/v1/jits'], ['officer', 'supervisor']],
    ['view a JIT', ['GET', () => `/v1/jits/${jitId}`], ['officer', 'supervisor']],
    ['extend a JIT', ['POST', () => `/v1/jits/${jitId}/extend`, { endsOn: 'x' }], ['officer', 'supervisor']],
    ['add a JIT member', ['POST', () => `/v1/jits/${jitId}/members`, { agency: 'x' }], ['officer', 'supervisor']],
    ['remove a JIT member', ['DELETE', () => `/v1/jits/${randomUUID()}/members/NL-ENU`], ['officer', 'supervisor']],
    [
      'link a case to a JIT',
      ['POST', () => `/v1/jits/${jitId}/cases`, { caseReference: 'x' }],
      ['officer', 'supervisor'],
    ],
    ['record a JIT meeting', ['POST', () => `/v1/jits/${jitId}/meetings`, { heldOn: 'x' }], ['officer', 'supervisor']],
    ['list JIT meetings', ['GET', () => `/v1/jits/${jitId}/meetings`], ['officer', 'supervisor']],
    ['list matches', ['GET', () => '/v1/matches'], ['officer', 'supervisor', 'programme-lead']],
    ['view a match', ['GET', () => `/v1/matches/${randomUUID()}`], ['officer', 'supervisor']],
    [
      'decide on a match',
      ['POST', () => `/v1/matches/${randomUUID()}/decision`, { decision: 'release' }],
      ['supervisor'],
    ],
    ['confirm a candidate match', ['POST', () => `/v1/matches/${randomUUID()}/confirm`, {}], ['officer', 'supervisor']],
    ['dismiss a candidate match', ['POST', () => `/v1/matches/${randomUUID()}/dismiss`, {}], ['officer', 'supervisor']],
    ['list over-correlated match keys', ['GET', () => '/v1/match-keys/over-correlated'], ['admin']],
    ['list match key exclusions', ['GET', () => '/v1/match-keys/exclusions'], ['admin']],
    ['exclude a match key', ['POST', () => '/v1/match-keys/exclusions', {}], ['admin']],
    [
      'lift a match key exclusion',
      ['DELETE', () => `/v1/match-keys/exclusions/${encodeURIComponent('phone:+442079460999')}`],
      ['admin'],
    ],
    ['list notifications', ['GET', () => '/v1/notifications'], ['officer', 'supervisor']],
    ['mark every notification read', ['POST', () => '/v1/notifications/read', {}], ['officer', 'supervisor']],
    [
      'mark a notification read',
      ['POST', () => `/v1/notifications/${randomUUID()}/read`, {}],
      ['officer', 'supervisor'],
    ],
    // Bodies that fail validation: the role check comes first, and nothing is registered towards a dead URL.
    ['register a webhook', ['POST', () => '/v1/webhooks', { agency: 'GB-WMP', url: 'x' }], ['admin']],
    ['list webhooks', ['GET', () => '/v1/webhooks'], ['admin']],
    ['remove a webhook', ['DELETE', () => `/v1/webhooks/${randomUUID()}`], ['admin']],
    ['rotate a webhook secret', ['PUT', () => `/v1/webhooks/${randomUUID()}/secret`, { secret: 'x' }], ['admin']],
    ['list webhook deliveries', ['GET', () => '/v1/webhooks/deliveries'], ['admin']],
    ['re-send a webhook delivery', ['POST', () => `/v1/webhooks/deliveries/${randomUUID()}/resend`, {}], ['admin']],
    ['read the audit log', ['GET', () => '/v1/audit'], ['admin']],
    ['verify the audit log', ['GET', () => '/v1/audit/verify'], ['admin']],
    [
      'export the audit log',
      ['GET', () => '/v1/audit/export?from=2026-01-01T00:00:00Z&to=2025-01-01T00:00:00Z'],
      ['admin'],
    ],
    ['read the audit export key', ['GET', () => '/v1/audit/export-key'], ['admin']],
    [
      'search what the agency holds on a person',
      ['POST', () => '/v1/subject-access/searches', {}],
      ['data-protection-officer'],
    ],
    ['list dead letters', ['GET', () => '/v1/dead-letters'], ['admin']],
    ['re-drive a dead letter', ['POST', () => `/v1/dead-letters/${randomUUID()}/redrive`, {}], ['admin']],
  ];
  const roles: Role[] = ['officer', 'supervisor', 'programme-lead', 'admin'];

  const send = (client: ApiClient, [method, path, body]: Call) =>
    client.request(
      method,
      path(),
      body === undefined
        ? {}
        : typeof body === 'string'
          ? { raw: body, headers: { 'content-type': 'text/plain' } }
          : { json: body },
    );

  it('covers every route of the API description', async () => {
    const document = await services.api.get<{ paths: Record<string, Record<string, unknown>> }>('/docs-json');
    const routes = Object.entries(document.body.paths).flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => `${method.toUpperCase()} ${path.replace(/\{[^}]+\}/g, ':')}`),
    );
    const covered = new Set(
      endpoints.map(
        ([, [method, path]]) =>
          `${method} ${path()
            .split('?')[0]
            .replace(
              /[0-9a-f-]{36}|LIA-\d{4}-[A-Z0-9*~$=]{9}|\/[A-Z]{2}-[A-Z0-9-]+(?=\/|$)|\/\d+$|\/[a-z-]+%3A[^/]+$/g,
              (m) => (m.startsWith('/') ? '/:' : ':'),
            )}`,
      ),
    );
    const publicRoutes = ['GET /health/live', 'GET /health/ready', 'GET /health/exchange', 'GET /metrics'];
    expect(routes.filter((route) => !covered.has(route) && !publicRoutes.includes(route))).toEqual([]);
  });

  describe.each(endpoints)('%s', (_name, call, allowed) => {
    it.each(roles)('as %s', async (role) => {
      const response = await send(as[role]!, call);
      if (allowed.includes(role)) expect(response.status).not.toBe(403);
      else expect(response.status).toBe(403);
      expect(response.status).not.toBe(500);
    });

    it('refuses a caller without a key', async () => {
      expect((await send(services.api, call)).status).toBe(401);
    });
  });

  describe('relations', () => {
    it('opens a message for its sender and recipient agencies, and is a 404 for anyone else', async () => {
      expect((await as.officer!.get(`/v1/messages/${messageId}`)).status).toBe(200);
      expect((await as.supervisor!.get(`/v1/messages/${messageId}`)).status).toBe(200);
      expect((await recipient.get(`/v1/messages/${messageId}`)).status).toBe(200);
      expect((await stranger.get(`/v1/messages/${messageId}`)).status).toBe(404);
      expect((await stranger.post(`/v1/messages/${messageId}/acknowledge`, {})).status).toBe(404);
    });

    it('shows a case to its participants only, and lets only its owner close it', async () => {
      expect((await as.officer!.get(`/v1/cases/${caseReference}`)).status).toBe(200);
      expect((await recipient.get(`/v1/cases/${caseReference}`)).status).toBe(200);
      expect((await stranger.get(`/v1/cases/${caseReference}`)).status).toBe(404);
      expect((await stranger.post(`/v1/cases/${caseReference}/close`, {})).status).toBe(404);
      expect((await recipient.post(`/v1/cases/${caseReference}/close`, {})).status).toBe(403);
      expect((await as.supervisor!.post(`/v1/cases/${caseReference}/close`, {})).status).toBe(202);
    });

    it('lets no one write into a case they take no part in, or reply to what they did not receive', async () => {
      expect(
        (await stranger.post('/v1/messages', { caseReference, recipients: ['RO-ENU'], subject: 's', body: 'b' }))
          .status,
      ).toBe(422);
      expect(
        (
          await stranger.post('/v1/messages', {
            type: 'reply',
            inReplyTo: messageId,
            recipients: ['GB-NCA-UKLB'],
            subject: 's',
            body: 'b',
          })
        ).status,
      ).toBe(422);
    });

    it('shows what was sent to a JIT to its current members, and its case thread, but not to strangers', async () => {
      expect((await jitMember.get(`/v1/messages/${jitMessageId}`)).status).toBe(200);
      expect((await jitMember.get(`/v1/jits/${jitId}`)).status).toBe(200);
      const thread = await jitMember.get<{ messages: { id: string }[] }>(`/v1/cases/${jitCase}`);
      expect(thread.body.messages.map((m) => m.id)).toEqual([jitMessageId]);
      expect((await stranger.get(`/v1/messages/${jitMessageId}`)).status).toBe(404);
      expect((await stranger.get(`/v1/jits/${jitId}`)).status).toBe(404);
      expect((await stranger.get(`/v1/jits/${jitId}/meetings`)).status).toBe(404);
      expect((await stranger.get(`/v1/cases/${jitCase}`)).status).toBe(404);
      // A member sees the team's messages, not the rest of its members' exchanges.
      expect((await jitMember.get(`/v1/messages/${messageId}`)).status).toBe(404);
      expect((await jitMember.get(`/v1/cases/${caseReference}`)).status).toBe(404);
    });

    it('lets only the lead manage a JIT, and only a recipient forward', async () => {
      expect((await jitMember.post(`/v1/jits/${jitId}/extend`, { endsOn: '2100-01-01' })).status).toBe(403);
      expect((await recipient.request('DELETE', `/v1/jits/${jitId}/members/FR-ENU`)).status).toBe(403);
      expect((await stranger.post(`/v1/jits/${jitId}/members`, { agency: 'BG-ENU' })).status).toBe(404);
      expect((await jitMember.post(`/v1/messages/${jitMessageId}/forward`, { to: 'NL-ENU' })).status).toBe(404);
      expect((await stranger.post(`/v1/messages/${messageId}/forward`, { to: 'NL-ENU' })).status).toBe(404);
      expect((await stranger.get(`/v1/messages/${messageId}/attachments/1`)).status).toBe(404);
    });

    it('keeps each agency’s inbox, outbox and case list to itself', async () => {
      const ids = async (client: ApiClient, path: string) => JSON.stringify((await client.get(path)).body);
      expect(await ids(stranger, '/v1/inbox')).not.toContain(messageId);
      expect(await ids(stranger, '/v1/outbox')).not.toContain(messageId);
      expect(await ids(stranger, '/v1/cases')).not.toContain(caseReference);
      expect(await ids(as.supervisor!, '/v1/outbox')).toContain(messageId);
    });
  });
});
