import { ReportCubeRepository } from '../../apps/tracker/src';
import { ReportDatabase, VolumeReadRepository, type ReportScope } from '../../apps/gateway/src';
import {
  exchangeCube,
  EXCHANGE_CUBES,
  exchangeFacts,
  periodLabel,
  reportRange,
  sumExchangeFacts,
  UNSPECIFIED_CRIME_AREA,
  type ExchangeFact,
  type Granularity,
  type ReportDimension,
  type ReportRange,
} from '@liaison/domain';
import { createDataSource } from '@liaison/persistence';
import { seededRandom } from '@liaison/testing';
import type { DataSource } from 'typeorm';

/**
 * Volume reports read from the tracker's cubes in PostgreSQL, checked against the facts themselves: for each
 * breakdown, scope and granularity, every row's count and count before equal the facts summed by hand. The
 * breakdowns cover rows passed on as stored and rows summed in the database, months summed into quarters,
 * regions from the agency register, filters, and every country's figures. The facts are in 2011-2012, a span
 * no other test writes to.
 */
describe('volume report rows (real PostgreSQL)', () => {
  /** The cube the volume report chooses for a breakdown (a use case's choice, made here as it makes it). */
  const cubeFor = (
    r: ReportRange,
    dimensions: readonly ReportDimension[],
    filters: Partial<Record<ReportDimension, string[]>>,
  ) => exchangeCube(r.granularity, [...dimensions, ...(Object.keys(filters) as ReportDimension[])])!;
  let db: DataSource;
  let database: ReportDatabase;
  let reports: VolumeReadRepository;
  const regions = new Map<string, string>();
  const facts: ExchangeFact[] = [];

  beforeAll(async () => {
    db = await createDataSource({
      url: process.env.DATABASE_URL!,
      poolSize: 2,
      applicationName: 'report-grid-test',
    }).initialize();
    database = new ReportDatabase(db);
    reports = new VolumeReadRepository(database);
    const agencies: { code: string; country: string; region: string | null }[] = await db.query(
      `(SELECT code, country, region FROM agencies WHERE country = 'GB' ORDER BY code LIMIT 6) UNION ALL (SELECT code, country, region FROM agencies WHERE country IN ('RO', 'BG', 'PL', 'FR') ORDER BY code)`,
    );
    for (const agency of agencies) regions.set(agency.code, agency.region ?? '');
    const random = seededRandom(2011);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
    for (let i = 0; i < 600; i += 1) {
      const day = new Date(Date.UTC(2011, 0, 1) + Math.floor(random() * 730) * 86_400_000).toISOString().slice(0, 10);
      const sender = pick(agencies);
      const recipients = Array.from({ length: 1 + Math.floor(random() * 3) }, () => pick(agencies)).filter(
        (r) => r.code !== sender.code,
      );
      if (recipients.length === 0) continue;
      facts.push(
        ...exchangeFacts({
          day,
          sender: { agency: sender.code, country: sender.country },
          recipients: recipients.map((r) => ({ agency: r.code, country: r.country })),
          messageType: pick(['request', 'reply', 'information', 'cross-check']),
          crimeArea: pick(['labour-exploitation', 'sexual-exploitation', '']),
        }),
      );
    }
    await db.transaction((manager) => new ReportCubeRepository().add(manager, EXCHANGE_CUBES, sumExchangeFacts(facts)));
  });

  afterAll(async () => {
    await db.destroy();
  });

  const valueOf = (fact: ExchangeFact, dimension: ReportDimension): string => {
    switch (dimension) {
      case 'country':
        return fact.country;
      case 'partner-country':
        return fact.partnerCountry;
      case 'agency':
        return fact.agency;
      case 'region':
        return regions.get(fact.agency) ?? '';
      case 'crime-area':
        return fact.crimeArea === '' ? UNSPECIFIED_CRIME_AREA : fact.crimeArea;
      case 'message-type':
        return fact.messageType;
      case 'direction':
        return fact.direction;
    }
  };

  /** The rows a report should show, from the facts: each period's count per combination, and the one before. */
  function expected(
    scope: ReportScope,
    range: ReportRange,
    dimensions: ReportDimension[],
    filters: Partial<Record<ReportDimension, string[]>>,
  ) {
    const used = [...dimensions, ...(Object.keys(filters) as ReportDimension[])];
    const byAgency = used.includes('agency') || used.includes('region');
    const byPartner = used.includes('partner-country');
    // The count that counts a message once for the breakdown (see `exchangeFacts`).
    const measure = byAgency
      ? byPartner
        ? 'messages'
        : 'agencyMessages'
      : byPartner
        ? 'partnerMessages'
        : 'countryMessages';
    const labels = [range.before.label, ...range.periods];
    const counts = new Map<string, number>();
    const combinations = new Map<string, string[]>();
    for (const fact of facts) {
      if (scope.country !== null && fact.country !== scope.country) continue;
      if (
        (Object.entries(filters) as [ReportDimension, string[]][]).some(
          ([d, values]) => !values.includes(valueOf(fact, d)),
        )
      )
        continue;
      const period = periodLabel(fact.day, range.granularity);
      if (!labels.includes(period)) continue;
      const values = dimensions.map((d) => valueOf(fact, d));
      const combination = values.join('\u0000');
      combinations.set(combination, values);
      counts.set(`${period}|${combination}`, (counts.get(`${period}|${combination}`) ?? 0) + fact[measure]);
    }
    const rows: { period: string; values: string[]; count: number; previous: number }[] = [];
    for (let i = 1; i < labels.length; i += 1) {
      for (const [combination, values] of [...combinations].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
        const count = counts.get(`${labels[i]}|${combination}`) ?? 0;
        const previous = counts.get(`${labels[i - 1]}|${combination}`) ?? 0;
        if (count !== 0 || previous !== 0) rows.push({ period: labels[i], values, count, previous });
      }
    }
    return rows;
  }

  const range = (from: string, to: string, granularity: Granularity) => {
    const result = reportRange(
      { from, to, granularity },
      { granularities: ['day', 'month', 'quarter', 'year'], maxPeriods: 3700 },
    );
    if ('problem' in result) throw new Error(result.problem.message);
    return result.range;
  };

  const breakdowns: [
    name: string,
    range: ReportRange,
    dimensions: ReportDimension[],
    filters: Partial<Record<ReportDimension, string[]>>,
  ][] = [
    ['by direction per year', range('2012', '2012', 'year'), ['direction'], {}],
    [
      'by direction and partner per quarter (months summed)',
      range('2011-Q2', '2012-Q4', 'quarter'),
      ['direction', 'partner-country'],
      {},
    ],
    [
      'by crime area, type and direction per month',
      range('2012-01', '2012-12', 'month'),
      ['crime-area', 'message-type', 'direction'],
      {},
    ],
    [
      'by agency and partner, outbound (one stored row per cell)',
      range('2012', '2012', 'year'),
      ['agency', 'partner-country'],
      { direction: ['outbound'] },
    ],
    [
      'by agency, type and crime area (every direction, a cube of its own)',
      range('2011', '2012', 'year'),
      ['agency', 'message-type', 'crime-area'],
      {},
    ],
    [
      'by agency and crime area, two directions (summed in the database)',
      range('2011', '2012', 'year'),
      ['agency', 'crime-area'],
      { direction: ['outbound', 'inbound'] },
    ],
    ['by region and message type per quarter', range('2011-Q3', '2012-Q2', 'quarter'), ['region', 'message-type'], {}],
    ['by region and direction per quarter', range('2012-Q1', '2012-Q4', 'quarter'), ['region', 'direction'], {}],
    ['by direction per day', range('2012-03-01', '2012-04-30', 'day'), ['direction'], {}],
    [
      'requests to two partners',
      range('2011', '2012', 'year'),
      ['partner-country'],
      { 'message-type': ['request'], 'partner-country': ['RO', 'BG'] },
    ],
    ['by country and direction', range('2012', '2012', 'year'), ['country', 'direction'], {}],
  ];

  it.each(breakdowns)(
    '%s: every row as the facts sum, for a national and a European lead',
    async (_name, reportRangeOf, dimensions, filters) => {
      for (const scope of [{ country: 'GB' }, { country: null }]) {
        const grid = await reports.exchangeGrid(
          cubeFor(reportRangeOf, dimensions, filters),
          scope,
          reportRangeOf,
          dimensions,
          filters,
        );
        const rows = [...grid.rows()].map((row) => ({
          period: row.period,
          values: row.values,
          count: row.counts[0],
          previous: row.previous,
        }));
        const want = expected(scope, reportRangeOf, dimensions, filters);
        expect(want.length).toBeGreaterThan(0);
        expect(rows).toEqual(want);
      }
    },
  );

  it('rejects a query that fails as its rows are read, and leaves the connection usable', async () => {
    const eachRow = database.eachRow.bind(database);
    const taken: unknown[][] = [];
    await expect(
      eachRow('SELECT n, 1 / (3 - n) FROM generate_series(1, 5) AS n', [], (row) => taken.push(row)),
    ).rejects.toThrow(/division by zero/);
    await expect(
      eachRow('SELECT n FROM generate_series(1, 5) AS n', [], (row) => {
        if (row[0] === 2) throw new Error('a row the report could not take');
        taken.push(row);
      }),
    ).rejects.toThrow('a row the report could not take');
    // With the pool's two connections each having failed once, the next reads answer as before.
    const year = range('2012', '2012', 'year');
    const grid = await reports.exchangeGrid(
      cubeFor(year, ['direction'], {}),
      { country: 'GB' },
      year,
      ['direction'],
      {},
    );
    expect([...grid.rows()].map((row) => row.counts[0])).toEqual(
      expected({ country: 'GB' }, range('2012', '2012', 'year'), ['direction'], {}).map((row) => row.count),
    );
    await eachRow('SELECT 1', [], (row) => taken.push(row));
    expect(taken.at(-1)).toEqual([1]);
  });
});
