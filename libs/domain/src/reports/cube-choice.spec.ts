import {
  ALL_COUNTRIES,
  chooseCube,
  countryRows,
  exchangeCube,
  grainTable,
  storedPeriods,
  type CubeShape,
} from './cube-choice';
import { RESPONSE_CUBES } from './cube-catalogue';

const cubes: CubeShape[] = [
  { table: 'small', dimensions: ['a'], grains: ['day', 'month'], allCountries: true },
  { table: 'agencies', dimensions: ['agency'], grains: ['month', 'year'], allCountries: false },
  { table: 'large', dimensions: ['a', 'b'], grains: ['month', 'quarter', 'year'], allCountries: true },
];

describe('the cube a report reads', () => {
  it('is the first (smallest) cube that keeps every dimension used, the country being kept by all', () => {
    expect(chooseCube(cubes, 'month', ['a'])?.cube.table).toBe('small');
    expect(chooseCube(cubes, 'month', ['country', 'a'])?.cube.table).toBe('small');
    expect(chooseCube(cubes, 'month', ['a', 'b'])?.cube.table).toBe('large');
    expect(chooseCube(cubes, 'month', [])?.cube.table).toBe('small');
  });

  it('holds a region wherever it keeps the agency', () => {
    expect(chooseCube(cubes, 'year', ['region'])?.cube.table).toBe('agencies');
  });

  it('is read at the coarsest grain it keeps that lies within the report periods', () => {
    expect(chooseCube(cubes, 'year', ['a'])).toMatchObject({ cube: { table: 'small' }, grain: 'month' });
    expect(chooseCube(cubes, 'day', ['a'])).toMatchObject({ cube: { table: 'small' }, grain: 'day' });
    expect(chooseCube(cubes, 'quarter', ['a', 'b'])).toMatchObject({ cube: { table: 'large' }, grain: 'quarter' });
    expect(chooseCube(cubes, 'year', ['a', 'b'])).toMatchObject({ cube: { table: 'large' }, grain: 'year' });
  });

  it('skips a cube that is not kept finely enough, and is none when no cube holds the breakdown', () => {
    expect(chooseCube(cubes, 'day', ['a', 'b'])).toBeNull();
    expect(chooseCube(cubes, 'day', ['agency'])).toBeNull();
    expect(chooseCube(cubes, 'year', ['agency', 'a'])).toBeNull();
  });

  it('keeps every response breakdown, by quarter too', () => {
    for (const used of [
      [],
      ['priority'],
      ['partner-country'],
      ['partner-country', 'priority'],
      ['country', 'priority'],
    ] as const) {
      expect(chooseCube(RESPONSE_CUBES, 'quarter', used)?.grain).toBe('quarter');
    }
  });
});

describe('the rows of a cube a scope reads', () => {
  it("are a national lead's own country, whatever else is asked", () => {
    expect(countryRows(cubes[0], 'GB', false)).toEqual({ country: 'GB' });
    expect(countryRows(cubes[0], 'GB', true)).toEqual({ country: 'GB' });
  });

  it('are the all-countries rows for every country together, where the cube keeps them', () => {
    expect(countryRows(cubes[0], null, false)).toEqual({ country: ALL_COUNTRIES });
    expect(countryRows(cubes[1], null, false)).toEqual({ everyCountry: true });
  });

  it("are each country's own rows when the report breaks down or filters by country", () => {
    expect(countryRows(cubes[0], null, true)).toEqual({ everyCountry: true });
  });

  it('live in a table per grain', () => {
    expect(['day', 'month', 'quarter', 'year'].map((g) => grainTable('report_x', g as 'day'))).toEqual([
      'report_x_daily',
      'report_x_monthly',
      'report_x_quarterly',
      'report_x_yearly',
    ]);
  });
});

describe('the stored periods of a range', () => {
  it('are the first days of every period of the grain the range touches', () => {
    expect(storedPeriods('2016-12-01', '2017-03-31', 'month')).toEqual([
      '2016-12-01',
      '2017-01-01',
      '2017-02-01',
      '2017-03-01',
    ]);
    expect(storedPeriods('2017-02-15', '2017-08-01', 'quarter')).toEqual(['2017-01-01', '2017-04-01', '2017-07-01']);
    expect(storedPeriods('2016-01-01', '2017-12-31', 'year')).toEqual(['2016-01-01', '2017-01-01']);
    expect(storedPeriods('2016-02-28', '2016-03-01', 'day')).toEqual(['2016-02-28', '2016-02-29', '2016-03-01']);
  });
});

const read = (...args: Parameters<typeof exchangeCube>) => {
  const chosen = exchangeCube(...args);
  return chosen && { table: chosen.table, measure: chosen.measure };
};

describe('the exchange cube a volume breakdown reads', () => {
  it('reads the smallest per-country cube, per day too, when no agency or region is asked for', () => {
    expect(read('day', [])).toEqual({ table: 'report_country_directions_daily', measure: 'country_messages' });
    expect(read('year', ['direction', 'country'])).toEqual({
      table: 'report_country_directions_yearly',
      measure: 'country_messages',
    });
    expect(read('day', ['message-type'])).toEqual({
      table: 'report_country_totals_daily',
      measure: 'country_messages',
    });
    expect(read('quarter', ['direction', 'crime-area'])).toEqual({
      table: 'report_country_totals_monthly',
      measure: 'country_messages',
    });
    expect(read('year', ['partner-country', 'direction'])).toEqual({
      table: 'report_country_partners_yearly',
      measure: 'partner_messages',
    });
    expect(read('day', ['partner-country'])).toEqual({
      table: 'report_country_partners_daily',
      measure: 'partner_messages',
    });
    expect(read('year', ['partner-country', 'message-type'])).toEqual({
      table: 'report_country_exchanges_yearly',
      measure: 'partner_messages',
    });
  });

  it('reads a per-agency cube for breakdowns by agency or region', () => {
    expect(read('year', ['agency'])).toEqual({ table: 'report_agency_totals_yearly', measure: 'agency_messages' });
    expect(read('month', ['region', 'direction', 'country'])).toEqual({
      table: 'report_agency_totals_monthly',
      measure: 'agency_messages',
    });
    expect(read('year', ['agency', 'crime-area', 'message-type'])).toEqual({
      table: 'report_agency_kinds_yearly',
      measure: 'agency_messages',
    });
    expect(read('month', ['region', 'message-type'])).toEqual({
      table: 'report_agency_kinds_monthly',
      measure: 'agency_messages',
    });
    expect(read('year', ['agency', 'crime-area', 'direction'])).toEqual({
      table: 'report_agency_exchanges_yearly',
      measure: 'agency_messages',
    });
    expect(read('year', ['agency', 'partner-country', 'direction'])).toEqual({
      table: 'report_agency_partner_exchanges_yearly',
      measure: 'messages',
    });
  });

  it('holds no breakdown by agency and partner with crime area or message type, none by agency per day, and none per day by partner with type or area', () => {
    expect(read('day', ['partner-country', 'crime-area'])).toBeNull();
    expect(read('month', ['region', 'message-type', 'partner-country'])).toBeNull();
    expect(read('year', ['agency', 'partner-country', 'crime-area'])).toBeNull();
    expect(read('day', ['agency'])).toBeNull();
  });
});
