import { exchangeFacts, sumExchangeFacts, type ExchangeFact, type RoutedExchange } from './exchange-facts';

const message = (recipients: [string, string][], sender: [string, string] = ['GB-WMP', 'GB']): RoutedExchange => ({
  day: '2026-03-01',
  sender: { agency: sender[0], country: sender[1] },
  recipients: recipients.map(([agency, country]) => ({ agency, country })),
  messageType: 'request',
  crimeArea: 'labour-exploitation',
});

/** Sums one count over the rows that pass a filter. */
const total = (
  facts: ExchangeFact[],
  count: keyof Pick<ExchangeFact, 'messages' | 'agencyMessages' | 'partnerMessages' | 'countryMessages'>,
  where: (f: ExchangeFact) => boolean,
) => facts.filter(where).reduce((sum, f) => sum + f[count], 0);

describe('exchange facts', () => {
  // West Midlands asks two Romanian agencies, Bulgaria and the UK bureau at once.
  const facts = exchangeFacts(
    message([
      ['RO-ENU', 'RO'],
      ['RO-POL', 'RO'],
      ['BG-ENU', 'BG'],
      ['GB-NCA-UKLB', 'GB'],
      ['RO-ENU', 'RO'],
    ]),
  );

  it('counts one message once for every total, whatever the breakdown', () => {
    expect(total(facts, 'countryMessages', (f) => f.direction === 'outbound' && f.agency === 'GB-WMP')).toBe(1);
    expect(total(facts, 'agencyMessages', (f) => f.direction === 'outbound' && f.agency === 'GB-WMP')).toBe(1);
    expect(total(facts, 'countryMessages', (f) => f.direction === 'domestic')).toBe(1);
    // Romania received it once, at two of its agencies.
    expect(total(facts, 'countryMessages', (f) => f.direction === 'inbound' && f.agency.startsWith('RO-'))).toBe(1);
    expect(
      total(
        facts,
        'partnerMessages',
        (f) => f.direction === 'inbound' && f.agency.startsWith('RO-') && f.partnerCountry === 'GB',
      ),
    ).toBe(1);
  });

  it('counts it once per partner country and once per agency in breakdowns', () => {
    expect(
      ['RO', 'BG'].map((c) =>
        total(facts, 'partnerMessages', (f) => f.direction === 'outbound' && f.partnerCountry === c),
      ),
    ).toEqual([1, 1]);
    expect(
      ['RO-ENU', 'RO-POL', 'BG-ENU'].map((a) =>
        total(facts, 'agencyMessages', (f) => f.direction === 'inbound' && f.agency === a),
      ),
    ).toEqual([1, 1, 1]);
    expect(total(facts, 'messages', (f) => f.direction === 'outbound')).toBe(2);
    expect(
      facts.every(
        (f) => f.messageType === 'request' && f.crimeArea === 'labour-exploitation' && f.day === '2026-03-01',
      ),
    ).toBe(true);
  });

  it('has no outbound or inbound rows for a message kept within one country, and no domestic row for one sent abroad only', () => {
    const home = exchangeFacts(message([['GB-NCA-UKLB', 'GB']]));
    expect(home.map((f) => [f.agency, f.direction, f.partnerCountry])).toEqual([['GB-WMP', 'domestic', 'GB']]);
    const abroad = exchangeFacts(message([['EU-EUROPOL', 'EU']], ['GB-NCA-UKLB', 'GB']));
    expect(abroad.map((f) => [f.agency, f.direction, f.partnerCountry])).toEqual([
      ['GB-NCA-UKLB', 'outbound', 'EU'],
      ['EU-EUROPOL', 'inbound', 'GB'],
    ]);
  });

  it('sums the rows of many messages by day, agency, direction, partner, type and area, in one order', () => {
    const summed = sumExchangeFacts([...facts, ...exchangeFacts(message([['RO-ENU', 'RO']]))]);
    const outboundRo = summed.find(
      (f) => f.agency === 'GB-WMP' && f.direction === 'outbound' && f.partnerCountry === 'RO',
    )!;
    expect(outboundRo).toMatchObject({ messages: 2, partnerMessages: 2 });
    expect(total(summed, 'countryMessages', (f) => f.direction === 'outbound' && f.agency === 'GB-WMP')).toBe(2);
    const keys = summed.map((f) =>
      [f.day, f.country, f.agency, f.direction, f.partnerCountry, f.messageType, f.crimeArea].join('\u0000'),
    );
    expect(keys).toEqual([...keys].sort());
    expect(new Set(keys).size).toBe(keys.length);
  });
});
