import { EXCHANGE_CUBES, reportCube } from './cube-catalogue';
import { cubeRows } from './cube-sums';
import { exchangeFacts, type ExchangeFact } from './exchange-facts';

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

/** The sums of one count per key, computed naively from the facts. */
function naive(keys: readonly string[], count: keyof ExchangeFact, allCountries: boolean, month = true) {
  const sums = new Map<string, number>();
  for (const fact of facts)
    for (const country of allCountries ? [fact.country, '*'] : [fact.country]) {
      const period = month ? `${fact.day.slice(0, 7)}-01` : fact.day;
      const key = [country, period, ...keys.map((k) => fact[k as keyof ExchangeFact])].join('|');
      sums.set(key, (sums.get(key) ?? 0) + (fact[count] as number));
    }
  return new Map([...sums].filter(([, n]) => n !== 0));
}

describe('facts summed into the cubes', () => {
  it('sums every cube and grain as if from the facts themselves, every country summed once', () => {
    const written = cubeRows(EXCHANGE_CUBES, facts);
    for (const { cube, grain, rows } of written) {
      if (grain === 'year') continue;
      const count = cube.counts[0];
      const got = new Map(rows.map((r) => [[r.country, r.day, ...cube.keys.map((k) => r[k])].join('|'), r[count]]));
      expect(got).toEqual(naive(cube.keys, count as keyof ExchangeFact, cube.allCountries, grain === 'month'));
    }
    const directions = written.find((w) => w.cube.table === 'report_country_directions' && w.grain === 'month')!;
    expect(
      directions.rows.find((r) => r.country === '*' && r.day === '2017-02-01' && r.direction === 'outbound')
        ?.countryMessages,
    ).toBe(2);
  });

  it('gives a cube the same rows whether summed from a larger cube or from the facts on its own', () => {
    const together = cubeRows(EXCHANGE_CUBES, facts).find(
      (w) => w.cube.table === 'report_agency_totals' && w.grain === 'month',
    )!;
    const alone = cubeRows(
      [{ ...reportCube('report_agency_totals'), summedFrom: undefined }] as typeof EXCHANGE_CUBES,
      facts,
      ['month'],
    );
    expect(alone[0].rows).toEqual(together.rows);
  });

  it('lists cubes and grains in one order, the rows of each sorted by key, so concurrent batches lock rows in one order', () => {
    const written = cubeRows(EXCHANGE_CUBES, facts);
    expect(written.map((w) => `${w.cube.table}/${w.grain}`)).toEqual(
      EXCHANGE_CUBES.flatMap((cube) => cube.grains.map((grain) => `${cube.table}/${grain}`)),
    );
    for (const { cube, rows } of written) {
      const keys = rows.map((row) => [row.country, row.day, ...cube.keys.map((k) => row[k])].join('\u0000'));
      expect(keys).toEqual([...new Set(keys)].sort());
    }
  });

  it('leaves out rows that add nothing: a change that cancels out writes nothing', () => {
    const negated = facts.map((f) => ({
      ...f,
      messages: -f.messages,
      agencyMessages: -f.agencyMessages,
      partnerMessages: -f.partnerMessages,
      countryMessages: -f.countryMessages,
    }));
    expect(cubeRows(EXCHANGE_CUBES, [...facts, ...negated])).toEqual([]);
  });
});
