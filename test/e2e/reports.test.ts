import { shownCount } from '@liaison/domain';
import { waitFor, type ApiClient } from '@liaison/testing';
import type { DataSource } from 'typeorm';
import {
  reportFixture,
  type DeadlineRow,
  type Report,
  type ResponseRow,
  type VolumeRow,
} from '../support/report-fixture';

/**
 * The programme lead's reports reconcile with the router's own records: every report's figures for this year
 * (messages, requests and their answers, open requests, every country's sum) are checked against what the
 * router stored, whatever else other tests sent.
 */
describe('reports for programme leads', () => {
  const fixture = reportFixture();
  const { send, routed, reconciles, year, yearStart } = fixture;
  let db: DataSource;
  let lead: ApiClient;
  let europol: ApiClient;
  let bureau: ApiClient;
  let portugal: ApiClient;

  beforeAll(() => {
    ({ db, lead, europol, bureau, portugal } = fixture);
  });

  it('counts messages by direction and partner as the router filed them', async () => {
    const expected = async () => {
      const rows: { direction: string; partner: string; n: number }[] = await db.query(
        `WITH m AS (
           SELECT m.id, s.country AS sender_country, array_agg(DISTINCT r.country) AS reached
             FROM messages m JOIN agencies s ON s.code = m.sender_agency
             JOIN deliveries d ON d.message_id = m.id AND d.forwarded_by IS NULL JOIN agencies r ON r.code = d.recipient_agency
            WHERE m.submitted_at >= $1 GROUP BY m.id, s.country)
         SELECT 'outbound' AS direction, p AS partner, count(*)::int AS n FROM m, unnest(reached) AS p WHERE sender_country = 'GB' AND p <> 'GB' GROUP BY p
         UNION ALL SELECT 'inbound', sender_country, count(*)::int FROM m WHERE sender_country <> 'GB' AND 'GB' = ANY(reached) GROUP BY sender_country
         UNION ALL SELECT 'domestic', 'GB', count(*)::int FROM m WHERE sender_country = 'GB' AND 'GB' = ANY(reached) HAVING count(*) > 0
         ORDER BY 1, 2`,
        [yearStart],
      );
      return rows.map((r) => ({ direction: r.direction, partnerCountry: r.partner, messages: r.n }));
    };
    const report = async () => {
      const response = await lead.get<Report<VolumeRow>>(
        `/v1/reports/volumes?from=${year}&by=direction,partner-country`,
      );
      expect(response.status).toBe(200);
      // Country by year: nothing is hidden.
      expect(response.body).toMatchObject({ country: 'GB', smallCountsHidden: false });
      return response.body.rows.map(({ direction, partnerCountry, messages }) => ({
        direction,
        partnerCountry,
        messages,
      }));
    };
    await reconciles('volumes by direction and partner', report, expected);
    expect((await expected()).length).toBeGreaterThanOrEqual(4);
  });

  it('counts requests sent, answered and answered in time per partner as the deliveries record them', async () => {
    const expected = async () => {
      const rows: { partner: string; requests: number; answered: number; within: number }[] = await db.query(
        `SELECT r.country AS partner, count(*)::int AS requests, count(d.answered_at)::int AS answered,
                count(*) FILTER (WHERE d.answered_at <= d.answer_deadline)::int AS within
           FROM messages m JOIN agencies s ON s.code = m.sender_agency
           JOIN deliveries d ON d.message_id = m.id AND d.forwarded_by IS NULL JOIN agencies r ON r.code = d.recipient_agency
          WHERE m.submitted_at >= $1 AND s.country = 'GB' AND m.type IN ('request', 'cross-check') AND d.answer_deadline IS NOT NULL
          GROUP BY r.country ORDER BY 1`,
        [yearStart],
      );
      return rows.map((r) => ({
        partnerCountry: r.partner,
        requests: r.requests,
        answered: r.answered,
        answeredWithinDeadline: r.within,
      }));
    };
    const report = async () => {
      const response = await lead.get<Report<ResponseRow>>(`/v1/reports/response-times?from=${year}`);
      expect(response.status).toBe(200);
      return response.body.rows.map(({ partnerCountry, requests, answered, answeredWithinDeadline }) => ({
        partnerCountry,
        requests,
        answered,
        answeredWithinDeadline,
      }));
    };
    await reconciles('response times per partner', report, expected);
    // The median kept with Romania's row, and the one merged from Romania's and Bulgaria's answers (Bulgaria
    // answers none), are both the deliveries' median within 5%.
    const medians: { hours: number }[] = await db.query(
      `SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM d.answered_at - m.submitted_at)) / 3600 AS hours
         FROM messages m JOIN agencies s ON s.code = m.sender_agency JOIN deliveries d ON d.message_id = m.id AND d.forwarded_by IS NULL JOIN agencies r ON r.code = d.recipient_agency
        WHERE m.submitted_at >= $1 AND s.country = 'GB' AND r.country = 'RO' AND m.type IN ('request', 'cross-check') AND d.answered_at IS NOT NULL`,
      [yearStart],
    );
    const romanian = (await lead.get<Report<ResponseRow>>(`/v1/reports/response-times?from=${year}&partner-country=RO`))
      .body.rows[0];
    const merged = (
      await lead.get<Report<ResponseRow & { country: string }>>(
        `/v1/reports/response-times?from=${year}&by=country&partner-country=RO,BG`,
      )
    ).body.rows[0];
    for (const hours of [romanian.medianHours, merged.medianHours]) {
      expect(hours).not.toBeNull();
      expect(Math.abs(hours! - Number(medians[0].hours))).toBeLessThanOrEqual(
        Math.max(0.05 * Number(medians[0].hours), 0.05),
      );
    }
    expect(merged.medianHours).toBe(romanian.medianHours);
  });

  it('hides the times of fewer than 5 answers where counts are hidden, and shows them by country and year', async () => {
    // Portugal answers one request (no other test writes to it).
    const asked = await send(bureau, { type: 'request', priority: 'normal', recipients: ['PT-ENU'] });
    await routed(asked.id);
    await routed(
      (
        await send(portugal, {
          type: 'reply',
          inReplyTo: asked.id,
          caseReference: asked.caseReference,
          recipients: ['GB-NCA-UKLB'],
        })
      ).id,
    );
    const yearly = async () =>
      (await lead.get<Report<ResponseRow>>(`/v1/reports/response-times?from=${year}&partner-country=PT`)).body.rows[0];
    await waitFor(async () => (await yearly())?.answered === 1, { what: "Portugal's answer counted" });
    const median = (await yearly()).medianHours;
    expect(median).not.toBeNull();
    // A row whose kept percentiles are stale (answers just added) is timed from its answers, not from what it keeps.
    await db.query(
      `UPDATE report_partner_requests_yearly SET percentiles_stale = true, median_bucket = NULL WHERE country = 'GB' AND partner_country = 'PT'`,
    );
    expect((await yearly()).medianHours).toBe(median);
    const month = new Date().toISOString().slice(0, 7);
    const monthly = (await lead.get<Report<ResponseRow>>(`/v1/reports/response-times?from=${month}&partner-country=PT`))
      .body.rows;
    expect(monthly).toEqual([
      expect.objectContaining({
        requests: '<5',
        answered: '<5',
        medianHours: null,
        p80Hours: null,
        shareWithinDeadline: null,
      }),
    ]);
  });

  it("sums every country's figures for a European lead as the countries' own figures add up", async () => {
    const total = await europol.get<Report<{ period: string; direction: string; messages: number }>>(
      `/v1/reports/volumes?from=${year}&by=direction`,
    );
    const perCountry = await europol.get<Report<{ period: string; direction: string; messages: number }>>(
      `/v1/reports/volumes?from=${year}&by=country,direction`,
    );
    const sums = new Map<string, number>();
    for (const row of perCountry.body.rows) sums.set(row.direction, (sums.get(row.direction) ?? 0) + row.messages);
    expect(total.body.rows.map((row) => [row.direction, row.messages])).toEqual(
      [...sums].sort(([a], [b]) => (a < b ? -1 : 1)),
    );
    expect(total.body.rows.length).toBeGreaterThanOrEqual(2);
    const requests = await europol.get<Report<ResponseRow>>(
      `/v1/reports/response-times?from=${year}&partner-country=RO`,
    );
    const byCountry = await europol.get<Report<ResponseRow>>(
      `/v1/reports/response-times?from=${year}&by=country&partner-country=RO`,
    );
    expect(requests.body.rows[0].requests).toBe(byCountry.body.rows.reduce((sum, row) => sum + row.requests, 0));
  });

  it('counts open requests per partner as the deliveries still wait for them, small counts hidden', async () => {
    const threshold = 5;
    const expected = async () => {
      const rows: { partner: string; open: number }[] = await db.query(
        `SELECT r.country AS partner, count(*)::int AS open
           FROM messages m JOIN agencies s ON s.code = m.sender_agency JOIN cases c ON c.reference = m.case_reference
           JOIN deliveries d ON d.message_id = m.id AND d.forwarded_by IS NULL JOIN agencies r ON r.code = d.recipient_agency
          WHERE s.country = 'GB' AND m.type IN ('request', 'cross-check') AND d.answer_deadline IS NOT NULL AND d.answered_at IS NULL AND c.status <> 'closed'
          GROUP BY r.country ORDER BY 1`,
      );
      return rows.map((r) => ({ partnerCountry: r.partner, open: shownCount(r.open, threshold, true) }));
    };
    const report = async () => {
      const response = await lead.get<{ rows: DeadlineRow[] }>('/v1/reports/deadlines');
      expect(response.status).toBe(200);
      // Where every state is shown exactly, they add up to the open requests; otherwise the total is hidden too.
      return response.body.rows.map((r) => {
        const states = [r.withinDeadline, r.approaching, r.overdue];
        const open = states.every((s) => typeof s === 'number')
          ? shownCount(
              states.reduce((a, b) => a + b, 0),
              threshold,
              true,
            )
          : null;
        return { partnerCountry: r.partnerCountry, open: open ?? '<5' };
      });
    };
    await reconciles('open requests per partner', report, async () =>
      (await expected()).map((r) => ({ ...r, open: typeof r.open === 'number' && r.open < threshold ? '<5' : r.open })),
    );
  });
});
