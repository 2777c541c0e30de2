import { waitFor, type ApiClient } from '@liaison/testing';
import { issueKey, startServices, type RunningServices } from '../support/services';

type Problem = { type: string; status: number; detail: string; errors?: { field: string; message: string }[] };
type Accepted = { id: string; caseReference: string };
type Jit = {
  id: string;
  name: string;
  lead: string;
  status: string;
  endsOn: string;
  members: { code: string; party: string; leftAt: string | null }[];
  cases: string[];
  meetings: number;
};
type Message = { id: string; jit: string | null; body?: string; recipients: { code: string }[] };

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

/** Joint investigation teams: agreement, membership, period, linked cases, broadcasts and meetings. */
describe('joint investigation teams', () => {
  let services: RunningServices;
  let nca: ApiClient;
  let romania: ApiClient;
  let bulgaria: ApiClient;
  let france: ApiClient;
  let wmp: ApiClient;

  beforeAll(async () => {
    services = await startServices();
    [nca, romania, bulgaria, france, wmp] = await Promise.all([
      issueKey(services, 'GB-NCA', 'supervisor'),
      issueKey(services, 'RO-ENU', 'officer'),
      issueKey(services, 'BG-ENU', 'officer'),
      issueKey(services, 'FR-ENU', 'officer'),
      issueKey(services, 'GB-WMP', 'officer'),
    ]);
  }, 90_000);

  afterAll(async () => {
    await services?.stop();
  });

  const agreement = (overrides: Record<string, unknown> = {}) => ({
    name: 'JIT KESTREL',
    parties: [
      { country: 'GB', agencies: ['GB-NCA', 'GB-WMP'] },
      { country: 'RO', agencies: ['RO-ENU'] },
    ],
    startsOn: day(-30),
    endsOn: day(300),
    eurojust: true,
    europol: true,
    fundingReference: 'EJ-JITS-2026-0412',
    ...overrides,
  });

  async function createJit(overrides: Record<string, unknown> = {}): Promise<Jit> {
    const created = await nca.post<Jit>('/v1/jits', agreement(overrides));
    expect(created.status).toBe(201);
    return created.body;
  }

  it('is set up with its parties, led by the creating agency, and visible to members only', async () => {
    const created = await nca.post<Jit>('/v1/jits', agreement());
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe(`/v1/jits/${created.body.id}`);
    expect(created.body).toMatchObject({
      name: 'JIT KESTREL',
      lead: 'GB-NCA',
      status: 'active',
      cases: [],
      meetings: 0,
    });
    expect(created.body.members.map((m) => `${m.code}/${m.party}`).sort()).toEqual([
      'GB-NCA/GB',
      'GB-WMP/GB',
      'RO-ENU/RO',
    ]);
    expect((await romania.get<Jit>(`/v1/jits/${created.body.id}`)).status).toBe(200);
    expect((await romania.get<Jit[]>('/v1/jits')).body.map((j) => j.id)).toContain(created.body.id);
    expect((await bulgaria.get(`/v1/jits/${created.body.id}`)).status).toBe(404);
    expect((await bulgaria.get<Jit[]>('/v1/jits')).body.map((j) => j.id)).not.toContain(created.body.id);
  });

  it('refuses an agreement that is not one, naming every problem', async () => {
    const bad = await nca.post<Problem>(
      '/v1/jits',
      agreement({
        parties: [{ country: 'GB', agencies: ['GB-NCA', 'RO-ENU', 'XX-NOPE'] }],
        startsOn: day(10),
        endsOn: day(5),
      }),
    );
    expect(bad.status).toBe(422);
    const fields = bad.body.errors!.map((e) => `${e.field}: ${e.message}`);
    expect(fields).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^endsOn: must not be before startsOn/),
        expect.stringMatching(/^parties: a joint investigation team has at least two parties/),
        'parties[0].agencies: unknown agencies: XX-NOPE',
        'parties[0].agencies: not agencies of GB: RO-ENU',
      ]),
    );
    const malformed = await nca.post<Problem>('/v1/jits', agreement({ startsOn: '2026-02-30', europol: 'yes' }));
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors!.map((e) => e.field).sort()).toEqual(['europol', 'startsOn']);
    const notMine = await bulgaria.post<Problem>('/v1/jits', agreement());
    expect(notMine.status).toBe(422);
    expect(notMine.body.detail).toContain('the creating agency BG-ENU must be one of the members');
  });

  it('fans a message out to every member at the time of sending, and members see it in the case', async () => {
    const jit = await createJit();
    const sent = await romania.post<Accepted>('/v1/messages', {
      jit: jit.id,
      subject: 'JIT broadcast',
      body: 'Search warrants executed in Constanta.',
    });
    expect(sent.status).toBe(202);
    const atNca = await waitFor(
      async () => {
        const response = await nca.get<Message>(`/v1/messages/${sent.body.id}`);
        return response.status === 200 ? response.body : undefined;
      },
      { what: 'the broadcast at GB-NCA' },
    );
    expect(atNca.jit).toBe(jit.id);
    expect(atNca.recipients.map((r) => r.code).sort()).toEqual(['GB-NCA', 'GB-WMP']);
    expect((await wmp.get(`/v1/messages/${sent.body.id}`)).status).toBe(200);
    expect((await bulgaria.get(`/v1/messages/${sent.body.id}`)).status).toBe(404);

    // A member who joins later sees what was sent to the team, without a delivery of its own.
    const joined = await nca.post<Jit>(`/v1/jits/${jit.id}/members`, { agency: 'FR-ENU' });
    expect(joined.status).toBe(200);
    expect(joined.body.members.find((m) => m.code === 'FR-ENU')).toMatchObject({ party: 'FR', leftAt: null });
    const atFrance = await france.get<Message>(`/v1/messages/${sent.body.id}`);
    expect(atFrance.status).toBe(200);
    expect(atFrance.body.body).toBe('Search warrants executed in Constanta.');
    const thread = await france.get<{ jit: string; messages: { id: string }[] }>(
      `/v1/cases/${sent.body.caseReference}`,
    );
    expect(thread.status).toBe(200);
    expect(thread.body.jit).toBe(jit.id);
    expect(thread.body.messages.map((m) => m.id)).toEqual([sent.body.id]);

    // The next broadcast reaches France; one who left sees nothing sent to the team any more.
    const removed = await nca.request<Jit>('DELETE', `/v1/jits/${jit.id}/members/GB-WMP`);
    expect(removed.status).toBe(200);
    expect(removed.body.members.find((m) => m.code === 'GB-WMP')!.leftAt).not.toBeNull();
    const second = await nca.post<Accepted>('/v1/messages', {
      jit: jit.id,
      caseReference: sent.body.caseReference,
      subject: 'JIT update',
      body: 'Next steps.',
    });
    expect(second.status).toBe(202);
    const atRomania = await waitFor(
      async () => {
        const response = await romania.get<Message>(`/v1/messages/${second.body.id}`);
        return response.status === 200 ? response.body : undefined;
      },
      { what: 'the second broadcast at RO-ENU' },
    );
    expect(atRomania.recipients.map((r) => r.code).sort()).toEqual(['FR-ENU', 'RO-ENU']);
    expect((await wmp.get(`/v1/messages/${second.body.id}`)).status).toBe(404);
    expect((await wmp.get(`/v1/messages/${sent.body.id}`)).status).toBe(200); // its own delivery stays
  });

  it('is extended by its lead only, and refuses messages once it has ended', async () => {
    const ended = await createJit({ startsOn: day(-200), endsOn: day(-1) });
    expect(ended.status).toBe('ended');
    const refused = await romania.post<Problem>('/v1/messages', { jit: ended.id, subject: 'Too late', body: 'x' });
    expect(refused.status).toBe(422);
    expect(refused.body.errors).toEqual([
      { field: 'jit', message: `the joint investigation team ended on ${day(-1)} and takes no new messages` },
    ]);

    expect((await romania.post<Problem>(`/v1/jits/${ended.id}/extend`, { endsOn: day(90) })).status).toBe(403);
    const backwards = await nca.post<Problem>(`/v1/jits/${ended.id}/extend`, { endsOn: day(-10) });
    expect(backwards.status).toBe(422);
    const extended = await nca.post<Jit>(`/v1/jits/${ended.id}/extend`, { endsOn: day(90) });
    expect(extended.status).toBe(200);
    expect(extended.body).toMatchObject({ endsOn: day(90), status: 'active' });
    expect(
      (await romania.post<Accepted>('/v1/messages', { jit: ended.id, subject: 'In time again', body: 'x' })).status,
    ).toBe(202);
  });

  it('refuses unknown teams, non-members, and recipients given with a team', async () => {
    const jit = await createJit();
    const unknown = await romania.post<Problem>('/v1/messages', {
      jit: '00000000-0000-4000-8000-000000000000',
      subject: 's',
      body: 'b',
    });
    expect(unknown.status).toBe(422);
    expect(unknown.body.type).toContain('jit-not-open');
    expect((await bulgaria.post<Problem>('/v1/messages', { jit: jit.id, subject: 's', body: 'b' })).status).toBe(422);
    const both = await romania.post<Problem>('/v1/messages', {
      jit: jit.id,
      recipients: ['GB-NCA'],
      subject: 's',
      body: 'b',
    });
    expect(both.status).toBe(422);
    expect(both.body.errors).toEqual([
      { field: 'jit', message: 'address the message to recipients or to a jit, not both' },
    ]);
    expect((await romania.post<Problem>('/v1/messages', { jit: 'nope', subject: 's', body: 'b' })).status).toBe(400);
  });

  it('links a case its owner takes into the team, and records operational meetings', async () => {
    const jit = await createJit();
    const opened = await nca.post<{ reference: string }>('/v1/cases', {
      title: 'Kestrel: UK strand',
      crimeArea: 'labour-exploitation',
    });
    expect(opened.status).toBe(202);
    expect(
      (await romania.post<Problem>(`/v1/jits/${jit.id}/cases`, { caseReference: opened.body.reference })).status,
    ).toBe(422);
    const linked = await nca.post<Jit>(`/v1/jits/${jit.id}/cases`, { caseReference: opened.body.reference });
    expect(linked.status).toBe(200);
    expect(linked.body.cases).toEqual([opened.body.reference]);
    // Romania, a member but no participant, writes into the linked case through the team.
    const into = await romania.post<Accepted>('/v1/messages', {
      jit: jit.id,
      caseReference: opened.body.reference,
      subject: 'Into the linked case',
      body: 'x',
    });
    expect(into.status).toBe(202);
    expect(into.body.caseReference).toBe(opened.body.reference);
    await waitFor(async () => (await nca.get(`/v1/messages/${into.body.id}`)).status === 200, {
      what: 'the message in the linked case',
    });

    const meeting = await romania.post<{ id: string; participants: string[]; fundedBy: string }>(
      `/v1/jits/${jit.id}/meetings`,
      {
        heldOn: day(-2),
        place: 'Eurojust, The Hague',
        participants: ['GB-NCA', 'RO-ENU', 'EU-EUROJUST'],
        fundedBy: 'eurojust',
      },
    );
    expect(meeting.status).toBe(201);
    expect(meeting.body).toMatchObject({ participants: ['GB-NCA', 'RO-ENU', 'EU-EUROJUST'], fundedBy: 'eurojust' });
    const list = await nca.get<{ id: string }[]>(`/v1/jits/${jit.id}/meetings`);
    expect(list.body.map((m) => m.id)).toEqual([meeting.body.id]);
    expect((await bulgaria.get(`/v1/jits/${jit.id}/meetings`)).status).toBe(404);
    const badMeeting = await nca.post<Problem>(`/v1/jits/${jit.id}/meetings`, {
      heldOn: 'soon',
      place: '',
      participants: [],
      fundedBy: 'lottery',
    });
    expect(badMeeting.status).toBe(400);
    expect(badMeeting.body.errors!.map((e) => e.field).sort()).toEqual(['fundedBy', 'heldOn', 'participants', 'place']);
  });
});
