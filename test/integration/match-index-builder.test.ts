import { MatchIndexBuilder, MatchIndexRepository, type IndexedKey, type IndexedMessage } from '../../apps/matcher/src';
import { entityMatchKeys, type MatchKey } from '@liaison/domain';
import { createDataSource } from '@liaison/persistence';
import { caseKeysFromEnvironment, seededRandom } from '@liaison/testing';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { provision } from '../../scripts/ops/provision';

const CAP = 5;
const FIRST = ['Ștefan', 'Stefan', 'Maria', 'Marya', 'Ion', 'Ioan'];
const LAST = ['Popescu', 'Popesku', 'Ionescu', 'Ionesku'];

/**
 * Messages over 60 cases, some sent by two agencies, some repeating a key; e-mails drawn with a skew so a few
 * pass the cap; people whose spellings differ but sound alike, so some pairs match by name and sound, some by
 * sound alone.
 */
function dataset(seed: number, tag: string): IndexedMessage[] {
  const random = seededRandom(seed);
  const agencies = ['GB-WMP', 'RO-ENU', 'NL-ENU', 'FR-ENU'];
  const messages: IndexedMessage[] = [];
  for (let n = 0; n < 400; n++) {
    const caseNo = Math.floor(random() * 60);
    const agency = agencies[(caseNo + (random() < 0.2 ? 1 : 0)) % agencies.length];
    const keys = new Map<string, MatchKey>();
    for (let k = 0; k < 1 + Math.floor(random() * 3); k++) {
      const email = Math.floor(40 ** random());
      keys.set(`email:shared${email}-${tag}@example.org`, {
        key: `email:shared${email}-${tag}@example.org`,
        kind: 'email',
        strength: 'strong',
        extracted: random() < 0.3,
      });
    }
    if (random() < 0.5) {
      const person = {
        type: 'person',
        names: [FIRST[Math.floor(random() * FIRST.length)], LAST[Math.floor(random() * LAST.length)]],
        dateOfBirth: `1980-01-0${1 + Math.floor(random() * 3)}`,
      };
      for (const key of entityMatchKeys(person)) keys.set(key.key, { ...key, ref: 'p1' });
    }
    messages.push({
      messageId: randomUUID(),
      holder: { caseReference: `LIA-BUILD${tag}-${String(caseNo).padStart(2, '0')}`, agency },
      keys: [...keys.values()].map((key) => ({ ...key, sealedValue: Buffer.from('sealed') })),
    });
  }
  return messages;
}

async function* inBatches(
  messages: IndexedMessage[],
  size: number,
  between?: () => Promise<void>,
): AsyncIterable<IndexedMessage[]> {
  for (let i = 0; i < messages.length; i += size) {
    yield messages.slice(i, i + size);
    if (i === 0 && between) await between();
  }
}

describe('building the match index in bulk (real PostgreSQL)', () => {
  const run = randomUUID().slice(0, 8).toUpperCase();
  const url = new URL(process.env.DATABASE_URL!);
  url.pathname = `/${url.pathname.slice(1)}_builder`;
  let db: DataSource;
  let index: MatchIndexRepository;
  let builder: MatchIndexBuilder;

  beforeAll(async () => {
    await provision({
      databaseUrl: url.toString(),
      kafkaBrokers: process.env.KAFKA_BROKERS ?? '127.0.0.1:9092',
      kafkaNamespace: 'unused.',
      fresh: true,
      skipTopics: true,
    });
    db = await createDataSource({
      url: url.toString(),
      poolSize: 4,
      applicationName: 'match-index-builder-test',
    }).initialize();
    index = new MatchIndexRepository(db, caseKeysFromEnvironment());
    builder = new MatchIndexBuilder(db, index);
  });

  afterAll(async () => {
    await db.destroy();
  });

  const snapshot = async (): Promise<{ holdings: string[]; matches: string[]; overCorrelated: string[] }> => ({
    holdings: (
      await db.query<{ r: string }[]>(
        `SELECT concat_ws('|', key, case_reference, agency, message_id, extracted, entity_ref) AS r FROM match_keys ORDER BY 1`,
      )
    ).map((x) => x.r),
    matches: (
      await db.query<{ r: string }[]>(
        `SELECT concat_ws('|', key, strength, case_a, agency_a, case_b, agency_b, message_id, candidate_state) AS r FROM matches ORDER BY 1`,
      )
    ).map((x) => x.r),
    overCorrelated: (await db.query<{ key: string }[]>('SELECT key FROM match_keys_over_correlated ORDER BY 1')).map(
      (x) => x.key,
    ),
  });
  const reset = (): Promise<unknown> =>
    db.query('TRUNCATE match_keys, matches, match_keys_over_correlated, match_key_exclusions CASCADE');
  /** What both runs start from: an excluded key and a dismissed candidate pair. */
  const dismissedBy = randomUUID();
  const prepare = async (tag: string, dismissedPair: [string, string]): Promise<void> => {
    await db.query(
      `INSERT INTO match_key_exclusions (key, reason, excluded_by_key_id, excluded_at) VALUES ($1, 'Shared switchboard', $2, now())`,
      [`email:shared3-${tag}@example.org`, randomUUID()],
    );
    await db.query(
      `INSERT INTO matches (id, key, kind, strength, case_a, agency_a, case_b, agency_b, message_id, found_at, candidate_state)
       VALUES ($1, 'person-name:dismissed', 'person-name', 'candidate', $2, 'GB-WMP', $3, 'GB-WMP', $4, now(), 'dismissed')`,
      [randomUUID(), ...dismissedPair, dismissedBy],
    );
  };

  it('finds exactly what the matcher finds taking the same messages one at a time', async () => {
    for (const seed of [1, 2, 3]) {
      const tag = `${run}${seed}`;
      const messages = dataset(seed, tag);
      const dismissedPair: [string, string] = [`LIA-BUILD${tag}-07`, `LIA-BUILD${tag}-11`];

      await reset();
      await prepare(tag, dismissedPair);
      for (const message of messages) await index.index([message], CAP, new Date());
      const live = await snapshot();

      await reset();
      await prepare(tag, dismissedPair);
      const outcome = await builder.rebuild(inBatches(messages, 37), CAP, new Date());
      const built = await snapshot();

      // The dataset reaches every rule: strong and candidate matches, keys past the cap, an exclusion.
      expect(live.matches.filter((m) => m.includes('|strong|')).length).toBeGreaterThan(10);
      expect(live.matches.filter((m) => m.includes('|candidate|')).length).toBeGreaterThan(3);
      expect(live.overCorrelated.length).toBeGreaterThan(0);
      expect(live.matches.some((m) => m.startsWith(`email:shared3-${tag}@`))).toBe(false);

      expect(built).toEqual(live);
      expect(outcome).toEqual({
        keys: live.holdings.length,
        matches: live.matches.length - 1,
        overCorrelated: live.overCorrelated.length,
      });
    }
  });

  it('keeps stored matches and their decisions, and the holdings the matcher writes while it runs', async () => {
    await reset();
    const key: IndexedKey = {
      key: `email:kept-${run.toLowerCase()}@example.org`,
      kind: 'email',
      strength: 'strong',
      extracted: false,
      sealedValue: Buffer.from('sealed'),
    };
    const holder = (n: number, agency = 'GB-WMP'): IndexedMessage => ({
      messageId: randomUUID(),
      holder: { caseReference: `LIA-KEPT${run}-${n}`, agency },
      keys: [key],
    });
    const [a, b, c] = [holder(1), holder(2, 'RO-ENU'), holder(3, 'NL-ENU')];
    const [made] = (await index.index([a, b], CAP, new Date())).matches;
    await db.query(`UPDATE matches SET decision_a = 'released' WHERE id = $1`, [made.id]);
    const [{ name: primaryKey }] = await db.query<{ name: string }[]>(
      `SELECT conname AS name FROM pg_constraint WHERE conrelid = 'match_keys'::regclass AND contype = 'p'`,
    );

    // While the builder reads its messages, the running matcher indexes a third case.
    const outcome = await builder.rebuild(
      inBatches([a, b], 1, async () => void (await index.index([c], CAP, new Date()))),
      CAP,
      new Date(),
    );

    expect(outcome).toEqual({ keys: 2, matches: 0, overCorrelated: 0 });
    const holdings = await db.query<{ case_reference: string; message_id: string }[]>(
      'SELECT case_reference, message_id FROM match_keys WHERE key = $1 ORDER BY 1',
      [key.key],
    );
    expect(holdings).toEqual(
      [a, b, c].map((m) => ({ case_reference: m.holder.caseReference, message_id: m.messageId })),
    );
    const matches = await db.query<{ id: string; case_a: string; case_b: string; decision_a: string }[]>(
      'SELECT id, case_a, case_b, decision_a FROM matches WHERE key = $1 ORDER BY case_a, case_b',
      [key.key],
    );
    expect(matches).toEqual([
      { id: made.id, case_a: a.holder.caseReference, case_b: b.holder.caseReference, decision_a: 'released' },
      expect.objectContaining({ case_a: a.holder.caseReference, case_b: c.holder.caseReference }),
      expect.objectContaining({ case_a: b.holder.caseReference, case_b: c.holder.caseReference }),
    ]);
    // The rebuilt table is the index: same primary key, and the staging tables are gone.
    expect(
      await db.query(
        `SELECT conname AS name FROM pg_constraint WHERE conrelid = 'match_keys'::regclass AND contype = 'p'`,
      ),
    ).toEqual([{ name: primaryKey }]);
    expect(
      await db.query(`SELECT relname FROM pg_class WHERE relname IN ('match_keys_staged', 'match_keys_rebuilt')`),
    ).toEqual([]);
    // A later message is matched through the rebuilt index as before.
    expect((await index.index([holder(4)], CAP, new Date())).matches).toHaveLength(3);
  });

  it('links nothing through a restricted case, live or rebuilt, and its holdings are kept', async () => {
    await reset();
    const key: IndexedKey = {
      key: `email:restricted-${run.toLowerCase()}@example.org`,
      kind: 'email',
      strength: 'strong',
      extracted: false,
      sealedValue: Buffer.from('sealed'),
    };
    const holder = (n: number, agency: string): IndexedMessage => ({
      messageId: randomUUID(),
      holder: { caseReference: `LIA-RSTR${run}-${n}`, agency },
      keys: [key],
    });
    const [open, restricted, later] = [holder(1, 'GB-WMP'), holder(2, 'RO-ENU'), holder(3, 'NL-ENU')];
    await db.query(
      `INSERT INTO case_restrictions (case_reference, reason, placed_by_type, placed_by_id, placed_at)
       VALUES ($1, 'accuracy contested', 'person', 'p1', now())`,
      [restricted.holder.caseReference],
    );
    try {
      // Live: the restricted case makes no match, and is nobody's match.
      expect((await index.index([open, restricted], CAP, new Date())).matches).toEqual([]);
      expect((await index.index([later], CAP, new Date())).matches.map((m) => [m.a, m.b])).toEqual([
        [open.holder, later.holder],
      ]);
      // Rebuilt: the same, with every holding kept.
      await reset();
      const outcome = await builder.rebuild(inBatches([open, restricted, later], 2), CAP, new Date());
      expect(outcome).toMatchObject({ keys: 3, matches: 1 });
      const pairs = await db.query<{ case_a: string; case_b: string }[]>(
        'SELECT case_a, case_b FROM matches WHERE key = $1',
        [key.key],
      );
      expect(pairs).toEqual([{ case_a: open.holder.caseReference, case_b: later.holder.caseReference }]);
    } finally {
      await db.query('DELETE FROM case_restrictions WHERE case_reference = $1', [restricted.holder.caseReference]);
    }
  });
});
