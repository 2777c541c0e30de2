import { finerThanCountryByYear, shownChange, shownCount } from './report-disclosure';

describe('small counts in reports', () => {
  it('treats anything finer than country by year as fine', () => {
    expect(finerThanCountryByYear('year', ['country', 'partner-country', 'direction'])).toBe(false);
    expect(finerThanCountryByYear('year', [])).toBe(false);
    expect(finerThanCountryByYear('quarter', ['country'])).toBe(true);
    for (const dimension of ['agency', 'region', 'crime-area', 'message-type'] as const)
      expect(finerThanCountryByYear('year', ['country', dimension])).toBe(true);
  });

  it('hides counts from 1 to below the threshold in fine breakdowns only', () => {
    expect([0, 1, 4, 5, 298].map((n) => shownCount(n, 5, true))).toEqual([0, '<5', '<5', 5, 298]);
    expect([1, 4].map((n) => shownCount(n, 5, false))).toEqual([1, 4]);
    expect(shownCount(9, 10, true)).toBe('<10');
  });

  it('gives the change against the previous period, unless either count is hidden', () => {
    expect(shownChange(298, 145, 5, true)).toBe(1.055);
    expect(shownChange(100, 200, 5, true)).toBe(-0.5);
    expect(shownChange(7, 3, 5, true)).toBeNull();
    expect(shownChange(3, 7, 5, true)).toBeNull();
    expect(shownChange(7, 3, 5, false)).toBe(1.333);
    expect(shownChange(7, 0, 5, true)).toBeNull();
  });
});
