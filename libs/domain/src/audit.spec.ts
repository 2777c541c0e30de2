import { AUDIT_GENESIS_HASH, chainAuditEntries, verifyAuditChain, type AuditFacts } from './audit';

const facts = (n: number): AuditFacts => ({
  eventId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  at: new Date(Date.UTC(2026, 10, 1, 9, n)),
  action: 'message.opened',
  agency: 'GB-NCA',
  keyId: '11111111-1111-4111-8111-111111111111',
  objectType: 'message',
  objectId: `message-${n}`,
  detail: '',
});

describe('audit hash chain', () => {
  const chain = chainAuditEntries(null, [1, 2, 3, 4].map(facts));

  it('numbers entries from 1 and seals the first to the genesis', () => {
    expect(chain.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    expect(chain[0].prevHash).toBe(AUDIT_GENESIS_HASH);
    expect(chain[1].prevHash).toBe(chain[0].hash);
    expect(new Set(chain.map((e) => e.hash)).size).toBe(4);
  });

  it('continues a stored chain where it ends', () => {
    const more = chainAuditEntries(chain[3], [facts(5)]);
    expect(more[0].seq).toBe(5);
    expect(more[0].prevHash).toBe(chain[3].hash);
    expect(verifyAuditChain(null, [...chain, ...more])).toBeNull();
  });

  it('accepts an untouched chain, whole or from any point', () => {
    expect(verifyAuditChain(null, chain)).toBeNull();
    expect(verifyAuditChain(chain[1], chain.slice(2))).toBeNull();
  });

  it('finds a changed field in the entry that was changed', () => {
    const edited = chain.map((e) => (e.seq === 3 ? { ...e, agency: 'RO-ENU' } : e));
    expect(verifyAuditChain(null, edited)).toMatchObject({ seq: 3, reason: 'hash-mismatch' });
  });

  it('finds a changed time', () => {
    const edited = chain.map((e) => (e.seq === 2 ? { ...e, at: new Date(e.at.getTime() + 1) } : e));
    expect(verifyAuditChain(null, edited)).toMatchObject({ seq: 2, reason: 'hash-mismatch' });
  });

  it('finds an entry rewritten with a fresh hash, at its successor', () => {
    const forged = { ...chain[1], objectId: 'other' };
    const rehashed = chainAuditEntries(chain[0], [forged])[0];
    expect(verifyAuditChain(null, [chain[0], rehashed, chain[2], chain[3]])).toMatchObject({ seq: 3, reason: 'link-mismatch' });
  });

  it('finds a removed entry', () => {
    expect(verifyAuditChain(null, [chain[0], chain[2], chain[3]])).toMatchObject({ seq: 3, reason: 'sequence-gap' });
  });
});
