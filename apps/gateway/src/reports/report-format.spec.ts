import { ApiProblem } from '../http/problem';
import { negotiateFormat } from './report-format';

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
