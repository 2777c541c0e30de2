import { dateTimeWords, dueInWords, PRIORITY_WORDS } from './console-words';

describe('the console’s words', () => {
  const now = new Date('2026-12-05T12:00:00Z');

  it('says how long is left before a deadline, or by how much it was missed', () => {
    expect(dueInWords(new Date('2026-12-07T13:00:00Z'), now)).toBe('due in 2 days');
    expect(dueInWords(new Date('2026-12-06T11:00:00Z'), now)).toBe('due in 23 hours');
    expect(dueInWords(new Date('2026-12-05T12:01:30Z'), now)).toBe('due in 1 minute');
    expect(dueInWords(new Date('2026-12-02T11:00:00Z'), now)).toBe('overdue by 3 days');
  });

  it('gives each priority the answer time the Directive sets', () => {
    expect(PRIORITY_WORDS['urgent-direct']).toContain('8 hours');
    expect(PRIORITY_WORDS.urgent).toContain('3 days');
    expect(PRIORITY_WORDS.normal).toContain('7 days');
  });

  it('writes times in UTC and says so', () => {
    expect(dateTimeWords('2026-12-05T14:03:00Z')).toBe('5 Dec 2026, 14:03 UTC');
    expect(dateTimeWords(null)).toBe('');
  });
});
