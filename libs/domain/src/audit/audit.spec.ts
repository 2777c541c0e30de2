import {
  AUDIT_GENESIS_HASH,
  auditCheckpoint,
  auditEntryHash,
  chainAuditEntries,
  checkpointBreak,
  isAuthenticCheckpoint,
  verifyAuditChain,
  type AuditFacts,
  type ChainedAuditEntry,
} from './audit';

const KEY = 'audit-seal-key-for-the-spec-0123456789';

const facts = (n: number): AuditFacts => ({
  eventId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  at: new Date(Date.UTC(2026, 10, 1, 9, n)),
  action: 'message.opened',
  agency: 'GB-NCA',
  keyId: '11111111-1111-4111-8111-111111111111',
  objectType: 'message',
  objectId: `message-${n}`,
  detail: '',
  principalType: 'api-key',
  principalId: '11111111-1111-4111-8111-111111111111',
});

/** An entry as recorded before principals: only the key named. */
const legacyFacts = (n: number): AuditFacts => ({ ...facts(n), principalType: '', principalId: '' });

/** What someone with database rights but not the key can do: rewrite entries from one on with plain hashes. */
function resealWithoutKey(
  chain: ChainedAuditEntry[],
  from: number,
  change: (entry: ChainedAuditEntry) => ChainedAuditEntry,
): ChainedAuditEntry[] {
  const out = chain.slice(0, from - 1);
  let prevHash = out[out.length - 1]?.hash ?? AUDIT_GENESIS_HASH;
  for (const entry of chain.slice(from - 1)) {
    const changed = entry.seq === from ? change(entry) : entry;
    const hash = auditEntryHash(prevHash, changed.seq, changed);
    out.push({ ...changed, prevHash, hash });
    prevHash = hash;
  }
  return out;
}

describe('audit hash chain', () => {
  const chain = chainAuditEntries(KEY, null, [1, 2, 3, 4].map(facts));
  const at = (entry: ChainedAuditEntry) => ({ seq: entry.seq, hash: entry.hash, keyed: true });

  it('numbers entries from 1, seals the first to the genesis, each with the key', () => {
    expect(chain.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    expect(chain[0].prevHash).toBe(AUDIT_GENESIS_HASH);
    expect(chain[1].prevHash).toBe(chain[0].hash);
    expect(new Set(chain.map((e) => e.hash)).size).toBe(4);
    expect(chain.every((e) => e.seal === 'hmac-sha256')).toBe(true);
    expect(chainAuditEntries('another-key-entirely-0123456789abc', null, [facts(1)])[0].hash).not.toBe(chain[0].hash);
  });

  it('continues a stored chain where it ends', () => {
    const more = chainAuditEntries(KEY, chain[3], [facts(5)]);
    expect(more[0].seq).toBe(5);
    expect(more[0].prevHash).toBe(chain[3].hash);
    expect(verifyAuditChain(KEY, null, [...chain, ...more])).toBeNull();
  });

  it('accepts an untouched chain, whole or from any point, and legacy plain-hash entries before the first keyed one', () => {
    expect(verifyAuditChain(KEY, null, chain)).toBeNull();
    expect(verifyAuditChain(KEY, at(chain[1]), chain.slice(2))).toBeNull();
    const legacy: ChainedAuditEntry = {
      ...facts(1),
      seq: 1,
      prevHash: AUDIT_GENESIS_HASH,
      hash: auditEntryHash(AUDIT_GENESIS_HASH, 1, facts(1)),
      seal: 'sha256',
    };
    const after = chainAuditEntries(KEY, legacy, [facts(2)]);
    expect(verifyAuditChain(KEY, null, [legacy, ...after])).toBeNull();
  });

  it('seals the principal with the entry: a changed or dropped principal is found, older entries still verify', () => {
    const older = chainAuditEntries(KEY, null, [1, 2].map(legacyFacts));
    const person = {
      ...facts(3),
      keyId: '',
      principalType: 'person',
      principalId: 'aaaaaaaa-1111-4111-8111-111111111111',
    };
    const mixed = [...older, ...chainAuditEntries(KEY, older[1], [person, facts(4)])];
    expect(verifyAuditChain(KEY, null, mixed)).toBeNull();
    const otherPerson = mixed.map((e) =>
      e.seq === 3 ? { ...e, principalId: 'bbbbbbbb-1111-4111-8111-111111111111' } : e,
    );
    expect(verifyAuditChain(KEY, null, otherPerson)).toMatchObject({ seq: 3, reason: 'changed' });
    const dropped = mixed.map((e) => (e.seq === 3 ? { ...e, principalType: '', principalId: '' } : e));
    expect(verifyAuditChain(KEY, null, dropped)).toMatchObject({ seq: 3, reason: 'changed' });
  });

  it('finds a changed field or time in the entry that was changed', () => {
    expect(
      verifyAuditChain(
        KEY,
        null,
        chain.map((e) => (e.seq === 3 ? { ...e, agency: 'RO-ENU' } : e)),
      ),
    ).toMatchObject({ seq: 3, reason: 'changed' });
    expect(
      verifyAuditChain(
        KEY,
        null,
        chain.map((e) => (e.seq === 2 ? { ...e, at: new Date(e.at.getTime() + 1) } : e)),
      ),
    ).toMatchObject({ seq: 2, reason: 'changed' });
  });

  it('names a chain sealed again without the key as resealed, whether kept as keyed or passed off as legacy', () => {
    const resealed = resealWithoutKey(chain, 2, (e) => ({ ...e, objectId: 'other' }));
    expect(verifyAuditChain(KEY, null, resealed)).toMatchObject({ seq: 2, reason: 'resealed' });
    const downgraded = resealWithoutKey(chain, 2, (e) => ({ ...e, objectId: 'other', seal: 'sha256' }));
    expect(verifyAuditChain(KEY, null, downgraded)).toMatchObject({ seq: 2, reason: 'resealed' });
    // The last entry rewritten: no successor to tell by, and still resealed.
    expect(
      verifyAuditChain(
        KEY,
        null,
        resealWithoutKey(chain, 4, (e) => ({ ...e, detail: 'x' })),
      ),
    ).toMatchObject({ seq: 4, reason: 'resealed' });
  });

  it('finds an entry sealed with another key, and removed entries', () => {
    const forged = chainAuditEntries('not-the-key-but-as-long-0123456789', chain[0], [
      { ...chain[1], objectId: 'other' },
    ])[0];
    expect(verifyAuditChain(KEY, null, [chain[0], forged, chain[2], chain[3]])).toMatchObject({
      seq: 2,
      reason: 'changed',
    });
    expect(verifyAuditChain(KEY, null, [chain[0], chain[2], chain[3]])).toMatchObject({
      seq: 3,
      reason: 'sequence-gap',
    });
  });
});

describe('audit checkpoints', () => {
  const head = { seq: 40, hash: 'ab'.repeat(32) };
  const checkpoint = auditCheckpoint(KEY, head, new Date('2026-12-03T09:00:00Z'));

  it('are authentic only with the key and unaltered', () => {
    expect(isAuthenticCheckpoint(KEY, checkpoint)).toBe(true);
    expect(isAuthenticCheckpoint('not-the-key-but-as-long-0123456789', checkpoint)).toBe(false);
    expect(isAuthenticCheckpoint(KEY, { ...checkpoint, seq: 39 })).toBe(false);
    expect(isAuthenticCheckpoint(KEY, { ...checkpoint, mac: 'zz' })).toBe(false);
  });

  it('find a log that ends before the checkpoint, or holds another entry where it points', () => {
    expect(checkpointBreak(checkpoint, head, 45)).toBeNull();
    expect(checkpointBreak(checkpoint, undefined, 37)).toMatchObject({
      seq: 38,
      reason: 'truncated',
      detail: expect.stringContaining('records entry 40') as string,
    });
    expect(checkpointBreak(checkpoint, { seq: 40, hash: 'cd'.repeat(32) }, 45)).toMatchObject({
      seq: 40,
      reason: 'resealed',
    });
  });
});
