import { ListOrder } from './list-order';

describe('ListOrder', () => {
  const position = { at: new Date('2026-03-02T09:00:00.000Z'), id: '0b9e7c7a-3f1e-4c55-9a1d-2f4b8d6e1a01' };
  const binder = () => {
    const params: unknown[] = [];
    return { params, bind: (value: unknown) => (params.push(value), `$${params.length}`) };
  };

  it('orders by time then id, and pages on by a row comparison an index can serve', () => {
    const order = new ListOrder(null, false, 't.at', true, 't.id');
    const { params, bind } = binder();
    expect(order.sql).toBe('t.at DESC, t.id DESC');
    expect(order.keySql).toBe('NULL::text');
    expect(order.after(position, bind)).toBe('(t.at, t.id) < ($1::timestamptz, $2::uuid)');
    expect(params).toEqual([position.at, position.id]);
  });

  it('puts a leading key first and, where directions differ, pages on column by column', () => {
    const order = new ListOrder({ sql: 'rank(t)', cast: 'int' }, false, 't.at', true, 't.id');
    const { params, bind } = binder();
    expect(order.sql).toBe('rank(t) ASC, t.at DESC, t.id DESC');
    expect(order.keySql).toBe('(rank(t))::text');
    expect(order.after({ ...position, key: '2' }, bind)).toBe(
      '((rank(t) > $1::int) OR (rank(t) = $1::int AND t.at < $2::timestamptz) OR (rank(t) = $1::int AND t.at = $2::timestamptz AND t.id < $3::uuid))',
    );
    expect(params).toEqual(['2', position.at, position.id]);
  });

  it('accepts only cursors of its own shape', () => {
    const keyed = new ListOrder({ sql: 'rank(t)', cast: 'int' }, true, 't.at', true, 't.id');
    const plain = new ListOrder(null, false, 't.at', true, 't.id');
    expect(keyed.fits({ ...position, key: '3' })).toBe(true);
    expect(keyed.fits(position)).toBe(false);
    expect(plain.fits(position)).toBe(true);
    expect(plain.fits({ ...position, key: '3' })).toBe(false);
  });
});
