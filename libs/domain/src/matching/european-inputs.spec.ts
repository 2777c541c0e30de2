import { entityProblems } from '../messages/entities';
import { readZone, withZonesRead } from '../messages/machine-readable-zone';
import { entityMatchKeys, extractedKeys } from './match-keys';
import { foldName } from './name-keys';

/**
 * Real-format inputs of the partner countries, as their officers write them, with the key each must give: the
 * corpus that says whether Liaison reads Europe's entities. The first cases of each table are the failures
 * that once kept cases apart.
 */
const keysOf = (entity: Record<string, unknown>, country?: string) =>
  entityMatchKeys(entity, country).map((k) => k.key);
const today = '2026-12-05';

describe('phones as each country writes them', () => {
  it.each([
    // Written nationally, read with the entity's country (or the sender's) as the hint.
    ['RO', '0721 234 567', '+40721234567'],
    ['RO', '0040 721 234 567', '+40721234567'],
    ['BG', '0888 123 456', '+359888123456'],
    ['UA', '050 123 4567', '+380501234567'],
    ['MD', '0691 23 456', '+37369123456'],
    ['GE', '555 12 34 56', '+995555123456'],
    ['PL', '512 345 678', '+48512345678'],
    ['DE', '0151 23456789', '+4915123456789'],
    ['GB', '07700 900123', '+447700900123'],
    ['GR', '691 234 5678', '+306912345678'],
    // Written internationally, whatever the hint.
    ['GB', '+40 (721) 234-567', '+40721234567'],
  ])('%s %s', (country, number, e164) => {
    expect(keysOf({ type: 'phone', number }, country)).toEqual([`phone:${e164}`]);
  });
});

describe('vehicles as Europe writes them', () => {
  it.each([
    // A Volkswagen VIN: European makers put no check digit in the 9th place, so ISO 3779's check is not asked.
    ['DE', { vin: 'WVWZZZ1JZ3W386752' }, ['vin:WVWZZZ1JZ3W386752']],
    ['PL', { vin: 'wvw zzz 1jz 3w 386752' }, ['vin:WVWZZZ1JZ3W386752']],
    ['FR', { vin: 'VF1RFB00X56789012' }, ['vin:VF1RFB00X56789012']],
    ['RO', { vin: 'UU1KSDAFH55123456' }, ['vin:UU1KSDAFH55123456']],
    // North American and Chinese VINs carry the check digit, and a wrong one is no key.
    ['US', { vin: '1M8GDM9AXKP042788' }, ['vin:1M8GDM9AXKP042788']],
    ['US', { vin: '1M8GDM9A1KP042788' }, []],
    ['CN', { vin: 'LSVAU2180N2183294' }, []],
    // Plates: a country's separators in any style, and look-alike Cyrillic or Greek letters, fold alike.
    ['DE', { plate: 'B-AB 1234', country: 'DE' }, ['plate:DE:BAB1234']],
    ['DE', { plate: 'B AB1234', country: 'DE' }, ['plate:DE:BAB1234']],
    ['UA', { plate: 'АА 1234 ВС', country: 'UA' }, ['plate:UA:AA1234BC']],
    ['UA', { plate: 'AA1234BC', country: 'UA' }, ['plate:UA:AA1234BC']],
    ['BG', { plate: 'СА 1234 ХК', country: 'BG' }, ['plate:BG:CA1234XK']],
    ['GR', { plate: 'ΙΚΒ-1234', country: 'GR' }, ['plate:GR:IKB1234']],
    ['RO', { plate: 'B 123 ABC', country: 'RO' }, ['plate:RO:B123ABC']],
  ])('%s %j', (_country, vehicle, keys) => {
    expect(keysOf({ type: 'vehicle', ...vehicle })).toEqual(keys);
  });

  it('refuses a VIN whose region asks for a check digit that does not hold, saying so', () => {
    expect(entityProblems([{ ref: 'v1', type: 'vehicle', vin: '1M8GDM9A1KP042788' }], [], today)).toEqual([
      {
        field: 'entities[0].vin',
        message: 'the check digit (9th character) should be X: VINs from North America and China carry one',
      },
    ]);
    expect(entityProblems([{ ref: 'v1', type: 'vehicle', vin: 'WVWZZZ1JZ3W386752' }], [], today)).toEqual([]);
  });
});

describe('names in every script', () => {
  const person = (name: string) => keysOf({ type: 'person', names: [name], dateOfBirth: '1990-04-12' });
  const meet = (a: string, b: string) => person(a).some((key) => person(b).includes(key));

  it.each([
    // Once folded to nothing, so never a candidate.
    ['محمد علي', 'mhmd ly'],
    ['王小明', 'wang xiaoming'],
    ['გიორგი ბერიძე', 'giorgi beridze'],
    ['Արամ Պետրոսյան', 'aram petrosyan'],
    ['דוד כהן', 'dvd khhn'],
    // Our own rules where they follow the partners' passports.
    ['Олександр Шевченко', 'oleksandr shevchenko'],
    ['Ђорђе Петровић', 'djordje petrovic'],
    ['Αικατερίνη Παπαδοπούλου', 'aikaterini papadopoulou'],
    ['Ștefan Popescu', 'stefan popescu'],
    ['İsmail Yılmaz', 'ismail yilmaz'],
    ['Jürgen Strauß', 'jurgen strauss'],
  ])('folds %s as %s', (name, folded) => {
    expect(foldName(name)).toBe(folded);
  });

  it.each([
    ['გიორგი ბერიძე', 'Giorgi BERIDZE'],
    ['王小明', 'WANG Xiaoming'],
    ['محمد علي', 'محمد علي'],
    ['王小明', '王小明'],
    ['İSMAİL YILMAZ', 'Ismail Yilmaz'],
    ['Mehmet Işık', 'MEHMET ISIK'],
    ['Jürgen Strauß', 'Jurgen Strauss'],
    ['Åse Ålesund', 'Aase Aalesund'],
    ['Søren Møller', 'Soeren Moeller'],
    ['Ștefan Șerban', 'Ştefan Şerban'],
  ])('with the same date of birth, %s and %s are a candidate', (a, b) => {
    expect(meet(a, b)).toBe(true);
  });

  it('never keys a name by nothing: symbols are dropped, and a script nothing transliterates keeps its letters', () => {
    expect(foldName('Ion 😀 Vasile')).toBe('ion vasile');
    expect(foldName('😀')).toBe('');
    expect(person('😀')).toEqual([]);
  });

  it('does not make strangers meet', () => {
    expect(meet('გიორგი ბერიძე', 'Giorgi Kapanadze')).toBe(false);
    expect(meet('王小明', '王小红')).toBe(false);
  });
});

describe('bank accounts of every registry country', () => {
  it.each([
    ['UA', 'UA21 3223 1300 0002 6007 2335 6600 1'],
    ['MD', 'MD24 AG00 0225 1000 1310 4168'],
    ['GE', 'GE29 NB00 0000 0101 9049 17'],
    ['RO', 'RO49 AAAA 1B31 0075 9384 0000'],
    ['BG', 'BG80 BNBG 9661 1020 3456 78'],
  ])('%s %s is a key', (_country, iban) => {
    expect(keysOf({ type: 'bank-account', iban })).toEqual([`iban:${iban.replace(/ /g, '')}`]);
  });
});

describe('machine-readable zones', () => {
  const passport = ['P<D<<MUSTERMANN<<ERIKA<<<<<<<<<<<<<<<<<<<<<<', 'C01X00T478D<<6408125F2702283<<<<<<<<<<<<<<<4'];
  const card = ['IDD<<T220001293<<<<<<<<<<<<<<<', '6408125F2702283D<<<<<<<<<<<<<4', 'MUSTERMANN<<ERIKA<<<<<<<<<<<<<'];

  it('read a German passport (TD3) and identity card (TD1) into the fields they fill', () => {
    expect(readZone(passport.join('\n'), today)).toEqual({
      fields: {
        documentType: 'passport',
        issuingCountry: 'DE',
        number: 'C01X00T47',
        nationality: 'DE',
        names: ['ERIKA MUSTERMANN'],
        dateOfBirth: '1964-08-12',
        gender: 'female',
      },
    });
    expect(readZone(card.join('\n').toLowerCase(), today)).toMatchObject({
      fields: { documentType: 'national-id', issuingCountry: 'DE', number: 'T22000129', dateOfBirth: '1964-08-12' },
    });
  });

  it('name the line of a bad check digit', () => {
    const wrong = [passport[0], passport[1].replace('C01X00T478', 'C01X00T479')].join('\n');
    expect(readZone(wrong, today)).toEqual({ problem: expect.stringMatching(/^line 2: /) });
    expect(readZone('P<D<<MUSTERMANN', today)).toEqual({ problem: expect.stringMatching(/2 lines of 44/) });
  });

  it('fill an identity document and a person, keeping fields given alongside, and drop the zone', () => {
    const read = withZonesRead(
      [
        { ref: 'd1', type: 'identity-document', mrz: passport.join('\n') },
        { ref: 'p1', type: 'person', mrz: card.join('\n'), names: ['Erika Gabler-Mustermann'] },
        { ref: 'd2', type: 'identity-document', mrz: 'nonsense' },
      ],
      today,
    );
    expect(read.entities[0]).toEqual({
      ref: 'd1',
      type: 'identity-document',
      documentType: 'passport',
      issuingCountry: 'DE',
      number: 'C01X00T47',
    });
    expect(read.entities[1]).toEqual({
      ref: 'p1',
      type: 'person',
      names: ['Erika Gabler-Mustermann'],
      dateOfBirth: '1964-08-12',
      nationality: 'DE',
      gender: 'female',
    });
    expect(read.problems).toEqual([{ field: 'entities[2].mrz', message: expect.stringMatching(/lines of/) }]);
    expect(keysOf(read.entities[0] as Record<string, unknown>)).toEqual(['document:passport:DE:C01X00T47']);
  });
});

describe('identifiers in free text', () => {
  it('find a VIN called one, or one whose check digit holds, and not any seventeen characters', () => {
    expect(extractedKeys('The van (VIN: WVWZZZ1JZ3W386752) was seen in Arad.', 'RO', today)).toContainEqual([
      'vin',
      'WVWZZZ1JZ3W386752',
    ]);
    expect(extractedKeys('Truck 1M8GDM9AXKP042788 crossed at Nădlac.', 'RO', today)).toContainEqual([
      'vin',
      '1M8GDM9AXKP042788',
    ]);
    expect(extractedKeys('Reference ABCDEFGH123456789 of the transfer.', 'RO', today)).toEqual([]);
  });

  it('find a passport’s machine-readable zone pasted into a body, by its document', () => {
    const body = `Passport copy received:\nP<D<<MUSTERMANN<<ERIKA<<<<<<<<<<<<<<<<<<<<<<\nC01X00T478D<<6408125F2702283<<<<<<<<<<<<<<<4\nPlease check.`;
    expect(extractedKeys(body, 'DE', today)).toContainEqual(['document', 'passport:DE:C01X00T47']);
  });
});
