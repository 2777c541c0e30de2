import { entitiesFromProto, entitiesToProto, linksFromProto, linksToProto, type EntityJson } from './entities';

describe('entity contracts', () => {
  it('round-trip one entity of every type exactly', () => {
    const entities: EntityJson[] = [
      {
        ref: 'p1',
        type: 'person',
        names: ['Ștefan', 'POPESCU'],
        dateOfBirth: '1988-04-02',
        nationality: 'RO',
        gender: 'male',
      },
      { ref: 'o1', type: 'organisation', name: 'Car Wash Ltd', country: 'GB' },
      { ref: 'ph1', type: 'phone', number: '+40 721 234 567', country: 'RO' },
      { ref: 'e1', type: 'email', address: 'dani@example.ro' },
      { ref: 's1', type: 'social-media', platform: 'telegram', handle: 'dani' },
      { ref: 'd1', type: 'identity-document', documentType: 'passport', issuingCountry: 'RO', number: '051234567' },
      { ref: 'v1', type: 'vehicle', plate: 'B-123-XYZ', country: 'RO' },
      { ref: 'b1', type: 'bank-account', iban: 'RO49AAAA1B31007593840000' },
      { ref: 'l1', type: 'location', latitude: 52.586, longitude: -2.128 },
      { ref: 'l2', type: 'location', address: '12 Station Road', city: 'Wolverhampton', country: 'GB' },
    ];
    expect(entitiesFromProto(entitiesToProto(entities))).toEqual(entities);
  });

  it('round-trip links', () => {
    const links = [{ from: 'ph1', to: 'p1', relation: 'used-by' }];
    expect(linksFromProto(linksToProto(links))).toEqual(links);
  });
});
