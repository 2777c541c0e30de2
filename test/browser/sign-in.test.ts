import { ApiClient } from '@liaison/testing';
import { generate } from 'otplib';
import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { startGateway, type Gateway } from '../../apps/gateway/src';
import { accessibilityViolations, launchBrowser, pageProblems } from '../support/browser';
import { PersonAgent } from '../support/browser-session';

/**
 * A person enrols and signs in with a local account in Chromium, by keyboard alone: the one-time link, the
 * password (refused first, with an error summary), setting up the authenticator app from the key on the page,
 * the recovery codes, the signed-in page and signing out; every page passes axe-core's WCAG 2.2 AA rules, and
 * after signing out the back button shows nothing of the session.
 */
describe('signing in with a browser', () => {
  let gateway: Gateway;
  let browser: Browser;
  const adminKey = `test-admin-key-${process.env.LIAISON_TEST_RUN}-browser-signin`;

  beforeAll(async () => {
    gateway = await startGateway({ ...process.env, PORT: '0', LIAISON_ADMIN_KEY: adminKey });
    browser = await launchBrowser();
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await gateway?.app.close();
  });

  /** Presses Tab until the element with this id has focus (as a keyboard user would), then returns. */
  async function tabTo(page: Page, id: string): Promise<void> {
    for (let presses = 0; presses < 25; presses += 1) {
      if ((await page.evaluate<string>("document.activeElement?.id ?? ''")) === id) return;
      await page.keyboard.press('Tab');
    }
    throw new Error(`Tab never reached #${id}`);
  }

  it('enrols and signs in by keyboard alone, every page accessible, and signing out leaves nothing behind', async () => {
    const email = `browser-${randomUUID()}@nca.example`;
    const invited = await new ApiClient(gateway.url, adminKey).post<{ enrolmentLink: string }>('/v1/people', {
      email,
      name: 'Priya Nair',
      role: 'supervisor',
    });
    expect(invited.status).toBe(201);
    const page = await (await browser.newContext()).newPage();
    const problems = pageProblems(page);

    await page.goto(invited.body.enrolmentLink);
    expect(await page.locator('h1').textContent()).toBe('Choose your password');
    expect(await accessibilityViolations(page)).toEqual([]);
    await tabTo(page, 'password');
    await page.keyboard.type('qwerty123456');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/auth\/enrol$/);
    expect(await page.title()).toMatch(/^Error: /);
    expect(await page.locator('[role=alert] a[href="#password"]').textContent()).toMatch(/commonly used/);
    expect(await accessibilityViolations(page)).toEqual([]);

    await tabTo(page, 'password');
    await page.keyboard.type('a long and unusual passphrase');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/auth\/continue/);
    expect(await page.locator('h1').textContent()).toBe('Enter your password');
    expect(await accessibilityViolations(page)).toEqual([]);
    await tabTo(page, 'password');
    await page.keyboard.type('a long and unusual passphrase');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/auth\/sign-in$/);

    expect(await page.locator('h1').textContent()).toBe('Set up your authenticator app');
    expect(await page.locator('figure svg').count()).toBe(1);
    expect(await accessibilityViolations(page)).toEqual([]);
    const key = ((await page.locator('code').textContent()) ?? '').replace(/\s/g, '');
    await tabTo(page, 'code');
    await page.keyboard.type(await generate({ secret: key }));
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/auth\/enrol-second-factor$/);
    expect(await page.locator('h1').textContent()).toBe('Keep your recovery codes');
    expect(await page.locator('li code').count()).toBe(10);
    expect(await accessibilityViolations(page)).toEqual([]);

    const cookies = await page.context().cookies();
    const session = cookies.find((cookie) => cookie.name === 'liaison-session');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });

    await page.getByRole('link', { name: 'Continue to Liaison' }).focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/console$/);
    expect(await page.locator('.app-identity__person').textContent()).toMatch(/Supervisor,[^(]+\(GB-NCA\)/);
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Sign out' }).focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/auth\/signed-out$/);
    expect(await page.locator('h1').textContent()).toBe('You have signed out');

    await page.goBack();
    await page.waitForLoadState();
    expect(await page.content()).not.toContain('Signed in as');
    // The refused password (400), the favicon (404) and the page after sign-out (401) answer as they should;
    // nothing else may fail, and nothing may break the content security policy.
    expect(problems.filter((problem) => !/status of (400|401|404)/.test(problem))).toEqual([]);
  });

  it('locks the account after five wrong codes, so that the right one is refused too', async () => {
    const email = `lockout-${randomUUID()}@nca.example`;
    const api = new ApiClient(gateway.url, adminKey);
    const invited = await api.post<{ id: string; enrolmentLink: string }>('/v1/people', {
      email,
      name: 'Ana Ilie',
      role: 'officer',
      signIn: 'local',
    });
    const password = 'a long and unusual lockout passphrase';
    const token = new URL(invited.body.enrolmentLink).searchParams.get('token');
    const setup = new PersonAgent(gateway.url);
    expect((await setup.request('POST', '/auth/enrol', { token, password })).status).toBe(204);
    const first = await setup.request<{ enrolment: { key: string } }>('POST', '/auth/sign-in', { email, password });
    const secret = first.body.enrolment.key;
    const enrolledAt = Math.floor(Date.now() / 1000);
    expect(
      (
        await setup.request('POST', '/auth/enrol-second-factor', {
          code: await generate({ secret, epoch: enrolledAt }),
        })
      ).status,
    ).toBe(200);

    const page = await (await browser.newContext()).newPage();
    await page.goto(`${gateway.url}/auth/sign-in`);
    await page.fill('#email', email);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/auth\/continue/);
    await page.fill('#password', password);
    await page.keyboard.press('Enter');
    await page.locator('#code').waitFor();
    for (let attempt = 0; attempt < 5; attempt += 1) {
      await page.fill('#code', '000000');
      await page.keyboard.press('Enter');
      await page.locator('[role=alert]').waitFor();
      expect(await page.title()).toMatch(/^Error: /);
    }
    expect(await accessibilityViolations(page)).toEqual([]);
    // The right code, after five wrong ones, is refused as they were: the account is locked.
    await page.fill('#code', await generate({ secret, epoch: enrolledAt + 30 }));
    await page.keyboard.press('Enter');
    await page.waitForLoadState();
    expect(page.url()).not.toMatch(/\/console/);
    expect(await page.locator('[role=alert]').textContent()).toMatch(/not right|cannot sign in now/);
    // (The lockout's audit entry is checked with the tracker running, in test/e2e/people.test.ts.)
  });
});
