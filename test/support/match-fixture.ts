import { waitFor, type ApiClient } from '@liaison/testing';
import { randomInt } from 'node:crypto';
import { issueKey, startServices, type RunningServices } from './services';
import { WebhookReceiver } from './webhook-receiver';

export type Accepted = { id: string; caseReference: string };
export type Match = {
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
export type MatchPage = {
  counts: { total: number; strong: number; candidate: number; linked: number; byEntityType: Record<string, number> };
  items?: Match[];
  nextCursor?: string | null;
};
export type Notification = {
  id: string;
  event: string;
  agency: string;
  createdAt: string;
  data: Record<string, unknown>;
  readAt: string | null;
};
export type NotificationPage = { items: Notification[]; nextCursor: string | null; unread: number };
export type Delivery = {
  id: string;
  state: string;
  attempts: number;
  resends: number;
  lastStatus: number | null;
  lastError: string | null;
  event: string;
  agency: string;
};

export const SECRET_WMP = 'wmp-webhook-secret-0123456789abcdef0123';
export const SECRET_RO = 'ro-webhook-secret-0123456789abcdef012345';

/** A Romanian mobile number no other test uses: the national digits and the three ways forces write them. */
export function romanianMobile(): { e164: string; international: string; zeros: string; national: string } {
  const digits = `72${randomInt(1_000_000, 9_999_999)}`;
  return {
    e164: `+40${digits}`,
    international: `+40 ${digits.slice(0, 3)} ${digits.slice(3, 6)} ${digits.slice(6)}`,
    zeros: `0040${digits}`,
    national: `0${digits}`,
  };
}

/** What a match or notification test works with: every service, the agencies' clients and their webhook receivers. */
export interface MatchFixture {
  services: RunningServices;
  admin: ApiClient;
  wmp: ApiClient;
  wmpSupervisor: ApiClient;
  romania: ApiClient;
  romaniaSupervisor: ApiClient;
  stranger: ApiClient;
  lead: ApiClient;
  wmpHooks: WebhookReceiver;
  roHooks: WebhookReceiver;
  /** The services' settings: quick webhook retries, and a low cap on over-correlated keys. */
  env: Record<string, string>;
  /** Two new cases, one of West Midlands (to the Netherlands) and one of Romania (to France), sharing a phone. */
  sharedPhoneCases(): Promise<{
    phone: ReturnType<typeof romanianMobile>;
    wmpMessage: Accepted;
    roMessage: Accepted;
    match: Match;
  }>;
  /** Everything West Midlands can read, as text (see `everythingWmpSees`). */
  everythingWmpSees(matchId: string, own: Accepted): Promise<string>;
}

/**
 * Starts every service before a file's tests with quick webhook retries, officers and supervisors of West Midlands
 * and Romania (each agency's webhooks registered to a receiver of the test's own), a Bulgarian supervisor who is a
 * stranger to their cases, and the UK's programme lead; removes the webhooks and stops everything after.
 */
export function matchFixture(): MatchFixture {
  const fixture = {} as MatchFixture;
  const wmpHooks = (fixture.wmpHooks = new WebhookReceiver(SECRET_WMP));
  const roHooks = (fixture.roHooks = new WebhookReceiver(SECRET_RO));
  const env = (fixture.env = {
    WEBHOOK_FIRST_RETRY_MS: '200',
    WEBHOOK_MAX_ATTEMPTS: '5',
    WEBHOOK_TIMEOUT_MS: '2000',
    MATCH_OVER_CORRELATION_CAP: '3',
  });

  beforeAll(async () => {
    await Promise.all([wmpHooks.start(), roHooks.start()]);
    const services = (fixture.services = await startServices(env));
    const admin = (fixture.admin = services.api.as(services.adminKey));
    [fixture.wmp, fixture.wmpSupervisor, fixture.romania, fixture.romaniaSupervisor, fixture.stranger, fixture.lead] =
      await Promise.all([
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
    const { admin, services } = fixture;
    const hooks = await admin?.get<{ id: string }[]>('/v1/webhooks');
    for (const hook of hooks?.body ?? []) await admin.request('DELETE', `/v1/webhooks/${hook.id}`);
    await services?.stop();
    await Promise.all([wmpHooks.stop(), roHooks.stop()]);
  });

  /** Two new cases, one of West Midlands (to the Netherlands) and one of Romania (to France), sharing a phone. */
  fixture.sharedPhoneCases = async function sharedPhoneCases(): Promise<{
    phone: ReturnType<typeof romanianMobile>;
    wmpMessage: Accepted;
    roMessage: Accepted;
    match: Match;
  }> {
    const { wmp, romania } = fixture;
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
  };

  /**;

   * its supervisor and its officer), the match itself, its own case and message, and the webhooks it received.
   */
  fixture.everythingWmpSees = async function everythingWmpSees(matchId: string, own: Accepted): Promise<string> {
    const { services, wmp, wmpSupervisor } = fixture;
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
  };

  return fixture;
}
