import Fastify, { type FastifyInstance } from 'fastify';
import type { ApiKeysService } from '../auth/api-keys.service';
import type { Caller } from '../auth/caller';
import { REFUSAL_HOLD_MS, refuseFloodsEarly } from './flood-guard';
import { RateLimitedProblem, type RateLimits } from './rate-limits';

const SPAIN = { type: 'api-key', id: 'k-es', agency: 'ES-ENU', role: 'officer' } as Caller;

/** A gateway's HTTP server with the flood guard, keys that know `lia_spain`, and Spain over its limit for 5 s. */
function server(refusing: () => boolean, maxHeld?: number): FastifyInstance {
  const app = Fastify();
  const keys = { seenCaller: (key: string) => (key === 'lia_spain' ? SPAIN : null) } as unknown as ApiKeysService;
  const limits = {
    refusalInMemory: (caller: Caller | null) =>
      caller === SPAIN && refusing()
        ? new RateLimitedProblem(5_000, 'this API key may make reads at a limited rate')
        : null,
  } as unknown as RateLimits;
  refuseFloodsEarly(app, keys, limits, maxHeld);
  app.get('/v1/inbox', async () => ({ items: [] }));
  app.get('/health/live', async () => ({ status: 'ok' }));
  return app;
}

describe('refuseFloodsEarly', () => {
  beforeEach(() => jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] }));
  afterEach(() => jest.useRealTimers());

  it('holds a refusal to a caller already refused for a second, then sends 429 with what is left of the wait', async () => {
    const app = server(() => true);
    let answered = false;
    const pending = app
      .inject({ method: 'GET', url: '/v1/inbox', headers: { authorization: 'Bearer lia_spain' } })
      .then((response) => ((answered = true), response));
    await jest.advanceTimersByTimeAsync(REFUSAL_HOLD_MS - 1);
    expect(answered).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    const response = await pending;
    expect(response.statusCode).toBe(429);
    expect(response.headers['retry-after']).toBe('4');
    expect(response.json()).toMatchObject({
      type: 'urn:liaison:problem:rate-limited',
      detail: 'this API key may make reads at a limited rate; retry after 4 s',
      instance: '/v1/inbox',
    });
  });

  it('lets every other caller, and health checks, through at once', async () => {
    const app = server(() => true);
    expect(
      (await app.inject({ method: 'GET', url: '/v1/inbox', headers: { authorization: 'Bearer lia_netherlands' } }))
        .statusCode,
    ).toBe(200);
    expect(
      (await app.inject({ method: 'GET', url: '/health/live', headers: { authorization: 'Bearer lia_spain' } }))
        .statusCode,
    ).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/v1/inbox' })).statusCode).toBe(200);
  });

  it('sends refusals at once when it already holds the most it may', async () => {
    const app = server(() => true, 3);
    const held = Array.from({ length: 3 }, () =>
      app.inject({ method: 'GET', url: '/v1/inbox', headers: { authorization: 'Bearer lia_spain' } }),
    );
    await jest.advanceTimersByTimeAsync(0);
    const extra = await app.inject({ method: 'GET', url: '/v1/inbox', headers: { authorization: 'Bearer lia_spain' } });
    expect(extra.statusCode).toBe(429);
    expect(extra.headers['retry-after']).toBe('5');
    await jest.advanceTimersByTimeAsync(REFUSAL_HOLD_MS);
    expect((await Promise.all(held)).every((response) => response.statusCode === 429)).toBe(true);
  });
});
