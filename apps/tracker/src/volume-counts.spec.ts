import type { RoutedExchange } from '@liaison/domain';
import { volumeIncrements } from './volume-counts';

/** A routed message from an agency of one country to one agency in each of the others. */
function routed(day: string, senderCountry: string, recipientCountries: string[]): RoutedExchange {
  return {
    day,
    sender: { agency: `${senderCountry}-ENU`, country: senderCountry },
    recipients: recipientCountries.map((country, i) => ({ agency: `${country}-AG${i}`, country })),
    messageType: 'request',
    crimeArea: '',
  };
}

describe('volumeIncrements', () => {
  it('counts a message once per sender country and once per distinct recipient country', () => {
    const result = volumeIncrements([
      routed('2026-03-01', 'GB', ['RO', 'RO', 'BG']),
      routed('2026-03-01', 'GB', ['RO']),
      routed('2026-03-02', 'RO', ['GB']),
    ]);
    expect(result.sent).toEqual([
      { day: '2026-03-01', senderCountry: 'GB', messages: 2 },
      { day: '2026-03-02', senderCountry: 'RO', messages: 1 },
    ]);
    expect(result.pairs).toEqual([
      { day: '2026-03-01', senderCountry: 'GB', recipientCountry: 'BG', messages: 1 },
      { day: '2026-03-01', senderCountry: 'GB', recipientCountry: 'RO', messages: 2 },
      { day: '2026-03-02', senderCountry: 'RO', recipientCountry: 'GB', messages: 1 },
    ]);
  });

  it('counts domestic exchanges too (a force to its national bureau)', () => {
    expect(volumeIncrements([routed('2026-03-01', 'GB', ['GB'])]).pairs).toEqual([
      { day: '2026-03-01', senderCountry: 'GB', recipientCountry: 'GB', messages: 1 },
    ]);
  });

  it('sums the exchange facts of the batch', () => {
    const { exchanges } = volumeIncrements([routed('2026-03-01', 'GB', ['RO', 'BG']), routed('2026-03-01', 'GB', ['RO'])]);
    expect(exchanges.filter((f) => f.direction === 'outbound').map((f) => [f.partnerCountry, f.messages, f.countryMessages])).toEqual([
      ['BG', 1, 1],
      ['RO', 2, 1],
    ]);
    expect(exchanges.filter((f) => f.direction === 'inbound').map((f) => [f.agency, f.countryMessages])).toEqual([
      ['BG-AG1', 1],
      ['RO-AG0', 2],
    ]);
  });

  it('gives nothing for nothing', () => {
    expect(volumeIncrements([])).toEqual({ pairs: [], sent: [], exchanges: [] });
  });
});
