import { caseStixBundle, type ExportedCase } from './stix-bundle';

describe('caseStixBundle', () => {
  const exported: ExportedCase = {
    reference: 'LIA-2026-7K3M9Q2XH',
    owner: { code: 'GB-WMP', name: 'West Midlands Police' },
    openedAt: '2026-11-02T09:00:00.000Z',
    crimeArea: 'labour-exploitation',
    entities: [
      {
        messageId: 'm1',
        submittedAt: '2026-11-02T09:05:00.000Z',
        entity: { ref: 'p1', type: 'person', names: ['Ion', 'VASILE'], dateOfBirth: '1988-04-02', nationality: 'RO' },
      },
      {
        messageId: 'm1',
        submittedAt: '2026-11-02T09:05:00.000Z',
        entity: { ref: 'ph1', type: 'phone', number: '+40721234567' },
      },
      {
        messageId: 'm1',
        submittedAt: '2026-11-02T09:05:00.000Z',
        entity: { ref: 'e1', type: 'email', address: 'ion@example.ro' },
      },
      {
        messageId: 'm2',
        submittedAt: '2026-11-03T10:00:00.000Z',
        entity: { ref: 'b1', type: 'bank-account', iban: 'RO49AAAA1B31007593840000', bic: 'BTRLRO22' },
      },
      {
        messageId: 'm2',
        submittedAt: '2026-11-03T10:00:00.000Z',
        entity: { ref: 'v1', type: 'vehicle', vin: 'WVWZZZ1JZ3W386752' },
      },
      // The same phone again, in a later message: one observable.
      {
        messageId: 'm2',
        submittedAt: '2026-11-03T10:00:00.000Z',
        entity: { ref: 'ph9', type: 'phone', number: '+40721234567' },
      },
    ],
    links: [
      { messageId: 'm1', from: 'ph1', to: 'p1', relation: 'used-by' },
      { messageId: 'm1', from: 'ph1', to: 'nobody', relation: 'used-by' },
    ],
  };
  const now = new Date('2026-12-05T12:00:00.000Z');
  const bundle = caseStixBundle(exported, now) as { type: string; id: string; objects: Record<string, unknown>[] };
  const ofType = (type: string) => bundle.objects.filter((o) => o.type === type);

  it('is a bundle of STIX 2.1 objects, each with a typed UUID id and the spec version', () => {
    expect(bundle.type).toBe('bundle');
    expect(bundle.id).toMatch(/^bundle--[0-9a-f-]{36}$/);
    for (const object of bundle.objects) {
      expect(object.id).toMatch(
        new RegExp(`^${String(object.type)}--[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`),
      );
      expect(object.spec_version).toBe('2.1');
    }
  });

  it('makes the case a grouping that names every object, created by the owning agency', () => {
    const [grouping] = ofType('grouping');
    const [owner] = ofType('identity').filter((i) => i.identity_class === 'organization');
    expect(grouping).toMatchObject({
      name: 'LIA-2026-7K3M9Q2XH',
      context: 'suspicious-activity',
      created_by_ref: owner.id,
    });
    const named = new Set(grouping.object_refs as string[]);
    for (const object of bundle.objects.filter((o) => !['grouping', 'bundle'].includes(String(o.type)) && o !== owner))
      expect(named.has(String(object.id))).toBe(true);
  });

  it('gives people as identities, identifiers as observables (one per value), links as relationships between them', () => {
    expect(ofType('identity').find((i) => i.identity_class === 'individual')).toMatchObject({
      name: 'Ion / VASILE',
      description: 'born 1988-04-02, nationality RO',
    });
    expect(ofType('phone-number')).toEqual([expect.objectContaining({ value: '+40721234567' })]);
    expect(ofType('email-addr')).toEqual([expect.objectContaining({ value: 'ion@example.ro' })]);
    expect(ofType('bank-account')).toEqual([
      expect.objectContaining({ iban: 'RO49AAAA1B31007593840000', bic: 'BTRLRO22' }),
    ]);
    expect(ofType('x-liaison-vehicle')).toEqual([expect.objectContaining({ vin: 'WVWZZZ1JZ3W386752' })]);
    const relationships = ofType('relationship');
    expect(relationships).toHaveLength(1); // a link to an entity not exported is left out
    expect(relationships[0]).toMatchObject({
      relationship_type: 'used-by',
      source_ref: ofType('phone-number')[0].id,
      target_ref: ofType('identity').find((i) => i.identity_class === 'individual')!.id,
    });
  });

  it('gives observables the ids STIX 2.1 derives from their values, the same in every export', () => {
    // STIX 2.1 section 2.9: UUIDv5, namespace 00abedb4-aa42-466c-9c01-fed23315a9b7, over {"value":"..."}
    // (the expected ids computed with Python's uuid module).
    expect(ofType('email-addr')[0].id).toBe('email-addr--b45772da-2c69-5e00-a849-b9ef9a096532');
    expect(ofType('phone-number')[0].id).toBe('phone-number--70db43f7-588f-53cb-925c-726b311809de');
    const again = caseStixBundle(exported, new Date('2027-01-01T00:00:00.000Z')) as typeof bundle;
    expect(again.objects.map((o) => o.id).filter((id) => !String(id).startsWith('grouping'))).toEqual(
      bundle.objects.map((o) => o.id).filter((id) => !String(id).startsWith('grouping')),
    );
  });
});
