import { ReportGrid, reportDimensions, reportFilters, reportRange, shownRow, type ReportRange } from './report-query';

const ALL: { granularities: readonly ('day' | 'month' | 'quarter' | 'year')[]; maxPeriods: number; today?: string } = {
  granularities: ['day', 'month', 'quarter', 'year'],
  maxPeriods: 3700,
};

function range(query: Record<string, string>, options: typeof ALL = ALL): ReportRange {
  const result = reportRange(query, options);
  if ('problem' in result) throw new Error(result.problem.message);
  return result.range;
}

describe('report range', () => {
  it('reads periods at the granularity of from, or at the one asked for', () => {
    expect(range({ from: '2015', to: '2017' })).toMatchObject({
      granularity: 'year',
      from: '2015-01-01',
      to: '2017-12-31',
      periods: ['2015', '2016', '2017'],
    });
    expect(range({ from: '2017', granularity: 'quarter' }).periods).toEqual([
      '2017-Q1',
      '2017-Q2',
      '2017-Q3',
      '2017-Q4',
    ]);
    expect(range({ from: '2017-11', to: '2018-02' }).periods).toEqual(['2017-11', '2017-12', '2018-01', '2018-02']);
    expect(range({ from: '2016-02', granularity: 'day' }).periods).toHaveLength(29);
    expect(range({ from: '2017' }).before.label).toBe('2016');
    expect(range({ from: '2017-Q1', granularity: 'month' }).before.label).toBe('2016-12');
  });

  it('names the parameter that is wrong', () => {
    const problem = (query: Record<string, string>, options = ALL) => {
      const result = reportRange(query, options);
      return 'problem' in result ? result.problem : null;
    };
    expect(problem({})).toMatchObject({ field: 'from' });
    expect(problem({ from: '17' })).toMatchObject({ field: 'from', message: expect.stringContaining('2017-Q3') });
    expect(problem({ from: '2017', to: 'next year' })).toMatchObject({ field: 'to' });
    expect(problem({ from: '2017', granularity: 'week' })).toMatchObject({
      field: 'granularity',
      message: 'granularity must be one of day, month, quarter, year',
    });
    expect(problem({ from: '2017-07', granularity: 'year' })).toEqual({
      field: 'from',
      message: 'from 2017-07 does not start a year',
    });
    expect(problem({ from: '2017-01', to: '2017-07', granularity: 'quarter' })).toEqual({
      field: 'to',
      message: 'to 2017-07 does not end a quarter',
    });
    expect(problem({ from: '2017', to: '2016' })).toMatchObject({ field: 'to', message: 'to must not be before from' });
    expect(problem({ from: '2017-01-01', to: '2017-01-31' }, { ...ALL, maxPeriods: 30 })).toMatchObject({
      field: 'to',
      message: expect.stringContaining('at most 30'),
    });
    expect(problem({ from: '2017-01-01' }, { granularities: ['month', 'year'], maxPeriods: 100 })).toMatchObject({
      field: 'granularity',
    });
    expect(problem({ from: '1899' })).toMatchObject({ field: 'from' });
    expect(problem({ from: '9999' }, { ...ALL, today: '2026-12-03' })).toEqual({
      field: 'from',
      message: 'from must not be after 2027',
    });
    expect(problem({ from: '2026-Q4', to: '2028-Q1' }, { ...ALL, today: '2026-12-03' })).toEqual({
      field: 'to',
      message: 'to must not be after 2027',
    });
  });

  it('reaches from the first year to the year after this one, with the period before the first', () => {
    expect(range({ from: '1900' }).before).toMatchObject({ label: '1899', from: '1899-01-01', to: '1899-12-31' });
    expect(range({ from: '1900-01-01', granularity: 'day' }).before.label).toBe('1899-12-31');
    expect(range({ from: '2027', granularity: 'quarter' }, { ...ALL, today: '2026-12-03' }).periods).toEqual([
      '2027-Q1',
      '2027-Q2',
      '2027-Q3',
      '2027-Q4',
    ]);
  });
});

describe('report dimensions and filters', () => {
  const offered = ['partner-country', 'crime-area', 'agency'] as const;

  it('reads the dimensions to break counts down by', () => {
    expect(reportDimensions(undefined, offered)).toEqual({ dimensions: [] });
    expect(reportDimensions('partner-country,crime-area', offered)).toEqual({
      dimensions: ['partner-country', 'crime-area'],
    });
    expect(reportDimensions('partner-country,colour', offered)).toEqual({
      problem: {
        field: 'by',
        message: 'colour is not a dimension of this report; use partner-country, crime-area, agency',
      },
    });
    expect(reportDimensions('agency,agency', offered)).toMatchObject({ problem: { field: 'by' } });
    expect(reportDimensions(['agency', 'agency'], offered)).toMatchObject({ problem: { field: 'by' } });
  });

  it('reads filters as lists of codes', () => {
    expect(reportFilters({ 'partner-country': 'RO,BG,RO', agency: '', other: 'x' }, offered)).toEqual({
      filters: { 'partner-country': ['RO', 'BG'] },
    });
    expect(reportFilters({ agency: "GB-WMP' OR 1=1" }, offered)).toMatchObject({ problem: { field: 'agency' } });
    expect(reportFilters({ agency: ['GB-WMP', 'GB-NCA'] }, offered)).toMatchObject({ problem: { field: 'agency' } });
  });
});

describe('report grid and shown rows', () => {
  const years = range({ from: '2016', to: '2017' });

  /** Volume rows from cells given by period label (a year's first day is its stored period). */
  function shown(
    cells: { period: string; values: (string | null)[]; count: number; imported: number }[],
    fine = false,
  ) {
    const grid = new ReportGrid(years, 2);
    for (const cell of cells) grid.add(`${cell.period}-01-01`, cell.values, [cell.count, cell.imported]);
    return [...grid.rows()].map((row) => shownRow(row, 5, fine));
  }

  it('gives each period and combination its count, the count before and the change', () => {
    const rows = shown([
      { period: '2015', values: ['RO'], count: 10, imported: 10 },
      { period: '2016', values: ['RO'], count: 15, imported: 0 },
      { period: '2017', values: ['RO'], count: 30, imported: 0 },
      { period: '2017', values: ['BG'], count: 7, imported: 0 },
    ]);
    expect(rows).toEqual([
      { period: '2016', values: ['RO'], count: 15, imported: 0, previous: 10, change: 0.5, source: 'tracked' },
      { period: '2017', values: ['BG'], count: 7, imported: 0, previous: 0, change: null, source: 'tracked' },
      { period: '2017', values: ['RO'], count: 30, imported: 0, previous: 15, change: 1, source: 'tracked' },
    ]);
  });

  it('shows a fall to nothing, and leaves out what was nothing in both periods', () => {
    expect(shown([{ period: '2016', values: ['AL'], count: 12, imported: 0 }])).toEqual([
      { period: '2016', values: ['AL'], count: 12, imported: 0, previous: 0, change: null, source: 'tracked' },
      { period: '2017', values: ['AL'], count: 0, imported: 0, previous: 12, change: -1, source: 'tracked' },
    ]);
    // Counted only in the period before the range: shown in the first period, as a fall to nothing.
    expect(shown([{ period: '2015', values: ['AL'], count: 3, imported: 0 }])).toEqual([
      { period: '2016', values: ['AL'], count: 0, imported: 0, previous: 3, change: -1, source: 'tracked' },
    ]);
  });

  it('hides small counts, and the changes that would reveal them, in fine breakdowns only', () => {
    const cells = [
      { period: '2016', values: ['RO'], count: 3, imported: 0 },
      { period: '2017', values: ['RO'], count: 9, imported: 2 },
    ];
    expect(shown(cells, true)).toEqual([
      { period: '2016', values: ['RO'], count: '<5', imported: 0, previous: 0, change: null, source: 'tracked' },
      {
        period: '2017',
        values: ['RO'],
        count: 9,
        imported: '<5',
        previous: '<5',
        change: null,
        source: 'tracked+imported',
      },
    ]);
    expect(shown(cells, false)[1]).toMatchObject({ count: 9, previous: 3, change: 2 });
  });

  it('orders rows by period, then by their values in code-point order, with values not recorded last', () => {
    const rows = shown([
      { period: '2017', values: [null, 'outbound'], count: 6, imported: 6 },
      { period: '2017', values: ['GB-WMP', 'outbound'], count: 6, imported: 0 },
      { period: '2017', values: ['GB-NCA', 'outbound'], count: 6, imported: 0 },
      { period: '2017', values: ['GB-NCA', 'inbound'], count: 6, imported: 0 },
      { period: '2017', values: ['GB', 'inbound'], count: 6, imported: 0 },
      { period: '2016', values: ['GB-NCA', 'outbound'], count: 6, imported: 0 },
    ]);
    expect(rows.map((r) => [r.period, ...r.values])).toEqual([
      ['2016', 'GB-NCA', 'outbound'],
      ['2017', 'GB', 'inbound'],
      ['2017', 'GB-NCA', 'inbound'],
      ['2017', 'GB-NCA', 'outbound'],
      ['2017', 'GB-WMP', 'outbound'],
      ['2017', null, 'outbound'],
    ]);
  });

  it('sums stored periods into the report period holding them, and leaves out those outside the range', () => {
    const quarters = range({ from: '2017-Q1', to: '2017-Q2' });
    const grid = new ReportGrid(quarters, 2);
    for (const [day, count] of [
      ['2016-12-01', 4],
      ['2017-01-01', 5],
      ['2017-03-01', 6],
      ['2017-04-01', 7],
      ['2017-07-01', 100],
      ['2016-09-01', 100],
    ] as const) {
      grid.add(day, ['RO'], [count, 0]);
    }
    grid.add('2017-02-01', ['BG'], [2, 1]);
    expect([...grid.rows()]).toEqual([
      { period: '2017-Q1', values: ['BG'], counts: [2, 1], previous: 0 },
      { period: '2017-Q1', values: ['RO'], counts: [11, 0], previous: 4 },
      { period: '2017-Q2', values: ['BG'], counts: [0, 0], previous: 2 },
      { period: '2017-Q2', values: ['RO'], counts: [7, 0], previous: 11 },
    ]);
    expect(grid.totals()).toEqual([
      { period: '2017-Q1', values: [], counts: [13, 1], previous: 4 },
      { period: '2017-Q2', values: [], counts: [7, 0], previous: 13 },
    ]);
  });

  it('keeps counts added in any order of periods, and shows a gap between them as a fall to nothing', () => {
    const quarters = range({ from: '2017-Q1', to: '2017-Q4' });
    const grid = new ReportGrid(quarters, 2);
    grid.add('2017-07-01', ['RO'], [8, 0]);
    grid.add('2017-01-01', ['RO'], [3, 1]);
    grid.add('2016-10-01', ['RO'], [2, 0]);
    grid.add('2017-10-01', ['BG'], [1, 0]);
    grid.add('2017-08-01', ['RO'], [1, 0]);
    expect([...grid.rows()]).toEqual([
      { period: '2017-Q1', values: ['RO'], counts: [3, 1], previous: 2 },
      { period: '2017-Q2', values: ['RO'], counts: [0, 0], previous: 3 },
      { period: '2017-Q3', values: ['RO'], counts: [9, 0], previous: 0 },
      { period: '2017-Q4', values: ['BG'], counts: [1, 0], previous: 0 },
      { period: '2017-Q4', values: ['RO'], counts: [0, 0], previous: 9 },
    ]);
    expect(grid.totals().map((row) => [row.period, row.counts[0], row.previous])).toEqual([
      ['2017-Q1', 3, 2],
      ['2017-Q2', 0, 3],
      ['2017-Q3', 9, 0],
      ['2017-Q4', 1, 9],
    ]);
  });
});
