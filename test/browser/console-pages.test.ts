import { ENTITY_TYPES } from '@liaison/domain';
import { waitFor, type ApiClient } from '@liaison/testing';
import { randomUUID } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { accessibilityViolations, launchBrowser, pageProblems, screenshot } from '../support/browser';
import { personSignedIn } from '../support/people';
import { issueKey, startServices, type RunningServices } from '../support/services';

type Accepted = { id: string; caseReference: string };

/**
 * Every page of every role in Chromium: axe-core's WCAG 2.2 AA rules find nothing, each has one h1 and a title,
 * and none breaks the content security policy or throws.
 */
describe('every console page in a browser', () => {
  let services: RunningServices;
  let browser: Browser;
  let admin: ApiClient;
  let sent: Accepted;

  beforeAll(async () => {
    services = await startServices();
    browser = await launchBrowser();
    admin = await issueKey(services, 'GB-NCA-UKLB', 'admin');
    const ro = await issueKey(services, 'RO-ENU', 'officer');
    sent = (
      await ro.post<Accepted>('/v1/messages', {
        type: 'request',
        recipients: ['GB-NCA-UKLB'],
        handling: { code: 'H2' },
        subject: `Pages ${randomUUID().slice(0, 8)}`,
        body: 'For the page sweep',
        entities: [{ ref: 'p1', type: 'person', names: ['Ion', 'VASILE'], dateOfBirth: '1988-04-02' }],
      })
    ).body;
    const uk = await issueKey(services, 'GB-NCA-UKLB', 'officer');
    await waitFor(async () => (await uk.get(`/v1/messages/${sent.id}`)).status === 200, { what: 'the message' });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await services?.stop();
  });

  const PAGES: Record<string, () => string[]> = {
    supervisor: () => [
      '/console',
      '/console/inbox?state=delivered&sort=deadline',
      '/console/outbox',
      '/console/cases',
      `/console/cases/${sent.caseReference}?tab=entities`,
      `/console/cases/${sent.caseReference}?tab=forwards`,
      `/console/cases/${sent.caseReference}?tab=history`,
      `/console/messages/${sent.id}`,
      `/console/compose?reply=${sent.id}`,
      '/console/drafts',
      '/console/matches',
      '/console/permissions',
      '/console/reviews',
      '/console/jits',
      '/console/confirm?next=/console',
    ],
    'programme-lead': () => ['/console', '/console/reports', '/console/reports?from=2026-13'],
    admin: () => [
      '/console/people',
      '/console/people/invite',
      '/console/audit',
      '/console/api-keys',
      '/console/webhooks',
      '/console/agencies',
      '/console/match-keys',
    ],
    'data-protection-officer': () => ['/console/audit', '/console/subject-access'],
  };

  for (const role of Object.keys(PAGES))
    it(`passes axe-core on every page of a ${role}`, async () => {
      const { agent } = await personSignedIn(services.gateway.url, admin, role);
      const context = await browser.newContext();
      const url = new URL(services.gateway.url);
      await context.addCookies(
        [...agent.cookies].map(([name, value]) => ({ name, value, domain: url.hostname, path: '/' })),
      );
      const page = await context.newPage();
      const problems = pageProblems(page);
      for (const path of PAGES[role]()) {
        const answer = await page.goto(`${services.gateway.url}${path}`);
        expect({ path, ok: (answer?.status() ?? 0) < 500 }).toEqual({ path, ok: true });
        expect({ path, h1: await page.locator('h1').count() }).toEqual({ path, h1: 1 });
        expect({ path, violations: await accessibilityViolations(page) }).toEqual({ path, violations: [] });
        if (path === '/console/reports') await screenshot(page, 'report');
      }
      // The report's refused period (400) answers as it should; nothing else may fail or break the policy.
      expect(problems.filter((problem) => !/status of 400/.test(problem))).toEqual([]);
      await context.close();
    }, 240_000); // up to fifteen pages, each loaded and checked by axe-core

  it('passes axe-core on a draft holding an entity of every type, the add-another expanded', async () => {
    const { agent } = await personSignedIn(services.gateway.url, admin, 'officer');
    const context = await browser.newContext();
    const url = new URL(services.gateway.url);
    await context.addCookies(
      [...agent.cookies].map(([name, value]) => ({ name, value, domain: url.hostname, path: '/' })),
    );
    const page = await context.newPage();
    await page.goto(`${services.gateway.url}/console/compose`);
    for (const [index, type] of ENTITY_TYPES.entries()) {
      await page.selectOption('#entityType', type);
      await page.click('button[value="add-entity"]');
      await page.locator(`#entity-${index}`).waitFor();
    }
    expect(await page.locator('.app-entity').count()).toBe(ENTITY_TYPES.length);
    expect(await page.locator('textarea#entity-' + ENTITY_TYPES.indexOf('identity-document') + '-mrz').count()).toBe(1);
    expect(await accessibilityViolations(page)).toEqual([]);
    await context.close();
  });
});
