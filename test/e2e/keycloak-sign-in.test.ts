import type { ApiClient } from '@liaison/testing';
import { generate, stringToBytes } from 'otplib';
import { randomUUID } from 'node:crypto';
import { PersonAgent } from '../support/browser-session';
import { KEYCLOAK_ISSUER, keycloakPersonInvited } from '../support/keycloak';
import { issueKey, startServices, type RunningServices } from '../support/services';

/**
 * A person signs in through the real Keycloak the project runs (deploy/local/keycloak.sh): its login page, the
 * authenticator app it has them set up at the first sign-in, and its one-time code; Liaison starts a session
 * only once the token shows the code was given, and signing out ends the Keycloak session too.
 */
describe('sign-in through the embedded Keycloak', () => {
  let services: RunningServices;
  let admin: ApiClient;
  const run = randomUUID().slice(0, 8);
  const username = `kc-${run}`;
  const email = `${username}@keycloak.example`;
  const password = `keycloak ${randomUUID()}`;

  beforeAll(async () => {
    services = await startServices();
    admin = await issueKey(services, 'ES-ENU', 'admin');
    await keycloakPersonInvited(services.gateway.url, admin, { username, email, password, name: 'Test Person' });
  }, 600_000);

  afterAll(async () => {
    await services?.stop();
  });

  it('signs in with password and TOTP set up at the first sign-in, and signs out of Keycloak too', async () => {
    const agent = new PersonAgent(services.gateway.url);
    const login = await agent.follow(`/auth/oidc?email=${encodeURIComponent(email)}`);
    expect(login.url.startsWith(`${KEYCLOAK_ISSUER}/`)).toBe(true);
    expect(login.status).toBe(200);

    // First sign-in: Keycloak has the person set up an authenticator app, showing the key.
    const setup = await agent.submit(login, 'kc-form-login', { username, password });
    const key = /name="totpSecret" value="([^"]+)"/.exec(setup.body)?.[1];
    expect(key).toBeTruthy();
    const secret = stringToBytes(key!);
    const now = Math.floor(Date.now() / 1000);
    const back = await agent.submit(setup, 'kc-totp-settings-form', {
      totp: await generate({ secret, epoch: now }),
      userLabel: 'phone',
    });
    // Keycloak's token for that sign-in names only the password, so Liaison asks once more: the login page again,
    // then the code (of the next time step: Keycloak refuses a code twice).
    expect(back.url.startsWith(`${KEYCLOAK_ISSUER}/`)).toBe(true);
    const again = await agent.submit(back, 'kc-form-login', { username, password });
    const signedIn = await agent.submit(again, 'kc-otp-login-form', {
      otp: await generate({ secret, epoch: now + 30 }),
    });
    expect(new URL(signedIn.url).pathname).toBe('/console');
    expect(signedIn.status).toBe(200);
    const session = await agent.request<{ csrfToken: string; via: string; agency: string }>('GET', '/auth/session');
    expect(session.body).toMatchObject({ via: 'identity-provider', agency: 'ES-ENU' });

    agent.csrfToken = session.body.csrfToken;
    const out = await agent.send('/auth/sign-out');
    expect(out.status).toBe(303);
    const logout = new URL(out.headers.get('location')!);
    expect(logout.href.startsWith(`${KEYCLOAK_ISSUER}/protocol/openid-connect/logout`)).toBe(true);
    const ended = await agent.follow(logout.href);
    expect(ended.url).toBe(`${services.gateway.url}/auth/signed-out`);
    expect(ended.body).toContain('You have signed out');
    // Keycloak's own session is gone: signing in again asks for the password.
    const fresh = await agent.follow(`/auth/oidc?email=${encodeURIComponent(email)}`);
    expect(fresh.body).toContain('kc-form-login');
  });
});
