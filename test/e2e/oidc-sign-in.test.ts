import type { ApiClient } from '@liaison/testing';
import { waitFor } from '@liaison/testing';
import { PersonAgent } from '../support/browser-session';
import { startTestProvider, type TestProvider } from '../support/oidc-provider';
import { issueKey, startServices, type RunningServices } from '../support/services';

interface AuditPage {
  items: { action: string; principalType: string; principalId: string; detail: string; agency: string }[];
}

/**
 * Sign-in through an agency's own OpenID provider (a real one, oidc-provider, in a process of its own):
 * authorization code with PKCE, state and nonce; `(iss, sub)` bound to the invited person; a token without a
 * second factor, from a person not invited or tampered with on its way back is refused with a page that says
 * why; sign-out ends the provider's session too; a step-up asks the provider again.
 */
describe('sign-in through an identity provider', () => {
  let services: RunningServices;
  let wmpAdmin: ApiClient;
  let provider: TestProvider;
  let other: TestProvider;
  let aliceId: string;
  const secret = 'test-client-secret-0123456789';

  beforeAll(async () => {
    services = await startServices();
    const client = (gateway: string) => ({
      client_id: 'liaison-gateway',
      client_secret: secret,
      redirect_uris: [`${gateway}/auth/callback`],
      post_logout_redirect_uris: [`${gateway}/auth/signed-out`],
    });
    provider = await startTestProvider({
      clients: [client(services.gateway.url)],
      accounts: {
        alice: { email: 'alice@wmp.example', email_verified: true, name: 'Alice Ward' },
        bob: { email: 'bob@wmp.example', email_verified: true },
        mallory: { email: 'dana@wmp.example', email_verified: false },
      },
    });
    other = await startTestProvider({
      clients: [client(services.gateway.url)],
      accounts: { alice: { email: 'alice@wmp.example', email_verified: true } },
    });
    wmpAdmin = await issueKey(services, 'GB-WMP', 'admin');
    const set = await wmpAdmin.request('PUT', '/v1/identity-provider', {
      json: {
        issuer: provider.issuer,
        clientId: 'liaison-gateway',
        clientSecret: secret,
        emailDomains: ['wmp.example'],
      },
    });
    expect(set.status).toBe(200);
    const roAdmin = await issueKey(services, 'RO-ENU', 'admin');
    await roAdmin.request('PUT', '/v1/identity-provider', {
      json: { issuer: other.issuer, clientId: 'liaison-gateway', clientSecret: secret, emailDomains: ['ro.example'] },
    });
    const alice = await wmpAdmin.post<{ id: string; signIn: string; enrolmentLink: string | null }>('/v1/people', {
      email: 'alice@wmp.example',
      name: 'Alice Ward',
      role: 'supervisor',
    });
    expect(alice.body).toMatchObject({ signIn: 'identity-provider', enrolmentLink: null });
    aliceId = alice.body.id;
    await wmpAdmin.post('/v1/people', { email: 'dana@wmp.example', name: 'Dana', role: 'officer' });
  }, 90_000);

  afterAll(async () => {
    await services?.stop();
    await provider?.stop();
    await other?.stop();
  });

  /** Answers the provider's interaction as `login`, with the methods given. */
  const as =
    (login: string, amr: string, tamper: (url: URL) => void = () => undefined) =>
    (url: URL): URL => {
      if (url.pathname.startsWith('/interaction/')) {
        url.searchParams.set('login', login);
        url.searchParams.set('amr', amr);
      }
      tamper(url);
      return url;
    };

  const failures = (detail: string) =>
    waitFor(
      async () => {
        const page = await services.api
          .as(services.adminKey)
          .get<AuditPage>('/v1/audit?action=person.sign-in-failed&limit=100');
        return page.body.items.some((e) => e.detail === detail) || undefined;
      },
      { what: `a failed sign-in audited as ${detail}` },
    );

  it('signs in the invited person, found from their address, with a second factor', async () => {
    const agent = new PersonAgent(services.gateway.url);
    const done = await agent.follow('/auth/oidc?email=alice%40wmp.example', as('alice', 'pwd,otp'));
    expect(done.visited.some((url) => url.startsWith(provider.issuer))).toBe(true);
    expect(new URL(done.url).pathname).toBe('/console');
    expect(done.status).toBe(200);
    expect(done.body).toMatch(/Supervisor, [^<]+ \(GB-WMP\)/);
    const session = await agent.request('GET', '/auth/session');
    expect(session.body).toMatchObject({
      person: aliceId,
      agency: 'GB-WMP',
      role: 'supervisor',
      via: 'identity-provider',
    });
    // The authorization request carried PKCE, state and nonce.
    const authorization = new URL(done.visited.find((url) => url.startsWith(`${provider.issuer}/auth?`))!);
    for (const parameter of ['code_challenge', 'state', 'nonce'])
      expect(authorization.searchParams.get(parameter)).toBeTruthy();
    expect(authorization.searchParams.get('code_challenge_method')).toBe('S256');
    await waitFor(
      async () => {
        const page = await services.api.as(services.adminKey).get<AuditPage>(`/v1/audit?principalId=${aliceId}`);
        return (
          page.body.items.some((e) => e.action === 'person.signed-in' && e.detail === 'identity-provider') || undefined
        );
      },
      { what: 'the sign-in audited' },
    );
  });

  it('asks once more when a sign-in shows no second factor, then refuses with a page that says so', async () => {
    const agent = new PersonAgent(services.gateway.url);
    const done = await agent.follow('/auth/oidc?agency=GB-WMP', as('alice', 'pwd'));
    const asked = done.visited.filter((url) => url.startsWith(`${provider.issuer}/auth?`)).map((url) => new URL(url));
    expect(asked).toHaveLength(2);
    expect(asked[1].searchParams.get('prompt')).toBe('login');
    expect(done.status).toBe(403);
    expect(done.body).toContain('You need to use a second factor');
    expect(agent.cookies.has('liaison-session')).toBe(false);
    await failures('identity-provider no-second-factor');
  });

  it('signs in when the second time the provider is asked it shows a second factor', async () => {
    const agent = new PersonAgent(services.gateway.url);
    let interactions = 0;
    const done = await agent.follow('/auth/oidc?agency=GB-WMP', (url) => {
      if (url.pathname.startsWith('/interaction/')) interactions += 1;
      return as('alice', interactions > 1 ? 'pwd,otp' : 'pwd')(url);
    });
    expect(interactions).toBe(2);
    expect(new URL(done.url).pathname).toBe('/console');
  });

  it('refuses a person the agency did not invite, or whose address the provider has not verified', async () => {
    for (const login of ['bob', 'mallory']) {
      const agent = new PersonAgent(services.gateway.url);
      const done = await agent.follow('/auth/oidc?email=bob%40wmp.example', as(login, 'pwd,otp'));
      expect(done.status).toBe(403);
      expect(done.body).toContain('You do not have a Liaison account');
      expect(agent.cookies.has('liaison-session')).toBe(false);
    }
    await failures('identity-provider not-invited');
  });

  it('refuses an answer with a wrong state or nonce, and one that comes back to another browser', async () => {
    const wrongState = await new PersonAgent(services.gateway.url).follow(
      '/auth/oidc?email=alice%40wmp.example',
      as('alice', 'pwd,otp', (url) => url.pathname === '/auth/callback' && url.searchParams.set('state', 'forged')),
    );
    expect(wrongState.status).toBe(403);
    expect(wrongState.body).toContain('could not be trusted');

    const wrongNonce = await new PersonAgent(services.gateway.url).follow(
      '/auth/oidc?email=alice%40wmp.example',
      as('alice', 'pwd,otp', (url) => url.pathname === '/auth' && url.searchParams.set('nonce', 'forged-nonce')),
    );
    expect(wrongNonce.status).toBe(403);

    // The browser that started has the round trip's cookie; another browser given the callback has not.
    const starter = new PersonAgent(services.gateway.url);
    let callback = '';
    await starter.follow(
      '/auth/oidc?email=alice%40wmp.example',
      as('alice', 'pwd,otp', (url) => {
        if (url.pathname === '/auth/callback') {
          callback = url.href;
          url.pathname = '/auth/signed-out';
        }
      }),
    );
    const thief = await new PersonAgent(services.gateway.url).follow(callback);
    expect(thief.status).toBe(403);
    expect(thief.body).toContain('took too long');
    await failures('identity-provider invalid-response');
  });

  it("refuses a token from an issuer the person's agency does not use", async () => {
    const agent = new PersonAgent(services.gateway.url);
    const done = await agent.follow('/auth/oidc?agency=RO-ENU', as('alice', 'pwd,otp'));
    expect(done.status).toBe(403);
    expect(agent.cookies.has('liaison-session')).toBe(false);
  });

  it('steps up through the provider (a new session id), and signs out of the provider too', async () => {
    const agent = new PersonAgent(services.gateway.url);
    await agent.follow('/auth/oidc?email=alice%40wmp.example', as('alice', 'pwd,otp'));
    const before = agent.cookies.get('liaison-session')!;
    const stepped = await agent.follow('/auth/oidc/step-up', as('alice', 'pwd,otp'));
    expect(stepped.status).toBe(200);
    const asked = new URL(stepped.visited.find((url) => url.startsWith(`${provider.issuer}/auth?`))!);
    expect(asked.searchParams.get('max_age')).toBe('0');
    const after = agent.cookies.get('liaison-session')!;
    expect(after).not.toBe(before);
    const session = await agent.request<{ csrfToken: string }>('GET', '/auth/session');
    agent.csrfToken = session.body.csrfToken;

    const out = await agent.send('/auth/sign-out');
    expect(out.status).toBe(303);
    const location = new URL(out.headers.get('location')!);
    expect(`${location.origin}${location.pathname}`).toBe(`${provider.issuer}/session/end`);
    expect(location.searchParams.get('id_token_hint')).toBeTruthy();
    expect(location.searchParams.get('post_logout_redirect_uri')).toBe(`${services.gateway.url}/auth/signed-out`);
    expect((await agent.request('GET', '/auth/session')).status).toBe(401);
  });
});
