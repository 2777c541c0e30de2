import { DEFAULT_OVER_CORRELATION_CAP, entityMatchKeys, messageMatchKeys, type MatchKey } from '@liaison/domain';
import { createDataSource } from '@liaison/persistence';
import { caseKeysFromEnvironment, seededRandom } from '@liaison/testing';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import {
  INDEX_CHUNK_MESSAGES,
  indexedKeys,
  MatchIndexBuilder,
  MatchIndexRepository,
  type IndexedMessage,
} from '../../apps/matcher/src';
import { provision } from '../ops/provision';
import { MatchKeyBlinder, newDataKey } from '@liaison/protection';

/** Keys blinded and sealed as the matcher's are (one case key for all: the cost is the same). */
const BLINDER = new MatchKeyBlinder(newDataKey());
const CASE_KEY = newDataKey();

/**
 * `npm run bench:matching`: builds the entity index from scratch to 1 million and then 10 million keys with the
 * matcher's bulk builder (`MatchIndexBuilder`), matches a stream of messages against it one message
 * at a time as the matcher does when traffic is light, then adds more keys through the live matcher's batch path
 * (a few partitions' batches at once). Prints both build rates (keys/s) and their ratio, the stream's
 * per-message p50/p99 and messages/s at each size, and the growth of the p99 from 1M to 10M.
 *
 * The generated traffic: one case per message, 1-9 keys per message (phones 40%, e-mails 15%, IBANs 10%,
 * identity documents 10%, plates 10%, people 15%). 96.5% of values are new; 3% recur from an earlier case (any
 * earlier value alike, so most link to one case); 0.5% are among a few hundred hot values per kind with a skewed
 * popularity, which soon pass the cap. That gives a few matches per hundred keys whatever the size of the index.
 * Stream messages carry real entities and text, normalised by the real rules, and half of their values are
 * already in the index, so most of them make matches.
 *
 * BENCH_MATCH_SIZES (e.g. `100000,1000000`), BENCH_MATCH_STREAM (messages per stream, default 2,000) and
 * BENCH_MATCH_LIVE_KEYS (keys added through the live path, default 300,000) change the sizes.
 */
const root = join(__dirname, '..', '..', '..');
const sizes = (process.env.BENCH_MATCH_SIZES ?? '1000000,10000000').split(',').map(Number);
const streamLength = Number(process.env.BENCH_MATCH_STREAM ?? 2_000);
const databaseUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/liaison_bench_matching';
const BATCH_MESSAGES = INDEX_CHUNK_MESSAGES; // as the matcher writes them
const CONCURRENCY = Number(process.env.BENCH_MATCH_CONCURRENCY ?? 3); // partition batches the matcher applies at once
const LIVE_KEYS = Number(process.env.BENCH_MATCH_LIVE_KEYS ?? 300_000); // keys added through the live path on top of each index
const AGENCIES = [
  'GB-WMP',
  'GB-MET',
  'GB-GMP',
  'GB-NCA-UKLB',
  'RO-ENU',
  'BG-ENU',
  'NL-ENU',
  'FR-ENU',
  'ES-ENU',
  'PL-ENU',
  'HU-ENU',
  'SK-ENU',
  'LT-ENU',
  'IT-ENU',
  'DE-ENU',
];
const FIRST = [
  'ion',
  'maria',
  'stefan',
  'elena',
  'andrei',
  'ana',
  'mihai',
  'ioana',
  'georgi',
  'petar',
  'jan',
  'anna',
  'tomasz',
  'katarzyna',
  'daniel',
  'gabriel',
];
const LAST = [
  'popescu',
  'ionescu',
  'munteanu',
  'dumitru',
  'stan',
  'georgiev',
  'ivanov',
  'dimitrov',
  'kowalski',
  'nowak',
  'horvath',
  'nagy',
  'kazlauskas',
  'rossi',
  'garcia',
  'muller',
];

type Kind = 'phone' | 'email' | 'iban' | 'document' | 'plate' | 'person';
const KINDS: [Kind, number][] = [
  ['phone', 0.4],
  ['email', 0.15],
  ['iban', 0.1],
  ['document', 0.1],
  ['plate', 0.1],
  ['person', 0.15],
];

/** An IBAN with a valid check: Romanian format, bank code and account from the value number. */
function iban(n: number): string {
  const bban = `BANK${String(n).padStart(16, '0')}`;
  const digits = `${bban}RO00`.replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  let rest = 0;
  for (const d of digits) rest = (rest * 10 + Number(d)) % 97;
  return `RO${String(98 - rest).padStart(2, '0')}${bban}`;
}

/** The entity for value number `n` of a kind, as a message would carry it. */
function entity(kind: Kind, n: number): Record<string, unknown> {
  switch (kind) {
    case 'phone': {
      const digits = String(720_000_000 + (n % 80_000_000));
      return {
        type: 'phone',
        number: `+40 ${digits.slice(0, 3)} ${digits.slice(3, 6)} ${digits.slice(6)}`,
        country: 'RO',
      };
    }
    case 'email':
      return { type: 'email', address: `contact${n}@mail${n % 97}.example.ro` };
    case 'iban':
      return { type: 'bank-account', iban: iban(n) };
    case 'document':
      return {
        type: 'identity-document',
        documentType: 'passport',
        issuingCountry: 'RO',
        number: `05${String(n).padStart(8, '0')}`,
      };
    case 'plate':
      return {
        type: 'vehicle',
        plate: `B ${String(n % 1000).padStart(3, '0')} ${String.fromCharCode(65 + (n % 26), 65 + (Math.floor(n / 26) % 26), 65 + (Math.floor(n / 676) % 26))}${Math.floor(n / 17_576)}`,
        country: 'RO',
      };
    case 'person': {
      // 256 names and any day of 70 years: two people share a name and a date of birth about as often as in life.
      const born = new Date(Date.UTC(1940, 0, 1) + ((n * 7919) % 25_567) * 86_400_000);
      return {
        type: 'person',
        names: [FIRST[n % FIRST.length], LAST[Math.floor(n / FIRST.length) % LAST.length]],
        dateOfBirth: born.toISOString().slice(0, 10),
      };
    }
  }
}

/** The normalised keys of value `n` of a kind, computed without the phone library (as fast as the index takes them). */
function keysOf(kind: Kind, n: number): MatchKey[] {
  if (kind === 'phone')
    return [{ key: `phone:+40${720_000_000 + (n % 80_000_000)}`, kind: 'phone', strength: 'strong', extracted: false }];
  if (kind === 'email')
    return [{ key: `email:contact${n}@mail${n % 97}.example.ro`, kind: 'email', strength: 'strong', extracted: false }];
  return entityMatchKeys(entity(kind, n));
}

/** The share of values that recur from an earlier case (any earlier value alike), and of values from a few hot ones. */
const RECURRING = 0.03;
const HOT = 0.005;
/** Hot values per kind (a hotel switchboard, a facilitator's shared address), drawn with a skewed popularity. */
const HOT_VALUES = 500;

class Traffic {
  private readonly random = seededRandom(20_261_123);
  /** The next new value number of each kind; 1 to HOT_VALUES are the hot ones. */
  private readonly next = new Map<Kind, number>(KINDS.map(([kind]) => [kind, HOT_VALUES + 1]));
  private messages = 0;

  private kind(): Kind {
    const r = this.random();
    for (let i = 0, acc = 0; i < KINDS.length; i++) {
      acc += KINDS[i][1];
      if (r < acc) return KINDS[i][0];
    }
    return 'phone';
  }

  /** An earlier value of a kind, any alike. */
  private earlier(kind: Kind): number {
    return HOT_VALUES + 1 + Math.floor(this.random() * (this.next.get(kind)! - HOT_VALUES - 1));
  }

  /** The kind and value number of one entity: mostly new, some recurring from an earlier case, a few hot. */
  value(): [Kind, number] {
    const kind = this.kind();
    const r = this.random();
    if (r < HOT) return [kind, Math.floor(HOT_VALUES ** this.random())];
    if (r < HOT + RECURRING && this.next.get(kind)! > HOT_VALUES + 1) return [kind, this.earlier(kind)];
    const n = this.next.get(kind)!;
    this.next.set(kind, n + 1);
    return [kind, n];
  }

  /** An earlier value, for stream messages that should match. */
  known(): [Kind, number] {
    const kind = this.kind();
    return [kind, this.earlier(kind)];
  }

  message(prefix: string): { messageId: string; caseReference: string; agency: string; count: number } {
    this.messages++;
    const n = this.messages;
    return {
      messageId: `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`,
      caseReference: `${prefix}-${n.toString(36).toUpperCase().padStart(9, '0')}`,
      agency: AGENCIES[n % AGENCIES.length],
      count: 1 + Math.floor(this.random() * 9),
    };
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** One batch of generated messages, as the matcher writes them. */
function batchOf(traffic: Traffic): IndexedMessage[] {
  const messages: IndexedMessage[] = [];
  for (let i = 0; i < BATCH_MESSAGES; i++) {
    const m = traffic.message('IDX');
    const keys = new Map<string, MatchKey>();
    for (let k = 0; k < m.count; k++) for (const key of keysOf(...traffic.value())) keys.set(key.key, key);
    messages.push({
      messageId: m.messageId,
      holder: { caseReference: m.caseReference, agency: m.agency },
      keys: indexedKeys([...keys.values()], BLINDER, CASE_KEY, m.caseReference),
    });
  }
  return messages;
}

interface Built {
  keys: number;
  seconds: number;
  matches: number;
  overCorrelated: number;
  /** CPU this process used per key (generating the traffic included). */
  cpuPerKey: number;
}

function describe(what: string, built: Built): string {
  return `  ${what}: ${built.keys.toLocaleString('en-GB')} keys in ${built.seconds.toFixed(1)} s: ${Math.round(built.keys / built.seconds).toLocaleString('en-GB')} keys/s; ${built.matches.toLocaleString('en-GB')} matches made, ${built.overCorrelated.toLocaleString('en-GB')} keys past the cap; this process used ${built.cpuPerKey.toFixed(1)} µs of CPU per key`;
}

/** Builds the whole index from `target` keys of traffic in bulk. */
async function bulkBuild(builder: MatchIndexBuilder, traffic: Traffic, target: number): Promise<Built> {
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  async function* batches(): AsyncIterable<IndexedMessage[]> {
    for (let generated = 0; generated < target;) {
      const batch = batchOf(traffic);
      for (const message of batch) generated += message.keys.length;
      yield batch;
    }
  }
  const outcome = await builder.rebuild(batches(), DEFAULT_OVER_CORRELATION_CAP, new Date());
  const used = process.cpuUsage(cpu);
  return {
    ...outcome,
    seconds: Number(process.hrtime.bigint() - started) / 1e9,
    cpuPerKey: (used.user + used.system) / outcome.keys,
  };
}

/** Adds `count` keys through the live matcher's batch path, a few partitions' batches at once. */
async function liveBuild(index: MatchIndexRepository, traffic: Traffic, count: number): Promise<Built> {
  let written = 0;
  let matches = 0;
  let overCorrelated = 0;
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  const worker = async (): Promise<void> => {
    while (written < count) {
      const outcome = await index.index(batchOf(traffic), DEFAULT_OVER_CORRELATION_CAP, new Date());
      written += outcome.indexed;
      matches += outcome.matches.length;
      overCorrelated += outcome.overCorrelated.length;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const used = process.cpuUsage(cpu);
  return {
    keys: written,
    seconds: Number(process.hrtime.bigint() - started) / 1e9,
    matches,
    overCorrelated,
    cpuPerKey: (used.user + used.system) / written,
  };
}

/** Matches stream messages one by one, with real entities and text; returns latencies in ms. */
async function stream(
  index: MatchIndexRepository,
  traffic: Traffic,
): Promise<{ latencies: number[]; seconds: number; matches: number }> {
  const latencies: number[] = [];
  let matches = 0;
  const started = process.hrtime.bigint();
  for (let i = 0; i < streamLength; i++) {
    const m = traffic.message('STR');
    const entities: Record<string, unknown>[] = [];
    for (let k = 0; k < m.count; k++)
      entities.push({ ref: `e${k}`, ...entity(...(k % 2 === 0 ? traffic.known() : traffic.value())) });
    const body = `Subscriber and account checks requested. Contact reported by a victim: 07${String(20_000_000 + i).slice(0, 8)}.`;
    const t0 = process.hrtime.bigint();
    const keys = indexedKeys(
      messageMatchKeys(entities, `Request for checks\n${body}`, 'RO'),
      BLINDER,
      CASE_KEY,
      m.caseReference,
    );
    const outcome = await index.index(
      [{ messageId: m.messageId, holder: { caseReference: m.caseReference, agency: m.agency }, keys }],
      DEFAULT_OVER_CORRELATION_CAP,
      new Date(),
    );
    latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
    matches += outcome.matches.length;
  }
  return {
    latencies: latencies.sort((a, b) => a - b),
    seconds: Number(process.hrtime.bigint() - started) / 1e9,
    matches,
  };
}

async function main(): Promise<void> {
  if (spawnSync(join(root, 'deploy/local/datastores.sh'), { stdio: 'inherit' }).status !== 0)
    throw new Error('PostgreSQL did not come up');
  console.log(
    `bench:matching: fresh database ${new URL(databaseUrl).pathname.slice(1)}; index sizes ${sizes.map((s) => s.toLocaleString('en-GB')).join(' and ')} keys; ${streamLength} stream messages each`,
  );
  await provision({
    databaseUrl,
    kafkaBrokers: process.env.KAFKA_BROKERS ?? '127.0.0.1:9092',
    kafkaNamespace: 'benchmatching.',
    fresh: true,
    skipTopics: true,
  });
  const dataSource = await createDataSource({
    url: databaseUrl,
    poolSize: CONCURRENCY + 1,
    applicationName: 'liaison-bench-matching',
  }).initialize();
  const index = new MatchIndexRepository(dataSource, caseKeysFromEnvironment());
  const builder = new MatchIndexBuilder(dataSource, index);
  const results: { size: number; bulkRate: number; liveRate: number; p50: number; p99: number; perSecond: number }[] =
    [];
  try {
    for (const size of sizes) {
      // Each size is built from scratch from the same traffic.
      await dataSource.query('TRUNCATE match_keys, matches, match_keys_over_correlated');
      const traffic = new Traffic();
      console.log(`building the index from ${size.toLocaleString('en-GB')} keys in bulk ...`);
      const bulk = await bulkBuild(builder, traffic, size);
      await dataSource.query('ANALYZE matches');
      console.log(describe('bulk build', bulk));
      const run = await stream(index, traffic);
      const p50 = percentile(run.latencies, 50);
      const p99 = percentile(run.latencies, 99);
      console.log(
        `  stream: ${streamLength} messages, p50 ${p50.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms, ${Math.round(streamLength / run.seconds)} messages/s, ${run.matches} matches`,
      );
      const live = await liveBuild(index, traffic, LIVE_KEYS);
      console.log(describe('live batch path on top', live));
      results.push({
        size: bulk.keys,
        bulkRate: bulk.keys / bulk.seconds,
        liveRate: live.keys / live.seconds,
        p50,
        p99,
        perSecond: streamLength / run.seconds,
      });
    }
  } finally {
    await dataSource.destroy();
  }
  console.log('\nsize (keys)    bulk build keys/s   live path keys/s   ratio   p50 ms   p99 ms   messages/s');
  for (const r of results) {
    console.log(
      `${r.size.toLocaleString('en-GB').padStart(11)}   ${Math.round(r.bulkRate).toLocaleString('en-GB').padStart(17)}   ${Math.round(r.liveRate).toLocaleString('en-GB').padStart(16)}   ${(r.bulkRate / r.liveRate).toFixed(2).padStart(5)}   ${r.p50.toFixed(2).padStart(6)}   ${r.p99.toFixed(2).padStart(6)}   ${Math.round(r.perSecond).toLocaleString('en-GB').padStart(10)}`,
    );
  }
  if (results.length >= 2) {
    const [small, large] = [results[0], results[results.length - 1]];
    console.log(
      `growth of p99 from ${small.size.toLocaleString('en-GB')} to ${large.size.toLocaleString('en-GB')} keys: ${(large.p99 / small.p99).toFixed(2)}x (target < 2x); p50 ${(large.p50 / small.p50).toFixed(2)}x`,
    );
  }
  console.log('targets: p99 < 10 ms per message at the largest index; index build (bulk) >= 50,000 keys/s');
}

main().catch((error: unknown) => {
  console.error('bench:matching failed:', error instanceof Error ? error.message : error);
  process.exit(1);
});
