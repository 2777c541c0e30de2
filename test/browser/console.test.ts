import { waitFor, type ApiClient } from '@liaison/testing';
import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { accessibilityViolations, launchBrowser, pageProblems } from '../support/browser';
import { personSignedIn } from '../support/people';
import { issueKey, startServices, type RunningServices } from '../support/services';

type Accepted = { id: string; caseReference: string };

/**
 * The console in Chromium: every page state passes axe-core's WCAG 2.2 AA rules (a filter applied, the 404
 * page, the timeout warning open), the inbox is worked by keyboard alone, a page reflows at 320 px, what a
 * partner wrote is shown as text, and the scripts stay within their budget.
 */
describe('the console in a browser', () => {
  let services: RunningServices;
  let browser: Browser;
  let romania: ApiClient;
  let sent: Accepted;
  const marker = randomUUID().slice(0, 8);

  beforeAll(async () => {
    services = await startServices();
    browser = await launchBrowser();
    romania = await issueKey(services, 'RO-ENU', 'admin');
    const uk = await issueKey(services, 'GB-NCA-UKLB', 'officer');
    sent = (
      await uk.post<Accepted>('/v1/messages', {
        type: 'request',
        priority: 'urgent',
        handling: { code: 'H1' },
        recipients: ['RO-ENU'],
        subject: `<img src=x onerror=alert(1)> ${marker}`,
        body: `Please check the subscriber <script>alert(2)</script> ${marker}`,
      })
    ).body;
    const ro = await issueKey(services, 'RO-ENU', 'officer');
    await waitFor(async () => (await ro.get(`/v1/messages/${sent.id}`)).status === 200, { what: 'the message' });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await services?.stop();
  });

  /** A browser context holding the session of a person who signed in through the gateway. */
  async function signedInContext(role = 'officer', { withoutScripts = false } = {}): Promise<BrowserContext> {
    const { agent } = await personSignedIn(services.gateway.url, romania, role, 'Ioana Popescu');
    const context = await browser.newContext();
    // The console as a browser without JavaScript has it: none of its scripts load (axe-core still can run).
    if (withoutScripts) await context.route('**/console/assets/*.js', (route) => route.abort());
    const url = new URL(services.gateway.url);
    await context.addCookies(
      [...agent.cookies].map(([name, value]) => ({ name, value, domain: url.hostname, path: '/', httpOnly: true })),
    );
    return context;
  }

  async function tabUntil(page: Page, selector: string, limit = 60): Promise<void> {
    for (let presses = 0; presses < limit; presses += 1) {
      if (await page.evaluate<boolean>(`document.activeElement?.matches(${JSON.stringify(selector)}) ?? false`)) return;
      await page.keyboard.press('Tab');
    }
    throw new Error(`Tab never reached ${selector}`);
  }

  /** Chooses "Urgent" in the inbox's priority filter and applies it, by keyboard. */
  async function filterUrgentByKeyboard(page: Page): Promise<void> {
    await tabUntil(page, '#filter-priority');
    await page.keyboard.press('ArrowDown'); // Urgent (8 hours)
    await page.keyboard.press('ArrowDown'); // Urgent
    await tabUntil(page, 'button.govuk-button');
    await page.keyboard.press('Enter');
    await page.waitForURL(/priority=urgent(&|$)/);
  }

  it('works the inbox by keyboard alone: filter, open a message, go to its case; every page accessible', async () => {
    const context = await signedInContext();
    const page = await context.newPage();
    const problems = pageProblems(page);
    let alerted = false;
    page.on('dialog', (dialog) => {
      alerted = true;
      void dialog.dismiss();
    });
    await page.goto(`${services.gateway.url}/console/inbox`);
    expect(await page.locator('h1').textContent()).toBe('Inbox');
    expect(await accessibilityViolations(page)).toEqual([]);

    await filterUrgentByKeyboard(page);
    expect(await page.locator('caption').textContent()).toContain('filtered');
    expect(await accessibilityViolations(page)).toEqual([]);

    await tabUntil(page, `a[href="/console/messages/${sent.id}"]`);
    await page.keyboard.press('Enter');
    await page.waitForURL(new RegExp(`/console/messages/${sent.id}$`));
    expect(await page.locator('.app-message-body').textContent()).toContain('<script>alert(2)</script>');
    expect(await page.locator('h1').textContent()).toContain('<img src=x onerror=alert(1)>');
    expect(await accessibilityViolations(page)).toEqual([]);

    await tabUntil(page, `main a[href="/console/cases/${sent.caseReference}"]`);
    await page.keyboard.press('Enter');
    await page.waitForURL(new RegExp(`/console/cases/${sent.caseReference}$`));
    expect(await page.locator('.moj-timeline__item').count()).toBeGreaterThan(0);
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(alerted).toBe(false);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('sorts the inbox by a column heading, on the server, by keyboard; filters keep the order', async () => {
    const uk = await issueKey(services, 'GB-NCA-UKLB', 'officer');
    const normal = (await uk.post<Accepted>('/v1/messages', { recipients: ['RO-ENU'], subject: 'Routine', body: 'x' }))
      .body;
    const ro = await issueKey(services, 'RO-ENU', 'officer');
    await waitFor(async () => (await ro.get(`/v1/messages/${normal.id}`)).status === 200, { what: 'the message' });
    const context = await signedInContext();
    const page = await context.newPage();
    await page.goto(`${services.gateway.url}/console/inbox`);
    const heading = page.locator('th', { hasText: 'Priority and handling' });
    expect(await heading.getAttribute('aria-sort')).toBe('none');
    expect(await page.locator('th', { hasText: 'Received' }).getAttribute('aria-sort')).toBe('descending');

    await tabUntil(page, 'th a[href*="sort=priority"]');
    await page.keyboard.press('Enter');
    await page.waitForURL(/sort=priority&order=desc/);
    expect(await heading.getAttribute('aria-sort')).toBe('descending');
    const RANK: Record<string, number> = { Normal: 1, Urgent: 2, 'Urgent (8 hours)': 3 };
    const ranks = async () =>
      (await page.locator('tbody tr td:nth-child(3)').allInnerTexts()).map((text) => RANK[text.split('\n')[0].trim()]);
    const descending = await ranks();
    expect(new Set(descending).size).toBeGreaterThan(1);
    expect(descending).toEqual([...descending].sort((a, b) => b - a));
    expect(await accessibilityViolations(page)).toEqual([]);

    await tabUntil(page, 'th a[href*="sort=priority"]');
    await page.keyboard.press('Enter');
    await page.waitForURL(/sort=priority&order=asc/);
    expect(await heading.getAttribute('aria-sort')).toBe('ascending');
    const ascending = await ranks();
    expect(ascending).toEqual([...ascending].sort((a, b) => a - b));

    await filterUrgentByKeyboard(page);
    expect(page.url()).toContain('order=asc');
    expect(await heading.getAttribute('aria-sort')).toBe('ascending');
    expect(await accessibilityViolations(page)).toEqual([]);
    await context.close();
  });

  it("attaches a file without the console's scripts, by keyboard, keeping what was typed; errors and all accessible", async () => {
    const context = await signedInContext('officer', { withoutScripts: true });
    const page = await context.newPage();
    await page.goto(`${services.gateway.url}/console/compose`);
    // Without the script, every agency's checkbox is on the page (the search box narrows them with it).
    await tabUntil(page, '#subject', 400);
    await page.keyboard.type('Bank statements attached');
    await tabUntil(page, 'button[value="save"]');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/console\/drafts\/[0-9a-f-]{36}\?saved=1/);
    expect(await page.locator('[data-upload-button]').isVisible()).toBe(true);

    // Attaching with no file chosen: an error, linked to the field, what was typed kept.
    await tabUntil(page, 'button[data-upload-button]', 400);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/upload$/);
    expect(await page.title()).toMatch(/^Error: /);
    expect(await page.locator('.govuk-error-summary a[href="#upload"]').textContent()).toBe('Choose a file to attach');
    expect(await page.inputValue('#subject')).toBe('Bank statements attached');
    expect(await accessibilityViolations(page)).toEqual([]);

    // Choosing the file is the browser's own dialog; the rest is the keyboard.
    await page.setInputFiles('#upload', {
      name: 'statements.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('iban,amount\n'),
    });
    await tabUntil(page, 'button[data-upload-button]', 400);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\?attached=1#attachments$/);
    expect(await page.locator('.govuk-notification-banner').textContent()).toContain('statements.csv is attached');
    expect(await page.locator('[data-attachment-list]').textContent()).toContain('statements.csv');
    expect(await page.inputValue('#subject')).toBe('Bank statements attached');
    expect(await accessibilityViolations(page)).toEqual([]);
    await context.close();
  });

  it('shows a message that arrives while the inbox is open, without a reload, and says so', async () => {
    const context = await signedInContext();
    const page = await context.newPage();
    await page.goto(`${services.gateway.url}/console/inbox`);
    let reloaded = false;
    page.on('framenavigated', () => (reloaded = true));
    const subject = `Arrived while open ${randomUUID().slice(0, 8)}`;
    const uk = await issueKey(services, 'GB-NCA-UKLB', 'officer');
    expect((await uk.post('/v1/messages', { recipients: ['RO-ENU'], subject, body: 'Live' })).status).toBe(202);
    await page.getByRole('link', { name: subject }).waitFor({ timeout: 20_000 });
    expect(reloaded).toBe(false);
    expect(await page.locator('#results-announce').textContent()).toMatch(/new message/);
    expect(await accessibilityViolations(page)).toEqual([]);
    await context.close();
  });

  it('shows the 404 page, accessible, for a case of another agency', async () => {
    const { agent } = await personSignedIn(
      services.gateway.url,
      await issueKey(services, 'GB-WMP', 'admin'),
      'officer',
    );
    const context = await browser.newContext();
    const url = new URL(services.gateway.url);
    await context.addCookies(
      [...agent.cookies].map(([name, value]) => ({ name, value, domain: url.hostname, path: '/' })),
    );
    const page = await context.newPage();
    const answer = await page.goto(`${services.gateway.url}/console/cases/${sent.caseReference}`);
    expect(answer?.status()).toBe(404);
    expect(await page.locator('h1').textContent()).toBe('Page not found');
    expect(await page.content()).not.toContain(marker);
    expect(await accessibilityViolations(page)).toEqual([]);
    await context.close();
  });

  it('warns two minutes before the idle session ends, in an accessible dialog that keeps the session', async () => {
    const context = await signedInContext();
    const page = await context.newPage();
    await page.clock.install();
    await page.goto(`${services.gateway.url}/console`);
    await page.clock.fastForward('13:30');
    await page.locator('#timeout-dialog[open]').waitFor();
    expect(await page.evaluate<string>('document.activeElement?.textContent')).toBe('Stay signed in');
    expect(await accessibilityViolations(page)).toEqual([]);
    const stayed = page.waitForResponse((response) => response.url().endsWith('/console/stay'));
    await page.keyboard.press('Enter');
    expect((await stayed).status()).toBe(200);
    await page.locator('#timeout-dialog:not([open])').waitFor({ state: 'attached' });
    await context.close();
  });

  it('reflows at 320 CSS pixels without scrolling the page sideways', async () => {
    const context = await signedInContext();
    const page = await context.newPage();
    await page.setViewportSize({ width: 320, height: 640 });
    for (const path of ['/console/inbox', `/console/cases/${sent.caseReference}`, `/console/messages/${sent.id}`]) {
      await page.goto(`${services.gateway.url}${path}`);
      expect({ path, width: await page.evaluate<number>('document.documentElement.scrollWidth') }).toEqual({
        path,
        width: 320,
      });
    }
    await context.close();
  });

  it('ships under 50 kB of JavaScript (gzip) to a page', async () => {
    const context = await signedInContext();
    const page = await context.newPage();
    const scripts: Buffer[] = [];
    page.on('response', (response) => {
      if (response.request().resourceType() === 'script') void response.body().then((body) => scripts.push(body));
    });
    await page.goto(`${services.gateway.url}/console/inbox`, { waitUntil: 'networkidle' });
    expect(scripts.length).toBe(3);
    const gzipped = scripts.reduce((sum, body) => sum + gzipSync(body).length, 0);
    expect(gzipped).toBeLessThan(50 * 1024);
    await context.close();
  });
});
