import { ApiClient } from '@liaison/testing';
import { generate } from 'otplib';
import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { startGateway, type Gateway } from '../../apps/gateway/src';
import { accessibilityViolations, launchBrowser, pageProblems } from '../support/browser';

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
});
