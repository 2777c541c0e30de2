import { isValidCaseReference, issueCaseReference } from './case-reference';

describe('case references', () => {
  const openedAt = new Date('2026-03-14T10:00:00Z');

  it('carries the year and passes its own check', () => {
    const reference = issueCaseReference(openedAt);
    expect(reference).toMatch(/^LIA-2026-[0-9A-Z]{8}.$/);
    expect(isValidCaseReference(reference)).toBe(true);
  });

  it('never uses the ambiguous letters I, L, O or U in the random part', () => {
    for (let i = 0; i < 200; i += 1) expect(issueCaseReference(openedAt).slice(9, 17)).not.toMatch(/[ILOU]/);
  });

  it('is deterministic for a given random source', () => {
    expect(issueCaseReference(openedAt, () => 0)).toBe(issueCaseReference(openedAt, () => 0));
    expect(issueCaseReference(openedAt, () => 0)).not.toBe(issueCaseReference(openedAt, () => 1));
  });

  it('detects every single mistyped character', () => {
    const reference = issueCaseReference(openedAt);
    const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
    for (let position = 9; position < 17; position += 1) {
      for (const replacement of alphabet) {
        if (replacement === reference[position]) continue;
        const typo = reference.slice(0, position) + replacement + reference.slice(position + 1);
        expect(isValidCaseReference(typo)).toBe(false);
      }
    }
  });

  it('detects swapped neighbours', () => {
    const reference = issueCaseReference(openedAt, (max) => [3, 7][Math.floor(Math.random() * 2)] % max);
    const body = reference.slice(9, 17);
    for (let i = 0; i < 7; i += 1) {
      if (body[i] === body[i + 1]) continue;
      const swapped = body.slice(0, i) + body[i + 1] + body[i] + body.slice(i + 2);
      expect(isValidCaseReference(`LIA-2026-${swapped}${reference[17]}`)).toBe(false);
    }
  });

  it.each([
    '',
    'LIA-2026-',
    'lia-2026-ABCDEFGH0',
    'LIA-26-ABCDEFGH0',
    'LIA-2026-ABCDEFGHI1',
    'CASE-1',
    "LIA-2026-'; DROP",
  ])('rejects %p', (candidate) => expect(isValidCaseReference(candidate)).toBe(false));
});
