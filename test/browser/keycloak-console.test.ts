import type { ApiClient } from '@liaison/testing';
import { generate, stringToBytes } from 'otplib';
import { randomUUID } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { accessibilityViolations, launchBrowser } from '../support/browser';
import { KEYCLOAK_ISSUER, keycloakPersonInvited } from '../support/keycloak';
import { issueKey, startServices, type RunningServices } from '../support/services';

/**
 * A person signs in to the console in Chromium through the real Keycloak the project runs: the e-mail address
 * on Liaison's page, Keycloak's login page, setting up the authenticator app at the first sign-in, the one-time
 * code, the console; then signs out of both.
 */
describe('signing in to the console through Keycloak, in a browser', () => {
  let services: RunningServices;
  let browser: Browser;
  let admin: ApiClient;
  const run = randomUUID().slice(0, 8);
  const username = `kcb-${run}`;
  const email = `${username}@keycloak.example`;
  const password = `keycloak ${randomUUID()}`;

  beforeAll(async () => {
    services = await startServices();
    browser = await launchBrowser();
    admin = await issueKey(services, 'ES-ENU', 'admin');
    await keycloakPersonInvited(services.gateway.url, admin, { username, email, password, name: 'Lucía Moreno' });
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await services?.stop();
  });

  it('signs in with Keycloak and an authenticator app, lands in the console, and signs out of both', async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${services.gateway.url}/console/inbox`);
    await page.waitForURL(/\/auth\/sign-in$/);
    await page.fill('#email', email);
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.href.startsWith(`${KEYCLOAK_ISSUER}/`));
    await page.fill('#username', username);
    await page.fill('#password', password);
    await page.keyboard.press('Enter');
    // First sign-in: Keycloak has the person set up an authenticator app.
    await page.locator('#kc-totp-settings-form').waitFor();
    const key = await page.locator('input[name="totpSecret"]').getAttribute('value');
    expect(key).toBeTruthy();
    const secret = stringToBytes(key!);
    const now = Math.floor(Date.now() / 1000);
    await page.fill('#totp', await generate({ secret, epoch: now }));
    await page.fill('#userLabel', 'phone');
    await page.locator('#kc-totp-settings-form [type="submit"]').first().click();
    // That token names only the password, so Liaison asks Keycloak once more: the password, then the code.
    await page.locator('#kc-form-login').waitFor();
    await page.fill('#password', password);
    await page.keyboard.press('Enter');
    await page.locator('#kc-otp-login-form').waitFor();
    await page.fill('#otp', await generate({ secret, epoch: now + 30 }));
    await page.keyboard.press('Enter');
    // Back in Liaison, on the page first asked for.
    await page.waitForURL(`${services.gateway.url}/console/inbox`);
    expect(await page.locator('.app-identity__person').textContent()).toContain('Lucía Moreno');
    expect(await accessibilityViolations(page)).toEqual([]);
    const cookies = await page.context().cookies(services.gateway.url);
    expect(cookies.find((c) => c.name === 'liaison-session')).toMatchObject({ httpOnly: true, sameSite: 'Lax' });

    await page.getByRole('button', { name: 'Sign out' }).first().click();
    await page.waitForURL(`${services.gateway.url}/auth/signed-out`);
    expect(await page.locator('h1').textContent()).toBe('You have signed out');
    // Keycloak's session ended too: signing in again asks for the password.
    await page.goto(`${services.gateway.url}/auth/oidc?email=${encodeURIComponent(email)}`);
    await page.locator('#kc-form-login').waitFor();
  });
});
