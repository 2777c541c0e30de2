import { MAX_NESTING_DEPTH, structureProblem, textProblem } from './text';

describe('textProblem', () => {
  it.each([
    '\u0000',
    '\u0001',
    '\u0008',
    '\u000B',
    '\u000C',
    '\u001B',
    '\u001F',
    '\u007F',
    '\u0080',
    '\u0085',
    '\u009F',
  ])('refuses %j anywhere', (control) => {
    expect(textProblem(`a${control}b`)).toMatch(/control character U\+00[0-9A-F]{2} at position 1/);
    expect(textProblem(`a${control}b`, 'single-line')).not.toBeNull();
  });

  it('allows tab, line feed and carriage return only where line breaks are allowed', () => {
    expect(textProblem('line one\r\nline\ttwo')).toBeNull();
    expect(textProblem('a\tb', 'single-line')).toMatch(/U\+0009.*single line/);
    expect(textProblem('a\nb', 'single-line')).toMatch(/U\+000A/);
  });

  it('refuses a lone surrogate and accepts every other script and symbol', () => {
    expect(textProblem('x\uD800')).toMatch(/lone surrogate/);
    expect(textProblem('\uDC00x')).toMatch(/lone surrogate/);
    expect(textProblem('Ștefan Ñúñez Øvergård Δημήτρης Иван 王 محمد 🚓 \u00A0\u200B')).toBeNull();
  });
});

describe('structureProblem', () => {
  it('names the path of the first bad string, in document order', () => {
    expect(structureProblem({ subject: 'ok', entities: [{ names: ['a', 'b\u0000'] }], body: '\u0000' }, '')).toEqual({
      field: 'entities.0.names.1',
      message: expect.stringContaining('U+0000') as string,
    });
    expect(structureProblem('a\u0000', 'name')).toEqual({
      field: 'name',
      message: expect.stringContaining('U+0000') as string,
    });
  });

  it('checks property names too', () => {
    expect(structureProblem({ ['na\u0000mes']: [] }, '')?.message).toMatch(/property name/);
  });

  it('refuses nesting past the limit without overflowing the stack, and accepts it up to the limit', () => {
    let deep: unknown = [];
    for (let i = 0; i < 10_000; i += 1) deep = [deep];
    expect(structureProblem({ a: deep }, '')?.message).toBe(`nests deeper than ${MAX_NESTING_DEPTH} levels`);
    let limit: unknown = 'x';
    for (let i = 0; i < MAX_NESTING_DEPTH; i += 1) limit = [limit];
    expect(structureProblem(limit, '')).toBeNull();
  });

  it('passes numbers, booleans and nulls', () => {
    expect(structureProblem({ a: 1, b: true, c: null, d: [1.5, false] }, '')).toBeNull();
  });
});
