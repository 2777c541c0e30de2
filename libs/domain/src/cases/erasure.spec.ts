import { describeErasureRefusal, erasureRefusal, partsPending } from './erasure';

describe('erasing a case', () => {
  const hold = { reason: 'Crown Court order T20267001', placedAt: new Date('2026-11-02T10:00:00Z') };

  it('is for the owning agency alone', () => {
    const refusal = erasureRefusal({ ownerAgency: 'GB-WMP', hold: null }, 'RO-ENU');
    expect(refusal).toEqual({ kind: 'not-owner', owner: 'GB-WMP' });
    expect(describeErasureRefusal('LIA-2026-AAAAAAAAA', refusal!)).toBe(
      'only the owning agency GB-WMP can erase case LIA-2026-AAAAAAAAA',
    );
  });

  it('is refused while a legal hold stands, naming the hold', () => {
    const refusal = erasureRefusal({ ownerAgency: 'GB-WMP', hold }, 'GB-WMP');
    expect(refusal).toEqual({ kind: 'held', hold });
    expect(describeErasureRefusal('LIA-2026-AAAAAAAAA', refusal!)).toBe(
      'case LIA-2026-AAAAAAAAA is under a legal hold placed 2026-11-02T10:00:00.000Z (Crown Court order T20267001); release the hold before erasing it',
    );
  });

  it('is allowed to the owner of a case without a hold', () => {
    expect(erasureRefusal({ ownerAgency: 'GB-WMP', hold: null }, 'GB-WMP')).toBeNull();
  });

  it('is complete once every part has erased its copies', () => {
    expect(partsPending([])).toEqual(['gateway', 'router', 'matcher', 'notifier']);
    expect(partsPending(['router', 'gateway'])).toEqual(['matcher', 'notifier']);
    expect(partsPending(['notifier', 'matcher', 'router', 'gateway'])).toEqual([]);
  });
});
