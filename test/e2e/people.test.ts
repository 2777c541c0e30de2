import { generate } from 'otplib';
import { Redis } from 'ioredis';
import { createHash } from 'node:crypto';
import { PeopleUseCase } from '../../apps/gateway/src';
import { waitFor, type ApiClient } from '@liaison/testing';
import { randomUUID } from 'node:crypto';
import { PersonAgent } from '../support/browser-session';
import { enrolledPerson as enrolledPersonOf, signedIn as signedInAs, TEST_PASSWORD } from '../support/people';
import { issueKey, startServices, type RunningServices } from '../support/services';

interface Invited {
  id: string;
  enrolmentLink: string;
  status: string;
}

interface AuditPage {
  items: { action: string; principalType: string; principalId: string; objectId: string; detail: string }[];
}

/**
 * People sign in as themselves: invited by their agency's admin, a password set through a one-time link, TOTP
 * enrolled at the first sign-in, sessions in a cookie; and every refusal looks alike and is audited.
 */
describe('people and local sign-in', () => {
  let services: RunningServices;
  let admin: ApiClient;
  let otherAdmin: ApiClient;
  const password = TEST_PASSWORD;

  beforeAll(async () => {
    services = await startServices();
    admin = await issueKey(services, 'GB-NCA-UKLB', 'admin');
    otherAdmin = await issueKey(services, 'RO-ENU', 'admin');
  }, 90_000);

  afterAll(async () => {
    await services?.stop();
  });

  const enrolledPerson = (role = 'officer') => enrolledPersonOf(services.gateway.url, admin, role);
  const signedIn = (email: string) => signedInAs(services.gateway.url, email);

  /** The person's audit entries, once every action named is among them (each as often as named). */
  const auditOf = (personId: string, actions: string[]) =>
    waitFor(
      async () => {
        const page = await services.api
          .as(services.adminKey)
          .get<AuditPage>(`/v1/audit?principalId=${personId}&limit=100`);
        const seen = page.body.items.map((e) => e.action);
        const count = (action: string, list: string[]) => list.filter((a) => a === action).length;
        return actions.every((action) => count(action, seen) >= count(action, actions)) ? page.body.items : undefined;
      },
      { what: `audit entries ${actions.join(', ')}` },
    );

  it('invites, enrols through a one-time link with a password policy, and never shows a secret to the admin', async () => {
    const email = `claire-${randomUUID()}@uklb.example`;
    const invited = await admin.post<Invited & Record<string, unknown>>('/v1/people', {
      email: email.toUpperCase(),
      name: 'Claire Hughes',
      role: 'supervisor',
    });
    expect(invited.status).toBe(201);
    expect(invited.body).toMatchObject({ email, status: 'invited', signIn: 'local', role: 'supervisor' });
    const token = new URL(invited.body.enrolmentLink).searchParams.get('token')!;
    const agent = new PersonAgent(services.gateway.url);
    expect((await agent.request('GET', `/auth/enrol?token=${token}`)).body).toEqual({ email, name: 'Claire Hughes' });
    const weak = await agent.request<{ errors: { field: string }[] }>('POST', '/auth/enrol', {
      token,
      password: 'qwerty123456',
    });
    expect(weak.status).toBe(400);
    expect(weak.body.errors[0].field).toBe('password');
    expect((await agent.request('POST', '/auth/enrol', { token, password })).status).toBe(204);
    expect((await agent.request('POST', '/auth/enrol', { token, password })).status).toBe(404);

    const again = await admin.post('/v1/people', { email, name: 'Someone', role: 'officer' });
    expect(again.status).toBe(409);
    const listed = await admin.get<{ items: Record<string, unknown>[] }>('/v1/people?limit=100');
    const row = listed.body.items.find((p) => p.id === invited.body.id)!;
    expect(Object.keys(row).sort()).toEqual(
      ['agency', 'createdAt', 'email', 'id', 'lastSignInAt', 'name', 'role', 'signIn', 'status'].sort(),
    );
    // Another agency's admin cannot see or change them.
    expect((await otherAdmin.get(`/v1/people/${invited.body.id}`)).status).toBe(404);
    expect((await otherAdmin.post(`/v1/people/${invited.body.id}/disable`, {})).status).toBe(404);
  });

  it('signs in with password and TOTP; /v1 ignores the cookie and the session routes ignore API keys', async () => {
    const person = await enrolledPerson();
    const { agent, recoveryCodes } = await signedIn(person.email);
    expect(recoveryCodes).toHaveLength(10);
    const cookie = [...agent.cookies.keys()];
    expect(cookie).toEqual(['liaison-session']); // plain HTTP on loopback: no __Host- prefix, no Secure
    const session = await agent.request<{ person: string; agency: string; role: string }>('GET', '/auth/session');
    expect(session.body).toMatchObject({ person: person.id, agency: 'GB-NCA-UKLB', role: 'officer' });
    expect((await agent.request('GET', '/v1/inbox')).status).toBe(401);
    expect((await admin.get('/auth/session')).status).toBe(401);

    const entries = await auditOf(person.id, ['person.enrolled', 'person.second-factor-enrolled', 'person.signed-in']);
    expect(entries.every((e) => e.principalType === 'person')).toBe(true);
  });

  it('refuses a TOTP code used once already, accepts a recovery code once, and says the same for every failure', async () => {
    const person = await enrolledPerson();
    const { secret, recoveryCodes, enrolledAt } = await signedIn(person.email);
    const agent = new PersonAgent(services.gateway.url);
    const unknown = await agent.request<{ detail: string }>('POST', '/auth/sign-in', {
      email: `nobody-${randomUUID()}@uklb.example`,
      password,
    });
    const wrong = await agent.request<{ detail: string }>('POST', '/auth/sign-in', {
      email: person.email,
      password: 'not the password at all',
    });
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(wrong.body.detail).toBe(unknown.body.detail);

    expect((await agent.request('POST', '/auth/sign-in', { email: person.email, password })).body).toEqual({
      next: 'second-factor',
    });
    // The code of the step enrolment used: refused as a replay.
    const replay = await agent.request('POST', '/auth/second-factor', {
      code: await generate({ secret, epoch: enrolledAt }),
    });
    expect(replay.status).toBe(401);
    const recovered = await agent.request('POST', '/auth/second-factor', { code: recoveryCodes[0] });
    expect(recovered.status).toBe(200);

    const later = new PersonAgent(services.gateway.url);
    await later.request('POST', '/auth/sign-in', { email: person.email, password });
    expect((await later.request('POST', '/auth/second-factor', { code: recoveryCodes[0] })).status).toBe(401);
    const entries = await auditOf(person.id, ['person.recovery-code-used', 'person.sign-in-failed']);
    expect(entries.filter((e) => e.action === 'person.sign-in-failed').map((e) => e.detail)).toEqual(
      expect.arrayContaining(['wrong-password', 'wrong-code']),
    );
  });

  it('locks an account after five failures, even against the right password, and audits the lockout', async () => {
    const person = await enrolledPerson();
    const agent = new PersonAgent(services.gateway.url);
    for (let i = 0; i < 5; i += 1)
      expect(
        (await agent.request('POST', '/auth/sign-in', { email: person.email, password: `wrong guess number ${i}` }))
          .status,
      ).toBe(401);
    expect((await agent.request('POST', '/auth/sign-in', { email: person.email, password })).status).toBe(401);
    const entries = await auditOf(person.id, ['person.locked-out', ...Array<string>(6).fill('person.sign-in-failed')]);
    expect(entries.filter((e) => e.action === 'person.sign-in-failed').map((e) => e.detail)).toEqual(
      expect.arrayContaining(['wrong-password', 'locked']),
    );
  });

  it('changes nothing without the CSRF token and the console origin, and ends sessions on sign-out and disabling', async () => {
    const person = await enrolledPerson();
    const { agent } = await signedIn(person.email);
    expect((await agent.request('POST', '/auth/sign-out', {})).status).toBe(403);
    expect(
      (
        await agent.request(
          'POST',
          '/auth/sign-out',
          {},
          { 'x-csrf-token': agent.csrfToken, origin: 'https://evil.example' },
        )
      ).status,
    ).toBe(403);
    const forged = await agent.request('POST', '/auth/sign-out', {}, { 'x-csrf-token': 'x'.repeat(43) });
    expect(forged.status).toBe(403);
    const someoneElse = await signedIn((await enrolledPerson()).email);
    const theirToken = await agent.request(
      'POST',
      '/auth/sign-out',
      {},
      { 'x-csrf-token': someoneElse.agent.csrfToken },
    );
    expect(theirToken.status).toBe(403);
    const kept = [...agent.cookies];
    expect((await agent.send('/auth/sign-out')).status).toBe(303);
    expect((await agent.request('GET', '/auth/session')).status).toBe(401);
    // The old cookie, replayed after sign-out, is worth nothing.
    for (const [name, value] of kept) agent.cookies.set(name, value);
    expect((await agent.request('GET', '/auth/session')).status).toBe(401);
  });

  it('refuses a forged cookie, and ends an idle session with its expiry audited once', async () => {
    const forged = new PersonAgent(services.gateway.url);
    forged.cookies.set('liaison-session', 'A'.repeat(43));
    expect((await forged.request('GET', '/auth/session')).status).toBe(401);
    forged.cookies.set('liaison-session', 'not even shaped like one');
    expect((await forged.request('GET', '/auth/session')).status).toBe(401);

    const person = await enrolledPerson();
    const { agent } = await signedIn(person.email);
    // Sixteen minutes pass without a request: the record is aged as time would age it.
    const redis = new Redis(process.env.REDIS_URL!);
    try {
      const hash = createHash('sha256').update(agent.cookies.get('liaison-session')!).digest('hex');
      const key = `liaison:${process.env.KAFKA_NAMESPACE}session:${hash}`;
      const session = JSON.parse((await redis.get(key))!) as { lastSeenAt: number; createdAt: number };
      session.lastSeenAt -= 16 * 60_000;
      session.createdAt -= 16 * 60_000;
      await redis.set(key, JSON.stringify(session), 'KEEPTTL');
      // As every writer of a session must, the change is announced, so the gateway forgets what it remembered.
      await redis.publish(`liaison:${process.env.KAFKA_NAMESPACE}sessions-changed`, hash);
    } finally {
      redis.disconnect();
    }
    expect((await agent.request('GET', '/auth/session')).status).toBe(401);
    expect((await agent.request('GET', '/auth/session')).status).toBe(401);
    const entries = await auditOf(person.id, ['person.session-expired']);
    expect(entries.filter((e) => e.action === 'person.session-expired').map((e) => e.detail)).toEqual(['idle']);
  });

  it("answers a person of one agency asking for another agency's person as if they did not exist", async () => {
    const theirs = await otherAdmin.post<Invited>('/v1/people', {
      email: `ro-${randomUUID()}@ro.example`,
      name: 'Ioana Popescu',
      role: 'officer',
    });
    const person = await enrolledPerson('admin');
    const { agent } = await signedIn(person.email);
    const session = await agent.request<{ person: string; agency: string; role: 'admin' }>('GET', '/auth/session');
    const people = services.gateway.app.get(PeopleUseCase);
    const asPerson = {
      type: 'person' as const,
      id: session.body.person,
      agency: session.body.agency,
      role: session.body.role,
    };
    await expect(people.ofAgency(theirs.body.id, asPerson)).rejects.toMatchObject({ code: 'not-found' });
    await expect(people.ofAgency(person.id, asPerson)).resolves.toMatchObject({ id: person.id });
  });

  it('ends a disabled person’s sessions at once, and a changed role’s', async () => {
    const person = await enrolledPerson();
    const { agent } = await signedIn(person.email);
    expect((await admin.request('PATCH', `/v1/people/${person.id}`, { json: { role: 'supervisor' } })).status).toBe(
      200,
    );
    expect((await agent.request('GET', '/auth/session')).status).toBe(401);

    const other = await enrolledPerson();
    const signed = await signedIn(other.email);
    expect((await admin.post(`/v1/people/${other.id}/disable`, {})).body).toMatchObject({ status: 'disabled' });
    expect((await signed.agent.request('GET', '/auth/session')).status).toBe(401);
    const again = await new PersonAgent(services.gateway.url).request('POST', '/auth/sign-in', {
      email: other.email,
      password,
    });
    expect(again.status).toBe(401);
  });
});
