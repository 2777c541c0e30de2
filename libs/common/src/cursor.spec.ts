import { decodeCursor, encodeCursor } from './cursor';

describe('pagination cursors', () => {
  const position = { at: new Date('2026-05-01T12:34:56.789Z'), id: '0b9e7c7a-3f1e-4c55-9a1d-2f4b8d6e1a01' };

  it('round-trip a position', () => {
    expect(decodeCursor(encodeCursor(position))).toEqual(position);
  });

  it('round-trip case references, whatever their check character', () => {
    for (const check of ['0', 'Z', '*', '~', '$', '=', 'U']) {
      const at = new Date('2026-05-01T00:00:00.000Z');
      expect(decodeCursor(encodeCursor({ at, id: `LIA-2026-ABCDEFGH${check}` }))).toEqual({
        at,
        id: `LIA-2026-ABCDEFGH${check}`,
      });
    }
  });

  it('round-trip a sort key, whatever text it holds', () => {
    for (const key of ['3', '9999-12-31 00:00:00+00', 'Policía Nacional | Comisaría General', 'Ελληνική Αστυνομία'])
      expect(decodeCursor(encodeCursor({ ...position, key }))).toEqual({ ...position, key });
  });

  it('are URL-safe', () => {
    expect(encodeCursor(position)).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it.each([
    ['garbage', 'not a cursor!'],
    ['empty', ''],
    ['a bad date', Buffer.from('yesterday|0b9e7c7a-3f1e-4c55-9a1d-2f4b8d6e1a01').toString('base64url')],
    ['a bad id', Buffer.from('2026-05-01T12:34:56.789Z|1 OR 1=1').toString('base64url')],
    ['an empty sort key', Buffer.from(`2026-05-01T12:34:56.789Z|${position.id}|`).toString('base64url')],
    [
      'a sort key with control characters',
      Buffer.from(`2026-05-01T12:34:56.789Z|${position.id}|a\nb`).toString('base64url'),
    ],
  ])('reject %s', (_label, cursor) => {
    expect(decodeCursor(cursor)).toBeNull();
  });
});
