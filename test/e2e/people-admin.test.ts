import type { ApiClient } from '@liaison/testing';
import { waitFor } from '@liaison/testing';
import { randomUUID } from 'node:crypto';
import { issueKey, startServices, type RunningServices } from '../support/services';

interface AuditPage {
  items: { action: string; agency: string; principalType: string; principalId: string }[];
}

/**
 * What admins and data-protection officers see of people and keys: who created a key and when it was last
 * used, the audit trail by person (a data-protection officer's own agency only, read-only), and no 500 for any
 * body the sign-in routes are sent.
 */
describe('people: keys, audit by person, hostile bodies', () => {
  let services: RunningServices;
  let admin: ApiClient;

  beforeAll(async () => {
    services = await startServices();
    admin = await issueKey(services, 'GB-NCA-UKLB', 'admin');
  }, 90_000);

  afterAll(async () => {
    await services?.stop();
  });

  /** The id of the key a client uses, found by its hint (its first characters). */
  async function keyId(client: ApiClient): Promise<string> {
    const keys = await services.api.as(services.adminKey).get<{ id: string; hint: string }[]>('/v1/api-keys');
    return keys.body.find((k) => k.hint === client.key!.slice(0, 10))!.id;
  }

  it('records who created a key and when it was last used', async () => {
    const issued = await admin.post<{ id: string; key: string; createdBy: { type: string; id: string } }>(
      '/v1/api-keys',
      {
        agency: 'GB-NCA-UKLB',
        role: 'officer',
        label: 'desk 4',
      },
    );
    expect(issued.status).toBe(201);
    expect(issued.body.createdBy).toEqual({ type: 'api-key', id: await keyId(admin) });
    const before = (await admin.get<{ id: string; lastUsedAt: string | null }[]>('/v1/api-keys')).body.find(
      (k) => k.id === issued.body.id,
    )!;
    expect(before.lastUsedAt).toBeNull();
    expect((await services.api.as(issued.body.key).get('/v1/inbox')).status).toBe(200);
    const after = (await admin.get<{ id: string; lastUsedAt: string | null }[]>('/v1/api-keys')).body.find(
      (k) => k.id === issued.body.id,
    )!;
    expect(Date.parse(after.lastUsedAt!)).toBeGreaterThan(Date.now() - 60_000);
  });

  it("lets a data-protection officer read their own agency's audit trail by person, and nothing else", async () => {
    const dpo = await issueKey(services, 'GB-NCA-UKLB', 'data-protection-officer');
    const invited = await admin.post<{ id: string }>('/v1/people', {
      email: `dpo-case-${randomUUID()}@uklb.example`,
      name: 'Someone',
      role: 'officer',
    });
    const entries = await waitFor(async () => {
      const page = await dpo.get<AuditPage>('/v1/audit?agency=RO-ENU&limit=100');
      return page.body.items.some((e) => e.action === 'person.invited') ? page.body.items : undefined;
    });
    expect(entries.every((e) => e.agency === 'GB-NCA-UKLB')).toBe(true);
    const adminId = await keyId(admin);
    const byAdmin = await dpo.get<AuditPage>(`/v1/audit?principalId=${adminId}&limit=100`);
    expect(byAdmin.body.items.length).toBeGreaterThan(0);
    expect(byAdmin.body.items.every((e) => e.principalId === adminId && e.principalType === 'api-key')).toBe(true);
    expect(invited.status).toBe(201);
    expect((await dpo.get('/v1/audit/verify')).status).toBe(403);
    expect((await dpo.post('/v1/people', { email: 'x@uklb.example', name: 'X', role: 'officer' })).status).toBe(403);
  });

  it('answers every malformed body sent to the sign-in routes with a 4xx, never a 500', async () => {
    const bodies: unknown[] = [
      null,
      [],
      'text',
      { email: 1, password: true },
      { email: ['a'], password: { x: 1 } },
      { email: 'a@b.example', password: 'x'.repeat(5000) },
      { code: 123456 },
      { token: 'x', password: null },
      { email: 'a\u0000@b.example', password: 'p' },
    ];
    for (const route of ['/auth/sign-in', '/auth/second-factor', '/auth/enrol-second-factor', '/auth/enrol'])
      for (const body of bodies) {
        const answer = await fetch(`${services.gateway.url}${route}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        expect([route, answer.status >= 400 && answer.status < 500]).toEqual([route, true]);
      }
    const form = await fetch(`${services.gateway.url}/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'email=&password=',
    });
    expect(form.status).toBe(400);
    expect(await form.text()).toContain('Enter your e-mail address');
    const elsewhere = await fetch(`${services.gateway.url}/v1/people`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Bearer ${services.adminKey}` },
      body: 'email=a%40b.example',
    });
    expect(elsewhere.status).toBe(415);
  });
});
