import { randomInt } from 'node:crypto';
import { waitFor, type ApiClient } from '@liaison/testing';
import type { DataSource } from 'typeorm';
import {
  reportFixture,
  type JitReport,
  type MatchRow,
  type Problem,
  type Report,
  type VolumeRow,
} from '../support/report-fixture';

/**
 * Reports of matches and teams reconcile with what the matcher and router stored; then the forms of every report
 * (CSV, SVG), whose figures a lead may see, and the refusals.
 */
describe('report forms, matches and teams', () => {
  const fixture = reportFixture();
  const { send, routed, reconciles, year, yearStart } = fixture;
  let db: DataSource;
  let lead: ApiClient;
  let europol: ApiClient;
  let wmp: ApiClient;
  let romania: ApiClient;

  beforeAll(() => {
    ({ db, lead, europol, wmp, romania } = fixture);
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
    // For a spreadsheet set to a decimal comma: semicolons, and a byte-order mark so the text is read as UTF-8.
    const semicolons = await lead.bytes(`/v1/reports/volumes?from=${year}&by=direction&separator=semicolon`, {
      accept: 'text/csv',
    });
    const bytes = semicolons.body;
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.subarray(3).toString('utf8').split('\r\n')[0]).toBe(
      'period;direction;messages;imported;previous;change;source',
    );
    const tabs = await lead.get<Problem>(`/v1/reports/volumes?from=${year}&separator=tab`, { accept: 'text/csv' });
    expect(tabs.status).toBe(400);
    expect(tabs.body.errors).toEqual([{ field: 'separator', message: 'must be one of comma, semicolon' }]);
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
