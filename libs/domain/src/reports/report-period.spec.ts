import { parsePeriod, periodLabel, previousPeriod } from './report-period';

describe('report periods', () => {
  it('reads years, quarters, months and days, with their first and last days', () => {
    expect(parsePeriod('2017')).toEqual({ granularity: 'year', label: '2017', from: '2017-01-01', to: '2017-12-31' });
    expect(parsePeriod('2016-Q1')).toEqual({
      granularity: 'quarter',
      label: '2016-Q1',
      from: '2016-01-01',
      to: '2016-03-31',
    });
    expect(parsePeriod('2015-Q4')).toMatchObject({ from: '2015-10-01', to: '2015-12-31' });
    expect(parsePeriod('2016-02')).toEqual({
      granularity: 'month',
      label: '2016-02',
      from: '2016-02-01',
      to: '2016-02-29',
    });
    expect(parsePeriod('2015-02')).toMatchObject({ to: '2015-02-28' });
    expect(parsePeriod('2017-07-14')).toEqual({
      granularity: 'day',
      label: '2017-07-14',
      from: '2017-07-14',
      to: '2017-07-14',
    });
  });

  it('names nothing for what is not a period', () => {
    for (const text of ['17', '2017-13', '2017-Q5', '2017-02-30', '2017-7', '2017-07-14T00:00', ' 2017', '1066'])
      expect(parsePeriod(text)).toBeNull();
  });

  it('labels the period holding a day, and finds the one before', () => {
    expect(['day', 'month', 'quarter', 'year'].map((g) => periodLabel('2017-08-31', g as 'day'))).toEqual([
      '2017-08-31',
      '2017-08',
      '2017-Q3',
      '2017',
    ]);
    expect(previousPeriod(parsePeriod('2017')!).label).toBe('2016');
    expect(previousPeriod(parsePeriod('2017-Q1')!).label).toBe('2016-Q4');
    expect(previousPeriod(parsePeriod('2016-03')!)).toMatchObject({ label: '2016-02', to: '2016-02-29' });
    expect(previousPeriod(parsePeriod('2017-01-01')!).label).toBe('2016-12-31');
  });
});
