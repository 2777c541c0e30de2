import { waitFor, type ApiClient } from '@liaison/testing';
import { randomInt } from 'node:crypto';
import {
  matchFixture,
  romanianMobile,
  type Accepted,
  type Match,
  type MatchPage,
  type NotificationPage,
} from '../support/match-fixture';

/**
 * Cross-matching seen by its users: two forces' cases share a phone; each is told of its own case and the other
 * agency only; details travel by each owner's decision; candidates are confirmed or dismissed; nothing leaks
 * before a release; programme leads see figures only.
 */
describe('matches', () => {
  const fixture = matchFixture();
  const { wmpHooks, roHooks, sharedPhoneCases, everythingWmpSees } = fixture;
  let admin: ApiClient;
  let wmp: ApiClient;
  let wmpSupervisor: ApiClient;
  let romania: ApiClient;
  let romaniaSupervisor: ApiClient;
  let stranger: ApiClient;
  let lead: ApiClient;

  beforeAll(() => {
    ({ admin, wmp, wmpSupervisor, romania, romaniaSupervisor, stranger, lead } = fixture);
  });

  it('tells each owner of its own case, the other agency and the entity type, and nothing more', async () => {
    const { phone, roMessage, wmpMessage, match } = await sharedPhoneCases();
    expect(match).toMatchObject({
      entityType: 'phone',
      strength: 'strong',
      otherAgency: 'RO-ENU',
      ownDecision: 'pending',
      otherDecision: 'pending',
      linked: false,
    });
    expect(match).not.toHaveProperty('released');
    const atRomania = (await romania.get<Match>(`/v1/matches/${match.id}`)).body;
    expect(atRomania).toMatchObject({ ownCase: roMessage.caseReference, otherAgency: 'GB-WMP' });

    const notified = await waitFor(
      async () =>
        (await wmp.get<NotificationPage>('/v1/notifications?event=match.found')).body.items.find(
          (n) => n.data.matchId === match.id,
        ),
      {
        what: 'the match notification',
      },
    );
    expect(notified.data).toEqual({
      matchId: match.id,
      entityType: 'phone',
      strength: 'strong',
      ownCase: wmpMessage.caseReference,
      otherAgency: 'RO-ENU',
      foundAt: expect.any(String),
    });

    const hook = await waitFor(async () => wmpHooks.of('match.found').find((r) => r.json.data.matchId === match.id), {
      what: 'the match webhook',
    });
    expect(hook.signatureValid).toBe(true);
    // In the Standard Webhooks format too, checked with its library; the delivery id is what is signed.
    expect(hook.standardValid).toBe(true);
    expect(hook.webhookId).toBe(hook.deliveryId);
    expect(hook.json).toEqual({
      id: notified.id,
      event: 'match.found',
      agency: 'GB-WMP',
      createdAt: notified.createdAt,
      data: notified.data,
    });
    expect(
      await waitFor(async () => roHooks.of('match.found').find((r) => r.json.data.matchId === match.id), {
        what: 'the match webhook at Romania',
      }),
    ).toMatchObject({ signatureValid: true });

    const seen = await everythingWmpSees(match.id, wmpMessage);
    for (const secret of [roMessage.caseReference, roMessage.id, phone.e164, phone.national])
      expect(seen).not.toContain(secret);
    expect((await stranger.get(`/v1/matches/${match.id}`)).status).toBe(404);
    expect(JSON.stringify((await stranger.get('/v1/matches')).body)).not.toContain(match.id);
  });

  it('releases details only by the owner’s decision: declined never shows, released shows to the other side, both link the cases', async () => {
    const { phone, roMessage, wmpMessage, match } = await sharedPhoneCases();
    expect((await romania.post(`/v1/matches/${match.id}/decision`, { decision: 'release' })).status).toBe(403); // officers do not decide
    expect((await stranger.post(`/v1/matches/${match.id}/decision`, { decision: 'release' })).status).toBe(404);
    const bad = await romaniaSupervisor.post<{ detail: string }>(`/v1/matches/${match.id}/decision`, {
      decision: 'maybe',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.detail).toContain('decision must be one of release, decline');

    const declined = await romaniaSupervisor.post<Match>(`/v1/matches/${match.id}/decision`, { decision: 'decline' });
    expect(declined.status).toBe(200);
    expect(declined.body).toMatchObject({ ownDecision: 'declined' });
    expect((await romaniaSupervisor.post(`/v1/matches/${match.id}/decision`, { decision: 'release' })).status).toBe(
      409,
    );
    await waitFor(
      async () =>
        (await wmp.get<NotificationPage>('/v1/notifications?event=match.updated')).body.items.find(
          (n) => n.data.matchId === match.id && n.data.outcome === 'declined',
        ),
      {
        what: 'the decline notification',
      },
    );
    await waitFor(async () => wmpHooks.of('match.updated').find((r) => r.json.data.matchId === match.id), {
      what: 'the decline webhook',
    });
    const afterDecline = await everythingWmpSees(match.id, wmpMessage);
    for (const secret of [roMessage.caseReference, roMessage.id, phone.e164])
      expect(afterDecline).not.toContain(secret);
    expect((await wmp.get<Match>(`/v1/matches/${match.id}`)).body).toMatchObject({
      otherDecision: 'declined',
      linked: false,
    });

    const released = await wmpSupervisor.post<Match>(`/v1/matches/${match.id}/decision`, { decision: 'release' });
    expect(released.body).toMatchObject({ ownDecision: 'released', otherDecision: 'declined' });
    expect(released.body).not.toHaveProperty('released');
    expect((await romania.get<Match>(`/v1/matches/${match.id}`)).body.released).toEqual({
      value: phone.e164,
      otherCase: wmpMessage.caseReference,
      otherMessageId: wmpMessage.id,
    });

    // A second pair, both released: the cases are linked, and each owner may write in the other's case.
    const second = await sharedPhoneCases();
    await wmpSupervisor.post(`/v1/matches/${second.match.id}/decision`, { decision: 'release' });
    const linked = await romaniaSupervisor.post<Match>(`/v1/matches/${second.match.id}/decision`, {
      decision: 'release',
    });
    expect(linked.body).toMatchObject({ linked: true, released: { otherCase: second.wmpMessage.caseReference } });
    const atWmp = (await wmp.get<Match>(`/v1/matches/${second.match.id}`)).body;
    expect(atWmp).toMatchObject({
      linked: true,
      released: { value: second.phone.e164, otherCase: second.roMessage.caseReference },
    });
    const sent = await waitFor(
      async () => {
        const attempt = await wmp.post<Accepted>('/v1/messages', {
          caseReference: second.roMessage.caseReference,
          recipients: ['RO-ENU'],
          subject: 'Linked case: our subscriber data',
          body: 'Attached.',
        });
        return attempt.status === 202 ? attempt.body : undefined;
      },
      { what: 'West Midlands writing in the linked Romanian case' },
    );
    await waitFor(async () => (await romania.get(`/v1/messages/${sent.id}`)).status === 200, {
      what: 'the message in the linked case at Romania',
    });
  });

  it('lets an officer of either side confirm or dismiss a candidate, and a dismissed pair is not suggested again', async () => {
    const born = `19${randomInt(50, 99)}-0${randomInt(1, 9)}-1${randomInt(0, 9)}`;
    const first = await wmp.post<Accepted>('/v1/messages', {
      type: 'request',
      recipients: ['NL-ENU'],
      subject: 'Person check',
      body: 'See entity.',
      entities: [{ ref: 'p1', type: 'person', names: ['Ștefan', 'POPESCU'], dateOfBirth: born }],
    });
    const second = await romania.post<Accepted>('/v1/messages', {
      type: 'information',
      recipients: ['FR-ENU'],
      subject: 'Person',
      body: 'See entity.',
      entities: [{ ref: 'p1', type: 'person', names: ['Стефан', 'Попеску'], dateOfBirth: born }],
    });
    const candidates = await waitFor(
      async () => {
        const items =
          (await romania.get<MatchPage>('/v1/matches?strength=candidate')).body.items?.filter(
            (m) => m.ownCase === second.body.caseReference,
          ) ?? [];
        return items.length > 0 ? items : undefined;
      },
      { what: 'the candidate at Romania' },
    );
    expect(candidates).toHaveLength(1); // matched by name and by sound: one suggestion
    const candidate = candidates[0];
    expect(first.status).toBe(202);
    expect(candidate).toMatchObject({
      entityType: 'person',
      strength: 'candidate',
      candidateState: 'suggested',
      otherAgency: 'GB-WMP',
    });

    const strong = await sharedPhoneCases();
    expect((await wmp.post(`/v1/matches/${strong.match.id}/confirm`, {})).status).toBe(422);
    expect((await lead.post(`/v1/matches/${candidate.id}/dismiss`, {})).status).toBe(403);
    const dismissed = await romania.post<Match>(`/v1/matches/${candidate.id}/dismiss`, {});
    expect(dismissed.body).toMatchObject({ candidateState: 'dismissed' });
    expect((await wmp.post(`/v1/matches/${candidate.id}/confirm`, {})).status).toBe(409);
    expect((await wmpSupervisor.post(`/v1/matches/${candidate.id}/decision`, { decision: 'release' })).status).toBe(
      422,
    );

    // The same person mentioned again in the same two cases makes no new suggestion on the dismissed key.
    const before = (await romania.get<MatchPage>('/v1/matches?strength=candidate')).body.items!.filter(
      (m) => m.ownCase === second.body.caseReference,
    ).length;
    const again = await romania.post<Accepted>('/v1/messages', {
      caseReference: second.body.caseReference,
      type: 'information',
      recipients: ['FR-ENU'],
      subject: 'Person again',
      body: 'See entity.',
      entities: [{ ref: 'p1', type: 'person', names: ['Stefan Popescu'], dateOfBirth: born }],
    });
    await waitFor(async () => (await romania.get(`/v1/messages/${again.body.id}`)).status === 200, {
      what: 'the repeat routed',
    });
    const marker = await sharedPhoneCases(); // a later match proves the matcher has handled the repeat
    expect(marker.match.id).toBeDefined();
    const after = (await romania.get<MatchPage>('/v1/matches?strength=candidate')).body.items!.filter(
      (m) => m.ownCase === second.body.caseReference,
    );
    expect(after.length).toBe(before);
    expect(after.find((m) => m.id === candidate.id)?.candidateState).toBe('dismissed');
  });

  it('lists keys past the cap for admins, and applies their exclusions to every later match', async () => {
    // A hotel switchboard in four unrelated cases: past the cap of three, it links nothing more.
    const switchboard = romanianMobile();
    const cases: Accepted[] = [];
    for (const [client, recipient] of [
      [wmp, 'NL-ENU'],
      [romania, 'FR-ENU'],
      [wmp, 'FR-ENU'],
      [romania, 'NL-ENU'],
    ] as const) {
      cases.push(
        (
          await client.post<Accepted>('/v1/messages', {
            type: 'information',
            recipients: [recipient],
            subject: 'Hotel',
            body: `Stayed at the hotel, switchboard ${switchboard.international}.`,
          })
        ).body,
      );
    }
    const listed = await waitFor(
      async () =>
        (
          await admin.get<{ key: string; caseCount: number; entityType: string; excluded: boolean }[]>(
            '/v1/match-keys/over-correlated',
          )
        ).body.find((k) => k.key === `phone:${switchboard.e164}`),
      {
        what: 'the switchboard listed as over-correlated',
      },
    );
    expect(listed).toMatchObject({ entityType: 'phone', caseCount: 4, excluded: false });
    expect(JSON.stringify(listed)).not.toMatch(/LIA-|GB-WMP|RO-ENU/);

    const excluded = await admin.post<{ key: string; reason: string }[]>('/v1/match-keys/exclusions', {
      key: listed.key,
      reason: 'Hotel switchboard shared by unrelated cases',
    });
    expect(excluded.status).toBe(200);
    expect(excluded.body).toMatchObject([{ key: listed.key, reason: 'Hotel switchboard shared by unrelated cases' }]);
    expect(
      (await admin.get<{ key: string; excluded: boolean }[]>('/v1/match-keys/over-correlated')).body.find(
        (k) => k.key === listed.key,
      )?.excluded,
    ).toBe(true);

    // An exclusion named by entity, before any case holds it: two cases sharing it are not matched.
    const shared = romanianMobile();
    expect(
      (
        await admin.post('/v1/match-keys/exclusions', {
          entity: { type: 'phone', number: shared.zeros },
          country: 'RO',
          reason: 'Number of a public helpline',
        })
      ).status,
    ).toBe(200);
    const bad = await admin.post<{ status: number; detail: string }>('/v1/match-keys/exclusions', {
      entity: { type: 'bank-account', iban: 'RO49 AAAA 1B31 0075 9384 0001' },
      reason: 'Bad checksum',
    });
    expect(bad.status).toBe(422);
    expect(bad.body.detail).toContain('gives no match key');
    expect((await admin.post('/v1/match-keys/exclusions', { key: 'fax:123', reason: 'Unknown kind' })).status).toBe(
      422,
    );
    const helplineA = await wmp.post<Accepted>('/v1/messages', {
      type: 'information',
      recipients: ['NL-ENU'],
      subject: 'Helpline',
      body: `Called ${shared.international}.`,
    });
    const helplineB = await romania.post<Accepted>('/v1/messages', {
      type: 'information',
      recipients: ['FR-ENU'],
      subject: 'Helpline',
      body: `Called ${shared.national}.`,
    });
    await sharedPhoneCases(); // a later match proves the matcher has handled both
    const wmpMatches = (await wmp.get<MatchPage>('/v1/matches?limit=100')).body.items!;
    expect(wmpMatches.filter((m) => m.ownCase === helplineA.body.caseReference)).toEqual([]);
    expect(
      wmpMatches.filter((m) => cases.some((c) => c.caseReference === m.ownCase) && m.otherAgency === 'RO-ENU').length,
    ).toBeLessThanOrEqual(4);

    // Lifted, the helpline links a case that mentions it from then on with every case holding it.
    expect(
      (await admin.request('DELETE', `/v1/match-keys/exclusions/${encodeURIComponent(`phone:${shared.e164}`)}`)).status,
    ).toBe(204);
    expect(
      (await admin.request('DELETE', `/v1/match-keys/exclusions/${encodeURIComponent(`phone:${shared.e164}`)}`)).status,
    ).toBe(404);
    const helplineC = await romania.post<Accepted>('/v1/messages', {
      type: 'information',
      recipients: ['NL-ENU'],
      subject: 'Helpline again',
      body: `Called ${shared.zeros} again.`,
    });
    // A match between two of Romania's own cases is listed once, on the case that sorts first.
    const involvesC = (m: Match): boolean =>
      m.ownCase === helplineC.body.caseReference || m.released?.otherCase === helplineC.body.caseReference;
    const afterLift = await waitFor(
      async () => {
        const found = (await romania.get<MatchPage>('/v1/matches?limit=100')).body.items!.filter(involvesC);
        return found.length === 2 ? found : undefined;
      },
      { what: 'the helpline matches after the exclusion was lifted' },
    );
    expect(afterLift.map((m) => m.otherAgency).sort()).toEqual(['GB-WMP', 'RO-ENU']);
    expect(helplineB.status).toBe(202);
  });

  it('gives programme leads figures only', async () => {
    await sharedPhoneCases();
    const page = await lead.get<MatchPage>('/v1/matches');
    expect(page.status).toBe(200);
    expect(page.body).not.toHaveProperty('items');
    expect(page.body.counts.total).toBeGreaterThan(0);
    expect(page.body.counts.strong).toBeGreaterThan(0);
    expect((await lead.get('/v1/notifications')).status).toBe(403);
  });

  describe('entities as Europe writes them', () => {
    /** The first match of `agency`'s client on the case, once the matcher has found it. */
    const matchOn = (client: ApiClient, caseReference: string, strength: 'strong' | 'candidate') =>
      waitFor(
        async () =>
          (await client.get<MatchPage>(`/v1/matches?strength=${strength}`)).body.items?.find(
            (m) => m.ownCase === caseReference,
          ),
        { what: `the ${strength} match on ${caseReference}` },
      );
    const VIN_LETTERS = 'ABCDEFGHJKLMNPRSTUVWXYZ0123456789';
    const born = () => `19${randomInt(50, 99)}-0${randomInt(1, 9)}-2${randomInt(0, 8)}`;

    it('links a German and a Romanian case by a Volkswagen VIN, given in one and written in the other’s text', async () => {
      const vin = `WVWZZZ1JZ${Array.from({ length: 8 }, () => VIN_LETTERS[randomInt(VIN_LETTERS.length)]).join('')}`;
      const german = await wmp.post<Accepted>('/v1/messages', {
        recipients: ['DE-ENU'],
        subject: 'Van used to move workers',
        body: 'Keeper check requested.',
        entities: [{ ref: 'v1', type: 'vehicle', vin }],
      });
      expect(german.status).toBe(202);
      const romanian = await romania.post<Accepted>('/v1/messages', {
        recipients: ['FR-ENU'],
        subject: 'Van seen at Nădlac',
        body: `A white van, VIN ${vin}, crossed at Nădlac.`,
      });
      expect(romanian.status).toBe(202);
      expect(await matchOn(wmp, german.body.caseReference, 'strong')).toMatchObject({
        entityType: 'vehicle',
        otherAgency: 'RO-ENU',
      });
    });

    it('suggests Georgian and Latin writings of one name, and the same Arabic name twice, as candidates', async () => {
      for (const [ours, theirs] of [
        [['Giorgi', 'BERIDZE'], ['გიორგი ბერიძე']],
        [['محمد علي'], ['محمد علي']],
      ]) {
        const dateOfBirth = born();
        const first = await wmp.post<Accepted>('/v1/messages', {
          recipients: ['NL-ENU'],
          subject: 'Person check',
          body: 'See entity.',
          entities: [{ ref: 'p1', type: 'person', names: ours, dateOfBirth }],
        });
        const second = await romania.post<Accepted>('/v1/messages', {
          recipients: ['FR-ENU'],
          subject: 'Person',
          body: 'See entity.',
          entities: [{ ref: 'p1', type: 'person', names: theirs, dateOfBirth }],
        });
        expect([first.status, second.status]).toEqual([202, 202]);
        expect(await matchOn(romania, second.body.caseReference, 'candidate')).toMatchObject({
          entityType: 'person',
          otherAgency: 'GB-WMP',
        });
      }
    });

    it('refuses a Ukrainian IBAN one character short, naming the length, and a zone with a bad check digit, naming the line', async () => {
      const message = (entity: Record<string, unknown>) => ({
        recipients: ['FR-ENU'],
        subject: 'Accounts',
        body: 'See entities.',
        entities: [{ ref: 'e1', ...entity }],
      });
      // 28 characters whose check digits hold: only the length gives it away.
      const short = await romania.post<{ errors: { field: string; message: string }[] }>(
        '/v1/messages',
        message({ type: 'bank-account', iban: 'UA17 3223 1300 0002 6007 2335 6600' }),
      );
      expect(short.status).toBe(400);
      expect(short.body.errors).toContainEqual({
        field: 'entities[0].iban',
        message: 'a UA IBAN has 29 characters, not 28',
      });
      const zone = ['P<D<<MUSTERMANN<<ERIKA<<<<<<<<<<<<<<<<<<<<<<', 'C01X00T479D<<6408125F2702283<<<<<<<<<<<<<<<4'];
      const bad = await romania.post<{ errors: { field: string; message: string }[] }>(
        '/v1/messages',
        message({ type: 'identity-document', mrz: zone.join('\n') }),
      );
      expect(bad.status).toBe(400);
      expect(bad.body.errors).toEqual([{ field: 'entities[0].mrz', message: expect.stringMatching(/^line 2: /) }]);
    });

    it('fills an identity document from its machine-readable zone', async () => {
      const zone = ['P<D<<MUSTERMANN<<ERIKA<<<<<<<<<<<<<<<<<<<<<<', 'C01X00T478D<<6408125F2702283<<<<<<<<<<<<<<<4'];
      const sent = await romania.post<Accepted>('/v1/messages', {
        recipients: ['FR-ENU'],
        subject: 'Passport copy',
        body: 'See entity.',
        entities: [{ ref: 'd1', type: 'identity-document', mrz: zone.join('\n') }],
      });
      expect(sent.status).toBe(202);
      const read = await waitFor(async () => {
        const answer = await romania.get<{ entities: Record<string, unknown>[] }>(`/v1/messages/${sent.body.id}`);
        return answer.status === 200 ? answer.body : undefined;
      });
      expect(read.entities).toEqual([
        { ref: 'd1', type: 'identity-document', documentType: 'passport', issuingCountry: 'DE', number: 'C01X00T47' },
      ]);
    });
  });
});
