import {
  checkedIban,
  checkedVin,
  entityMatchKeys,
  extractedKeys,
  matchKeyKind,
  matchKeyValue,
  messageMatchKeys,
  normaliseEmail,
  normalisePhone,
} from './match-keys';
import { foldName, nameTokens, phoneticKey } from './name-keys';

describe('foldName', () => {
  it.each([
    ['Ștefan POPESCU', 'stefan popescu'],
    ['Stefan  Popescu', 'stefan popescu'],
    ['Стефан Попеску', 'stefan popesku'],
    ['Γιώργος Παπαδόπουλος', 'giorgos papadopoulos'],
    ['Ευάγγελος', 'evaggelos'],
    ['Łukasz Wróbel-Nowak', 'lukasz wrobel nowak'],
    ["O'Brien, Seán", 'o brien sean'],
    ['Müller Straße', 'muller strasse'],
  ])('%p folds to %p', (name, folded) => {
    expect(foldName(name)).toBe(folded);
  });
});

describe('nameTokens', () => {
  it('ignores word order, case and repeats', () => {
    expect(nameTokens(['POPESCU Ștefan'])).toEqual(nameTokens(['stefan', 'Popescu', 'popescu']));
  });
});

describe('phoneticKey', () => {
  it.each([
    ['popescu', 'popesku'],
    ['stefan', 'stephan'],
    ['ivanov', 'ivanoff'],
    ['schmidt', 'shmidt'],
    ['nowak', 'novak'],
    ['kowalski', 'kovalsky'],
    ['alexandru', 'aleksandru'],
    ['mueller', 'muller'],
  ])('%p sounds like %p', (a, b) => {
    expect(phoneticKey(a)).toBe(phoneticKey(b));
    expect(phoneticKey(a).length).toBeGreaterThan(0);
  });

  it.each([
    ['popescu', 'ionescu'],
    ['stefan', 'stanciu'],
    ['popescu', 'popa'],
  ])('%p does not sound like %p', (a, b) => {
    expect(phoneticKey(a)).not.toBe(phoneticKey(b));
  });
});

describe('normalisePhone', () => {
  it.each(['+40 721 234 567', '0040721234567', '(0721) 234-567', '0721234567'])(
    'reads %p with country RO as +40721234567',
    (number) => {
      expect(normalisePhone(number, 'RO')).toBe('+40721234567');
    },
  );

  it('reads a UK mobile in national format with the GB hint', () => {
    expect(normalisePhone('07911 123456', 'GB')).toBe('+447911123456');
  });

  it('keeps an international number whatever the hint', () => {
    expect(normalisePhone('+44 7911 123456', 'RO')).toBe('+447911123456');
  });

  it.each(['12', 'not a phone', '0721234567'])('refuses %p without a usable country', (number) => {
    expect(normalisePhone(number)).toBeNull();
  });
});

describe('identifiers', () => {
  it('lower-cases e-mail addresses', () => {
    expect(normaliseEmail(' Ion.Popescu@Example.RO ')).toBe('ion.popescu@example.ro');
    expect(normaliseEmail('no-at-sign')).toBeNull();
  });

  it('takes IBANs with spaces and in lower case, and only with a valid checksum', () => {
    expect(checkedIban('ro49 aaaa 1b31 0075 9384 0000')).toBe('RO49AAAA1B31007593840000');
    expect(checkedIban('GB82 WEST 1234 5698 7654 32')).toBe('GB82WEST12345698765432');
    expect(checkedIban('GB82 WEST 1234 5698 7654 33')).toBeNull();
    expect(checkedIban('RO49 AAAA 1B31 0075 9384 0001')).toBeNull();
  });

  it('takes VINs only with a valid check digit', () => {
    expect(checkedVin('1m8gdm9axkp042788')).toBe('1M8GDM9AXKP042788');
    expect(checkedVin('5GZCZ43D13S812715')).toBe('5GZCZ43D13S812715');
    expect(checkedVin('5GZCZ43D23S812715')).toBeNull();
    expect(checkedVin('WVWZZZ1JZXW00000I')).toBeNull();
  });
});

describe('messageMatchKeys', () => {
  const entities = [
    { ref: 'p1', type: 'person', names: ['Ștefan', 'POPESCU'], dateOfBirth: '1987-04-12' },
    { ref: 'p2', type: 'person', names: ['Unknown Male'] },
    { ref: 't1', type: 'phone', number: '0721 234 567' },
    { ref: 'e1', type: 'email', address: 'S.Popescu@Example.ro' },
    { ref: 'b1', type: 'bank-account', iban: 'ro49 aaaa 1b31 0075 9384 0000' },
    { ref: 'd1', type: 'identity-document', documentType: 'passport', issuingCountry: 'RO', number: '05-123 456' },
    { ref: 'v1', type: 'vehicle', plate: 'B 123-ABC', country: 'RO', vin: '1M8GDM9AXKP042788' },
    { ref: 's1', type: 'social-media', platform: 'www.Facebook.com', handle: '@Stefan.Popescu87' },
    { ref: 'o1', type: 'organisation', name: 'Car Wash SRL' },
  ];

  it('derives strong keys from identifiers and candidate keys from a person with a date of birth', () => {
    const keys = messageMatchKeys(entities, '', 'RO');
    expect(keys.map((k) => [k.key, k.strength, k.ref])).toEqual([
      ['person-name:popescu stefan|1987-04-12', 'candidate', 'p1'],
      ['person-sound:psk stfn|1987-04-12', 'candidate', 'p1'],
      ['phone:+40721234567', 'strong', 't1'],
      ['email:s.popescu@example.ro', 'strong', 'e1'],
      ['iban:RO49AAAA1B31007593840000', 'strong', 'b1'],
      ['document:passport:RO:05123456', 'strong', 'd1'],
      ['plate:RO:B123ABC', 'strong', 'v1'],
      ['vin:1M8GDM9AXKP042788', 'strong', 'v1'],
      ['social:facebook:stefan.popescu87', 'strong', 's1'],
    ]);
    expect(keys.every((k) => !k.extracted)).toBe(true);
  });

  it('gives the same person keys for Latin, Cyrillic and unaccented spellings', () => {
    const keysOf = (names: string[]) =>
      messageMatchKeys([{ ref: 'p', type: 'person', names, dateOfBirth: '1987-04-12' }], '');
    const latin = keysOf(['Ștefan POPESCU']);
    expect(keysOf(['Popescu', 'Stefan']).map((k) => k.key)).toEqual(latin.map((k) => k.key));
    const cyrillic = keysOf(['Стефан Попеску']).find((k) => k.kind === 'person-sound');
    expect(cyrillic?.key).toBe(latin.find((k) => k.kind === 'person-sound')?.key);
  });

  it('extracts phones, e-mails and IBANs from free text and marks them', () => {
    const text =
      'Victims paid into RO49 AAAA 1B31 0075 9384 0000; recruiter called on 0721 234 567 and wrote from Recruiter.Ion@mail.example.com.';
    const keys = messageMatchKeys([], text, 'RO');
    expect(keys.map((k) => [k.key, k.extracted])).toEqual([
      ['phone:+40721234567', true],
      ['email:recruiter.ion@mail.example.com', true],
      ['iban:RO49AAAA1B31007593840000', true],
    ]);
  });

  it('counts a value given both structured and in the text once, as structured', () => {
    const keys = messageMatchKeys(
      [{ ref: 't1', type: 'phone', number: '+40 721 234 567' }],
      'call 0040721234567',
      'RO',
    );
    expect(keys).toEqual([
      { key: 'phone:+40721234567', kind: 'phone', strength: 'strong', extracted: false, ref: 't1' },
    ]);
  });

  it('ignores an IBAN in the text whose checksum fails, and numbers that are not phones', () => {
    expect(extractedKeys('account GB82 WEST 1234 5698 7654 33, ref 2024/118, on 12.03.2024', 'GB')).toEqual([]);
  });
});

describe('keys named directly (exclusions)', () => {
  it('derives the keys of one entity as a message would', () => {
    expect(entityMatchKeys({ type: 'phone', number: '020 7946 0000' }, 'GB')).toEqual([
      { key: 'phone:+442079460000', kind: 'phone', strength: 'strong', extracted: false },
    ]);
    expect(
      entityMatchKeys({ type: 'vehicle', plate: 'b 123-xyz', country: 'ro', vin: '1M8GDM9AXKP042788' }).map(
        (k) => k.key,
      ),
    ).toEqual(['plate:RO:B123XYZ', 'vin:1M8GDM9AXKP042788']);
    expect(entityMatchKeys({ type: 'bank-account', iban: 'RO49 AAAA 1B31 0075 9384 0001' })).toEqual([]);
  });

  it('reads the kind and value of a stored key, and refuses anything else', () => {
    expect(matchKeyKind('phone:+442079460000')).toBe('phone');
    expect(matchKeyKind('person-name:ion popescu|1980-01-02')).toBe('person-name');
    expect(matchKeyKind('fax:+442079460000')).toBeNull();
    expect(matchKeyKind('phone:')).toBeNull();
    expect(matchKeyKind('+442079460000')).toBeNull();
    expect(matchKeyValue('document:passport:RO:051234567')).toBe('passport:RO:051234567');
  });
});
