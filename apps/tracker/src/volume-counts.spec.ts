import { volumeIncrements } from './volume-counts';

describe('volumeIncrements', () => {
  it('counts a message once per sender country and once per distinct recipient country', () => {
    const result = volumeIncrements([
      { day: '2026-03-01', senderCountry: 'GB', recipientCountries: ['RO', 'RO', 'BG'] },
      { day: '2026-03-01', senderCountry: 'GB', recipientCountries: ['RO'] },
      { day: '2026-03-02', senderCountry: 'RO', recipientCountries: ['GB'] },
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
    expect(volumeIncrements([{ day: '2026-03-01', senderCountry: 'GB', recipientCountries: ['GB'] }]).pairs).toEqual([
      { day: '2026-03-01', senderCountry: 'GB', recipientCountry: 'GB', messages: 1 },
    ]);
  });

  it('gives nothing for nothing', () => {
    expect(volumeIncrements([])).toEqual({ pairs: [], sent: [] });
  });
});
