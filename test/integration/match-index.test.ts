import { caseKeysFromEnvironment } from '@liaison/testing';
import { MatchIndexRepository, type IndexedMessage } from '../../apps/matcher/src';
import { createDataSource } from '@liaison/persistence';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';

/** The match index under concurrent writers, called directly: no advisory lock, no consumer ordering. */
describe('the match index itself, without locks (real PostgreSQL)', () => {
  const run = randomUUID().slice(0, 8).toUpperCase();
  let pool: DataSource;
  let index: MatchIndexRepository;

  beforeAll(async () => {
    pool = await createDataSource({
      url: process.env.DATABASE_URL!,
      poolSize: 8,
      applicationName: 'matcher-test-index',
    }).initialize();
    index = new MatchIndexRepository(pool, caseKeysFromEnvironment());
  });

  afterAll(async () => {
    await pool.destroy();
  });

  const holding = (caseReference: string, key: string): IndexedMessage => ({
    messageId: randomUUID(),
    holder: { caseReference, agency: 'GB-WMP' },
    keys: [{ key, kind: 'email', strength: 'strong', extracted: false, sealedValue: Buffer.from('sealed') }],
  });
  const pairs = (key: string): Promise<{ n: number }[]> =>
    pool.query('SELECT count(*)::int AS n FROM matches WHERE key = $1', [key]);

  it('finds every pair when eight cases add one key at the same moment', async () => {
    for (let round = 0; round < 10; round++) {
      const key = `email:race-${round}-${run.toLowerCase()}@example.org`;
      const cases = Array.from({ length: 8 }, (_, i) => `LIA-RACE${run}-${round}-${i}`);
      const outcomes = await Promise.all(cases.map((c) => index.index([holding(c, key)], 20, new Date())));
      expect(outcomes.reduce((n, o) => n + o.indexed, 0)).toBe(8);
      expect(await pairs(key)).toEqual([{ n: 28 }]);
      // Each pair is reported once, by whichever batch stored it.
      expect(outcomes.reduce((n, o) => n + o.matches.length, 0)).toBe(28);
    }
  });

  it('finds on the replay a match lost when the matcher stopped between writing a batch and reading it', async () => {
    const key = `email:replay-${run.toLowerCase()}@example.org`;
    const earlier = `LIA-REPLAY${run}-1`;
    const later = holding(`LIA-REPLAY${run}-2`, key);
    expect(await index.index([holding(earlier, key)], 20, new Date())).toMatchObject({ indexed: 1, matches: [] });
    // The later case's holding is written (and committed), then the matcher stops before reading it back.
    await pool.query(
      `INSERT INTO match_keys (key_hash, key, case_reference, agency, extracted, message_id, indexed_at, sealed_value)
       VALUES (hashtextextended($1, 0), $1, $2, 'GB-WMP', false, $3, now(), '\\x00')`,
      [key, later.holder.caseReference, later.messageId],
    );
    // The replay writes nothing new, yet reads the key and stores the match.
    const replay = await index.index([later], 20, new Date());
    expect(replay).toMatchObject({
      indexed: 0,
      matches: [
        {
          key,
          a: { caseReference: earlier },
          b: { caseReference: later.holder.caseReference },
          messageId: later.messageId,
        },
      ],
    });
    expect(await pairs(key)).toEqual([{ n: 1 }]);
    expect((await index.index([later], 20, new Date())).matches).toEqual([]);
  });

  it('reports a key past the cap once, however many batches find it so at the same moment', async () => {
    const key = `email:switchboard-${run.toLowerCase()}@example.org`;
    const outcomes = await Promise.all(
      Array.from({ length: 6 }, (_, i) => index.index([holding(`LIA-CAP${run}-${i}`, key)], 3, new Date())),
    );
    expect(outcomes.flatMap((o) => o.overCorrelated)).toEqual([key]);
    expect(await pool.query('SELECT count(*)::int AS n FROM match_keys_over_correlated WHERE key = $1', [key])).toEqual(
      [{ n: 1 }],
    );
    // At most the pairs among the first cap cases; none once the key is marked.
    expect((await pairs(key))[0].n).toBeLessThanOrEqual(3);
    expect((await index.index([holding(`LIA-CAP${run}-late`, key)], 3, new Date())).matches).toEqual([]);
  });
});
