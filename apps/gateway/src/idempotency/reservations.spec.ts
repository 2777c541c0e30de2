import { Reservations } from './reservations';

describe('Reservations', () => {
  it('makes a value once per request, remembers it, and gives an earlier attempt’s value back', async () => {
    let made = 0;
    const make = () => `value-${(made += 1)}`;
    const kept: Record<string, string>[] = [];
    const keep = async (values: Record<string, string>) => void kept.push(values);
    const first = await Reservations.run({}, keep, async () => {
      expect(Reservations.take('messageId', make)).toBe('value-1');
      await new Promise((resolve) => setImmediate(resolve)); // across an await, still the same request
      expect(Reservations.take('messageId', make)).toBe('value-1');
      await Reservations.keep();
      return Reservations.taken();
    });
    expect(first).toEqual({ messageId: 'value-1' });
    expect(kept).toEqual([{ messageId: 'value-1' }]);
    const retry = await Reservations.run(first, keep, async () => {
      expect(Reservations.take('messageId', make)).toBe('value-1');
      expect(Reservations.take('caseReference', make)).toBe('value-2');
      return Reservations.taken();
    });
    expect(retry).toEqual({ messageId: 'value-1', caseReference: 'value-2' });
  });

  it('outside a keyed request, makes a new value each time and keeps none', () => {
    let made = 0;
    const make = () => `value-${(made += 1)}`;
    expect(Reservations.take('messageId', make)).toBe('value-1');
    expect(Reservations.take('messageId', make)).toBe('value-2');
    expect(Reservations.taken()).toEqual({});
  });
});
