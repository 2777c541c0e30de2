import { shownCount } from '@liaison/domain';
import { randomInt } from 'node:crypto';
import { createDataSource } from '@liaison/persistence';
import { waitFor, type ApiClient } from '@liaison/testing';
import type { DataSource } from 'typeorm';
import { issueKey, startServices, type RunningServices } from '../support/services';

type Accepted = { id: string; caseReference: string };
type Problem = { status: number; detail: string; errors?: { field: string; message: string }[] };
type VolumeRow = {
  period: string;
  direction: string;
  partnerCountry: string;
  messageType?: string;
  messages: number | string;
  source: string;
};
type Report<R> = { country: string | null; rows: R[]; smallCountsHidden: boolean };
type ResponseRow = {
  period: string;
  partnerCountry: string;
  requests: number;
  answered: number;
  answeredWithinDeadline: number;
  medianHours: number | null;
  p80Hours: number | null;
  shareWithinDeadline: number | null;
};
type DeadlineRow = {
  partnerCountry: string;
  withinDeadline: number | string;
  approaching: number | string;
  overdue: number | string;
};
type MatchRow = { period: string; country: string; partnerCountry: string; found: number };
type JitReport = {
  country: string;
  live: number;
  years: { year: string; created: number; meetings: number; calledByCountry: number }[];
};

/**
 * The programme lead's reports reconcile with the router's own records: a known mix of exchanges is sent
 * (domestic, abroad and from abroad; requests answered, late and never; information), and every report's
 * figures for this year are checked against what the router stored (messages, deliveries, matches, teams),
 * whatever else earlier tests sent. Then the forms: CSV, SVG, and the refusals.
 */
describe('reports for programme leads', () => {
  let services: RunningServices;
  let db: DataSource;
  let lead: ApiClient;
  let europol: ApiClient;
  let wmp: ApiClient;
  let bureau: ApiClient;
  let romania: ApiClient;
  let portugal: ApiClient;
  const year = String(new Date().getUTCFullYear());
  const yearStart = `${year}-01-01`;

  beforeAll(async () => {
    services = await startServices();
    db = await createDataSource({
      url: process.env.DATABASE_URL!,
      poolSize: 2,
      applicationName: 'e2e-reports',
    }).initialize();
    [lead, europol, wmp, bureau, romania, portugal] = await Promise.all([
      issueKey(services, 'GB-NCA', 'programme-lead'),
      issueKey(services, 'EU-EUROPOL', 'programme-lead'),
      issueKey(services, 'GB-WMP', 'officer'),
      issueKey(services, 'GB-NCA-UKLB', 'officer'),
      issueKey(services, 'RO-ENU', 'officer'),
      issueKey(services, 'PT-ENU', 'officer'),
    ]);
  }, 90_000);

  afterAll(async () => {
    await services?.stop();
    await db?.destroy();
  });

  async function send(client: ApiClient, message: Record<string, unknown>): Promise<Accepted> {
    const response = await client.post<Accepted>('/v1/messages', {
      subject: 'Report test',
      body: 'Figures only.',
      ...message,
    });
    expect(response.status).toBe(202);
    return response.body;
  }

  /** Waits until the router has stored a message (its delivery exists). */
  async function routed(id: string): Promise<void> {
    await waitFor(async () => (await db.query('SELECT 1 FROM deliveries WHERE message_id = $1', [id])).length > 0, {
      what: `message ${id} routed`,
    });
  }

  /** Keeps asking until a report equals what the router's records give (the tracker counts moments later). */
  async function reconciles<T>(what: string, report: () => Promise<T>, expected: () => Promise<T>): Promise<void> {
    let last: { report: T; expected: T } | undefined;
    try {
      await waitFor(
        async () => {
          last = { report: await report(), expected: await expected() };
          return JSON.stringify(last.report) === JSON.stringify(last.expected);
        },
        { what, timeoutMs: 30_000 },
      );
    } finally {
      if (last) expect(last.report).toEqual(last.expected);
    }
  }

  it('sends a known mix of exchanges', async () => {
    const opened = await send(wmp, { type: 'request', priority: 'urgent', recipients: ['GB-NCA-UKLB'] });
    const abroad = await send(bureau, { type: 'request', priority: 'normal', recipients: ['RO-ENU', 'BG-ENU'] });
    await send(bureau, { type: 'information', recipients: ['RO-ENU', 'GB-WMP'] });
    const fromRomania = await send(romania, {
      type: 'cross-check',
      priority: 'urgent',
      recipients: ['GB-NCA-UKLB', 'GB-WMP'],
    });
    for (const message of [opened, abroad, fromRomania]) await routed(message.id);
    // Romania answers the bureau; the bureau answers West Midlands and Romania; Bulgaria never answers.
    const answers = [
      await send(romania, {
        type: 'reply',
        inReplyTo: abroad.id,
        caseReference: abroad.caseReference,
        recipients: ['GB-NCA-UKLB'],
      }),
      await send(bureau, {
        type: 'reply',
        inReplyTo: opened.id,
        caseReference: opened.caseReference,
        recipients: ['GB-WMP'],
      }),
      await send(bureau, {
        type: 'reply',
        inReplyTo: fromRomania.id,
        caseReference: fromRomania.caseReference,
        recipients: ['RO-ENU'],
      }),
    ];
    for (const answer of answers) await routed(answer.id);
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

  it('counts a match found between two countries once for each, as the matcher stored it', async () => {
    const found = async (client: ApiClient, partner: string) =>
      (
        await client.get<Report<MatchRow>>(`/v1/reports/matches?from=${year}&by=country,partner-country`)
      ).body.rows.find((r) => r.country === 'GB' && r.partnerCountry === partner)?.found ?? 0;
    const before = { gb: await found(lead, 'RO'), europolGb: await found(europol, 'RO') };
    // Two new cases, West Midlands' and Romania's, holding the same phone.
    const digits = `72${randomInt(1_000_000, 9_999_999)}`;
    const phone = [
      { ref: 'ph1', type: 'phone', number: `+40 ${digits.slice(0, 3)} ${digits.slice(3, 6)} ${digits.slice(6)}` },
    ];
    const ours = await send(wmp, { type: 'request', priority: 'normal', recipients: ['GB-NCA-UKLB'], entities: phone });
    await routed(ours.id);
    const theirs = await send(romania, { type: 'information', recipients: ['FR-ENU'], entities: phone });
    await waitFor(
      async () =>
        (
          await db.query(
            'SELECT 1 FROM matches WHERE announced_at IS NOT NULL AND $1 IN (case_a, case_b) AND $2 IN (case_a, case_b)',
            [ours.caseReference, theirs.caseReference],
          )
        ).length === 1,
      { what: 'the match stored and announced' },
    );
    await reconciles(
      'the match counted for the UK with Romania',
      async () => found(lead, 'RO'),
      async () => before.gb + 1,
    );
    // A European lead sees the same from the UK's side.
    expect(await found(europol, 'RO')).toBe(before.europolGb + 1);
  });

  it('counts teams and meetings as the router recorded them', async () => {
    const expected = async () => {
      const [created]: { n: number }[] = await db.query(
        `SELECT count(*)::int AS n FROM jits j WHERE j.created_at >= $1 AND EXISTS (SELECT 1 FROM jit_members m WHERE m.jit_id = j.id AND m.party_country = 'GB')`,
        [yearStart],
      );
      const [meetings]: { n: number; called: number }[] = await db.query(
        `SELECT count(*)::int AS n, count(*) FILTER (WHERE caller.country = 'GB')::int AS called
           FROM jit_meetings g JOIN agencies caller ON caller.code = g.recorded_by_agency
          WHERE g.held_on >= $1 AND (caller.country = 'GB' OR EXISTS (SELECT 1 FROM agencies p WHERE p.code = ANY(g.participants) AND p.country = 'GB'))`,
        [yearStart],
      );
      return { created: created.n, meetings: meetings.n, calledByCountry: meetings.called };
    };
    const report = async () => {
      const body = (await lead.get<JitReport>(`/v1/reports/jits?from=${year}`)).body;
      const { created, meetings, calledByCountry } = body.years[0];
      return { created, meetings, calledByCountry };
    };
    await reconciles('teams and meetings', report, expected);
  });

  it('gives every report as CSV, and the main ones as an SVG chart', async () => {
    const json = await lead.get<Report<VolumeRow>>(`/v1/reports/volumes?from=${year}&by=direction,partner-country`);
    const csv = await lead.get<string>(`/v1/reports/volumes?from=${year}&by=direction,partner-country`, {
      accept: 'text/csv',
    });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(csv.headers.get('content-disposition')).toBe(`attachment; filename="liaison-volumes-${year}.csv"`);
    const lines = csv.body.trim().split('\r\n');
    expect(lines[0]).toBe('period,direction,partner_country,messages,imported,previous,change,source');
    expect(lines).toHaveLength(json.body.rows.length + 1);
    const svg = await lead.get<string>(`/v1/reports/volumes?from=2020&to=${year}&by=direction`, {
      accept: 'image/svg+xml',
    });
    expect(svg.status).toBe(200);
    expect(svg.body).toMatch(/^<svg [^>]*width="960" height="540"/);
    expect(svg.body).toContain(`Messages exchanged by GB, 2020–${year}`);
    for (const path of ['response-times', 'matches', 'jits'])
      expect((await lead.get(`/v1/reports/${path}?from=${year}`, { accept: 'image/svg+xml' })).status).toBe(200);
    for (const path of [`response-times?from=${year}`, 'deadlines', `matches?from=${year}`, `jits?from=${year}`]) {
      const response = await lead.get<string>(`/v1/reports/${path}`, { accept: 'text/csv' });
      expect(response.status).toBe(200);
      expect(response.body.split('\r\n')[0]).toMatch(/^[a-z0-9_,]+$/);
    }
    // The deadlines snapshot has no chart.
    expect((await lead.get<Problem>('/v1/reports/deadlines', { accept: 'image/svg+xml' })).status).toBe(406);
    expect(
      (await lead.get<Problem>(`/v1/reports/volumes?from=${year}`, { accept: 'application/xml' })).body.detail,
    ).toContain('text/csv');
  });

  it('shows a national lead its own country only, and a European lead every country', async () => {
    const other = await lead.get<Problem>(`/v1/reports/volumes?from=${year}&country=RO`);
    expect(other.status).toBe(403);
    expect(other.body.detail).toBe("a programme lead of GB sees GB's figures, not RO's");
    const every = await europol.get<Report<{ country: string }>>(`/v1/reports/volumes?from=${year}&by=country`);
    expect(every.body.country).toBeNull();
    expect(every.body.rows.map((r) => r.country)).toEqual(expect.arrayContaining(['GB', 'RO']));
    const romanian = await europol.get<Report<{ country: string }>>(
      `/v1/reports/volumes?from=${year}&by=country&country=RO`,
    );
    expect(romanian.body.rows.map((r) => r.country)).toEqual(['RO']);
  });

  it('refuses queries it cannot answer, naming the parameter', async () => {
    const problem = async (path: string) => {
      const response = await lead.get<Problem>(path);
      return { status: response.status, field: response.body.errors?.[0]?.field };
    };
    expect(await problem('/v1/reports/volumes')).toEqual({ status: 400, field: 'from' });
    expect(await problem(`/v1/reports/volumes?from=${year}&by=colour`)).toEqual({ status: 400, field: 'by' });
    expect(await problem(`/v1/reports/volumes?from=${year}&granularity=day&by=agency`)).toEqual({
      status: 400,
      field: 'granularity',
    });
    expect(await problem(`/v1/reports/volumes?from=${year}&by=agency,partner-country,crime-area`)).toEqual({
      status: 400,
      field: 'by',
    });
    expect(
      await problem(`/v1/reports/volumes?from=${year}-01-01&to=${year}-01-31&by=partner-country,message-type`),
    ).toEqual({ status: 400, field: 'granularity' });
    expect(
      (await lead.get(`/v1/reports/volumes?from=${year}-01-01&to=${year}-01-31&by=partner-country,direction`)).status,
    ).toBe(200);
    expect(await problem(`/v1/reports/response-times?from=${year}-01-01`)).toEqual({
      status: 400,
      field: 'granularity',
    });
    expect(await problem(`/v1/reports/jits?from=${year}-Q1`)).toEqual({ status: 400, field: 'granularity' });
    expect(await problem(`/v1/reports/deadlines?from=${year}`)).toEqual({ status: 400, field: 'from' });
    expect(await problem(`/v1/reports/volumes?from=${year}&agency=GB-WMP'`)).toEqual({ status: 400, field: 'agency' });
  });
});
