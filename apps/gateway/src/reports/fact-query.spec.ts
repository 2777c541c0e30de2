import { onePerCell } from './fact-query';
import { exchangeCube } from '@liaison/domain';

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

describe('where a volume breakdown is summed', () => {
  const cube = (granularity: 'year', used: Parameters<typeof exchangeCube>[1]) => exchangeCube(granularity, used)!.cube;

  it('passes stored rows on when the scope, dimensions and one-value filters fix every key of the cube', () => {
    const agencyPartner = cube('year', ['agency', 'partner-country', 'direction']);
    // An agency fixes its country: every country's rows, one per agency, partner and period.
    expect(
      onePerCell(agencyPartner, { country: null }, ['agency', 'partner-country'], { direction: ['outbound'] }),
    ).toBe(true);
    expect(onePerCell(cube('year', ['direction']), { country: 'GB' }, ['direction'], {})).toBe(true);
    // Every direction together is a cube of its own.
    expect(
      onePerCell(
        cube('year', ['agency', 'message-type', 'crime-area']),
        { country: null },
        ['agency', 'message-type', 'crime-area'],
        {},
      ),
    ).toBe(true);
    // Every country's figures summed are kept as rows of their own.
    expect(onePerCell(cube('year', ['direction']), { country: null }, ['direction'], {})).toBe(true);
  });

  it('sums in the database when rows of a cell differ in a key the report leaves out', () => {
    expect(
      onePerCell(
        cube('year', ['agency', 'message-type', 'crime-area']),
        { country: null },
        ['agency', 'message-type'],
        {},
      ),
    ).toBe(false);
    expect(
      onePerCell(cube('year', ['agency', 'direction', 'crime-area']), { country: null }, ['agency', 'crime-area'], {
        direction: ['outbound', 'inbound'],
      }),
    ).toBe(false);
    expect(
      onePerCell(
        cube('year', ['agency', 'partner-country', 'direction']),
        { country: 'GB' },
        ['agency', 'partner-country'],
        { direction: ['outbound', 'inbound'] },
      ),
    ).toBe(false);
    expect(onePerCell(cube('year', ['region', 'direction']), { country: 'GB' }, ['region', 'direction'], {})).toBe(
      false,
    );
    expect(onePerCell(cube('year', ['direction']), { country: null }, ['direction'], { country: ['GB', 'RO'] })).toBe(
      false,
    );
  });
});
