import { SpanKind, TraceScope, traceparentFrom, Tracing } from './tracing';

const parent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

describe('Tracing', () => {
  it('off, records nothing and passes the caller’s traceparent on as it came', () => {
    const tracing = new Tracing('router');
    expect(tracing.recording).toBe(false);
    const span = tracing.start('apply', SpanKind.CONSUMER, parent);
    expect(span.traceparent).toBe(parent);
    span.end(new Error('any'));
    expect(tracing.start('apply', SpanKind.CONSUMER, undefined).traceparent).toBeUndefined();
  });

  it('on, starts a child in the caller’s trace, or a new trace without one', async () => {
    const tracing = new Tracing('router', 'http://127.0.0.1:9');
    const child = tracing.start('apply', SpanKind.CONSUMER, parent);
    expect(child.traceparent).toMatch(/^00-0af7651916cd43dd8448eb211c80319c-[0-9a-f]{16}-01$/);
    expect(child.traceparent).not.toBe(parent);
    const root = tracing.start('POST /v1/messages', SpanKind.SERVER, undefined);
    expect(root.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect(root.traceparent!.slice(3, 35)).not.toBe('0af7651916cd43dd8448eb211c80319c');
  });

  it('takes only a well-formed traceparent from a caller', () => {
    expect(traceparentFrom(parent)).toBe(parent);
    for (const bad of [
      undefined,
      '',
      'zz',
      `${parent}\n`,
      '00-00000000000000000000000000000000-b7ad6b7169203331-01',
      ['x'],
    ])
      expect(traceparentFrom(bad)).toBeUndefined();
  });

  it('finds the span an event continues by its correlation id, or by an alias', () => {
    const byCorrelation = new Map([['request-1', parent]]);
    TraceScope.run({ byCorrelation }, () => {
      expect(TraceScope.traceparentFor('request-1')).toBe(parent);
      expect(TraceScope.traceparentFor('message-9')).toBeUndefined();
      TraceScope.alias([['message-9', 'request-1']], () => expect(TraceScope.traceparentFor('message-9')).toBe(parent));
    });
    TraceScope.run({ current: parent }, () => expect(TraceScope.traceparentFor('anything')).toBe(parent));
    expect(TraceScope.traceparentFor('request-1')).toBeUndefined();
  });
});
