import { createDataSource } from '@liaison/persistence';
import { waitFor, type ApiClient } from '@liaison/testing';
import type { DataSource } from 'typeorm';
import { issueKey, startServices, type RunningServices } from '../support/services';

type ImportView = {
  id: string;
  country: string;
  counts: number;
  firstPeriod: string;
  lastPeriod: string;
  sha256: string;
  importedAt: string;
};
type Problem = { status: number; type: string; detail: string; errors: { field: string; message: string }[] };

/** Figures from before the system existed, imported by a programme lead as CSV. */
describe('historical counts', () => {
  let services: RunningServices;
  let db: DataSource;
  let lead: ApiClient;
  let romanianLead: ApiClient;
  let admin: ApiClient;
  const header = 'period,direction,partner,crime_area,message_type,count\n';

  beforeAll(async () => {
    services = await startServices();
    db = await createDataSource({
      url: process.env.DATABASE_URL!,
      poolSize: 2,
      applicationName: 'e2e-report-imports',
    }).initialize();
    admin = services.api.as(services.adminKey);
    [lead, romanianLead] = await Promise.all([
      issueKey(services, 'GB-NCA-UKLB', 'programme-lead'),
      issueKey(services, 'RO-ENU', 'programme-lead'),
    ]);
  }, 90_000);

  afterAll(async () => {
    await services?.stop();
    await db?.destroy();
  });

  const upload = (client: ApiClient, csv: string | Uint8Array, type = 'text/csv') =>
    client.request<ImportView & Problem>('POST', '/v1/reports/imports', {
      raw: csv,
      headers: { 'content-type': type },
    });
  const stored = (country: string, partner: string) =>
    db.query<{ period: string; direction: string; message_type: string; messages: string }[]>(
      'SELECT period, direction, message_type, messages FROM report_imported_counts WHERE country = $1 AND partner_country = $2 ORDER BY period, direction, message_type',
      [country, partner],
    );

  it('imports a file as a European spreadsheet saves it (semicolons, a byte-order mark, CRLF), and refuses one not in UTF-8, naming its encoding', async () => {
    const n = 1_000 + Math.floor(Math.random() * 1_000_000);
    const saved = `\uFEFF${header.trim().replace(/,/g, ';')}\r\n2014;outbound;EU;unspecified;request;${n}\r\n`;
    const imported = await upload(lead, Buffer.from(saved, 'utf8'));
    expect(imported.status).toBe(201);
    expect(await stored('GB', 'EU')).toContainEqual({
      period: '2014',
      direction: 'outbound',
      message_type: 'request',
      messages: String(n),
    });
    // Saved by a spreadsheet set to Central European (Windows-1250): ş is one byte, 0xBA, and not UTF-8.
    const legacy = Buffer.from(
      `${header}2013,outbound,EU,unspecified,request,1\n# Ia\xbai Bra\xbaov Timi\xbaoara\n`,
      'latin1',
    );
    const refused = await upload(lead, legacy);
    expect(refused.status).toBe(422); // as every file the import cannot take
    expect(refused.body.errors).toEqual([
      { field: 'line 1', message: expect.stringMatching(/^the file is not UTF-8 \(it looks like [\w-]+\)/) },
    ]);
  });

  it('imports a file for the lead’s country, and the same file again changes nothing', async () => {
    // Counts this run alone gives, so that an earlier run's import of the same lines cannot answer for it.
    const n = 1_000 + Math.floor(Math.random() * 1_000_000);
    const csv = `${header}2015,outbound,EU,unspecified,request,${n}\n2017,outbound,EU,unspecified,request,${n + 153}\n2016-Q3,inbound,EU,labour-exploitation,reply,12\n`;
    const first = await upload(lead, csv);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ country: 'GB', counts: 3, firstPeriod: '2015', lastPeriod: '2017' });
    const rows = await stored('GB', 'EU');
    expect(rows).toEqual(
      expect.arrayContaining([
        { period: '2015', direction: 'outbound', message_type: 'request', messages: String(n) },
        { period: '2017', direction: 'outbound', message_type: 'request', messages: String(n + 153) },
      ]),
    );

    const again = await upload(lead, csv);
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
    expect(await stored('GB', 'EU')).toEqual(rows);
    expect(
      (await lead.get<ImportView[]>('/v1/reports/imports')).body.filter((i) => i.id === first.body.id),
    ).toHaveLength(1);
    // Another country's lead sees only its own imports.
    expect((await romanianLead.get<ImportView[]>('/v1/reports/imports')).body.map((i) => i.id)).not.toContain(
      first.body.id,
    );

    // A corrected file replaces the counts it gives again.
    const corrected = await upload(lead, `${header}2015,outbound,EU,unspecified,request,${n + 1}\n`);
    expect(corrected.status).toBe(201);
    expect((await stored('GB', 'EU')).find((r) => r.period === '2015' && r.message_type === 'request')).toMatchObject({
      messages: String(n + 1),
    });

    const audit = await waitFor(
      async () => {
        const page = await admin.get<{ items: { action: string; objectId: string; agency: string }[] }>(
          `/v1/audit?objectId=${first.body.id}`,
        );
        return page.body.items[0];
      },
      { what: 'the import in the audit log' },
    );
    expect(audit).toMatchObject({ action: 'report.imported', agency: 'GB-NCA-UKLB' });
  });

  it('rejects a file with a bad line whole, naming the line and the reason', async () => {
    const partner = 'RO';
    const before = await stored('GB', partner);
    const marker = 900_000 + Math.floor(Math.random() * 99_999);
    const bad = await upload(
      lead,
      `${header}2016,outbound,RO,unspecified,request,${marker}\n2016,outbound,RO,fraud,request,3\n`,
    );
    expect(bad.status).toBe(422);
    expect(bad.body.type).toBe('urn:liaison:problem:invalid-import');
    expect(bad.body.errors).toEqual([
      { field: 'line 3', message: expect.stringContaining('crime_area "fraud" must be one of') },
    ]);
    expect(await stored('GB', partner)).toEqual(before);
    expect((await stored('GB', partner)).some((r) => r.messages === String(marker))).toBe(false);

    expect((await upload(lead, `${header}2016,outbound,RO,unspecified,request\n`)).body.errors).toEqual([
      { field: 'line 2', message: 'has 5 fields, not 6' },
    ]);
    expect((await upload(lead, 'just text')).status).toBe(422);
    const json = await upload(lead, JSON.stringify({ period: '2016' }), 'application/json');
    expect(json.status).toBe(415);
    expect(json.body.detail).toContain('text/csv');
    expect((await upload(lead, `${header}2016,outbound,RO,unspecified,request,1\n`, 'text/plain')).status).toBe(415);
  });
});
