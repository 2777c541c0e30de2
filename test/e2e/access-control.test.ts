import type { Role } from '@liaison/domain';
import { waitFor, type ApiClient } from '@liaison/testing';
import { randomUUID } from 'node:crypto';
import { LogCapture } from '../support/log-capture';
import { issueKey, startServices, type RunningServices } from '../support/services';

/**
 * Every endpoint against every role, and every object endpoint against every relation of the caller's
 * agency to the object (sender or owner, recipient or participant, stranger).
 */
describe('access control', () => {
  const logs = new LogCapture();
  let services: RunningServices;
  const as: Partial<Record<Role, ApiClient>> = {};
  let stranger: ApiClient;
  let recipient: ApiClient;
  let messageId: string;
  let caseReference: string;

  beforeAll(async () => {
    logs.start();
    services = await startServices();
    for (const role of ['officer', 'supervisor', 'programme-lead'] as const) as[role] = await issueKey(services, 'GB-NCA-UKLB', role);
    as.admin = services.api.as(services.adminKey);
    recipient = await issueKey(services, 'RO-ENU', 'officer');
    stranger = await issueKey(services, 'BG-ENU', 'supervisor');
    const sent = await as.officer!.post<{ id: string; caseReference: string }>('/v1/messages', { type: 'request', recipients: ['RO-ENU'], subject: 's', body: 'b' });
    messageId = sent.body.id;
    caseReference = sent.body.caseReference;
    await waitFor(async () => (await recipient.get(`/v1/messages/${messageId}`)).status === 200, { what: 'message routed' });
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
    ['send a message', ['POST', () => '/v1/messages', { recipients: ['RO-ENU'], subject: 's', body: 'b' }], ['officer', 'supervisor']],
    ['read the inbox', ['GET', () => '/v1/inbox'], ['officer', 'supervisor']],
    ['read the outbox', ['GET', () => '/v1/outbox'], ['supervisor']],
    ['open a message', ['GET', () => `/v1/messages/${messageId}`], ['officer', 'supervisor']],
    ['acknowledge a restriction', ['POST', () => `/v1/messages/${messageId}/acknowledge`, {}], ['officer', 'supervisor']],
    ['open a case', ['POST', () => '/v1/cases', { title: 't', crimeArea: 'other-trafficking' }], ['officer', 'supervisor']],
    ['list cases', ['GET', () => '/v1/cases'], ['officer', 'supervisor']],
    ['view a case', ['GET', () => `/v1/cases/${caseReference}`], ['officer', 'supervisor']],
    ['list the agency register', ['GET', () => '/v1/agencies'], ['officer', 'supervisor', 'programme-lead', 'admin']],
    ['set an agency clearance', ['PUT', () => '/v1/agencies/XX-NONE/clearance', { clearance: 'restricted' }], ['admin']],
    ['read the volumes report', ['GET', () => '/v1/reports/volumes?from=2026-01-01&to=2026-12-31'], ['programme-lead']],
  ];
  const roles: Role[] = ['officer', 'supervisor', 'programme-lead', 'admin'];

  describe.each(endpoints)('%s', (_name, [method, path, body], allowed) => {
    it.each(roles)('as %s', async (role) => {
      const response = await as[role]!.request(method, path(), body === undefined ? {} : { json: body });
      if (allowed.includes(role)) expect(response.status).not.toBe(403);
      else expect(response.status).toBe(403);
      expect(response.status).not.toBe(500);
    });

    it('refuses a caller without a key', async () => {
      expect((await services.api.request(method, path(), body === undefined ? {} : { json: body })).status).toBe(401);
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
      expect((await stranger.post('/v1/messages', { caseReference, recipients: ['RO-ENU'], subject: 's', body: 'b' })).status).toBe(422);
      expect((await stranger.post('/v1/messages', { type: 'reply', inReplyTo: messageId, recipients: ['GB-NCA-UKLB'], subject: 's', body: 'b' })).status).toBe(422);
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
