import { waitFor, type ApiClient } from '@liaison/testing';
import { DataSource } from 'typeorm';
import { isolatedEnvironment } from '../support/isolated-environment';
import { issueKey, startServices, type RunningServices } from '../support/services';

type Accepted = { id: string; caseReference: string };
type Review = {
  reference: string;
  title: string | null;
  status: string;
  lastActivityAt: string;
  reviewAfterMonths: number;
  reviewDueAt: string;
  overdue: boolean;
  held: boolean;
  lastDecision: { decision: string; extendedUntil: string | null; reason: string | null } | null;
};
type Rules = { defaultMonths: number; rules: { crimeArea: string | null; reviewAfterMonths: number }[] };
type Problem = { status: number; detail: string; errors?: { field: string; message: string }[] };
type NotificationPage = { items: { event: string; data: Record<string, unknown> }[] };

/**
 * Review of what is kept: each case is due for review a period after its last activity (three years unless its
 * agency set another, for all its cases or a crime area); its owner's supervisors see the queue and extend, close
 * or erase; an overdue review is notified and counted in the deadline report; every decision is audited.
 */
describe('case review', () => {
  let services: RunningServices;
  let isolated: Awaited<ReturnType<typeof isolatedEnvironment>>;
  let db: DataSource;
  let officer: ApiClient;
  let supervisor: ApiClient;
  let admin: ApiClient;
  let lead: ApiClient;
  let romania: ApiClient;

  beforeAll(async () => {
    // A database and topics of its own: a case erased at review keeps its counts in the reports while its rows
    // go, which the reports' suite, reconciling the run's database with its figures, would read as a miscount.
    isolated = await isolatedEnvironment('review');
    services = await startServices({ ...isolated.env, REVIEW_SWEEP_MS: '300' });
    db = services.gateway.app.get(DataSource);
    [officer, supervisor, admin, lead, romania] = await Promise.all([
      issueKey(services, 'GB-WMP', 'officer'),
      issueKey(services, 'GB-WMP', 'supervisor'),
      issueKey(services, 'GB-WMP', 'admin'),
      issueKey(services, 'GB-NCA', 'programme-lead'),
      issueKey(services, 'RO-ENU', 'supervisor'),
    ]);
  }, 90_000);

  afterAll(async () => {
    await db?.query(`DELETE FROM retention_rules WHERE agency_code = 'GB-WMP'`);
    await services?.stop();
    await isolated?.drop();
  });

  /** A case of West Midlands whose last activity was `yearsAgo` years ago. */
  async function oldCase(yearsAgo: number): Promise<string> {
    const sent = await officer.post<Accepted>('/v1/messages', {
      type: 'information',
      recipients: ['RO-ENU'],
      subject: 'Old intelligence',
      body: 'Kept from an earlier operation.',
    });
    expect(sent.status).toBe(202);
    await waitFor(async () => (await officer.get(`/v1/messages/${sent.body.id}`)).status === 200, { what: 'routed' });
    const then = `now() - interval '${yearsAgo} years'`;
    await db.query(`UPDATE cases SET opened_at = ${then} WHERE reference = $1`, [sent.body.caseReference]);
    await db.query(`UPDATE messages SET routed_at = ${then} WHERE case_reference = $1`, [sent.body.caseReference]);
    return sent.body.caseReference;
  }

  const queued = async (reference: string) =>
    (await supervisor.get<Review[]>('/v1/reviews')).body.find((r) => r.reference === reference);

  it('queues a case past its period, by the agency’s own rule, notifies and counts it, and records an extension', async () => {
    const reference = await oldCase(4);
    const due = await waitFor(() => queued(reference), { what: 'the case in the review queue' });
    expect(due).toMatchObject({ overdue: true, reviewAfterMonths: 36, held: false, lastDecision: null });

    // The agency's admin sets two years for all its cases: the review date moves with it.
    const set = await admin.request<Rules>('PUT', '/v1/retention-rules', { json: { reviewAfterMonths: 24 } });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ defaultMonths: 36, rules: [{ crimeArea: null, reviewAfterMonths: 24 }] });
    const ruled = (await queued(reference))!;
    expect(ruled.reviewAfterMonths).toBe(24);
    const last = new Date(ruled.lastActivityAt);
    const expected = new Date(last);
    expected.setUTCMonth(expected.getUTCMonth() + 24);
    expect(new Date(ruled.reviewDueAt).toISOString().slice(0, 10)).toBe(expected.toISOString().slice(0, 10));

    // Its owner is told, once per review date (the rule made a new one), and the programme lead sees the count.
    const told = await waitFor(
      async () => {
        const items = (
          await supervisor.get<NotificationPage>('/v1/notifications?event=case.review-overdue')
        ).body.items.filter((n) => n.data.caseReference === reference);
        return items.length > 0 ? items : undefined;
      },
      { what: 'the overdue review notified' },
    );
    expect(new Set(told.map((n) => n.data.reviewDueAt)).size).toBe(told.length);
    expect(Object.keys(told[0].data).sort()).toEqual(['caseReference', 'reviewDueAt']);
    const report = await lead.get<{ overdueReviews: number | string }>('/v1/reports/deadlines');
    expect(report.status).toBe(200);
    expect([0, '0']).not.toContain(report.body.overdueReviews);

    // Extending needs a reason and a date after today.
    const noReason = await supervisor.post<Problem>(`/v1/cases/${reference}/review`, {
      decision: 'extend',
      until: '2027-09-30',
    });
    expect(noReason.status).toBe(400);
    expect(noReason.body.errors?.[0].field).toBe('reason');
    const past = await supervisor.post<Problem>(`/v1/cases/${reference}/review`, {
      decision: 'extend',
      reason: 'Trial listed',
      until: '2020-01-01',
    });
    expect(past.status).toBe(400);
    expect(past.body.errors?.[0]).toEqual({ field: 'until', message: 'must be a date after today' });
    const until = new Date(Date.now() + 200 * 86_400_000).toISOString().slice(0, 10);
    const extended = await supervisor.post<Review>(`/v1/cases/${reference}/review`, {
      decision: 'extend',
      reason: 'Trial listed for next year; evidence still needed',
      until,
    });
    expect(extended.status).toBe(200);
    expect(extended.body).toMatchObject({
      overdue: false,
      reviewDueAt: `${until}T00:00:00.000Z`,
      lastDecision: { decision: 'extend', reason: 'Trial listed for next year; evidence still needed' },
    });
    expect(await queued(reference)).toBeUndefined();
    const audited = await waitFor(
      async () =>
        (
          await admin.get<{ items: { objectId: string; detail: string | null }[] }>(
            '/v1/audit?action=case.review-extended',
          )
        ).body.items.find((e) => e.objectId === reference),
      { what: 'the extension audited' },
    );
    expect(audited.detail).toBe(`until ${until}`);
  });

  it('closes or erases at review, refuses erasing a held case, and keeps other agencies and roles out', async () => {
    const [toClose, toErase] = [await oldCase(5), await oldCase(5)];
    const closed = await supervisor.post<Review>(`/v1/cases/${toClose}/review`, { decision: 'close' });
    expect(closed.status).toBe(200);
    expect(closed.body.status).toBe('closed');
    expect(closed.body.overdue).toBe(false);
    expect(closed.body.lastDecision).toMatchObject({ decision: 'close' });
    const again = await supervisor.post<Problem>(`/v1/cases/${toClose}/review`, { decision: 'close' });
    expect(again.status).toBe(422);
    expect(again.body.detail).toBe(`case ${toClose} is already closed: extend or erase it`);

    expect((await supervisor.post(`/v1/cases/${toErase}/hold`, { reason: 'Appeal pending' })).status).toBe(201);
    const held = await supervisor.post<Problem>(`/v1/cases/${toErase}/review`, {
      decision: 'erase',
      ground: 'no-longer-needed',
    });
    expect(held.status).toBe(409);
    expect(held.body.detail).toContain('legal hold');
    expect((await supervisor.request('DELETE', `/v1/cases/${toErase}/hold`)).status).toBe(204);
    const noGround = await supervisor.post<Problem>(`/v1/cases/${toErase}/review`, { decision: 'erase' });
    expect(noGround.status).toBe(400);
    const erased = await supervisor.post<Review>(`/v1/cases/${toErase}/review`, {
      decision: 'erase',
      ground: 'no-longer-needed',
    });
    expect(erased.status).toBe(200);
    expect(erased.body).toMatchObject({ status: 'erased', title: null, lastDecision: { decision: 'erase' } });
    expect((await supervisor.get(`/v1/cases/${toErase}/erasure`)).status).toBe(200);
    // From the moment its erasure begins, the case is no longer queued for review.
    expect(await queued(toErase)).toBeUndefined();

    expect((await officer.get('/v1/reviews')).status).toBe(403);
    expect((await romania.post(`/v1/cases/${toClose}/review`, { decision: 'close' })).status).toBe(404);
    expect((await admin.request('DELETE', '/v1/retention-rules?crimeArea=organ-harvesting')).status).toBe(404);
    expect((await admin.request('PUT', '/v1/retention-rules', { json: { reviewAfterMonths: 0 } })).status).toBe(400);
    expect(
      (await admin.request('PUT', '/v1/retention-rules', { json: { reviewAfterMonths: 12, crimeArea: 'nope' } }))
        .status,
    ).toBe(400);
  });
});
