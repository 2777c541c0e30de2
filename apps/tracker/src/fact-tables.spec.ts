import { exchangeFacts, type ExchangeFact } from '@liaison/domain';
import {
  COUNTRY_DIRECTIONS,
  EXCHANGE_CUBES,
  exchangeFactStatements,
  factStatements,
  grainTable,
  answersQuery,
  percentileUpdate,
  RESPONSE_TABLES,
  type FactStatement,
} from './fact-tables';

const facts: ExchangeFact[] = [
  exchangeFacts({
    day: '2017-01-31',
    sender: { agency: 'GB-WMP', country: 'GB' },
    recipients: [
      { agency: 'RO-ENU', country: 'RO' },
      { agency: 'GB-NCA-UKLB', country: 'GB' },
    ],
    messageType: 'request',
    crimeArea: 'labour-exploitation',
  }),
  exchangeFacts({
    day: '2017-02-01',
    sender: { agency: 'RO-ENU', country: 'RO' },
    recipients: [{ agency: 'GB-WMP', country: 'GB' }],
    messageType: 'reply',
    crimeArea: 'labour-exploitation',
  }),
  exchangeFacts({
    day: '2017-02-02',
    sender: { agency: 'GB-WMP', country: 'GB' },
    recipients: [{ agency: 'BG-ENU', country: 'BG' }],
    messageType: 'information',
    crimeArea: '',
  }),
].flat();

/** The rows an upsert writes, as objects keyed by column. */
function written(statement: FactStatement): Record<string, unknown>[] {
  const columns = /\(([^)]*)\)/.exec(statement.sql)![1].split(', ');
  const arrays = statement.params as unknown[][];
  return arrays[0].map((_, i) => Object.fromEntries(columns.map((column, c) => [column, arrays[c][i]])));
}

const statementFor = (statements: FactStatement[], table: string) =>
  statements.find((s) => s.sql.startsWith(`INSERT INTO ${table} `))!;

describe('the tracker summing facts into its tables', () => {
  it('sums each table and grain as if from the facts themselves, every country summed once', () => {
    const statements = exchangeFactStatements(facts);
    // Directions by month are summed from the totals by day; the naive sum from the facts must agree.
    const naive = new Map<string, number>();
    for (const fact of facts) {
      for (const country of [fact.country, '*']) {
        const key = [country, `${fact.day.slice(0, 7)}-01`, fact.direction].join('|');
        naive.set(key, (naive.get(key) ?? 0) + fact.countryMessages);
      }
    }
    const rows = written(statementFor(statements, 'report_country_directions_monthly'));
    expect(new Map(rows.map((r) => [[r.country, r.period, r.direction].join('|'), r.country_messages]))).toEqual(
      new Map([...naive].filter(([, n]) => n !== 0)),
    );
    expect(
      rows.find((r) => r.country === '*' && r.period === '2017-02-01' && r.direction === 'outbound')?.country_messages,
    ).toBe(2);
    // The same table written on its own (from the facts) gives the same rows.
    expect(written(factStatements(COUNTRY_DIRECTIONS, facts, ['month'])[0])).toEqual(rows);
  });

  it('writes the tables in one order, the rows of each sorted by key, so concurrent batches lock rows in one order', () => {
    const statements = exchangeFactStatements(facts);
    const tables = EXCHANGE_CUBES.flatMap((cube) =>
      cube.grains.map((grain) => ({ cube, table: grainTable(cube.table, grain) })),
    );
    expect(statements.map((s) => /INSERT INTO (\S+)/.exec(s.sql)![1])).toEqual(tables.map(({ table }) => table));
    statements.forEach((statement, i) => {
      const keys = written(statement).map((row) =>
        Object.values(row).slice(0, tables[i].cube.keys.length).join('\u0000'),
      );
      expect(keys).toEqual([...new Set(keys)].sort());
    });
  });

  it('reads the answers of the rows given through their keys, and sets their percentiles with the rows marked fresh', () => {
    const cells = [
      { country: '*', day: '2017-05-01', partnerCountry: 'RO' },
      { country: 'GB', day: '2017-05-01', partnerCountry: 'RO' },
    ];
    const query = answersQuery(RESPONSE_TABLES[1], 'month', cells);
    expect(query.params).toEqual([
      ['*', 'GB'],
      ['2017-05-01', '2017-05-01'],
      ['RO', 'RO'],
    ]);
    expect(query.sql).toContain('JOIN report_partner_answer_times_monthly a USING (country, period, partner_country)');
    const update = percentileUpdate(RESPONSE_TABLES[1], 'month', [
      { row: cells[0], median: 12, p80: 15 },
      { row: cells[1], median: null, p80: null },
    ]);
    expect(update.params).toEqual([
      ['*', 'GB'],
      ['2017-05-01', '2017-05-01'],
      ['RO', 'RO'],
      [12, null],
      [15, null],
    ]);
    expect(update.sql).toContain('UPDATE report_partner_requests_monthly');
    expect(update.sql).toContain('percentiles_stale = false');
  });

  it('marks every request-count row a batch adds to as stale', () => {
    const [counts] = factStatements(
      RESPONSE_TABLES[0].counts,
      [
        {
          day: '2017-05-02',
          country: 'GB',
          partnerCountry: 'RO',
          priority: 'urgent',
          requests: 1,
          answered: 0,
          withinDeadline: 0,
        },
      ],
      ['month'],
    );
    expect(counts.sql).toContain('percentiles_stale = true');
  });
});
