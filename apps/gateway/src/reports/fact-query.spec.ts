import { dimensionColumn, dimensionKey, onePerCell } from './fact-query';
import { exchangeCube } from '@liaison/domain';

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

describe('the columns a report reads, from the cube catalogue', () => {
  it('reads each dimension from the column of the key field that answers it', () => {
    expect(dimensionColumn('partner-country')).toBe('t.partner_country');
    expect(dimensionColumn('message-type')).toBe('t.message_type');
    expect(dimensionColumn('country')).toBe('t.country');
    expect(dimensionKey('entity-type')).toBe('entity_type');
    // A key field that answers no dimension: an answer's time bucket.
    expect(dimensionColumn('bucket')).toBe('t.bucket');
  });

  it('reads a region from the register and shows an empty crime area as unspecified', () => {
    expect(dimensionColumn('region')).toBe("coalesce(a.region, '')");
    expect(dimensionColumn('crime-area')).toBe("coalesce(nullif(t.crime_area, ''), 'unspecified')");
  });

  it('refuses a dimension no cube keeps', () => {
    expect(() => dimensionColumn('colour')).toThrow('no cube keeps colour');
  });
});
