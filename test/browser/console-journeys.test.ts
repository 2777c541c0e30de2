import { waitFor, type ApiClient } from '@liaison/testing';
import { randomInt, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { accessibilityViolations, launchBrowser, pageProblems, screenshot } from '../support/browser';
import { isolatedEnvironment } from '../support/isolated-environment';
import { personSignedIn } from '../support/people';
import { issueKey, startServices, type RunningServices } from '../support/services';

type Accepted = { id: string; caseReference: string };

/**
 * The console's journeys across agencies, each agency in its own browser context: a bureau officer composes by
 * keyboard alone with a person, a phone and a vehicle and the recipient reads it, replies, and the sender sees
 * it opened and answered; both owners release a hit and the cases link; a JIT meeting recorded by one member
 * shows to the others; a supervisor reviews overdue cases, keeping one and erasing another, and holds and
 * restricts a case; a data-protection officer searches what the agency holds. axe-core checks every page state
 * on the way.
 */
describe('console journeys in a browser', () => {
  let isolated: Awaited<ReturnType<typeof isolatedEnvironment>>;
  let services: RunningServices;
  let browser: Browser;
  const admins: Record<string, ApiClient> = {};
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    // A database and topics of its own: a case erased at review keeps its counts in the reports while its rows
    // go, which the reports' suite, reconciling the run's database with its figures, would read as a miscount.
    isolated = await isolatedEnvironment('journeys');
    services = await startServices(isolated.env);
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
    await isolated?.drop();
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

  /** A case West Midlands sent to Romania, its last activity four years ago: overdue for review. */
  async function overdueCase(): Promise<{ officer: ApiClient; sent: Accepted }> {
    const officer = await issueKey(services, 'GB-WMP', 'officer');
    const sent = (
      await officer.post<Accepted>('/v1/messages', {
        type: 'information',
        recipients: ['RO-ENU'],
        subject: 'Old intelligence',
        body: 'From an earlier operation.',
      })
    ).body;
    await waitFor(async () => (await officer.get(`/v1/messages/${sent.id}`)).status === 200, { what: 'routed' });
    const db = services.gateway.app.get(DataSource);
    await db.query(`UPDATE cases SET opened_at = now() - interval '4 years' WHERE reference = $1`, [
      sent.caseReference,
    ]);
    await db.query(`UPDATE messages SET routed_at = now() - interval '4 years' WHERE case_reference = $1`, [
      sent.caseReference,
    ]);
    return { officer, sent };
  }

  /** A supervisor of West Midlands, from the console's home to the case's review form by keyboard alone. */
  async function reviewFormOf(reference: string): Promise<Page> {
    const page = await signedInPage('GB-WMP', 'supervisor', 'Sam Okafor');
    await page.goto(`${services.gateway.url}/console`);
    await tabUntil(page, 'a[href="/console/reviews"]');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/console\/reviews$/);
    expect(await page.locator('main').textContent()).toContain('Overdue');
    expect(await accessibilityViolations(page)).toEqual([]);
    await tabUntil(page, `a[href="/console/reviews/${reference}"]`);
    await page.keyboard.press('Enter');
    await page.waitForURL(new RegExp(`/console/reviews/${reference}$`));
    expect(await accessibilityViolations(page)).toEqual([]);
    return page;
  }

  it('reviews an overdue case by keyboard alone: the error is named, then the case is kept with a reason and a date', async () => {
    const { sent } = await overdueCase();
    const page = await reviewFormOf(sent.caseReference);
    // Sent with no decision: the summary names the question, and the page stays usable.
    await tabUntil(page, 'main button.govuk-button');
    await page.keyboard.press('Enter');
    await page.waitForSelector('.govuk-error-summary');
    expect(await page.title()).toMatch(/^Error: /);
    expect(await page.locator('.govuk-error-summary').textContent()).toContain(
      'Choose whether to keep, close or erase',
    );
    expect(await accessibilityViolations(page)).toEqual([]);
    // Keep it: the reason and date are revealed by the choice, and typed.
    await tabUntil(page, 'input[name="decision"][value="extend"]');
    await page.keyboard.press('Space');
    await tabUntil(page, '#reason');
    await page.keyboard.type('Trial listed for next year; evidence still needed');
    const next = new Date(Date.now() + 200 * 86_400_000);
    await tabUntil(page, '#until-day');
    await page.keyboard.type(String(next.getUTCDate()));
    await page.keyboard.press('Tab');
    await page.keyboard.type(String(next.getUTCMonth() + 1));
    await page.keyboard.press('Tab');
    await page.keyboard.type(String(next.getUTCFullYear()));
    await tabUntil(page, 'main button.govuk-button');
    await page.keyboard.press('Enter');
    await page.waitForURL(/decided=/);
    expect(await page.locator('.govuk-notification-banner').textContent()).toContain(sent.caseReference);
    expect(await page.locator(`a[href="/console/reviews/${sent.caseReference}"]`).count()).toBe(0);
    expect(await accessibilityViolations(page)).toEqual([]);

    // The case's data protection: a legal hold placed, then processing restricted and the restriction lifted.
    await page.goto(`${services.gateway.url}/console/cases/${sent.caseReference}?tab=protection`);
    expect(await accessibilityViolations(page)).toEqual([]);
    await tabUntil(page, '#hold-reason');
    await page.keyboard.type('Crown Court order T20267001');
    await page.keyboard.press('Enter');
    await page.waitForURL(/done=hold/);
    expect(await page.locator('.govuk-notification-banner').textContent()).toContain('The legal hold is in place');
    expect(await page.locator('main').textContent()).toContain('cannot be erased');
    await tabUntil(page, '#restrict-reason');
    await page.keyboard.type('Accuracy contested by the data subject');
    await page.keyboard.press('Enter');
    await page.waitForURL(/done=restrict/);
    expect(await accessibilityViolations(page)).toEqual([]);
    await tabUntil(page, 'form:has(input[value="lift"]) button');
    await page.keyboard.press('Enter');
    await page.waitForURL(/done=lift/);
    expect(await page.locator('.govuk-notification-banner').textContent()).toContain('The restriction is lifted');
  });

  it('erases an overdue case by keyboard alone: the ground is asked for, then the case is gone for both sides', async () => {
    const { officer, sent } = await overdueCase();
    const page = await reviewFormOf(sent.caseReference);
    // A radio group is one stop of the Tab key; the arrow keys move from "Keep it" through "Close it" to "Erase it".
    await tabUntil(page, 'input[name="decision"]');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    expect(await page.locator('input[name="decision"][value="erase"]').isChecked()).toBe(true);
    await tabUntil(page, 'main button.govuk-button');
    await page.keyboard.press('Enter');
    await page.waitForSelector('.govuk-error-summary');
    expect(await page.locator('.govuk-error-summary').textContent()).toContain('Choose the ground the erasure follows');
    expect(await page.locator('input[name="decision"][value="erase"]').isChecked()).toBe(true);
    expect(await accessibilityViolations(page)).toEqual([]);
    await tabUntil(page, 'input[name="ground"]');
    expect(await page.evaluate<string | undefined>('document.activeElement?.value')).toBe('no-longer-needed');
    await page.keyboard.press('Space');
    await tabUntil(page, 'main button.govuk-button');
    await page.keyboard.press('Enter');
    await page.waitForURL(/decided=/);
    expect(await page.locator('.govuk-notification-banner').textContent()).toContain(sent.caseReference);
    expect(await accessibilityViolations(page)).toEqual([]);
    // Gone from the owner's queue and case, and from the recipient's.
    expect(await page.locator(`a[href="/console/reviews/${sent.caseReference}"]`).count()).toBe(0);
    await waitFor(async () => (await officer.get(`/v1/messages/${sent.id}`)).status === 404, { what: 'erased' });
    const ro = await issueKey(services, 'RO-ENU', 'officer');
    await waitFor(async () => (await ro.get(`/v1/messages/${sent.id}`)).status === 404, { what: 'erased for RO' });
    await page.goto(`${services.gateway.url}/console/cases/${sent.caseReference}`);
    expect(await page.locator('main').textContent()).not.toContain('Old intelligence');
  });

  it('finds what the agency holds on a number by keyboard alone, and downloads it as a PDF', async () => {
    const wmp = await issueKey(services, 'GB-WMP', 'officer');
    const digits = `72${randomInt(1_000_000, 9_999_999)}`;
    const sent = (
      await wmp.post<{ id: string; caseReference: string }>('/v1/messages', {
        type: 'request',
        recipients: ['RO-ENU'],
        subject: 'Subscriber check',
        body: 'Please check.',
        entities: [{ ref: 't1', type: 'phone', number: `+40 ${digits}` }],
      })
    ).body;
    await waitFor(async () => (await wmp.get(`/v1/messages/${sent.id}`)).status === 200, { what: 'routed' });
    const page = await signedInPage('GB-WMP', 'data-protection-officer', 'Priya Shah');
    await page.goto(`${services.gateway.url}/console`);
    await tabUntil(page, 'a[href="/console/subject-access"]');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/console\/subject-access$/);
    expect(await accessibilityViolations(page)).toEqual([]);
    // A radio group is one stop of the Tab key; the arrow keys choose within it.
    await tabUntil(page, 'input[name="kind"][value="person"]');
    await page.keyboard.press('ArrowDown');
    expect(await page.locator('input[name="kind"][value="identifier"]').isChecked()).toBe(true);
    await tabUntil(page, '#identifierType');
    await page.selectOption('#identifierType', 'phone'); // a select is chosen from the keyboard by its value
    await tabUntil(page, '#value');
    await page.keyboard.type(`+40 ${digits}`);
    await tabUntil(page, 'main button.govuk-button:not(.govuk-button--secondary)');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#found');
    expect(await page.locator('#found').textContent()).toContain('1 message in 1 case');
    expect(await page.locator('main').textContent()).toContain(sent.caseReference);
    expect(await accessibilityViolations(page)).toEqual([]);
    await tabUntil(page, 'main button.govuk-button--secondary');
    const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
    expect(download.suggestedFilename()).toMatch(/^subject-access-[0-9a-f-]{36}\.pdf$/);
  });
});
