import type { Caller } from '../auth/caller';
import type { GatewayConfig } from '../gateway.config';
import { RateLimitedProblem } from './rate-limits';
import { RequestPacer } from './request-pacer';

/** 100 reads and 10 writes per key, 200 reads and 20 writes per agency, in 10 s: one read per 100 ms per key. */
function pacer(overrides: Partial<GatewayConfig> = {}): RequestPacer {
  const config = {
    RATE_LIMIT_WINDOW_SECONDS: 10,
    RATE_LIMIT_KEY_READS: 100,
    RATE_LIMIT_KEY_WRITES: 10,
    RATE_LIMIT_AGENCY_READS: 200,
    RATE_LIMIT_AGENCY_WRITES: 20,
    RATE_LIMIT_BURST: 3,
    RATE_LIMIT_MAX_WAIT_MS: 1_000,
    ...overrides,
  };
  return new RequestPacer(config as GatewayConfig);
}

const caller = (id: string, agency = 'ES-ENU') => ({ type: 'api-key', id, agency, role: 'officer' }) as Caller;

describe('RequestPacer', () => {
  it('lets a burst through at once, then spaces requests at the key rate', () => {
    const paced = pacer();
    const spain = caller('k1');
    const waits = Array.from({ length: 6 }, () => paced.admit(spain, 'GET', 0));
    expect(waits).toEqual([0, 0, 0, 100, 200, 300]);
  });

  it('lets a key that kept to its rate through without waiting', () => {
    const paced = pacer();
    const steady = caller('k1');
    const waits = Array.from({ length: 20 }, (_, i) => paced.admit(steady, 'GET', i * 100));
    expect(waits.every((wait) => wait === 0)).toBe(true);
  });

  it('refuses a request that would wait longer than the most a request may, and keeps its place for the rest', () => {
    const paced = pacer({ RATE_LIMIT_MAX_WAIT_MS: 250 });
    const spain = caller('k1');
    for (let i = 0; i < 5; i += 1) paced.admit(spain, 'GET', 0); // waits 0, 0, 0, 100, 200
    expect(() => paced.admit(spain, 'GET', 0)).toThrow(RateLimitedProblem);
    expect(() => paced.admit(spain, 'GET', 0)).toThrow(/this API key is sending reads faster than its limit allows/);
    // Refused requests took no turn: 100 ms later the next one waits as the sixth would have.
    expect(paced.admit(spain, 'GET', 100)).toBe(200);
  });

  it('paces writes apart from reads, at their own rate', () => {
    const paced = pacer();
    const spain = caller('k1');
    for (let i = 0; i < 3; i += 1) paced.admit(spain, 'GET', 0);
    expect(paced.admit(spain, 'POST', 0)).toBe(0);
    for (let i = 0; i < 2; i += 1) paced.admit(spain, 'DELETE', 0);
    expect(paced.admit(spain, 'PUT', 0)).toBe(1_000); // one write a second per key
  });

  it('paces every key of an agency together at the agency rate, and other agencies not at all', () => {
    const paced = pacer({ RATE_LIMIT_KEY_READS: 1_000 });
    // 200 reads in 10 s for the agency: one per 50 ms, whichever of its keys sends them.
    const waits = ['a', 'b', 'c', 'd', 'e'].map((key) => paced.admit(caller(key), 'GET', 0));
    expect(waits).toEqual([0, 0, 0, 50, 100]);
    expect(paced.admit(caller('nl', 'NL-ENU'), 'GET', 0)).toBe(0);
  });
});
