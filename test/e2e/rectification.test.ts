import { waitFor } from '@liaison/testing';
import {
  matchFixture,
  romanianMobile,
  type Accepted,
  type MatchPage,
  type NotificationPage,
} from '../support/match-fixture';

type Rectification = { messageId: string; entityRef: string; action: string; acceptedAt: string };
type Problem = { status: number; detail: string; errors?: { field: string; message: string }[] };
type MessageView = { entities?: Record<string, unknown>[]; links?: { from: string; to: string }[] };

/**
 * Rectifying one entity (Directive (EU) 2016/680 Art. 16) reaches the match index: the old value's matches are
 * withdrawn (the other side told only that), the corrected value is matched afresh, and removing an entity takes
 * its links and keys with it. Only the sending agency's supervisors may, and the audit keeps no value.
 */
describe('rectifying an entity', () => {
  const fixture = matchFixture();

  it('withdraws the old value’s match, matches the corrected value, and removes an entity with its links', async () => {
    const { wmp, wmpSupervisor, romania, romaniaSupervisor, admin } = fixture;
    const { phone, wmpMessage, roMessage, match } = await fixture.sharedPhoneCases();
    // West Midlands' message also names a person linked to the phone.
    const person = { ref: 'p1', type: 'person', names: ['Ion', 'Vasilescu'], dateOfBirth: '1979-03-14' };
    const sent = await wmp.post<Accepted>('/v1/messages', {
      type: 'information',
      recipients: ['NL-ENU'],
      caseReference: wmpMessage.caseReference,
      subject: 'The controller',
      body: 'Seen at the car wash.',
      entities: [person, { ref: 'ph1', type: 'phone', number: phone.international }],
      links: [{ from: 'p1', to: 'ph1', relation: 'uses' }],
    });
    expect(sent.status).toBe(202);
    await waitFor(async () => (await wmp.get(`/v1/messages/${sent.body.id}`)).status === 200, { what: 'routed' });
    const roMatch = await waitFor(
      async () =>
        (await romania.get<MatchPage>('/v1/matches')).body.items?.find((m) => m.ownCase === roMessage.caseReference),
      { what: 'the match at Romania' },
    );

    // The number was mistyped in both of West Midlands' messages.
    const right = romanianMobile();
    for (const id of [wmpMessage.id, sent.body.id]) {
      const rectified = await wmpSupervisor.request<Rectification>('PUT', `/v1/messages/${id}/entities/ph1`, {
        json: { entity: { type: 'phone', number: right.international } },
      });
      expect(rectified.status).toBe(202);
      expect(rectified.body).toMatchObject({ messageId: id, entityRef: 'ph1', action: 'rectify' });
    }
    await waitFor(
      async () =>
        ((await wmp.get<MessageView>(`/v1/messages/${wmpMessage.id}`)).body.entities ?? []).some(
          (e) => e.number === right.international || e.number === right.e164,
        ),
      { what: 'the corrected content stored' },
    );
    // Romania's match on the old value is withdrawn, and Romania is told only that.
    await waitFor(
      async () => !(await romania.get<MatchPage>('/v1/matches')).body.items?.some((m) => m.id === roMatch.id),
      { what: 'the old match withdrawn at Romania' },
    );
    const told = await waitFor(
      async () =>
        (await romania.get<NotificationPage>('/v1/notifications?event=match.withdrawn')).body.items.find(
          (n) => n.data.matchId === roMatch.id,
        ),
      { what: 'the withdrawal notified' },
    );
    expect(JSON.stringify(told)).not.toContain(wmpMessage.caseReference);
    expect((await wmp.get<MatchPage>('/v1/matches')).body.items?.some((m) => m.id === match.id)).toBe(false);

    // A Romanian case that holds the corrected number is matched with West Midlands' case afresh.
    const later = await romania.post<Accepted>('/v1/messages', {
      type: 'information',
      recipients: ['FR-ENU'],
      subject: 'Another recruiter',
      body: `Calls from ${right.national}.`,
    });
    await waitFor(
      async () =>
        (await romania.get<MatchPage>('/v1/matches')).body.items?.find(
          (m) => m.ownCase === later.body.caseReference && m.otherAgency === 'GB-WMP',
        ),
      { what: 'the corrected value matched' },
    );

    // Removing the person takes its link with it.
    const removed = await wmpSupervisor.request<Rectification>('DELETE', `/v1/messages/${sent.body.id}/entities/p1`);
    expect(removed.status).toBe(202);
    expect(removed.body.action).toBe('remove');
    const after = await waitFor(
      async () => {
        const view = (await wmp.get<MessageView>(`/v1/messages/${sent.body.id}`)).body;
        return view.entities?.some((e) => e.ref === 'p1') ? undefined : view;
      },
      { what: 'the person removed' },
    );
    expect(after.entities?.map((e) => e.ref)).toEqual(['ph1']);
    expect(after.links ?? []).toEqual([]);

    // Only the sender's supervisors, only an entity the message has, only a valid one.
    const officer = await wmp.request('PUT', `/v1/messages/${sent.body.id}/entities/ph1`, {
      json: { entity: { type: 'phone', number: right.international } },
    });
    expect(officer.status).toBe(403);
    const other = await romaniaSupervisor.request('DELETE', `/v1/messages/${sent.body.id}/entities/ph1`);
    expect(other.status).toBe(404);
    const missing = await wmpSupervisor.request<Problem>('DELETE', `/v1/messages/${sent.body.id}/entities/zz9`);
    expect(missing.status).toBe(404);
    expect(missing.body.detail).toContain('no entity zz9');
    const invalid = await wmpSupervisor.request<Problem>('PUT', `/v1/messages/${sent.body.id}/entities/ph1`, {
      json: { entity: { type: 'phone' } },
    });
    expect([400, 422]).toContain(invalid.status);
    expect(invalid.body.errors?.[0].field).toMatch(/^entity/);

    // Audited, with the reference but never the value.
    const audit = await waitFor(
      async () => {
        const items = (
          await admin.get<{ items: { action: string; objectId: string; detail: string | null }[] }>(
            '/v1/audit?action=entity.rectified',
          )
        ).body.items.filter((e) => e.objectId === sent.body.id);
        return items.length > 0 ? items : undefined;
      },
      { what: 'the rectification audited' },
    );
    expect(JSON.stringify(audit)).not.toContain(right.national.slice(1));
  });
});
