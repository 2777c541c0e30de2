import { waitFor } from '@liaison/testing';
import { DataSource } from 'typeorm';
import { matchFixture, type Accepted, type MatchPage, type NotificationPage } from '../support/match-fixture';
import { issueKey } from '../support/services';

type Page<T> = { items: T[] };
type Problem = { status: number; detail: string };

/**
 * Restriction of processing (Art. 16(3)): a restricted case is kept, but its matches are withdrawn and none are
 * made while it lasts, it takes no new messages, and only its owner's supervisors can read or list it; lifting it
 * matches it again. Both are audited, and asking again changes nothing.
 */
describe('restricting a case', () => {
  const fixture = matchFixture();

  it('withdraws its matches, hides it from all but the owner’s supervisors, and matches it again once lifted', async () => {
    const { wmp, wmpSupervisor, romania, romaniaSupervisor, admin, services } = fixture;
    const { phone, wmpMessage, roMessage } = await fixture.sharedPhoneCases();
    const reference = wmpMessage.caseReference;
    const roMatch = await waitFor(
      async () =>
        (await romania.get<MatchPage>('/v1/matches')).body.items?.find((m) => m.ownCase === roMessage.caseReference),
      { what: 'the match at Romania' },
    );
    const netherlands = await issueKey(services, 'NL-ENU', 'officer');
    expect((await netherlands.get(`/v1/messages/${wmpMessage.id}`)).status).toBe(200);

    const placed = await wmpSupervisor.post<{ reference: string; reason: string }>(
      `/v1/cases/${reference}/restriction`,
      {
        reason: 'Accuracy contested by the data subject',
      },
    );
    expect(placed.status).toBe(201);
    expect(placed.body).toMatchObject({ reference, reason: 'Accuracy contested by the data subject' });
    expect((await wmpSupervisor.post(`/v1/cases/${reference}/restriction`, { reason: 'again' })).status).toBe(200);

    // The match is withdrawn; Romania is told only that.
    await waitFor(
      async () =>
        (await romania.get<NotificationPage>('/v1/notifications?event=match.withdrawn')).body.items.find(
          (n) => n.data.matchId === roMatch.id,
        ),
      { what: 'the withdrawal notified' },
    );
    expect((await romania.get<MatchPage>('/v1/matches')).body.items?.some((m) => m.id === roMatch.id)).toBe(false);

    // Hidden from everyone but the owner's supervisors.
    expect((await wmp.get(`/v1/cases/${reference}`)).status).toBe(404);
    expect((await wmp.get(`/v1/messages/${wmpMessage.id}`)).status).toBe(404);
    expect((await netherlands.get(`/v1/messages/${wmpMessage.id}`)).status).toBe(404);
    const listed = async (client: typeof wmp, path: string) =>
      (await client.get<Page<{ reference?: string; caseReference?: string }>>(path)).body.items.some(
        (item) => (item.reference ?? item.caseReference) === reference,
      );
    expect(await listed(wmp, '/v1/cases?limit=100')).toBe(false);
    expect(await listed(wmp, '/v1/outbox?limit=100')).toBe(false);
    expect(await listed(netherlands, '/v1/inbox?limit=100')).toBe(false);
    expect((await wmpSupervisor.get(`/v1/cases/${reference}`)).status).toBe(200);
    expect((await wmpSupervisor.get(`/v1/messages/${wmpMessage.id}`)).status).toBe(200);
    expect(await listed(wmpSupervisor, '/v1/cases?limit=100')).toBe(true);

    // No new message, and no new match while it lasts.
    const refused = await wmpSupervisor.post<Problem>('/v1/messages', {
      type: 'information',
      recipients: ['NL-ENU'],
      caseReference: reference,
      subject: 'More',
      body: 'More.',
    });
    expect(refused.status).toBe(422);
    expect(refused.body.detail).toContain('is restricted');
    const later = await romania.post<Accepted>('/v1/messages', {
      type: 'information',
      recipients: ['FR-ENU'],
      subject: 'The recruiter again',
      body: `Seen calling from ${phone.national}.`,
    });
    const db = services.gateway.app.get(DataSource);
    await waitFor(
      async () => (await db.query('SELECT 1 FROM match_keys WHERE message_id = $1', [later.body.id])).length > 0,
      { what: 'the later message indexed' },
    );
    const matchedWhileRestricted = await db.query(
      'SELECT id FROM matches WHERE (case_a = $1 AND case_b = $2) OR (case_a = $2 AND case_b = $1)',
      [reference, later.body.caseReference],
    );
    expect(matchedWhileRestricted).toEqual([]);

    // Lifted: read, listed and matched again, with both Romanian cases.
    expect((await wmpSupervisor.request('DELETE', `/v1/cases/${reference}/restriction`)).status).toBe(204);
    expect((await wmp.get(`/v1/cases/${reference}`)).status).toBe(200);
    const again = await waitFor(
      async () => {
        const own = (await wmp.get<MatchPage>('/v1/matches?limit=100')).body.items?.filter(
          (m) => m.ownCase === reference,
        );
        return own && own.length >= 2 ? own : undefined;
      },
      { what: 'the case matched again' },
    );
    expect(again.every((m) => m.otherAgency === 'RO-ENU')).toBe(true);

    // Only its owner's supervisors; audited both ways.
    expect((await romaniaSupervisor.post(`/v1/cases/${reference}/restriction`, { reason: 'x' })).status).toBe(404);
    for (const action of ['case.restricted', 'case.restriction-lifted'])
      await waitFor(
        async () =>
          (await admin.get<Page<{ objectId: string }>>(`/v1/audit?action=${action}`)).body.items.some(
            (e) => e.objectId === reference,
          ),
        { what: `${action} audited` },
      );
  });
});
