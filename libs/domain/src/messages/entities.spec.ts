import { bicProblem, entityProblems, ibanProblem, normaliseIban } from './entities';

const today = '2026-11-22';
const fields = (entities: unknown[], links: unknown[] = []) =>
  entityProblems(entities, links, today).map((p) => p.field);

describe('IBANs', () => {
  it.each([
    'GB82 WEST 1234 5698 7654 32',
    'RO49 AAAA 1B31 0075 9384 0000',
    'DE89370400440532013000',
    'gb82west12345698765432',
  ])('accept %p', (iban) => {
    expect(ibanProblem(iban)).toBeNull();
  });

  it('normalise spaces and case', () => {
    expect(normaliseIban(' ro49 aaaa 1b31 0075 9384 0000 ')).toBe('RO49AAAA1B31007593840000');
  });

  it('reject a wrong digit, swapped digits, a wrong length and garbage', () => {
    expect(ibanProblem('GB82 WEST 1234 5698 7654 33')).toMatch(/checksum/);
    expect(ibanProblem('GB82 WEST 1234 5698 7654 23')).toMatch(/checksum/);
    expect(ibanProblem('GB82 WEST 1234 5698 7654')).toMatch(/22 characters/);
    expect(ibanProblem('not an iban')).toMatch(/not an IBAN/);
  });
});

describe('IBANs of every registry country', () => {
  /** The IBAN of a country and account with its check digits computed (ISO 7064 mod 97-10). */
  function withCheckDigits(country: string, bban: string): string {
    const digits = [...`${bban}${country}00`].map((c) => (/\d/.test(c) ? c : String(c.charCodeAt(0) - 55))).join('');
    const check = 98 - Number(BigInt(digits) % 97n);
    return `${country}${String(check).padStart(2, '0')}${bban}`;
  }

  it('know each country’s length: a Ukrainian IBAN one short, with valid check digits, is refused naming 29', () => {
    expect(ibanProblem('UA213223130000026007233566001')).toBeNull();
    const short = withCheckDigits('UA', '322313000002600723356600');
    expect(short).toHaveLength(28);
    expect(ibanProblem(short)).toBe('a UA IBAN has 29 characters, not 28');
  });

  it.each([
    ['MD', 'MD24AG000225100013104168', null],
    ['GE', 'GE29NB0000000101904917', null],
    ['TR', 'TR330006100519786457841326', null],
    ['AZ', 'AZ21NABZ00000000137010001944', null],
  ])('accept a %s IBAN from the registry (%s)', (_country, iban, problem) => {
    expect(ibanProblem(iban)).toBe(problem);
  });

  it('refuse a country that issues no IBANs, and an account laid out wrongly for its country', () => {
    expect(ibanProblem(withCheckDigits('US', '12345678901234'))).toBe('US is not a country that issues IBANs');
    // Germany's account part is 18 digits: letters in it are refused whatever the check digits say.
    expect(ibanProblem(withCheckDigits('DE', '37040044053201300A'))).toMatch(/laid out as a DE IBAN/);
  });
});

describe('BICs', () => {
  it('check the country against ISO 3166', () => {
    expect(bicProblem('DEUTXXFF')).toBe('XX in a BIC is not an ISO 3166 country code');
    expect(bicProblem('BTRLRO22')).toBeNull();
  });

  it('accept 8 and 11 characters and reject others', () => {
    expect(bicProblem('DEUTDEFF')).toBeNull();
    expect(bicProblem('DEUTDEFF500')).toBeNull();
    expect(bicProblem('DEUT')).not.toBeNull();
    expect(bicProblem('deutdeff')).not.toBeNull();
  });
});

describe('entityProblems', () => {
  const person = {
    ref: 'p1',
    type: 'person',
    names: ['Ștefan', 'POPESCU'],
    dateOfBirth: '1988-04-02',
    nationality: 'RO',
    gender: 'male',
  };
  const phone = { ref: 'ph1', type: 'phone', number: '+40 721 234 567', country: 'RO' };

  it('accept one valid entity of every type, linked together', () => {
    const entities = [
      person,
      phone,
      { ref: 'o1', type: 'organisation', name: 'Car Wash Ltd', registrationNumber: '12345678', country: 'GB' },
      { ref: 'e1', type: 'email', address: 'dani@example.ro' },
      { ref: 's1', type: 'social-media', platform: 'facebook', handle: 'dani.recruit' },
      { ref: 'd1', type: 'identity-document', documentType: 'passport', issuingCountry: 'RO', number: '051234567' },
      { ref: 'v1', type: 'vehicle', plate: 'B-123-XYZ', country: 'RO', vin: 'WVWZZZ1JZXW000001' },
      { ref: 'b1', type: 'bank-account', iban: 'RO49 AAAA 1B31 0075 9384 0000', bic: 'RNCBROBU' },
      { ref: 'l1', type: 'location', address: '12 Station Road', city: 'Wolverhampton', country: 'GB' },
      { ref: 'l2', type: 'location', latitude: 52.586, longitude: -2.128 },
    ];
    const links = [
      { from: 'ph1', to: 'p1', relation: 'used-by' },
      { from: 'p1', to: 'l1', relation: 'lives-at' },
    ];
    expect(entityProblems(entities, links, today)).toEqual([]);
  });

  it('refuse a date of birth in the future, before 1900, or not a date', () => {
    expect(fields([{ ...person, dateOfBirth: '2027-01-01' }])).toEqual(['entities[0].dateOfBirth']);
    expect(fields([{ ...person, dateOfBirth: '1850-01-01' }])).toEqual(['entities[0].dateOfBirth']);
    expect(fields([{ ...person, dateOfBirth: '1988-02-30' }])).toEqual(['entities[0].dateOfBirth']);
  });

  it('refuse an invalid IBAN, naming the entity and field', () => {
    const problems = entityProblems(
      [phone, { ref: 'b1', type: 'bank-account', iban: 'GB82 WEST 1234 5698 7654 33' }],
      [],
      today,
    );
    expect(problems).toEqual([{ field: 'entities[1].iban', message: expect.stringMatching(/checksum/) }]);
  });

  it.each([
    [{ ref: 'x', type: 'spaceship' }, 'entities[0].type'],
    [{ ref: 'x', type: 'person', names: [] }, 'entities[0].names'],
    [{ ref: 'x', type: 'person', names: ['A'], shoeSize: 42 }, 'entities[0].shoeSize'],
    [{ ref: 'x', type: 'phone', number: '12' }, 'entities[0].number'],
    [{ ref: 'x', type: 'email', address: 'not-an-address' }, 'entities[0].address'],
    [
      { ref: 'x', type: 'identity-document', documentType: 'passport', issuingCountry: 'Romania', number: '1' },
      'entities[0].issuingCountry',
    ],
    [{ ref: 'x', type: 'vehicle' }, 'entities[0].plate'],
    [{ ref: 'x', type: 'vehicle', vin: 'WVWZZZ1JZXW00000I' }, 'entities[0].vin'],
    [{ ref: 'x', type: 'location', latitude: 91, longitude: 0 }, 'entities[0].latitude'],
    [{ ref: 'x', type: 'location' }, 'entities[0].address'],
    [{ type: 'email', address: 'a@b.ro' }, 'entities[0].ref'],
    ['a string', 'entities[0]'],
  ])('name the problem in %p', (entity, field) => {
    expect(fields([entity])).toContain(field);
  });

  it('refuse duplicate refs and links to unknown or the same entity', () => {
    expect(fields([person, { ...phone, ref: 'p1' }])).toEqual(['entities[1].ref']);
    expect(fields([person, phone], [{ from: 'p1', to: 'zz', relation: 'uses' }])).toEqual(['links[0].to']);
    expect(fields([person], [{ from: 'p1', to: 'p1', relation: 'uses' }])).toEqual(['links[0].to']);
    expect(fields([person, phone], [{ from: 'p1', to: 'ph1', relation: 'Owns Phone' }])).toEqual(['links[0].relation']);
  });
});
