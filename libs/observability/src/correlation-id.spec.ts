import { correlationIdFrom } from './correlation-id';

describe('correlationIdFrom', () => {
  it('keeps a well-formed caller id', () => {
    expect(correlationIdFrom('client-req-000123')).toBe('client-req-000123');
  });

  it.each([undefined, '', 'short', 'has spaces in it', 'line\nbreak-injected', 'x'.repeat(101), ['a', 'b']])(
    'replaces %p with a new UUID',
    (candidate) => {
      expect(correlationIdFrom(candidate)).toMatch(/^[0-9a-f-]{36}$/);
    },
  );
});
