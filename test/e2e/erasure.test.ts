import { waitFor, type ApiClient } from '@liaison/testing';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { DraftsRepository, emptyDraft } from '../../apps/gateway/src';
import { LogCapture } from '../support/log-capture';
import { findMarker } from '../support/marker-search';
import { romanianMobile, type Match, type NotificationPage } from '../support/match-fixture';
import { isolatedEnvironment } from '../support/isolated-environment';
import { issueKey, startServices, type RunningServices } from '../support/services';
import { WebhookReceiver } from '../support/webhook-receiver';

type Accepted = { id: string; caseReference: string };
type Erasure = {
  reference: string;
  ground: string;
  requestedAt: string;
  complete: boolean;
  completedAt: string | null;
  parts: { part: string; doneAt: string | null }[];
};
type Problem = { status: number; type: string; detail: string };

const SECRET_RO = 'ro-erasure-secret-0123456789abcdef0123456';

/**
 * Erasure of a case reaches every copy: a case whose subject, body, entities and attachment (name and bytes) hold
 * a marker is erased, and the marker is then found nowhere in clear: not in a dump of the database, the brokers'
 * log segments, Redis, the attachment store or the services' logs.
 */
describe('erasing a case', () => {
  const logs = new LogCapture();
  const marker = `zqmark${randomBytes(5).toString('hex')}`;
  const roHooks = new WebhookReceiver(SECRET_RO);
  let services: RunningServices;
  let isolated: Awaited<ReturnType<typeof isolatedEnvironment>>;
  let store: string;
  let wmp: ApiClient;
  let wmpSupervisor: ApiClient;
  let romania: ApiClient;
  let romaniaSupervisor: ApiClient;
  let places: Parameters<typeof findMarker>[1];

  beforeAll(async () => {
    store = await mkdtemp(join(tmpdir(), 'liaison-erasure-'));
    await roHooks.start();
    // A database and topics of its own: the reports keep an erased case's counts while its rows go, which the
    // reports' suite, reconciling the run's database with its figures, would read as a miscount.
    isolated = await isolatedEnvironment('erasure');
    services = await startServices({ ...isolated.env, ATTACHMENT_DIR: store, WEBHOOK_FIRST_RETRY_MS: '200' });
    [wmp, wmpSupervisor, romania, romaniaSupervisor] = await Promise.all([
      issueKey(services, 'GB-WMP', 'officer'),
      issueKey(services, 'GB-WMP', 'supervisor'),
      issueKey(services, 'RO-ENU', 'officer'),
      issueKey(services, 'RO-ENU', 'supervisor'),
    ]);
    const registered = await services.api.as(services.adminKey).post('/v1/webhooks', {
      agency: 'RO-ENU',
      url: roHooks.url,
      secret: SECRET_RO,
      events: ['message.received', 'match.withdrawn', 'case.erased'],
    });
    expect(registered.status).toBe(201);
    places = {
      databaseUrl: isolated.env.DATABASE_URL!,
      namespace: isolated.env.KAFKA_NAMESPACE!,
      redisUrl: process.env.REDIS_URL!,
      attachmentDir: store,
    };
    logs.start();
  }, 90_000);

  afterAll(async () => {
    logs.stop();
    const admin = services?.api.as(services.adminKey);
    for (const hook of (await admin?.get<{ id: string }[]>('/v1/webhooks'))?.body ?? [])
      await admin.request('DELETE', `/v1/webhooks/${hook.id}`);
    await services?.stop();
    await roHooks.stop();
    await isolated?.drop();
    await rm(store, { recursive: true, force: true });
  });

  it('leaves the marker nowhere in clear, tells the partner, withdraws the match and refuses while held', async () => {
    const phone = romanianMobile();
    const uploaded = await fetch(
      `${services.gateway.url}/v1/attachments?name=${encodeURIComponent(`${marker}-ledger.pdf`)}`,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${wmp.key}`, 'content-type': 'application/pdf' },
        body: `%PDF-1.4\n% ledger of ${marker}\n%%EOF\n`,
      },
    );
    expect(uploaded.status).toBe(201);
    const upload = (await uploaded.json()) as { id: string };
    const sent = await wmp.post<Accepted>('/v1/messages', {
      type: 'request',
      recipients: ['RO-ENU'],
      subject: `Controller ${marker}`,
      body: `Workers recruited by ${marker} at hand car washes.`,
      entities: [
        { ref: 'p1', type: 'person', names: [marker, 'Popescu'], dateOfBirth: '1988-04-02', nationality: 'RO' },
        { ref: 'e1', type: 'email', address: `${marker}@example.org` },
        { ref: 'ph1', type: 'phone', number: phone.international },
      ],
      attachments: [upload.id],
    });
    expect(sent.status).toBe(202);
    const reference = sent.body.caseReference;
    // A reply drafted in the console in the case, holding the marker too (sealed under the draft's own key).
    const db = services.gateway.app.get(DataSource);
    const person = randomUUID();
    await db.query(
      `INSERT INTO people (id, agency_code, email, name, role, status, sign_in, created_at, created_by_type, created_by)
       VALUES ($1, 'GB-WMP', $2, 'Drafting officer', 'officer', 'active', 'local', now(), 'system', 'erasure-test')`,
      [person, `${person}@wmp.example`],
    );
    const draft = await services.gateway.app
      .get(DraftsRepository)
      .create(person, 'GB-WMP', { ...emptyDraft({ caseReference: reference }), subject: `Reply about ${marker}` });
    const roCase = await romania.post<Accepted>('/v1/messages', {
      type: 'information',
      recipients: ['FR-ENU'],
      subject: 'Recruiter in Constanța',
      body: `The recruiter answers on ${phone.national}.`,
    });
    const roMatch = await waitFor(
      async () =>
        (await romania.get<{ items?: Match[] }>('/v1/matches')).body.items?.find(
          (m) => m.ownCase === roCase.body.caseReference && m.otherAgency === 'GB-WMP',
        ),
      { what: 'the match at Romania' },
    );
    await waitFor(() => roHooks.received.some((r) => r.event === 'message.received'), { what: 'the delivery webhook' });
    expect((await romania.get(`/v1/messages/${sent.body.id}`)).status).toBe(200);

    // Before erasure too, nowhere in clear: every copy (rows, index, files, drafts, records) is sealed.
    const before = await findMarker(marker, places);
    expect(before.segmentsRead).toBeGreaterThan(0);
    expect(before.kafka).toEqual([]);
    expect(before.redis).toEqual([]);
    expect(before.tables).toEqual([]);
    expect(before.files).toEqual([]);

    // A legal hold blocks erasure, and the refusal names it.
    expect(
      (await wmpSupervisor.post(`/v1/cases/${reference}/hold`, { reason: 'Crown Court order T20267001' })).status,
    ).toBe(201);
    const held = await wmpSupervisor.post<Problem>(`/v1/cases/${reference}/erasure`, { ground: 'no-longer-needed' });
    expect(held.status).toBe(409);
    expect(held.body.detail).toContain('Crown Court order T20267001');
    // Only the owner's supervisors erase; another agency's is told there is no such case.
    expect((await romaniaSupervisor.post(`/v1/cases/${reference}/erasure`, { ground: 'ordered' })).status).toBe(404);
    expect((await wmp.post(`/v1/cases/${reference}/erasure`, { ground: 'ordered' })).status).toBe(403);
    expect((await wmpSupervisor.request('DELETE', `/v1/cases/${reference}/hold`)).status).toBe(204);
    expect((await wmpSupervisor.request('DELETE', `/v1/cases/${reference}/hold`)).status).toBe(404);

    const erased = await wmpSupervisor.post<Erasure>(`/v1/cases/${reference}/erasure`, { ground: 'no-longer-needed' });
    expect(erased.status).toBe(202);
    expect(erased.body).toMatchObject({ reference, ground: 'no-longer-needed' });
    const done = await waitFor(
      async () => {
        const status = await wmpSupervisor.get<Erasure>(`/v1/cases/${reference}/erasure`);
        return status.body.complete ? status.body : undefined;
      },
      { what: 'every part of the erasure', timeoutMs: 60_000 },
    );
    expect(done.parts.map((p) => p.part)).toEqual(['gateway', 'router', 'matcher', 'notifier']);
    expect(done.parts.every((p) => p.doneAt !== null)).toBe(true);
    // Asking again is the same erasure.
    const again = await wmpSupervisor.post<Erasure>(`/v1/cases/${reference}/erasure`, { ground: 'ordered' });
    expect(again.body).toMatchObject({
      requestedAt: erased.body.requestedAt,
      ground: 'no-longer-needed',
      complete: true,
    });

    // The partner is told, by a signed webhook, and its side of the match is withdrawn.
    const notice = await waitFor(() => roHooks.received.find((r) => r.event === 'case.erased'), {
      what: 'the case.erased webhook',
    });
    expect(notice.signatureValid).toBe(true);
    expect(notice.json.data).toMatchObject({
      caseReference: reference,
      ownerAgency: 'GB-WMP',
      ground: 'no-longer-needed',
    });
    const withdrawn = await waitFor(
      async () =>
        (await romania.get<NotificationPage>('/v1/notifications?event=match.withdrawn')).body.items.find(
          (n) => n.event === 'match.withdrawn' && n.data.matchId === roMatch.id,
        ),
      { what: 'the match withdrawn at Romania' },
    );
    expect(JSON.stringify(withdrawn)).not.toContain(reference);
    expect((await romania.get(`/v1/matches/${roMatch.id}`)).status).toBe(404);
    expect((await wmp.get(`/v1/cases/${reference}`)).status).toBe(404);
    expect((await romania.get(`/v1/messages/${sent.body.id}`)).status).toBe(404);

    // After: nowhere.
    expect(await db.query('SELECT id FROM drafts WHERE id = $1', [draft])).toEqual([]);
    const after = await findMarker(marker, places);
    expect(after).toMatchObject({ tables: [], kafka: [], redis: [], files: [] });
    expect(after.segmentsRead).toBeGreaterThan(0);
    expect(logs.text().toLowerCase()).not.toContain(marker);
    // Reading a dump of the database and every log segment of the run takes a while beside a full test run.
  }, 300_000);
});
