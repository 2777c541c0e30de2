import type { Browser, Page } from 'playwright-core';
import { startGateway, type Gateway } from '../../apps/gateway/src';
import { accessibilityViolations, launchBrowser, pageProblems } from '../support/browser';

/**
 * The API description is a page people read: it must render under its content security policy (its own scripts
 * only, nothing inline), pass axe-core's WCAG 2.2 AA rules, and be usable by keyboard alone.
 */
describe('the API description in a browser', () => {
  let gateway: Gateway;
  let browser: Browser;

  beforeAll(async () => {
    gateway = await startGateway({ ...process.env, PORT: '0' });
    browser = await launchBrowser();
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await gateway?.app.close();
  });

  async function openDocs(): Promise<{ page: Page; problems: string[] }> {
    const page = await (await browser.newContext()).newPage();
    const problems = pageProblems(page);
    const response = await page.goto(`${gateway.url}/docs`);
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    await page.waitForSelector('.opblock');
    return { page, problems };
  }

  it('renders every operation under its content security policy, with no violation or script error', async () => {
    const { page, problems } = await openDocs();
    const documented = (await (await fetch(`${gateway.url}/docs-json`)).json()) as { paths: Record<string, object> };
    const operations = Object.values(documented.paths).reduce((sum, methods) => sum + Object.keys(methods).length, 0);
    expect(await page.locator('.opblock').count()).toBe(operations);
    expect(await page.title()).toBe('Liaison API');
    expect(problems).toEqual([]);
  });

  it('breaks no WCAG 2.2 AA rule that axe-core checks, closed or with an operation open', async () => {
    const { page } = await openDocs();
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.locator('.opblock-summary-control').first().click();
    await page.waitForSelector('.opblock.is-open .opblock-body');
    expect(await accessibilityViolations(page)).toEqual([]);
  }, 180_000); // axe-core over every operation of the API, twice

  it('opens an operation and tries it out by keyboard alone', async () => {
    const { page, problems } = await openDocs();
    // Tab until the first operation's button has focus, then open it with Enter.
    let focused = '';
    for (let presses = 0; presses < 30 && focused !== 'opblock-summary-control'; presses += 1) {
      await page.keyboard.press('Tab');
      focused = (await page.locator(':focus').getAttribute('class')) ?? '';
    }
    expect(focused).toBe('opblock-summary-control');
    await page.keyboard.press('Enter');
    const opened = page.locator('.opblock.is-open');
    await opened.waitFor();
    expect(await page.locator(':focus').getAttribute('aria-expanded')).toBe('true');
    // Within the open operation, "Try it out" is reached by Tab and pressed with Enter.
    focused = '';
    for (let presses = 0; presses < 10 && !focused.includes('try-out__btn'); presses += 1) {
      await page.keyboard.press('Tab');
      focused = (await page.locator(':focus').getAttribute('class')) ?? '';
    }
    expect(focused).toContain('try-out__btn');
    await page.keyboard.press('Enter');
    await opened.locator('.execute').waitFor();
    expect(problems).toEqual([]);
  });
});
