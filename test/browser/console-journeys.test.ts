import { waitFor, type ApiClient } from '@liaison/testing';
import { randomInt, randomUUID } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { accessibilityViolations, launchBrowser, pageProblems, screenshot } from '../support/browser';
import { personSignedIn } from '../support/people';
import { issueKey, startServices, type RunningServices } from '../support/services';

type Accepted = { id: string; caseReference: string };

/**
 * The console's journeys across agencies, each agency in its own browser context: a bureau officer composes by
 * keyboard alone with a person, a phone and a vehicle and the recipient reads it, replies, and the sender sees
 * it opened and answered; both owners release a hit and the cases link; a JIT meeting recorded by one member
 * shows to the others. axe-core checks every page state on the way.
 */
describe('console journeys in a browser', () => {
  let services: RunningServices;
  let browser: Browser;
  const admins: Record<string, ApiClient> = {};
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    services = await startServices();
    browser = await launchBrowser();
    for (const agency of ['GB-NCA-UKLB', 'RO-ENU', 'GB-WMP', 'GB-NCA'])
      admins[agency] = await issueKey(services, agency, 'admin');
  }, 120_000);

  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((context) => context.close()));
  });

  afterAll(async () => {
    await browser?.close();
    await services?.stop();
  });

  /** A page in a new browser context, signed in as a new person of the agency with the role. */
  async function signedInPage(agency: string, role: string, name: string): Promise<Page> {
    const { agent } = await personSignedIn(services.gateway.url, admins[agency], role, name);
    const context = await browser.newContext();
    contexts.push(context);
    const url = new URL(services.gateway.url);
    await context.addCookies(
      [...agent.cookies].map(([cookie, value]) => ({ name: cookie, value, domain: url.hostname, path: '/' })),
    );
    return context.newPage();
  }

  async function tabUntil(page: Page, selector: string, limit = 400): Promise<void> {
    for (let presses = 0; presses < limit; presses += 1) {
      if (await page.evaluate<boolean>(`document.activeElement?.matches(${JSON.stringify(selector)}) ?? false`)) return;
      await page.keyboard.press('Tab');
    }
    throw new Error(`Tab never reached ${selector}`);
  }

  it('composes by keyboard alone with a person, a phone and a vehicle; the recipient reads and replies; the sender sees it', async () => {
    const marker = randomUUID().slice(0, 8);
    const bureau = await signedInPage('GB-NCA-UKLB', 'officer', 'Sam Okafor');
    const problems = pageProblems(bureau);
    await bureau.goto(`${services.gateway.url}/console/compose`);
    expect(await accessibilityViolations(bureau)).toEqual([]);

    // The recipient, found through the search box.
    await tabUntil(bureau, '#recipient-search');
    await bureau.keyboard.type('RO-ENU');
    await tabUntil(bureau, 'input[name="recipients"][value="RO-ENU"]');
    await bureau.keyboard.press('Space');
    await tabUntil(bureau, '#subject');
    await bureau.keyboard.type(`Car wash workers ${marker}`);
    await tabUntil(bureau, '#body');
    await bureau.keyboard.type('Please check these against your holdings.');
    // Three entities, each added with the select and its button, then filled in.
    for (const [type, fill] of [
      [
        'person',
        {
          givenNames: 'Ion',
          familyName: 'VASILE',
          'dateOfBirth-day': '2',
          'dateOfBirth-month': '4',
          'dateOfBirth-year': '1988',
        },
      ],
      ['phone', { number: '+40 721 234 567', country: 'RO' }],
      ['vehicle', { plate: 'B 123 ABC', country: 'RO' }],
    ] as const) {
      await tabUntil(bureau, '#entityType');
      await bureau.selectOption('#entityType', type); // a select is chosen from the keyboard by its value
      const index = await bureau.locator('.app-entity').count();
      await tabUntil(bureau, 'button[value="add-entity"]');
      await bureau.keyboard.press('Enter');
      // (A locator, not waitForFunction: that evaluates a string in the page, which the policy forbids.)
      await bureau.locator('.app-entity').nth(index).waitFor();
      for (const [field, text] of Object.entries(fill)) {
        await tabUntil(bureau, `#entity-${index}-${field}`);
        await bureau.keyboard.type(text);
      }
    }
    // A file, uploaded by the script with its progress shown; choosing it is the browser's own dialog.
    await bureau.setInputFiles('#upload', {
      name: 'statement.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from(`Witness statement ${marker}`),
    });
    await bureau.getByText('statement.txt is attached.').waitFor();
    expect(await bureau.locator('[data-attachment-list] li').textContent()).toContain('statement.txt');
    expect(await accessibilityViolations(bureau)).toEqual([]);
    await screenshot(bureau, 'compose');
    await tabUntil(bureau, 'button[value="continue"]:not(.govuk-visually-hidden)');
    await bureau.keyboard.press('Enter');
    await bureau.waitForURL(/\/check$/);
    expect(await bureau.locator('h1').textContent()).toBe('Check your message before sending it');
    expect(await accessibilityViolations(bureau)).toEqual([]);
    await tabUntil(bureau, 'main form button');
    await bureau.keyboard.press('Enter');
    await bureau.waitForURL(/\/console\/sent\?/);
    const caseReference = new URL(bureau.url()).searchParams.get('case')!;
    expect(await bureau.locator('.govuk-panel').textContent()).toContain(caseReference);
    expect(await accessibilityViolations(bureau)).toEqual([]);

    // Romania reads it in its inbox, and replies.
    const romania = await signedInPage('RO-ENU', 'officer', 'Ioana Popescu');
    await waitFor(
      async () => {
        await romania.goto(`${services.gateway.url}/console/inbox`);
        return (await romania.getByRole('link', { name: `Car wash workers ${marker}` }).count()) > 0 || undefined;
      },
      { what: 'the message in Romania’s inbox' },
    );
    await screenshot(romania, 'inbox');
    await romania.getByRole('link', { name: `Car wash workers ${marker}` }).click();
    expect(await romania.locator('main').textContent()).toContain('B 123 ABC');
    expect(await romania.locator('main').textContent()).toContain('statement.txt');
    await romania.getByRole('button', { name: 'Reply' }).click();
    await romania.waitForURL(/\/console\/compose\?reply=/);
    await romania.fill('#body', 'The phone is registered to a car wash in Constanța.');
    await romania.getByRole('button', { name: 'Continue' }).last().click();
    await romania.waitForURL(/\/check$/);
    await romania.getByRole('button', { name: 'Send message' }).click();
    await romania.waitForURL(/\/console\/sent\?/);

    // The bureau sees Romania's receipt: opened, then answered, and the reply in the thread.
    await waitFor(
      async () => {
        await bureau.goto(`${services.gateway.url}/console/cases/${caseReference}`);
        return (await bureau.locator('.moj-timeline__item').count()) === 2 || undefined;
      },
      { what: 'the reply in the bureau’s thread' },
    );
    expect(await bureau.locator('.moj-timeline__item').first().textContent()).toMatch(/Answered/);
    await screenshot(bureau, 'case');
    expect(await accessibilityViolations(bureau)).toEqual([]);
    expect(problems).toEqual([]);
  });

  it('lets both owners release a hit in their own browsers, and the cases link', async () => {
    const digits = `72${randomInt(1_000_000, 9_999_999)}`;
    const wmpKey = await issueKey(services, 'GB-WMP', 'officer');
    const roKey = await issueKey(services, 'RO-ENU', 'officer');
    const wmpCase = (
      await wmpKey.post<Accepted>('/v1/messages', {
        recipients: ['NL-ENU'],
        subject: 'Controller of workers',
        body: 'Subscriber check.',
        entities: [{ ref: 'ph1', type: 'phone', number: `+40 ${digits}` }],
      })
    ).body;
    const roCase = (
      await roKey.post<Accepted>('/v1/messages', {
        recipients: ['FR-ENU'],
        subject: 'Recruiter',
        body: `The recruiter answers on 0${digits}.`,
      })
    ).body;
    const matchOf = (client: ApiClient, own: string) =>
      waitFor(
        async () =>
          (await client.get<{ items?: { id: string; ownCase: string }[] }>('/v1/matches')).body.items?.find(
            (m) => m.ownCase === own,
          ),
        { what: `the match on ${own}` },
      );
    const [wmpMatch, roMatch] = await Promise.all([
      matchOf(wmpKey, wmpCase.caseReference),
      matchOf(roKey, roCase.caseReference),
    ]);
    const wmp = await signedInPage('GB-WMP', 'supervisor', 'Dana Whitfield');
    const ro = await signedInPage('RO-ENU', 'supervisor', 'Mihai Ionescu');
    for (const [page, id] of [
      [wmp, wmpMatch.id],
      [ro, roMatch.id],
    ] as const) {
      await page.goto(`${services.gateway.url}/console/matches/${id}`);
      expect(await accessibilityViolations(page)).toEqual([]);
      if (page === wmp) await screenshot(page, 'hit-decision');
      await page.getByRole('button', { name: 'Record the decision' }).click();
      expect(await page.title()).toMatch(/^Error: /);
      expect(await page.evaluate<string>('document.activeElement?.className ?? ""')).toContain('govuk-error-summary');
      expect(await accessibilityViolations(page)).toEqual([]);
      await page.getByLabel('Release our details').check();
      await page.getByLabel('It is the same investigation').check();
      await page.getByRole('button', { name: 'Record the decision' }).click();
      await page.waitForURL(/decided=release$/);
    }
    await waitFor(
      async () => {
        await wmp.goto(`${services.gateway.url}/console/matches/${wmpMatch.id}`);
        return (await wmp.locator('main').textContent())?.includes(roCase.caseReference) || undefined;
      },
      { what: 'the linked match at West Midlands' },
    );
    expect(await wmp.locator('main').textContent()).toContain('Linked');
  });

  it('shows a meeting recorded by one member of a JIT to the others', async () => {
    const nca = await issueKey(services, 'GB-NCA', 'officer');
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    const jit = (
      await nca.post<{ id: string }>('/v1/jits', {
        name: `JIT ${randomUUID().slice(0, 6)}`,
        parties: [
          { country: 'GB', agencies: ['GB-NCA'] },
          { country: 'RO', agencies: ['RO-ENU'] },
        ],
        startsOn: day(-10),
        endsOn: day(200),
        eurojust: true,
        europol: false,
      })
    ).body;
    const uk = await signedInPage('GB-NCA', 'officer', 'Alex Morgan');
    await uk.goto(`${services.gateway.url}/console/jits/${jit.id}`);
    expect(await accessibilityViolations(uk)).toEqual([]);
    await uk.getByRole('button', { name: 'Record the meeting' }).click();
    expect(await uk.title()).toMatch(/^Error: /);
    expect(await accessibilityViolations(uk)).toEqual([]);
    const held = day(-1).split('-');
    await uk.fill('#heldOn-day', held[2]);
    await uk.fill('#heldOn-month', held[1]);
    await uk.fill('#heldOn-year', held[0]);
    await uk.fill('#place', 'Eurojust, The Hague');
    await uk.locator('input[name="participants"][value="RO-ENU"]').check();
    await uk.locator('input[name="participants"][value="GB-NCA"]').check();
    await uk.locator('input[name="fundedBy"][value="eurojust"]').check();
    await uk.getByRole('button', { name: 'Record the meeting' }).click();
    await uk.waitForURL(/recorded=1/);
    const ro = await signedInPage('RO-ENU', 'officer', 'Elena Radu');
    await ro.goto(`${services.gateway.url}/console/jits/${jit.id}`);
    expect(await ro.locator('#meetings + table').textContent()).toContain('Eurojust, The Hague');
  });
});
