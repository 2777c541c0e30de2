import { waitFor, type ApiClient } from '@liaison/testing';
import { randomUUID } from 'node:crypto';
import { PersonAgent } from '../support/browser-session';
import { personSignedIn, signedIn as signedInAs } from '../support/people';
import { issueKey, startServices, type RunningServices } from '../support/services';

type Accepted = { id: string; caseReference: string };

/**
 * The console over HTTP: pages only with a session, each agency's things only to it (404 otherwise, never
 * 403), forms only with their CSRF token, content always escaped, and the same figures as the API.
 */
describe('the console', () => {
  let services: RunningServices;
  let ukAdmin: ApiClient;
  let roAdmin: ApiClient;
  let ukOfficerKey: ApiClient;
  let roOfficerKey: ApiClient;
  let sent: Accepted;
  const marker = randomUUID().slice(0, 8);

  beforeAll(async () => {
    services = await startServices();
    ukAdmin = await issueKey(services, 'GB-NCA-UKLB', 'admin');
    roAdmin = await issueKey(services, 'RO-ENU', 'admin');
    ukOfficerKey = await issueKey(services, 'GB-NCA-UKLB', 'officer');
    roOfficerKey = await issueKey(services, 'RO-ENU', 'officer');
    sent = (
      await ukOfficerKey.post<Accepted>('/v1/messages', {
        type: 'request',
        priority: 'urgent',
        recipients: ['RO-ENU'],
        subject: `<script>alert("${marker}")</script> request`,
        body: `Body ${marker} <b>not bold</b>`,
      })
    ).body;
    await waitFor(async () => (await roOfficerKey.get(`/v1/messages/${sent.id}`)).status === 200, {
      what: 'the message at Romania',
    });
  }, 120_000);

  afterAll(async () => {
    await services?.stop();
  });

  const page = async (agent: PersonAgent, path: string) =>
    agent.request<string>('GET', path, undefined, { accept: 'text/html' });

  it('sends a person without a session to sign in, and back to the page they asked for afterwards', async () => {
    const stranger = new PersonAgent(services.gateway.url);
    const asked = await page(stranger, `/console/cases/${sent.caseReference}`);
    expect(asked.status).toBe(303);
    expect(asked.headers.get('location')).toBe('/auth/sign-in');
    const next = stranger.cookies.get('liaison-next')!;
    expect(decodeURIComponent(next)).toBe(`/console/cases/${sent.caseReference}`);
    // An API key is not a session: the console does not take one.
    const withKey = await stranger.request('GET', '/console/inbox', undefined, {
      accept: 'text/html',
      authorization: `Bearer ${services.adminKey}`,
    });
    expect(withKey.status).toBe(303);

    const person = await personSignedIn(services.gateway.url, roAdmin, 'officer');
    person.agent.cookies.set('liaison-next', next);
    const landed = await person.agent.follow('/auth/signed-in');
    expect(new URL(landed.url).pathname).toBe(`/console/cases/${sent.caseReference}`);
    expect(landed.status).toBe(200);
  });

  it('shows the inbox with the message, its content escaped, its status in words and its deadline', async () => {
    const { agent } = await personSignedIn(services.gateway.url, roAdmin, 'officer', 'Ioana Popescu');
    const inbox = await page(agent, '/console/inbox');
    expect(inbox.status).toBe(200);
    expect(inbox.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(inbox.headers.get('cache-control')).toBe('no-store');
    expect(inbox.body).toContain(`&lt;script&gt;alert(&quot;${marker}&quot;)&lt;/script&gt; request`);
    expect(inbox.body).not.toContain(`<script>alert("${marker}")`);
    expect(inbox.body).toContain('Not opened');
    expect(inbox.body).toMatch(/due in 2 days/);
    expect(inbox.body).toContain('Ioana Popescu');
    expect(inbox.body.match(/<h1[\s>]/g)).toHaveLength(1);
    // Filters are the query string: a view can be bookmarked; a filter that matches nothing says so.
    const filtered = await page(
      agent,
      `/console/inbox?caseReference=${sent.caseReference}&priority=normal&handlingCode=&state=`,
    );
    expect(filtered.status).toBe(200);
    expect(filtered.body).not.toContain(marker);
    expect(filtered.body).toContain('No messages match these filters.');
    const bad = await page(agent, '/console/inbox?priority=whenever');
    expect(bad.status).toBe(400);
    expect(bad.body).toContain('priority must be one of');
  });

  it('opens a message (its read receipt then shows to the sender) and shows its case with the thread', async () => {
    const { agent } = await personSignedIn(services.gateway.url, roAdmin, 'officer');
    const opened = await page(agent, `/console/messages/${sent.id}`);
    expect(opened.status).toBe(200);
    expect(opened.body).toContain(`Body ${marker} &lt;b&gt;not bold&lt;/b&gt;`);
    await waitFor(
      async () =>
        (await ukOfficerKey.get<{ recipients: { state: string }[] }>(`/v1/messages/${sent.id}`)).body.recipients[0]
          .state === 'read' || undefined,
      { what: 'the read receipt' },
    );
    const sender = await personSignedIn(services.gateway.url, ukAdmin, 'officer');
    const thread = await page(sender.agent, `/console/cases/${sent.caseReference}`);
    expect(thread.status).toBe(200);
    expect(thread.body).toContain('Opened');
    expect(thread.body).toContain(`/console/messages/${sent.id}`);
    const outbox = await page(sender.agent, '/console/outbox');
    expect(outbox.body).toContain(`/console/messages/${sent.id}`);
  });

  it('answers a person of another agency asking for a case, a message or an unknown page with the 404 page', async () => {
    const { agent } = await personSignedIn(
      services.gateway.url,
      await issueKey(services, 'GB-WMP', 'admin'),
      'officer',
    );
    for (const path of [
      `/console/cases/${sent.caseReference}`,
      `/console/messages/${sent.id}`,
      `/console/messages/${randomUUID()}`,
      '/console/messages/not-an-id',
      '/console/cases/not-a-reference',
      '/console/no-such-page',
    ]) {
      const answer = await page(agent, path);
      expect({ path, status: answer.status }).toEqual({ path, status: 404 });
      expect(answer.body).toContain('Page not found');
      expect(answer.body).not.toContain(marker);
    }
    // A role without the section: the same 404, never a 403 that would say the page is there.
    const lead = await personSignedIn(services.gateway.url, ukAdmin, 'programme-lead');
    expect((await page(lead.agent, '/console/inbox')).status).toBe(404);
  });

  it('refuses a form without its CSRF token with 403, and signs out with it', async () => {
    const { agent } = await personSignedIn(services.gateway.url, ukAdmin, 'officer');
    const forged = await agent.request('POST', '/auth/sign-out', undefined, { accept: 'text/html' }, {});
    expect(forged.status).toBe(403);
    const stay = await agent.request<{ idleEndsInSeconds: number }>('POST', '/console/stay', undefined, {
      accept: 'application/json',
      'x-csrf-token': agent.csrfToken,
    });
    expect(stay.status).toBe(200);
    expect(stay.body.idleEndsInSeconds).toBeGreaterThan(15 * 60 - 20);
    expect(stay.body.idleEndsInSeconds).toBeLessThanOrEqual(15 * 60);
    const out = await agent.request(
      'POST',
      '/auth/sign-out',
      undefined,
      { accept: 'text/html' },
      { _csrf: agent.csrfToken },
    );
    expect(out.status).toBe(303);
    expect((await page(agent, '/console/inbox')).status).toBe(303);
  });

  it('gives the navigation’s counts to the script without keeping the session alive', async () => {
    const { agent } = await personSignedIn(services.gateway.url, roAdmin, 'supervisor');
    const counts = await agent.request<{ counts: Record<string, number> }>('GET', '/console/counts', undefined, {
      accept: 'application/json',
      'x-liaison-background': '1',
    });
    expect(counts.status).toBe(200);
    const api = await roOfficerKey.get<{ items: unknown[] }>('/v1/inbox?state=delivered&limit=100');
    expect(counts.body.counts.unread).toBe(api.body.items.length);
    expect(Object.keys(counts.body.counts).sort()).toEqual(['decisions', 'overdue', 'permissions', 'unread']);
  });

  it('answers a poll of the inbox with 304 while it is unchanged, and with the new message once it arrives', async () => {
    const { agent } = await personSignedIn(services.gateway.url, roAdmin, 'officer');
    const { agent: bulgarian } = await personSignedIn(
      services.gateway.url,
      await issueKey(services, 'BG-ENU', 'admin'),
      'officer',
    );
    const poll = (who: PersonAgent, etag?: string) =>
      who.request<string>('GET', '/console/inbox/results', undefined, {
        accept: 'text/html',
        'x-liaison-background': '1',
        ...(etag ? { 'if-none-match': etag } : {}),
      });
    const first = await poll(agent);
    expect(first.status).toBe(200);
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"[\w-]+"$/);
    const unchanged = await poll(agent, etag);
    expect(unchanged.status).toBe(304);
    expect(unchanged.body).toBe('');
    // Another agency asking the same view within the same moment gets its own list, never Romania's.
    const theirs = await poll(bulgarian);
    expect(theirs.headers.get('etag')).not.toBe(etag);
    expect(theirs.body).not.toContain(sent.id);

    const subject = `Arrives while polled ${randomUUID().slice(0, 8)}`;
    const arrived = await ukOfficerKey.post<Accepted>('/v1/messages', { recipients: ['RO-ENU'], subject, body: 'x' });
    const changed = await waitFor(
      async () => {
        const answer = await poll(agent, etag);
        return answer.status === 200 && answer.body.includes(arrived.body.id) ? answer : undefined;
      },
      { what: 'the new message in the poll' },
    );
    expect(changed.headers.get('etag')).not.toBe(etag);
    expect(changed.body).toContain(subject);
  });

  it('serves its assets with hashed names that browsers may keep', async () => {
    const stranger = new PersonAgent(services.gateway.url);
    const home = await page((await personSignedIn(services.gateway.url, ukAdmin, 'officer')).agent, '/console');
    const css = /href="(\/console\/assets\/console\.[0-9a-f]{12}\.css)"/.exec(home.body)![1];
    const js = /src="(\/console\/assets\/console\.[0-9a-f]{12}\.js)"/.exec(home.body)![1];
    for (const path of [css, js]) {
      const asset = await stranger.request('GET', path);
      expect(asset.status).toBe(200);
      expect(asset.headers.get('cache-control')).toContain('immutable');
    }
  });

  it('lets an agency write into and read a case it opened a moment ago, before the router has stored it', async () => {
    const bystander = await issueKey(services, 'GB-WMP', 'officer');
    for (let round = 0; round < 5; round += 1) {
      const first = await ukOfficerKey.post<Accepted>('/v1/messages', {
        recipients: ['RO-ENU'],
        subject: `Opening ${round}`,
        body: 'First message of a new case',
      });
      expect(first.status).toBe(202);
      const [followUp, read] = await Promise.all([
        ukOfficerKey.post<Accepted>('/v1/messages', {
          caseReference: first.body.caseReference,
          recipients: ['RO-ENU'],
          subject: `Follow-up ${round}`,
          body: 'Sent at once',
        }),
        ukOfficerKey.get<{ reference: string }>(`/v1/cases/${first.body.caseReference}`),
      ]);
      expect(followUp.status).toBe(202);
      expect(followUp.body.caseReference).toBe(first.body.caseReference);
      expect(read.status).toBe(200);
      // An agency outside the case is told nothing of it, whether or not the router has stored it.
      expect((await bystander.get(`/v1/cases/${first.body.caseReference}`)).status).toBe(404);
      expect(
        (
          await bystander.post('/v1/messages', {
            caseReference: first.body.caseReference,
            recipients: ['RO-ENU'],
            subject: 'Intruding',
            body: 'Not my case',
          })
        ).status,
      ).toBe(422);
      await waitFor(
        async () =>
          (await roOfficerKey.get<{ items: { subject: string }[] }>('/v1/inbox?limit=100')).body.items.some(
            (item) => item.subject === `Follow-up ${round}`,
          ) || undefined,
        { what: 'the follow-up at Romania' },
      );
    }
  });

  /** A form post as a browser sends it: the session's CSRF token among the fields. */
  const post = (agent: PersonAgent, path: string, fields: Record<string, string>) =>
    agent.request<string>('POST', path, undefined, { accept: 'text/html' }, { _csrf: agent.csrfToken, ...fields });

  it('attaches a file without JavaScript (the whole form, multipart), keeping what was typed, and refuses a forged one', async () => {
    const person = await personSignedIn(services.gateway.url, ukAdmin, 'officer');
    const started = await post(person.agent, '/console/compose', { subject: 'Before attaching', action: 'save' });
    const draftPath = started.headers.get('location')!.split('?')[0];
    const form = (fields: [string, string][], file?: { name: string; text: string }) => {
      const data = new FormData();
      for (const [name, value] of fields) data.append(name, value);
      data.append('file', file ? new Blob([file.text], { type: 'text/csv' }) : new Blob([]), file?.name ?? '');
      data.append('action', 'attach');
      return data;
    };
    const upload = (data: FormData) =>
      person.agent.request<string>('POST', `${draftPath}/upload`, undefined, { accept: 'text/html' }, data);
    const typed: [string, string][] = [
      ['recipients', 'RO-ENU'],
      ['subject', `Typed while attaching ${marker}`],
      ['body', 'Ledger attached.'],
    ];

    const attached = await upload(
      form([['_csrf', person.agent.csrfToken], ...typed], { name: 'ledger.csv', text: 'a,b\n1,2\n' }),
    );
    expect(attached.status).toBe(303);
    expect(attached.headers.get('location')).toBe(`${draftPath}?attached=1#attachments`);
    const shown = await page(person.agent, `${draftPath}?attached=1`);
    expect(shown.body).toContain('ledger.csv is attached, and your draft is saved.');
    expect(shown.body).toMatch(
      /<button[^>]*formaction="\/console\/drafts\/[0-9a-f-]{36}\/upload" formenctype="multipart\/form-data"/,
    );
    expect(shown.body).toContain(`value="Typed while attaching ${marker}"`);
    expect(shown.body).toMatch(/ledger\.csv <span class="govuk-body-s">\(8 bytes\)/);

    // No file chosen: an error linked to the file field, and what was typed is kept all the same.
    const empty = await upload(form([['_csrf', person.agent.csrfToken], ...typed.slice(0, 1), ['subject', 'Changed']]));
    expect(empty.status).toBe(400);
    expect(empty.body).toMatch(/<title>Error: /);
    expect(empty.body).toContain('<a href="#upload">Choose a file to attach</a>');
    expect(empty.body).toContain('value="Changed"');

    // Without the token first, or with another token: 403, and nothing is stored.
    const forged = await upload(form([...typed, ['_csrf', person.agent.csrfToken]], { name: 'x.csv', text: 'x' }));
    expect(forged.status).toBe(403);
    const wrong = await upload(form([['_csrf', 'a'.repeat(43)], ...typed], { name: 'y.csv', text: 'y' }));
    expect(wrong.status).toBe(403);
    const after = await page(person.agent, draftPath);
    expect(after.body).not.toContain('x.csv');
    expect(after.body).not.toContain('y.csv');
    expect(after.body).toContain('value="Changed"');

    // Multipart anywhere else is refused before the body is read, so before the person is known: the 404 page.
    const elsewhere = await person.agent.request(
      'POST',
      draftPath,
      undefined,
      { accept: 'text/html' },
      form([['_csrf', person.agent.csrfToken]]),
    );
    expect(elsewhere.status).toBe(404);
  });

  it('fills an identity document from a pasted machine-readable zone, and names the line of a bad one', async () => {
    const person = await personSignedIn(services.gateway.url, ukAdmin, 'officer');
    const message = {
      recipients: 'RO-ENU',
      type: 'information',
      priority: 'normal',
      handlingCode: 'H0',
      subject: `Passport ${marker}`,
      body: 'Passport copy.',
    };
    const started = await post(person.agent, '/console/compose', {
      ...message,
      entityType: 'identity-document',
      action: 'add-entity',
    });
    const draftPath = started.headers.get('location')!.split('#')[0];
    const zone = ['P<D<<MUSTERMANN<<ERIKA<<<<<<<<<<<<<<<<<<<<<<', 'C01X00T478D<<6408125F2702283<<<<<<<<<<<<<<<4'];
    const wrong = await post(person.agent, draftPath, {
      ...message,
      'entity-0-mrz': `${zone[0]}\n${zone[1].replace('C01X00T478', 'C01X00T479')}`,
      action: 'continue',
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body).toMatch(/<a href="#entity-0-mrz">[^<]*line 2/);
    const right = await post(person.agent, draftPath, {
      ...message,
      'entity-0-mrz': zone.join('\n'),
      action: 'continue',
    });
    expect(right.status).toBe(303);
    const sent = await post(person.agent, `${draftPath}/send`, {});
    const id = new URL(sent.headers.get('location')!, services.gateway.url).searchParams.get('message')!;
    const read = await waitFor(async () => {
      const answer = await ukOfficerKey.get<{ entities: Record<string, unknown>[] }>(`/v1/messages/${id}`);
      return answer.status === 200 ? answer.body : undefined;
    });
    expect(read.entities).toEqual([
      { ref: 'e1', type: 'identity-document', documentType: 'passport', issuingCountry: 'DE', number: 'C01X00T47' },
    ]);
  });

  it('composes with field errors, keeps the draft across sessions, checks the answers and sends', async () => {
    const person = await personSignedIn(services.gateway.url, ukAdmin, 'officer');
    const form = await page(person.agent, '/console/compose');
    expect(form.status).toBe(200);
    expect(form.body).toContain('If sent now, the answer is due by');
    // The first post makes the draft; an entity is added; errors come back with a summary linking to fields.
    const started = await post(person.agent, '/console/compose', {
      recipients: 'RO-ENU',
      type: 'request',
      priority: 'urgent',
      handlingCode: 'H0',
      subject: `Compose ${marker}`,
      body: '',
      entityType: 'phone',
      action: 'add-entity',
    });
    expect(started.status).toBe(303);
    const draftPath = started.headers.get('location')!.split('#')[0];
    expect(draftPath).toMatch(/^\/console\/drafts\/[0-9a-f-]{36}$/);
    const refused = await post(person.agent, draftPath, {
      recipients: 'RO-ENU',
      type: 'request',
      priority: 'urgent',
      handlingCode: 'H0',
      subject: `Compose ${marker}`,
      body: '',
      'entity-0-number': '12',
      action: 'continue',
    });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatch(/<title>Error: /);
    expect(refused.body).toContain('href="#body"');
    expect(refused.body).toContain('href="#entity-0-number"');

    // Signed in again (as after a timeout), the draft is still there with what was typed.
    const again = await personSignedIn(services.gateway.url, ukAdmin, 'officer');
    expect((await page(again.agent, draftPath)).status).toBe(404); // another person's draft
    const kept = await page(person.agent, draftPath);
    expect(kept.body).toContain(`value="Compose ${marker}"`);

    const fixed = await post(person.agent, draftPath, {
      recipients: 'RO-ENU',
      type: 'request',
      priority: 'urgent',
      handlingCode: 'H0',
      subject: `Compose ${marker}`,
      body: 'Who uses this number?',
      'entity-0-number': '+40 721 234 567',
      'entity-0-country': 'ro',
      action: 'continue',
    });
    expect(fixed.status).toBe(303);
    expect(fixed.headers.get('location')).toBe(`${draftPath}/check`);
    // A file attached as the console's script sends it: the raw body, with the session's CSRF token.
    const uploaded = await fetch(`${services.gateway.url}${draftPath}/attachments?name=statement.txt`, {
      method: 'POST',
      headers: {
        cookie: [...person.agent.cookies].map(([name, value]) => `${name}=${value}`).join('; '),
        origin: services.gateway.url,
        'x-csrf-token': person.agent.csrfToken,
        'content-type': 'application/octet-stream',
        accept: 'application/json',
      },
      body: `Witness statement ${marker}`,
    });
    expect(uploaded.status).toBe(201);
    const check = await page(person.agent, `${draftPath}/check`);
    expect(check.body).toContain('Phone number: +40 721 234 567, ro');
    expect(check.body).toContain('statement.txt');
    const sentPage = await post(person.agent, `${draftPath}/send`, {});
    expect(sentPage.status).toBe(303);
    const confirmation = new URL(sentPage.headers.get('location')!, services.gateway.url);
    const caseReference = confirmation.searchParams.get('case')!;
    expect((await page(person.agent, confirmation.pathname + confirmation.search)).body).toContain(caseReference);
    // The case opened a moment ago shows at once; the draft is gone.
    const thread = await page(person.agent, `/console/cases/${caseReference}`);
    expect(thread.status).toBe(200);
    expect(thread.body).toContain(`Compose ${marker}`);
    expect((await page(person.agent, draftPath)).status).toBe(404);
    const delivered = await waitFor(
      async () =>
        (await roOfficerKey.get<{ items: { id: string; subject: string }[] }>('/v1/inbox?limit=100')).body.items.find(
          (item) => item.subject === `Compose ${marker}`,
        ),
      { what: 'the composed message at Romania' },
    );
    const opened = await roOfficerKey.get<{
      entities: { type: string; number: string; country: string }[];
      attachments: { fileName: string }[];
    }>(`/v1/messages/${delivered.id}`);
    expect(opened.body.entities).toEqual([expect.objectContaining({ type: 'phone', country: 'RO' })]);
    expect(opened.body.attachments.map((a) => a.fileName)).toEqual(['statement.txt']);
  });

  it("gives a programme lead the API's figures: a chart, the same figures as a table, and the same CSV", async () => {
    const { agent } = await personSignedIn(services.gateway.url, ukAdmin, 'programme-lead');
    const leadKey = await issueKey(services, 'GB-NCA-UKLB', 'programme-lead');
    const year = new Date().toISOString().slice(0, 4);
    const query = `from=${year}&to=${year}&granularity=year&by=partner-country`;
    const report = await page(agent, `/console/reports?${query}`);
    expect(report.status).toBe(200);
    expect(report.body).toContain(`src="/console/reports/volumes.svg?${query.replace(/&/g, '&amp;')}"`);
    const chart = await agent.request<string>('GET', `/console/reports/volumes.svg?${query}`);
    expect(chart.headers.get('content-type')).toContain('image/svg+xml');
    const csv = await agent.request<string>('GET', `/console/reports/volumes.csv?${query}`);
    const api = await fetch(`${services.gateway.url}/v1/reports/volumes?${query}`, {
      headers: { authorization: `Bearer ${leadKey.key}`, accept: 'text/csv' },
    });
    expect(csv.body).toBe(await api.text());
    // Every figure of the CSV is in the page's table.
    for (const line of csv.body.trim().split('\n').slice(1))
      for (const cell of line.split(',').filter((c) => /^\d+$/.test(c))) expect(report.body).toContain(`>${cell}<`);
    expect(report.body).not.toContain(marker);
    const bad = await page(agent, '/console/reports?from=2026-13&to=2026-12');
    expect(bad.status).toBe(400);
    expect(bad.body).toContain('href="#from"');
  });

  it('lets an admin invite a person who enrols and signs in, then disable them; the audit shows it by person', async () => {
    const admin = await personSignedIn(services.gateway.url, ukAdmin, 'admin');
    const form = await page(admin.agent, '/console/people/invite');
    expect(form.status).toBe(200);
    const missing = await post(admin.agent, '/console/people/invite', { name: '', email: 'nope', role: '' });
    expect(missing.status).toBe(400);
    for (const field of ['name', 'email', 'role']) expect(missing.body).toContain(`href="#${field}"`);
    const email = `new-${randomUUID()}@uklb.example`;
    const invited = await post(admin.agent, '/console/people/invite', {
      name: 'Nadia Haddad',
      email,
      role: 'officer',
      signIn: 'local',
    });
    expect(invited.status).toBe(200);
    const link = /<code[^>]*id="enrolment-link">([^<]+)<\/code>/.exec(invited.body)![1].replace(/&amp;/g, '&');
    // The new person sets a password through the link, and signs in with an authenticator app.
    const token = new URL(link).searchParams.get('token')!;
    const newcomer = new PersonAgent(services.gateway.url);
    expect(
      (await newcomer.request('POST', '/auth/enrol', { token, password: 'a long and unusual passphrase' })).status,
    ).toBe(204);
    const session = await signedInAs(services.gateway.url, email);
    expect((await page(session.agent, '/console/inbox')).status).toBe(200);

    const people = await page(admin.agent, '/console/people');
    const id = new RegExp(`href="/console/people/([0-9a-f-]{36})">Nadia Haddad`).exec(people.body)![1];
    expect(people.body).toContain('Active');
    const disabled = await post(admin.agent, `/console/people/${id}`, { action: 'disable' });
    expect(disabled.status).toBe(303);
    // Their session ended at once.
    expect((await page(session.agent, '/console/inbox')).status).toBe(303);
    const trail = await waitFor(
      async () => {
        const answer = await page(admin.agent, `/console/audit?principalId=${id}`);
        return answer.body.includes('person.signed-in') || undefined ? answer : undefined;
      },
      { what: "the new person's sign-in in the audit trail" },
    );
    expect(trail.body).toContain('Nadia Haddad');
    const verified = await post(admin.agent, '/console/audit/verify', {});
    expect(verified.body).toContain('The audit trail is intact');

    // A data-protection officer reads the trail, and nothing else of the admin's.
    const dpo = await personSignedIn(services.gateway.url, ukAdmin, 'data-protection-officer');
    expect((await page(dpo.agent, '/console/audit')).status).toBe(200);
    expect((await page(dpo.agent, '/console/people')).status).toBe(404);
    expect((await post(dpo.agent, '/console/audit/verify', {})).status).toBe(404);
  });

  it("shows a case's entities, forwards, attachments and history in tabs, and forwards a message from it", async () => {
    const marker2 = randomUUID().slice(0, 8);
    const sentWithEntities = (
      await ukOfficerKey.post<Accepted>('/v1/messages', {
        recipients: ['RO-ENU'],
        handling: { code: 'H2' },
        subject: `Tabs ${marker2}`,
        body: 'With entities',
        entities: [{ ref: 'v1', type: 'vehicle', plate: `B ${marker2.slice(0, 3)} ABC`, country: 'RO' }],
      })
    ).body;
    await waitFor(async () => (await roOfficerKey.get(`/v1/messages/${sentWithEntities.id}`)).status === 200, {
      what: 'the message at Romania',
    });
    const { agent } = await personSignedIn(services.gateway.url, roAdmin, 'officer');
    const base = `/console/cases/${sentWithEntities.caseReference}`;
    const entities = await page(agent, `${base}?tab=entities`);
    expect(entities.status).toBe(200);
    expect(entities.body).toContain(`B ${marker2.slice(0, 3)} ABC`);
    expect(entities.body).toContain('aria-current="page">Entities');
    expect((await page(agent, `${base}?tab=nothing`)).status).toBe(404);
    // Romania passes the H2 message on to Bulgaria: it waits for the provider's permission.
    const forwarded = await post(agent, `/console/messages/${sentWithEntities.id}/forward`, { to: 'BG-ENU' });
    expect(forwarded.status).toBe(303);
    expect(forwarded.headers.get('location')).toContain(`${base}?tab=forwards`);
    const forwards = await page(agent, `${base}?tab=forwards`);
    expect(forwards.body).toContain('waiting for permission from GB-NCA-UKLB');
    const history = await page(agent, `${base}?tab=history`);
    expect(history.body).toContain('opened by');
    for (const tab of ['matches', 'attachments']) expect((await page(agent, `${base}?tab=${tab}`)).status).toBe(200);
  });

  it("gives an admin the agency's API keys (a new one shown once), webhooks, clearances and match keys", async () => {
    const admin = await personSignedIn(services.gateway.url, ukAdmin, 'admin');
    const issued = await post(admin.agent, '/console/api-keys', { label: `Force system ${marker}`, role: 'officer' });
    expect(issued.status).toBe(200);
    const key = /<code[^>]*id="issued-key">([^<]+)<\/code>/.exec(issued.body)![1];
    expect((await services.api.as(key).get('/v1/inbox')).status).toBe(200);
    const listed = await page(admin.agent, '/console/api-keys');
    expect(listed.body).toContain(`Force system ${marker}`);
    expect(listed.body).not.toContain(key);
    const missing = await post(admin.agent, '/console/api-keys', { label: '', role: '' });
    expect(missing.status).toBe(400);
    // Another agency's key is not this admin's to revoke: the same 404 as no key at all.
    const theirs = await roAdmin.post<{ id: string }>('/v1/api-keys', {
      agency: 'RO-ENU',
      role: 'officer',
      label: 'theirs',
    });
    expect((await post(admin.agent, `/console/api-keys/${theirs.body.id}/revoke`, {})).status).toBe(404);
    // A delivery that is not the agency's, on whatever page of the log: the 404 page.
    expect((await post(admin.agent, `/console/webhooks/deliveries/${randomUUID()}/resend`, {})).status).toBe(404);
    for (const path of [
      '/console/webhooks',
      '/console/webhooks?state=failed',
      '/console/agencies',
      '/console/match-keys',
    ])
      expect({ path, status: (await page(admin.agent, path)).status }).toEqual({ path, status: 200 });
    const excludedKey = `phone:+4420794${String(Date.now()).slice(-5)}`;
    expect(
      (await post(admin.agent, '/console/match-keys/exclusions', { key: excludedKey, reason: 'A switchboard' })).status,
    ).toBe(303);
    expect((await page(admin.agent, '/console/match-keys')).body).toContain(excludedKey);
    expect((await post(admin.agent, '/console/match-keys/exclusions/lift', { key: excludedKey })).status).toBe(303);
    // An officer has none of these pages.
    const officer = await personSignedIn(services.gateway.url, ukAdmin, 'officer');
    expect((await page(officer.agent, '/console/api-keys')).status).toBe(404);
  });
});
