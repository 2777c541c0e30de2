import { ApiProblem } from '../http/problem';
import { jsonPieces, negotiateFormat } from './report-format';

describe('report media type negotiation', () => {
  const all = ['json', 'csv', 'svg'] as const;

  it('gives JSON without an Accept header or for any type', () => {
    expect(negotiateFormat(undefined, all)).toBe('json');
    expect(negotiateFormat('', all)).toBe('json');
    expect(negotiateFormat('*/*', all)).toBe('json');
    expect(negotiateFormat('application/json', all)).toBe('json');
  });

  it('gives the form asked for, by quality and then by order', () => {
    expect(negotiateFormat('text/csv', all)).toBe('csv');
    expect(negotiateFormat('image/svg+xml', all)).toBe('svg');
    expect(negotiateFormat('text/csv;q=0.5, image/svg+xml', all)).toBe('svg');
    expect(negotiateFormat('image/svg+xml;q=0.2, text/csv;q=0.9, */*;q=0.1', all)).toBe('csv');
    expect(negotiateFormat('text/html, text/*', all)).toBe('csv');
    expect(negotiateFormat('TEXT/CSV; charset=utf-8', all)).toBe('csv');
  });

  it('refuses with a 406 naming what is offered when nothing asked for is', () => {
    expect(() => negotiateFormat('image/svg+xml', ['json', 'csv'])).toThrow(ApiProblem);
    try {
      negotiateFormat('application/xml, image/svg+xml;q=0', ['json', 'csv']);
    } catch (error) {
      expect((error as ApiProblem).getStatus()).toBe(406);
      expect((error as ApiProblem).detail).toBe('this report is given as application/json, text/csv');
    }
    expect.assertions(3);
  });
});

describe('report JSON in pieces', () => {
  const rows = Array.from({ length: 600 }, (_, i) => ({
    period: `2017-${i}`,
    partner: i % 3 === 0 ? null : 'RO "x"',
    messages: i,
    change: i / 7,
  }));

  it('writes what JSON.stringify writes, a long list a few items at a time', () => {
    const view = {
      country: null,
      filters: { partner: ['RO'] },
      skipped: undefined,
      rows,
      totals: rows.slice(0, 3),
      empty: [] as unknown[],
    };
    const pieces = [...jsonPieces(view, 256)];
    expect(pieces.join('')).toBe(JSON.stringify(view));
    expect(pieces.length).toBeGreaterThanOrEqual(4);
    expect(Math.max(...pieces.map((piece) => piece.length))).toBeLessThan(JSON.stringify(rows).length / 2);
  });

  it('writes any iterable as the array of its items, however many', () => {
    function* made(n: number) {
      for (let i = 0; i < n; i += 1) yield rows[i];
    }
    for (const n of [0, 1, 256, 257, 512, 600]) {
      expect([...jsonPieces({ rows: made(n), after: 1 }, 256)].join('')).toBe(
        JSON.stringify({ rows: rows.slice(0, n), after: 1 }),
      );
    }
  });
});
