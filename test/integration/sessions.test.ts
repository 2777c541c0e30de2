import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { SessionStore, SessionSweeper } from '../../apps/gateway/src';

/** Sessions in the real Redis: times decided by the record, ids stored only as digests, ends claimed once. */
describe('the session store', () => {
  const config = {
    REDIS_URL: process.env.REDIS_URL!,
    KAFKA_NAMESPACE: process.env.KAFKA_NAMESPACE!,
    SESSION_IDLE_MINUTES: 15,
    SESSION_ABSOLUTE_HOURS: 12,
  };
  const keyOf = (hash: string) => `liaison:${process.env.KAFKA_NAMESPACE}session:${hash}`;
  const store = new SessionStore(config as never);
  const redis = new Redis(process.env.REDIS_URL!);
  const idle = 15 * 60_000;
  const person = () => ({ id: randomUUID(), agency: 'GB-WMP', role: 'officer' as const });

  afterAll(async () => {
    await store.onApplicationShutdown();
    redis.disconnect();
  });

  it('keeps only the digest of the id, and finds the session by the id alone', async () => {
    const { id, hash } = await store.create(person(), 'local', Date.now());
    expect(await redis.exists(keyOf(id))).toBe(0);
    expect(await redis.exists(keyOf(hash))).toBe(1);
    expect((await store.find(id)).state).toBe('live');
    expect((await store.find(hash)).state).toBe('unknown');
    expect((await store.find('not-a-token')).state).toBe('unknown');
  });

  it('ends after the idle time unless a request touches it, and a background poll does not', async () => {
    const start = Date.now();
    const { id } = await store.create(person(), 'local', start, {}, start);
    expect((await store.find(id, { now: start + idle - 1_000 })).state).toBe('live');
    // Touched at start + idle - 1 s: alive until then + 15 minutes.
    expect((await store.find(id, { now: start + idle + 60_000, touch: false })).state).toBe('live');
    const ended = await store.find(id, { now: start + 2 * idle });
    expect(ended).toMatchObject({ state: 'ended', reason: 'idle' });
  });

  it('ends 12 hours after sign-in however busy', async () => {
    const start = Date.now();
    const { id } = await store.create(person(), 'local', start, {}, start);
    for (let at = start; at < start + 12 * 3_600_000; at += idle - 60_000)
      expect((await store.find(id, { now: at })).state).toBe('live');
    expect(await store.find(id, { now: start + 12 * 3_600_000 })).toMatchObject({ state: 'ended', reason: 'absolute' });
  });

  it('gives a rotated session a new id and a new CSRF token; the old id stops working at once', async () => {
    const created = await store.create(person(), 'local', null);
    const rotated = (await store.rotate(created.hash, { secondFactorAt: 123 }))!;
    expect(rotated.id).not.toBe(created.id);
    expect(rotated.session.csrfToken).not.toBe(created.session.csrfToken);
    expect(rotated.session.secondFactorAt).toBe(123);
    expect((await store.find(created.id)).state).toBe('unknown');
    expect((await store.find(rotated.id)).state).toBe('live');
  });

  it("ends every session of a person at once, and no one else's", async () => {
    const someone = person();
    const a = await store.create(someone, 'local', null);
    const b = await store.create(someone, 'identity-provider', null);
    const other = await store.create(person(), 'local', null);
    expect(await store.endAll(someone.id)).toBe(2);
    expect((await store.find(a.id)).state).toBe('unknown');
    expect((await store.find(b.id)).state).toBe('unknown');
    expect((await store.find(other.id)).state).toBe('live');
  });

  it('lets exactly one of several replicas claim an ended session, to audit its expiry once', async () => {
    const start = Date.now();
    const { hash, session } = await store.create(person(), 'local', start, {}, start);
    const replicas = [store, new SessionStore(config as never), new SessionStore(config as never)];
    const later = start + idle + 1;
    const claims = await Promise.all(replicas.map((replica) => replica.claimEnded(later)));
    const mine = claims.flat().filter((c) => c.hash === hash);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ reason: 'idle', session: { personId: session.personId } });
    expect(await store.claimExpired(hash, session.personId)).toBe(false);
    await Promise.all(replicas.slice(1).map((replica) => replica.onApplicationShutdown()));
  });

  it('has the sweeper audit each session that ended unseen, once, with why it ended', async () => {
    const start = Date.now();
    const idlePerson = person();
    const idler = await store.create(idlePerson, 'local', start, {}, start);
    const audited: { personId: string; reason: string }[] = [];
    const sessions = {
      auditExpiry: (session: { personId: string }, reason: string) => {
        audited.push({ personId: session.personId, reason });
        return Promise.resolve();
      },
    };
    const sweeper = new SessionSweeper(store, sessions as never, { warn: () => undefined } as never);
    await sweeper.sweep(start + idle + 1);
    await sweeper.sweep(start + idle + 2);
    expect(audited.filter((a) => a.personId === idlePerson.id)).toEqual([{ personId: idlePerson.id, reason: 'idle' }]);
    expect((await store.find(idler.id, { now: start + 1 })).state).toBe('unknown');
  });

  /** Until `check` holds, for at most two seconds (a message between replicas takes a moment to arrive). */
  async function eventually(check: () => Promise<boolean>): Promise<boolean> {
    for (const until = Date.now() + 2_000; Date.now() < until; await new Promise((r) => setTimeout(r, 20)))
      if (await check()) return true;
    return false;
  }

  it('answers again from memory, yet forgets a session as soon as any replica ends it', async () => {
    const other = new SessionStore(config as never);
    try {
      await eventually(async () => (store as unknown as { listening: boolean }).listening);
      const { id, hash, session } = await store.create(person(), 'local', null);
      expect((await store.find(id)).state).toBe('live');
      // Removed behind the store's back, without a word: the replica still answers from memory.
      const raw = await redis.get(keyOf(hash));
      await redis.del(keyOf(hash));
      expect((await store.find(id)).state).toBe('live');
      await redis.set(keyOf(hash), raw!);
      // Ended by another replica: this one hears it and asks Redis again.
      expect(await other.end(hash, session.personId)).toBe(true);
      expect(await eventually(async () => (await store.find(id)).state === 'unknown')).toBe(true);
    } finally {
      await other.onApplicationShutdown();
    }
  });

  it('stops answering from memory while it cannot hear ends, and starts again once it can', async () => {
    const replica = new SessionStore(config as never);
    try {
      const listening = () => (replica as unknown as { listening: boolean }).listening;
      expect(await eventually(async () => listening())).toBe(true);
      const { id, hash } = await store.create(person(), 'local', null);
      expect((await replica.find(id)).state).toBe('live');
      const clients = (await redis.client('LIST')) as string;
      const listener = clients
        .split('\n')
        .find(
          (line) =>
            line.includes(`name=liaison:${process.env.KAFKA_NAMESPACE}sessions-listener`) && line.includes('sub=1'),
        );
      expect(listener).toBeDefined();
      // Every listener of this run drops; each forgets what it remembered and reconnects by itself.
      await redis.client('KILL', 'TYPE', 'pubsub', 'SKIPME', 'yes');
      await redis.del(keyOf(hash));
      expect((await replica.find(id)).state).toBe('unknown');
      expect(await eventually(async () => listening())).toBe(true);
    } finally {
      await replica.onApplicationShutdown();
    }
  });
});
