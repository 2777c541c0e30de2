import { waitFor, ApiClient } from '@liaison/testing';
import { API_KEY_CACHE_MS, startGateway, type Gateway } from '../../apps/gateway/src';
import { issueKey, startServices, type RunningServices } from '../support/services';

/** Low limits, for this test only: reads and writes per key and per agency, and failed authentications. */
const LIMITS = {
  RATE_LIMIT_WINDOW_SECONDS: '60',
  RATE_LIMIT_KEY_READS: '5',
  RATE_LIMIT_KEY_WRITES: '3',
  RATE_LIMIT_AGENCY_READS: '8',
  RATE_LIMIT_AGENCY_WRITES: '100',
  RATE_LIMIT_FAILED_AUTH: '3',
  RATE_LIMIT_SIGN_IN_ADDRESS: '6',
  RATE_LIMIT_SIGN_IN_ACCOUNT: '4',
};

interface Problem {
  type: string;
  status: number;
  detail: string;
}

/**
 * Rate limits per API key and per agency, writes apart from reads, and per address for requests that do not
 * authenticate: 429 with Retry-After past a limit, other agencies untouched, the counts shared by every
 * gateway through Redis.
 */
describe('rate limits', () => {
  let services: RunningServices;
  let second: Gateway;
  let wmp: ApiClient;
  let wmpDesk: ApiClient;
  let romania: ApiClient;

  beforeAll(async () => {
    // These limits count apart from the other tests' (counts are kept per limit), and the run's namespace apart
    // from other runs'.
    services = await startServices(LIMITS);
    // The admin key may make 3 writes a minute here: these are all of them.
    [wmp, wmpDesk, romania] = [
      await issueKey(services, 'GB-WMP', 'officer'),
      await issueKey(services, 'GB-WMP', 'officer'),
      await issueKey(services, 'RO-ENU', 'officer'),
    ];
    second = await startGateway({ ...process.env, ...LIMITS, PORT: '0' });
  }, 90_000);

  afterAll(async () => {
    await second?.app.close();
    await services?.stop();
  });

  it('limits sign-in attempts per account from anywhere and per address, on every gateway', async () => {
    const signIn = (url: string, email: string) =>
      fetch(`${url}/auth/sign-in`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password: 'a guess at somebody else’s password' }),
      });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i += 1)
      statuses.push((await signIn(i % 2 === 0 ? services.gateway.url : second.url, 'target@limits.example')).status);
    expect(statuses).toEqual([401, 401, 401, 401, 429]);
    const refused = await signIn(second.url, 'target@limits.example');
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    // Another account from the same address is refused too: the address has made its six attempts.
    expect((await signIn(services.gateway.url, 'other@limits.example')).status).toBe(429);
  });

  it('refuses a key past its reads with 429 and Retry-After, counting on every gateway, and leaves other agencies alone', async () => {
    const elsewhere = new ApiClient(second.url, wmp.key);
    const statuses = [];
    for (let i = 0; i < 5; i += 1) statuses.push((await (i % 2 === 0 ? wmp : elsewhere).get('/v1/inbox')).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    const refused = await elsewhere.get<Problem>('/v1/inbox');
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({
      type: 'urn:liaison:problem:rate-limited',
      status: 429,
      detail: expect.stringContaining('this API key') as string,
    });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect((await romania.get('/v1/inbox')).status).toBe(200);
  });

  it('counts writes apart from reads, and every key of an agency against the agency', async () => {
    const sent = [];
    for (let i = 0; i < 4; i += 1)
      sent.push(
        (await wmp.post('/v1/messages', { recipients: ['RO-ENU'], subject: 'Check', body: 'Please check.' })).status,
      );
    expect(sent).toEqual([202, 202, 202, 429]);
    // The agency has used 6 of its 8 reads (5 and the refused one by the first key): its other key gets 2.
    const desk = [];
    for (let i = 0; i < 3; i += 1) desk.push((await wmpDesk.get<Problem>('/v1/inbox')).status);
    expect(desk).toEqual([200, 200, 429]);
    const agencyRefusal = await wmpDesk.get<Problem>('/v1/inbox');
    expect(agencyRefusal.body.detail).toContain('agency GB-WMP');
  });

  it('refuses a caller over its limit before reading what it sent', async () => {
    // The first key is over its writes: a body that is not even JSON is refused for the rate, not parsed (400).
    const raw = await fetch(`${services.gateway.url}/v1/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${wmp.key}`, 'content-type': 'application/json' },
      body: '{"recipients": [',
    });
    expect(raw.status).toBe(429);
    expect(raw.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(raw.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(await raw.json()).toMatchObject({ type: 'urn:liaison:problem:rate-limited', instance: '/v1/messages' });
    // An unknown route as well: the refusal comes before routing, even once the key has left the gateway's key
    // cache. The key's reads are spent again first (on a slow machine their window may have ended since the test
    // before), in a window with time enough left to outlast the cache.
    const readsRefusedFor = async (): Promise<number> => {
      for (let i = 0; i < 10; i += 1) {
        const read = await wmp.get('/v1/inbox');
        if (read.status === 429) return Number(read.headers.get('retry-after'));
      }
      throw new Error('the key was never refused a read');
    };
    const left = await readsRefusedFor();
    if (left * 1000 < 2 * API_KEY_CACHE_MS) {
      await new Promise((resolve) => setTimeout(resolve, (left + 1) * 1000));
      await readsRefusedFor();
    }
    await new Promise((resolve) => setTimeout(resolve, API_KEY_CACHE_MS + 100));
    expect((await wmp.get('/v1/no-such-route')).status).toBe(429);
  });

  it("spreads a key's requests over its window: past its burst, one that would wait too long is refused", async () => {
    // Reads are 5 a minute per key here, so one each 12 s once a burst of 2 is spent; none may wait. Romania's
    // key has not read yet.
    const strict = await startGateway({
      ...process.env,
      ...LIMITS,
      RATE_LIMIT_BURST: '2',
      RATE_LIMIT_MAX_WAIT_MS: '0',
      PORT: '0',
    });
    try {
      const paced = new ApiClient(strict.url, romania.key);
      const statuses = [];
      for (let i = 0; i < 3; i += 1) statuses.push((await paced.get<Problem>('/v1/inbox')).status);
      expect(statuses).toEqual([200, 200, 429]);
      const refused = await paced.get<Problem>('/v1/inbox');
      expect(refused.body.detail).toMatch(
        /^this API key is sending reads faster than its limit allows; retry after \d+ s$/,
      );
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    } finally {
      await strict.app.close();
    }
  });

  it('refuses an address that keeps failing to authenticate', async () => {
    const stranger = new ApiClient(services.gateway.url, 'lia_not-a-key-at-all-000000000000');
    const statuses = [];
    for (let i = 0; i < 4; i += 1) statuses.push((await stranger.get('/v1/inbox')).status);
    expect(statuses).toEqual([401, 401, 401, 429]);
    // Another unknown key from the address is refused for the address, without being looked up.
    expect((await stranger.as('lia_another-guess-000000000000000000').get('/v1/inbox')).status).toBe(429);
    // Health probes are not limited.
    await waitFor(async () => (await services.api.get('/health/live')).status === 200, { what: 'health answers' });
  });
});
