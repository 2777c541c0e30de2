import { waitFor } from '@liaison/testing';
import { Redis } from 'ioredis';
import { generate } from 'otplib';
import { createHash, randomUUID } from 'node:crypto';
import type { PersonAgent } from '../support/browser-session';
import { matchFixture, type Accepted } from '../support/match-fixture';
import { personSignedIn } from '../support/people';
import { issueKey } from '../support/services';

/**
 * What supervisors decide in the console: a hit released by both owners links the cases; a release needs a
 * fresh second factor, and without one the supervisor confirms it is them and comes back; an H2 forward waits
 * for the provider's permission and reaches the third agency only once granted.
 */
describe('decisions in the console', () => {
  const fixture = matchFixture();

  const page = (agent: PersonAgent, path: string) =>
    agent.request<string>('GET', path, undefined, { accept: 'text/html' });
  const post = (agent: PersonAgent, path: string, fields: Record<string, string>) =>
    agent.request<string>('POST', path, undefined, { accept: 'text/html' }, { _csrf: agent.csrfToken, ...fields });

  async function supervisor(agency: string) {
    return personSignedIn(
      fixture.services.gateway.url,
      await issueKey(fixture.services, agency, 'admin'),
      'supervisor',
    );
  }

  it('releases a hit from both sides, with a reason, and the cases link', async () => {
    const { match, roMessage } = await fixture.sharedPhoneCases();
    const wmp = await supervisor('GB-WMP');
    const ro = await supervisor('RO-ENU');
    const list = await page(wmp.agent, '/console/matches?awaitingDecision=true');
    expect(list.status).toBe(200);
    expect(list.body).toContain(`/console/matches/${match.id}`);
    const nav = await wmp.agent.request<{ counts: { decisions: number } }>('GET', '/console/counts', undefined, {
      accept: 'application/json',
    });
    expect(nav.body.counts.decisions).toBeGreaterThan(0);

    const incomplete = await post(wmp.agent, `/console/matches/${match.id}/decision`, {});
    expect(incomplete.status).toBe(400);
    expect(incomplete.body).toContain('href="#decision"');
    expect(incomplete.body).toContain('href="#reason"');

    const decided = await post(wmp.agent, `/console/matches/${match.id}/decision`, {
      decision: 'release',
      reason: 'same-investigation',
    });
    expect(decided.status).toBe(303);
    const roMatch = await waitFor(
      async () =>
        (await fixture.romania.get<{ items: { id: string; ownCase: string }[] }>('/v1/matches')).body.items?.find(
          (m) => m.ownCase === roMessage.caseReference,
        ),
      { what: "Romania's side of the match" },
    );
    expect(
      (
        await post(ro.agent, `/console/matches/${roMatch.id}/decision`, {
          decision: 'release',
          reason: 'operationally-useful',
        })
      ).status,
    ).toBe(303);
    const linked = await page(wmp.agent, `/console/matches/${match.id}`);
    expect(linked.body).toContain('Linked');
    expect(linked.body).toContain(roMessage.caseReference);
    const audit = await fixture.admin.get<{ items: { detail: string; principalId: string }[] }>(
      `/v1/audit?objectId=${match.id}&limit=50`,
    );
    expect(audit.body.items.map((e) => e.detail)).toEqual(
      expect.arrayContaining([expect.stringMatching(/reason same-investigation$/)]),
    );
  });

  it('asks a supervisor whose second factor is old to confirm it is them, then lets the release through', async () => {
    const { match } = await fixture.sharedPhoneCases();
    const wmp = await supervisor('GB-WMP');
    // Twenty minutes pass since the second factor was given: the session record is aged as time would age it.
    const redis = new Redis(process.env.REDIS_URL!);
    try {
      const hash = createHash('sha256').update(wmp.agent.cookies.get('liaison-session')!).digest('hex');
      const key = `liaison:${process.env.KAFKA_NAMESPACE}session:${hash}`;
      const session = JSON.parse((await redis.get(key))!) as { secondFactorAt: number };
      session.secondFactorAt -= 20 * 60_000;
      await redis.set(key, JSON.stringify(session), 'KEEPTTL');
      await redis.publish(`liaison:${process.env.KAFKA_NAMESPACE}sessions-changed`, hash);
    } finally {
      redis.disconnect();
    }
    const refused = await post(wmp.agent, `/console/matches/${match.id}/decision`, {
      decision: 'release',
      reason: 'same-investigation',
    });
    expect(refused.status).toBe(303);
    const confirmAt = refused.headers.get('location')!;
    expect(confirmAt).toBe(`/console/confirm?next=${encodeURIComponent(`/console/matches/${match.id}`)}`);
    expect((await page(wmp.agent, confirmAt)).body).toContain('Code from your authenticator app');
    const wrong = await post(wmp.agent, '/console/confirm', { code: '000000', next: `/console/matches/${match.id}` });
    expect(wrong.status).toBe(400);
    expect(wrong.body).toContain('href="#code"');
    const before = wmp.agent.cookies.get('liaison-session');
    const confirmed = await post(wmp.agent, '/console/confirm', {
      code: await generate({ secret: wmp.secret, epoch: wmp.enrolledAt + 30 }),
      next: `/console/matches/${match.id}`,
    });
    expect(confirmed.status).toBe(303);
    expect(confirmed.headers.get('location')).toBe(`/console/matches/${match.id}`);
    expect(wmp.agent.cookies.get('liaison-session')).not.toBe(before);
    // The new session carries a new CSRF token: the page says which.
    const again = await page(wmp.agent, `/console/matches/${match.id}`);
    wmp.agent.csrfToken = /name="_csrf" value="([^"]+)"/.exec(again.body)![1];
    const released = await post(wmp.agent, `/console/matches/${match.id}/decision`, {
      decision: 'release',
      reason: 'same-investigation',
    });
    expect(released.status).toBe(303);
    expect(released.headers.get('location')).toBe(`/console/matches/${match.id}?decided=release`);
  });

  it('holds an H2 forward until the provider grants it in the console; the third agency sees it only after', async () => {
    const marker = randomUUID().slice(0, 8);
    const sent = (
      await fixture.wmp.post<Accepted>('/v1/messages', {
        recipients: ['RO-ENU'],
        handling: { code: 'H2' },
        subject: `H2 ${marker}`,
        body: 'Not to be passed on without permission',
      })
    ).body;
    await waitFor(async () => (await fixture.romania.get(`/v1/messages/${sent.id}`)).status === 200, {
      what: 'the H2 message at Romania',
    });
    const forward = await fixture.romania.post<{ id: string; state: string }>(`/v1/messages/${sent.id}/forward`, {
      to: 'BG-ENU',
    });
    expect(forward.body.state).toBe('pending');
    const bulgaria = fixture.stranger;
    const seenByBulgaria = async () =>
      (await bulgaria.get<{ items: { subject: string }[] }>('/v1/inbox?limit=100')).body.items.some(
        (item) => item.subject === `H2 ${marker}`,
      );
    expect(await seenByBulgaria()).toBe(false);

    const roOfficer = await personSignedIn(
      fixture.services.gateway.url,
      await issueKey(fixture.services, 'RO-ENU', 'admin'),
      'supervisor',
    );
    const asked = await page(roOfficer.agent, '/console/permissions');
    expect(asked.body).toContain('Waiting for permission from');

    const wmp = await supervisor('GB-WMP');
    const requests = await page(wmp.agent, '/console/permissions');
    expect(requests.body).toContain(`/console/permissions/${forward.body.id}/grant`);
    const granted = await post(wmp.agent, `/console/permissions/${forward.body.id}/grant`, { message: sent.id });
    expect(granted.status).toBe(303);
    await waitFor(async () => (await seenByBulgaria()) || undefined, { what: 'the message at Bulgaria' });
  });
});
