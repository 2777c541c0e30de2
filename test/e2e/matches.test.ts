import { waitFor, type ApiClient } from '@liaison/testing';
import { deadlineJobId, JobQueues, queuePrefix } from '@liaison/messaging';
import { Queue } from 'bullmq';
import { randomInt } from 'node:crypto';
import { DataSource } from 'typeorm';
import { NotificationScheduler } from '../../apps/notifier/src';
import { issueKey, startServices, type RunningServices } from '../support/services';
import { WebhookReceiver } from '../support/webhook-receiver';

type Accepted = { id: string; caseReference: string };
type Match = {
  id: string;
  entityType: string;
  strength: string;
  candidateState: string | null;
  ownCase: string;
  otherAgency: string;
  ownDecision: string;
  otherDecision: string;
  linked: boolean;
  released?: { value: string; otherCase: string; otherMessageId: string | null };
};
type MatchPage = {
  counts: { total: number; strong: number; candidate: number; linked: number; byEntityType: Record<string, number> };
  items?: Match[];
  nextCursor?: string | null;
};
type Notification = {
  id: string;
  event: string;
  agency: string;
  createdAt: string;
  data: Record<string, unknown>;
  readAt: string | null;
};
type NotificationPage = { items: Notification[]; nextCursor: string | null; unread: number };
type Delivery = {
  id: string;
  state: string;
  attempts: number;
  resends: number;
  lastStatus: number | null;
  lastError: string | null;
  event: string;
  agency: string;
};

const SECRET_WMP = 'wmp-webhook-secret-0123456789abcdef0123';
const SECRET_RO = 'ro-webhook-secret-0123456789abcdef012345';

/** A Romanian mobile number no other test uses: the national digits and the three ways forces write them. */
function romanianMobile(): { e164: string; international: string; zeros: string; national: string } {
  const digits = `72${randomInt(1_000_000, 9_999_999)}`;
  return {
    e164: `+40${digits}`,
    international: `+40 ${digits.slice(0, 3)} ${digits.slice(3, 6)} ${digits.slice(6)}`,
    zeros: `0040${digits}`,
    national: `0${digits}`,
  };
}

/**
 * Cross-matching seen by its users: two forces' cases share a phone; each is told of its own case and the other
 * agency only; details travel by each owner's decision; candidates are confirmed or dismissed; notifications
 * reach the API and signed webhooks, which are retried and re-sent; nothing leaks before a release.
 */
describe('matches and notifications', () => {
  let services: RunningServices;
  let admin: ApiClient;
  let wmp: ApiClient;
  let wmpSupervisor: ApiClient;
  let romania: ApiClient;
  let romaniaSupervisor: ApiClient;
  let stranger: ApiClient;
  let lead: ApiClient;
  const wmpHooks = new WebhookReceiver(SECRET_WMP);
  const roHooks = new WebhookReceiver(SECRET_RO);
  const env = {
    WEBHOOK_FIRST_RETRY_MS: '200',
    WEBHOOK_MAX_ATTEMPTS: '5',
    WEBHOOK_TIMEOUT_MS: '2000',
    MATCH_OVER_CORRELATION_CAP: '3',
  };

  beforeAll(async () => {
    await Promise.all([wmpHooks.start(), roHooks.start()]);
    services = await startServices(env);
    admin = services.api.as(services.adminKey);
    [wmp, wmpSupervisor, romania, romaniaSupervisor, stranger, lead] = await Promise.all([
      issueKey(services, 'GB-WMP', 'officer'),
      issueKey(services, 'GB-WMP', 'supervisor'),
      issueKey(services, 'RO-ENU', 'officer'),
      issueKey(services, 'RO-ENU', 'supervisor'),
      issueKey(services, 'BG-ENU', 'supervisor'),
      issueKey(services, 'GB-NCA', 'programme-lead'),
    ]);
    for (const [agency, receiver, secret] of [
      ['GB-WMP', wmpHooks, SECRET_WMP],
      ['RO-ENU', roHooks, SECRET_RO],
    ] as const) {
      const registered = await admin.post('/v1/webhooks', {
        agency,
        url: receiver.url,
        secret,
        events: ['match.found', 'match.updated', 'message.received'],
      });
      expect(registered.status).toBe(201);
      expect(JSON.stringify(registered.body)).not.toContain(secret);
    }
  }, 90_000);

  afterAll(async () => {
    // Endpoints go with the test, so a later run's notifier has nothing to retry towards these receivers.
    const hooks = await admin?.get<{ id: string }[]>('/v1/webhooks');
    for (const hook of hooks?.body ?? []) await admin.request('DELETE', `/v1/webhooks/${hook.id}`);
    await services?.stop();
    await Promise.all([wmpHooks.stop(), roHooks.stop()]);
  });

  /** Two new cases, one of West Midlands (to the Netherlands) and one of Romania (to France), sharing a phone. */
  async function sharedPhoneCases(): Promise<{
    phone: ReturnType<typeof romanianMobile>;
    wmpMessage: Accepted;
    roMessage: Accepted;
    match: Match;
  }> {
    const phone = romanianMobile();
    const wmpMessage = (
      await wmp.post<Accepted>('/v1/messages', {
        type: 'request',
        recipients: ['NL-ENU'],
        subject: 'Controller of workers at hand car washes',
        body: 'Subscriber check requested.',
        entities: [{ ref: 'ph1', type: 'phone', number: phone.international }],
      })
    ).body;
    const roMessage = (
      await romania.post<Accepted>('/v1/messages', {
        type: 'information',
        recipients: ['FR-ENU'],
        subject: 'Recruiter in Constanța',
        body: `The recruiter answers on ${phone.national}.`,
      })
    ).body;
    const match = await waitFor(
      async () =>
        (await wmp.get<MatchPage>('/v1/matches')).body.items?.find((m) => m.ownCase === wmpMessage.caseReference),
      { what: 'the match at West Midlands' },
    );
    return { phone, wmpMessage, roMessage, match };
  }

  /**
   * Everything West Midlands can read, as text: every GET route of the API description that needs no id (as
   * its supervisor and its officer), the match itself, its own case and message, and the webhooks it received.
   */
  async function everythingWmpSees(matchId: string, own: Accepted): Promise<string> {
    const document = await services.api.get<{ paths: Record<string, Record<string, unknown>> }>('/docs-json');
    const lists = Object.entries(document.body.paths)
      .filter(([path, operations]) => 'get' in operations && !path.includes('{'))
      .map(([path]) => path);
    const paths = [...lists, `/v1/matches/${matchId}`, `/v1/cases/${own.caseReference}`, `/v1/messages/${own.id}`];
    const bodies = await Promise.all(
      paths.flatMap((path) =>
        [wmpSupervisor, wmp].map(async (client) => JSON.stringify((await client.get(path)).body)),
      ),
    );
    return [...bodies, ...wmpHooks.received.map((r) => r.body)].join('\n');
  }

  it('tells each owner of its own case, the other agency and the entity type, and nothing more', async () => {
    const { phone, roMessage, wmpMessage, match } = await sharedPhoneCases();
    expect(match).toMatchObject({
      entityType: 'phone',
      strength: 'strong',
      otherAgency: 'RO-ENU',
      ownDecision: 'pending',
      otherDecision: 'pending',
      linked: false,
    });
    expect(match).not.toHaveProperty('released');
    const atRomania = (await romania.get<Match>(`/v1/matches/${match.id}`)).body;
    expect(atRomania).toMatchObject({ ownCase: roMessage.caseReference, otherAgency: 'GB-WMP' });

    const notified = await waitFor(
      async () =>
        (await wmp.get<NotificationPage>('/v1/notifications?event=match.found')).body.items.find(
          (n) => n.data.matchId === match.id,
        ),
      {
        what: 'the match notification',
      },
    );
    expect(notified.data).toEqual({
      matchId: match.id,
      entityType: 'phone',
      strength: 'strong',
      ownCase: wmpMessage.caseReference,
      otherAgency: 'RO-ENU',
      foundAt: expect.any(String),
    });

    const hook = await waitFor(async () => wmpHooks.of('match.found').find((r) => r.json.data.matchId === match.id), {
      what: 'the match webhook',
    });
    expect(hook.signatureValid).toBe(true);
    expect(hook.json).toEqual({
      id: notified.id,
      event: 'match.found',
      agency: 'GB-WMP',
      createdAt: notified.createdAt,
      data: notified.data,
    });
    expect(
      await waitFor(async () => roHooks.of('match.found').find((r) => r.json.data.matchId === match.id), {
        what: 'the match webhook at Romania',
      }),
    ).toMatchObject({ signatureValid: true });

    const seen = await everythingWmpSees(match.id, wmpMessage);
    for (const secret of [roMessage.caseReference, roMessage.id, phone.e164, phone.national])
      expect(seen).not.toContain(secret);
    expect((await stranger.get(`/v1/matches/${match.id}`)).status).toBe(404);
    expect(JSON.stringify((await stranger.get('/v1/matches')).body)).not.toContain(match.id);
  });

  it('releases details only by the owner’s decision: declined never shows, released shows to the other side, both link the cases', async () => {
    const { phone, roMessage, wmpMessage, match } = await sharedPhoneCases();
    expect((await romania.post(`/v1/matches/${match.id}/decision`, { decision: 'release' })).status).toBe(403); // officers do not decide
    expect((await stranger.post(`/v1/matches/${match.id}/decision`, { decision: 'release' })).status).toBe(404);
    const bad = await romaniaSupervisor.post<{ detail: string }>(`/v1/matches/${match.id}/decision`, {
      decision: 'maybe',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.detail).toContain('decision must be one of release, decline');

    const declined = await romaniaSupervisor.post<Match>(`/v1/matches/${match.id}/decision`, { decision: 'decline' });
    expect(declined.status).toBe(200);
    expect(declined.body).toMatchObject({ ownDecision: 'declined' });
    expect((await romaniaSupervisor.post(`/v1/matches/${match.id}/decision`, { decision: 'release' })).status).toBe(
      409,
    );
    await waitFor(
      async () =>
        (await wmp.get<NotificationPage>('/v1/notifications?event=match.updated')).body.items.find(
          (n) => n.data.matchId === match.id && n.data.outcome === 'declined',
        ),
      {
        what: 'the decline notification',
      },
    );
    await waitFor(async () => wmpHooks.of('match.updated').find((r) => r.json.data.matchId === match.id), {
      what: 'the decline webhook',
    });
    const afterDecline = await everythingWmpSees(match.id, wmpMessage);
    for (const secret of [roMessage.caseReference, roMessage.id, phone.e164])
      expect(afterDecline).not.toContain(secret);
    expect((await wmp.get<Match>(`/v1/matches/${match.id}`)).body).toMatchObject({
      otherDecision: 'declined',
      linked: false,
    });

    const released = await wmpSupervisor.post<Match>(`/v1/matches/${match.id}/decision`, { decision: 'release' });
    expect(released.body).toMatchObject({ ownDecision: 'released', otherDecision: 'declined' });
    expect(released.body).not.toHaveProperty('released');
    expect((await romania.get<Match>(`/v1/matches/${match.id}`)).body.released).toEqual({
      value: phone.e164,
      otherCase: wmpMessage.caseReference,
      otherMessageId: wmpMessage.id,
    });

    // A second pair, both released: the cases are linked, and each owner may write in the other's case.
    const second = await sharedPhoneCases();
    await wmpSupervisor.post(`/v1/matches/${second.match.id}/decision`, { decision: 'release' });
    const linked = await romaniaSupervisor.post<Match>(`/v1/matches/${second.match.id}/decision`, {
      decision: 'release',
    });
    expect(linked.body).toMatchObject({ linked: true, released: { otherCase: second.wmpMessage.caseReference } });
    const atWmp = (await wmp.get<Match>(`/v1/matches/${second.match.id}`)).body;
    expect(atWmp).toMatchObject({
      linked: true,
      released: { value: second.phone.e164, otherCase: second.roMessage.caseReference },
    });
    const sent = await waitFor(
      async () => {
        const attempt = await wmp.post<Accepted>('/v1/messages', {
          caseReference: second.roMessage.caseReference,
          recipients: ['RO-ENU'],
          subject: 'Linked case: our subscriber data',
          body: 'Attached.',
        });
        return attempt.status === 202 ? attempt.body : undefined;
      },
      { what: 'West Midlands writing in the linked Romanian case' },
    );
    await waitFor(async () => (await romania.get(`/v1/messages/${sent.id}`)).status === 200, {
      what: 'the message in the linked case at Romania',
    });
  });

  it('lets an officer of either side confirm or dismiss a candidate, and a dismissed pair is not suggested again', async () => {
    const born = `19${randomInt(50, 99)}-0${randomInt(1, 9)}-1${randomInt(0, 9)}`;
    const first = await wmp.post<Accepted>('/v1/messages', {
      type: 'request',
      recipients: ['NL-ENU'],
      subject: 'Person check',
      body: 'See entity.',
      entities: [{ ref: 'p1', type: 'person', names: ['Ștefan', 'POPESCU'], dateOfBirth: born }],
    });
    const second = await romania.post<Accepted>('/v1/messages', {
      type: 'information',
      recipients: ['FR-ENU'],
      subject: 'Person',
      body: 'See entity.',
      entities: [{ ref: 'p1', type: 'person', names: ['Стефан', 'Попеску'], dateOfBirth: born }],
    });
    const candidates = await waitFor(
      async () => {
        const items =
          (await romania.get<MatchPage>('/v1/matches?strength=candidate')).body.items?.filter(
            (m) => m.ownCase === second.body.caseReference,
          ) ?? [];
        return items.length > 0 ? items : undefined;
      },
      { what: 'the candidate at Romania' },
    );
    expect(candidates).toHaveLength(1); // matched by name and by sound: one suggestion
    const candidate = candidates[0];
    expect(first.status).toBe(202);
    expect(candidate).toMatchObject({
      entityType: 'person',
      strength: 'candidate',
      candidateState: 'suggested',
      otherAgency: 'GB-WMP',
    });

    const strong = await sharedPhoneCases();
    expect((await wmp.post(`/v1/matches/${strong.match.id}/confirm`, {})).status).toBe(422);
    expect((await lead.post(`/v1/matches/${candidate.id}/dismiss`, {})).status).toBe(403);
    const dismissed = await romania.post<Match>(`/v1/matches/${candidate.id}/dismiss`, {});
    expect(dismissed.body).toMatchObject({ candidateState: 'dismissed' });
    expect((await wmp.post(`/v1/matches/${candidate.id}/confirm`, {})).status).toBe(409);
    expect((await wmpSupervisor.post(`/v1/matches/${candidate.id}/decision`, { decision: 'release' })).status).toBe(
      422,
    );

    // The same person mentioned again in the same two cases makes no new suggestion on the dismissed key.
    const before = (await romania.get<MatchPage>('/v1/matches?strength=candidate')).body.items!.filter(
      (m) => m.ownCase === second.body.caseReference,
    ).length;
    const again = await romania.post<Accepted>('/v1/messages', {
      caseReference: second.body.caseReference,
      type: 'information',
      recipients: ['FR-ENU'],
      subject: 'Person again',
      body: 'See entity.',
      entities: [{ ref: 'p1', type: 'person', names: ['Stefan Popescu'], dateOfBirth: born }],
    });
    await waitFor(async () => (await romania.get(`/v1/messages/${again.body.id}`)).status === 200, {
      what: 'the repeat routed',
    });
    const marker = await sharedPhoneCases(); // a later match proves the matcher has handled the repeat
    expect(marker.match.id).toBeDefined();
    const after = (await romania.get<MatchPage>('/v1/matches?strength=candidate')).body.items!.filter(
      (m) => m.ownCase === second.body.caseReference,
    );
    expect(after.length).toBe(before);
    expect(after.find((m) => m.id === candidate.id)?.candidateState).toBe('dismissed');
  });

  it('lists keys past the cap for admins, and applies their exclusions to every later match', async () => {
    // A hotel switchboard in four unrelated cases: past the cap of three, it links nothing more.
    const switchboard = romanianMobile();
    const cases: Accepted[] = [];
    for (const [client, recipient] of [
      [wmp, 'NL-ENU'],
      [romania, 'FR-ENU'],
      [wmp, 'FR-ENU'],
      [romania, 'NL-ENU'],
    ] as const) {
      cases.push(
        (
          await client.post<Accepted>('/v1/messages', {
            type: 'information',
            recipients: [recipient],
            subject: 'Hotel',
            body: `Stayed at the hotel, switchboard ${switchboard.international}.`,
          })
        ).body,
      );
    }
    const listed = await waitFor(
      async () =>
        (
          await admin.get<{ key: string; caseCount: number; entityType: string; excluded: boolean }[]>(
            '/v1/match-keys/over-correlated',
          )
        ).body.find((k) => k.key === `phone:${switchboard.e164}`),
      {
        what: 'the switchboard listed as over-correlated',
      },
    );
    expect(listed).toMatchObject({ entityType: 'phone', caseCount: 4, excluded: false });
    expect(JSON.stringify(listed)).not.toMatch(/LIA-|GB-WMP|RO-ENU/);

    const excluded = await admin.post<{ key: string; reason: string }[]>('/v1/match-keys/exclusions', {
      key: listed.key,
      reason: 'Hotel switchboard shared by unrelated cases',
    });
    expect(excluded.status).toBe(200);
    expect(excluded.body).toMatchObject([{ key: listed.key, reason: 'Hotel switchboard shared by unrelated cases' }]);
    expect(
      (await admin.get<{ key: string; excluded: boolean }[]>('/v1/match-keys/over-correlated')).body.find(
        (k) => k.key === listed.key,
      )?.excluded,
    ).toBe(true);

    // An exclusion named by entity, before any case holds it: two cases sharing it are not matched.
    const shared = romanianMobile();
    expect(
      (
        await admin.post('/v1/match-keys/exclusions', {
          entity: { type: 'phone', number: shared.zeros },
          country: 'RO',
          reason: 'Number of a public helpline',
        })
      ).status,
    ).toBe(200);
    const bad = await admin.post<{ status: number; detail: string }>('/v1/match-keys/exclusions', {
      entity: { type: 'bank-account', iban: 'RO49 AAAA 1B31 0075 9384 0001' },
      reason: 'Bad checksum',
    });
    expect(bad.status).toBe(422);
    expect(bad.body.detail).toContain('gives no match key');
    expect((await admin.post('/v1/match-keys/exclusions', { key: 'fax:123', reason: 'Unknown kind' })).status).toBe(
      422,
    );
    const helplineA = await wmp.post<Accepted>('/v1/messages', {
      type: 'information',
      recipients: ['NL-ENU'],
      subject: 'Helpline',
      body: `Called ${shared.international}.`,
    });
    const helplineB = await romania.post<Accepted>('/v1/messages', {
      type: 'information',
      recipients: ['FR-ENU'],
      subject: 'Helpline',
      body: `Called ${shared.national}.`,
    });
    await sharedPhoneCases(); // a later match proves the matcher has handled both
    const wmpMatches = (await wmp.get<MatchPage>('/v1/matches?limit=100')).body.items!;
    expect(wmpMatches.filter((m) => m.ownCase === helplineA.body.caseReference)).toEqual([]);
    expect(
      wmpMatches.filter((m) => cases.some((c) => c.caseReference === m.ownCase) && m.otherAgency === 'RO-ENU').length,
    ).toBeLessThanOrEqual(4);

    // Lifted, the helpline links a case that mentions it from then on with every case holding it.
    expect(
      (await admin.request('DELETE', `/v1/match-keys/exclusions/${encodeURIComponent(`phone:${shared.e164}`)}`)).status,
    ).toBe(204);
    expect(
      (await admin.request('DELETE', `/v1/match-keys/exclusions/${encodeURIComponent(`phone:${shared.e164}`)}`)).status,
    ).toBe(404);
    const helplineC = await romania.post<Accepted>('/v1/messages', {
      type: 'information',
      recipients: ['NL-ENU'],
      subject: 'Helpline again',
      body: `Called ${shared.zeros} again.`,
    });
    // A match between two of Romania's own cases is listed once, on the case that sorts first.
    const involvesC = (m: Match): boolean =>
      m.ownCase === helplineC.body.caseReference || m.released?.otherCase === helplineC.body.caseReference;
    const afterLift = await waitFor(
      async () => {
        const found = (await romania.get<MatchPage>('/v1/matches?limit=100')).body.items!.filter(involvesC);
        return found.length === 2 ? found : undefined;
      },
      { what: 'the helpline matches after the exclusion was lifted' },
    );
    expect(afterLift.map((m) => m.otherAgency).sort()).toEqual(['GB-WMP', 'RO-ENU']);
    expect(helplineB.status).toBe(202);
  });

  it('gives programme leads figures only', async () => {
    const page = await lead.get<MatchPage>('/v1/matches');
    expect(page.status).toBe(200);
    expect(page.body).not.toHaveProperty('items');
    expect(page.body.counts.total).toBeGreaterThan(0);
    expect(page.body.counts.strong).toBeGreaterThan(0);
    expect((await lead.get('/v1/notifications')).status).toBe(403);
  });

  it('marks notifications read, one or all', async () => {
    // Every match Romania has is told to it first: none of the earlier tests' notices may arrive after marking.
    const matchIds = (await romania.get<MatchPage>('/v1/matches?limit=100')).body.items!.map((m) => m.id);
    await waitFor(
      async () => {
        const told = new Set(
          (await romania.get<NotificationPage>('/v1/notifications?event=match.found&limit=100')).body.items.map(
            (n) => n.data.matchId,
          ),
        );
        return matchIds.every((id) => told.has(id)) || undefined;
      },
      { what: 'a notification for every match of Romania' },
    );
    const page = (await romania.get<NotificationPage>('/v1/notifications?unread=true')).body;
    expect(page.unread).toBeGreaterThan(0);
    const first = page.items[0];
    expect((await romania.post(`/v1/notifications/${first.id}/read`, {})).status).toBe(204);
    expect((await stranger.post(`/v1/notifications/${first.id}/read`, {})).status).toBe(404);
    expect(
      (await romania.get<NotificationPage>('/v1/notifications?unread=true')).body.items.map((n) => n.id),
    ).not.toContain(first.id);
    const all = await romania.post<{ marked: number }>('/v1/notifications/read', {});
    expect(all.body.marked).toBeGreaterThan(0);
    expect((await romania.get<NotificationPage>('/v1/notifications?unread=true')).body).toMatchObject({
      items: [],
      unread: 0,
    });
  });

  it('retries a webhook until the receiver comes back, with the same delivery id', async () => {
    await roHooks.stop();
    const sent = await wmp.post<Accepted>('/v1/messages', {
      type: 'request',
      recipients: ['RO-ENU'],
      subject: 'Request while the receiver is down',
      body: 'Body.',
    });
    const failing = await waitFor(
      async () => {
        const page = await admin.get<{ items: Delivery[] }>('/v1/webhooks/deliveries?agency=RO-ENU&state=pending');
        return page.body.items.find((d) => d.event === 'message.received' && d.attempts >= 2);
      },
      { what: 'failed attempts' },
    );
    expect(failing.lastError).toContain('could not reach the receiver');
    await roHooks.start();
    const delivered = await waitFor(
      async () => roHooks.of('message.received').find((r) => r.json.data.messageId === sent.body.id),
      { what: 'the delivery after the receiver came back' },
    );
    expect(delivered).toMatchObject({ deliveryId: failing.id, signatureValid: true });
    expect(delivered.json.data).not.toHaveProperty('subject');
    expect(delivered.body).not.toContain('Request while the receiver is down');
  });

  it('marks a delivery failed after its retries, lists it for admins, and sends it again on request', async () => {
    roHooks.status = 500;
    const sent = await wmp.post<Accepted>('/v1/messages', {
      type: 'request',
      recipients: ['RO-ENU'],
      subject: 'Request to a failing receiver',
      body: 'Body.',
    });
    const failed = await waitFor(
      async () => {
        const page = await admin.get<{ items: Delivery[] }>('/v1/webhooks/deliveries?state=failed&agency=RO-ENU');
        return page.body.items.find((d) => d.event === 'message.received');
      },
      { what: 'the failed delivery', timeoutMs: 30_000 },
    );
    expect(failed).toMatchObject({ attempts: 5, lastStatus: 500, lastError: 'receiver answered HTTP 500' });
    expect(roHooks.received.filter((r) => r.deliveryId === failed.id)).toHaveLength(5);
    expect((await wmpSupervisor.post(`/v1/webhooks/deliveries/${failed.id}/resend`, {})).status).toBe(403);

    roHooks.status = 200;
    const resent = await admin.post<Delivery>(`/v1/webhooks/deliveries/${failed.id}/resend`, {});
    expect(resent.status).toBe(202);
    expect(resent.body).toMatchObject({ state: 'pending', attempts: 0, resends: 1 });
    await waitFor(
      async () =>
        (
          await admin.get<{ items: Delivery[] }>('/v1/webhooks/deliveries?state=delivered&agency=RO-ENU')
        ).body.items.find((d) => d.id === failed.id),
      {
        what: 'the re-sent delivery',
      },
    );
    const last = roHooks.received.filter((r) => r.deliveryId === failed.id).at(-1)!;
    expect(last.json.data.messageId).toBe(sent.body.id);
    expect((await admin.post(`/v1/webhooks/deliveries/${failed.id}/resend`, {})).status).toBe(409);
  });

  it('warns recipients at 80% of the time to answer, and tells both sides when a request is overdue, unless answered', async () => {
    const unanswered = await wmp.post<Accepted>('/v1/messages', {
      type: 'request',
      recipients: ['RO-ENU'],
      subject: 'Request left unanswered',
      body: 'Body.',
    });
    const answered = await wmp.post<Accepted>('/v1/messages', {
      type: 'request',
      recipients: ['RO-ENU'],
      subject: 'Request answered in time',
      body: 'Body.',
    });
    for (const id of [unanswered.body.id, answered.body.id])
      await waitFor(async () => (await romania.get(`/v1/messages/${id}`)).status === 200, {
        what: 'the request at Romania',
      });
    const reply = await romania.post<Accepted>('/v1/messages', {
      type: 'reply',
      inReplyTo: answered.body.id,
      recipients: ['GB-WMP'],
      subject: 'Answer',
      body: 'Body.',
    });
    await waitFor(async () => (await wmp.get(`/v1/messages/${reply.body.id}`)).status === 200, {
      what: 'the answer at West Midlands',
    });

    // Seven days are too long to wait: both requests are given a deadline seconds away, and their checks
    // (already scheduled by the notifier when they were routed) are scheduled again for it.
    const sentAt = new Date(Date.now() - 8_000);
    const deadline = new Date(Date.now() + 2_000);
    const ids = [unanswered.body.id, answered.body.id];
    await services.gateway.app
      .get(DataSource)
      .query('UPDATE deliveries SET answer_deadline = $2 WHERE message_id = ANY($1::uuid[])', [ids, deadline]);
    const queue = new Queue(JobQueues.deadlines, {
      connection: { url: process.env.REDIS_URL },
      prefix: queuePrefix(process.env.KAFKA_NAMESPACE ?? ''),
    });
    for (const id of ids)
      for (const check of ['approaching', 'overdue'] as const)
        await queue.remove(deadlineJobId({ messageId: id, check }));
    await queue.close();
    await services.notifier.app
      .get(NotificationScheduler)
      .scheduleDeadlines(ids.map((messageId) => ({ messageId, sentAt, deadline })));

    const about = (client: ApiClient, event: string) => async () =>
      (await client.get<NotificationPage>(`/v1/notifications?event=${event}`)).body.items.filter((n) =>
        ids.includes(n.data.messageId as string),
      );
    const approaching = await waitFor(
      async () =>
        (await about(romania, 'deadline.approaching')()).length > 0
          ? about(romania, 'deadline.approaching')()
          : undefined,
      { what: 'the deadline warning' },
    );
    expect(approaching.map((n) => n.data.messageId)).toEqual([unanswered.body.id]);
    const overdueAtSender = await waitFor(
      async () => ((await about(wmp, 'deadline.overdue')()).length > 0 ? about(wmp, 'deadline.overdue')() : undefined),
      { what: 'the overdue notice at the sender' },
    );
    expect(overdueAtSender.map((n) => n.data)).toEqual([
      {
        messageId: unanswered.body.id,
        caseReference: unanswered.body.caseReference,
        answerDeadline: deadline.toISOString(),
        unansweredBy: ['RO-ENU'],
      },
    ]);
    expect((await about(romania, 'deadline.overdue')()).map((n) => n.data.messageId)).toEqual([unanswered.body.id]);
  });

  it('keeps a retrying delivery across a notifier restart', async () => {
    roHooks.status = 503;
    const sent = await wmp.post<Accepted>('/v1/messages', {
      type: 'request',
      recipients: ['RO-ENU'],
      subject: 'Request across a restart',
      body: 'Body.',
    });
    const retrying = await waitFor(
      async () => {
        const page = await admin.get<{ items: Delivery[] }>('/v1/webhooks/deliveries?agency=RO-ENU&state=pending');
        return page.body.items.find((d) => d.event === 'message.received' && d.attempts >= 1);
      },
      { what: 'a retrying delivery' },
    );
    await services.notifier.app.close();
    roHooks.status = 200;
    const { startNotifier } = await import('../../apps/notifier/src/notifier.app');
    services.notifier = await startNotifier({ ...process.env, ...env });
    const delivered = await waitFor(
      async () =>
        roHooks.received.find(
          (r) => r.deliveryId === retrying.id && r.json.data.messageId === sent.body.id && r.answered === 200,
        ),
      {
        what: 'the delivery by the new notifier',
      },
    );
    expect(delivered.signatureValid).toBe(true);
    await waitFor(
      async () =>
        (
          await admin.get<{ items: Delivery[] }>('/v1/webhooks/deliveries?state=delivered&agency=RO-ENU')
        ).body.items.find((d) => d.id === retrying.id),
      {
        what: 'the delivery recorded as delivered',
      },
    );
  });
});
