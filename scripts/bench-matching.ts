import { DEFAULT_OVER_CORRELATION_CAP, entityMatchKeys, messageMatchKeys, type MatchKey } from '@liaison/domain';
import { createDataSource } from '@liaison/persistence';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { INDEX_CHUNK_MESSAGES } from '../apps/matcher/src/index-messages.usecase';
import { MatchIndexRepository, type IndexedMessage } from '../apps/matcher/src/match-index.repository';
import { provision } from './provision';

/**
 * `npm run bench:matching`: builds the entity index through the matcher's own batch path to 1 million and then
 * 10 million keys, then matches a stream of messages against it, one message per transaction as the matcher
 * does when traffic is light. Prints the build rate (keys/s), the stream's per-message p50/p99 and messages/s
 * at each size, and the growth of the p99 from 1M to 10M.
 *
 * The generated traffic: one case per message, 1-9 keys per message (phones 40%, e-mails 15%, IBANs 10%,
 * identity documents 10%, plates 10%, people 15%); nine values in ten are new, one in ten is drawn from a
 * shared pool with a skewed (Zipf-like) popularity, so most keys are held once, some by a few cases and a few
 * by more than the cap. Stream messages carry real entities and text, normalised by the real rules, and half
 * of their values are already in the index.
 *
 * BENCH_MATCH_SIZES (e.g. `100000,1000000`) and BENCH_MATCH_STREAM (messages per stream, default 2,000) change
 * the sizes.
 */
const root = join(__dirname, '..', '..');
const sizes = (process.env.BENCH_MATCH_SIZES ?? '1000000,10000000').split(',').map(Number);
const streamLength = Number(process.env.BENCH_MATCH_STREAM ?? 2_000);
const databaseUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/liaison_bench_matching';
const BATCH_MESSAGES = INDEX_CHUNK_MESSAGES; // as the matcher writes them
const CONCURRENCY = Number(process.env.BENCH_MATCH_CONCURRENCY ?? 3); // partition batches the matcher applies at once
const AGENCIES = ['GB-WMP', 'GB-MET', 'GB-GMP', 'GB-NCA-UKLB', 'RO-ENU', 'BG-ENU', 'NL-ENU', 'FR-ENU', 'ES-ENU', 'PL-ENU', 'HU-ENU', 'SK-ENU', 'LT-ENU', 'IT-ENU', 'DE-ENU'];
const FIRST = ['ion', 'maria', 'stefan', 'elena', 'andrei', 'ana', 'mihai', 'ioana', 'georgi', 'petar', 'jan', 'anna', 'tomasz', 'katarzyna', 'daniel', 'gabriel'];
const LAST = ['popescu', 'ionescu', 'munteanu', 'dumitru', 'stan', 'georgiev', 'ivanov', 'dimitrov', 'kowalski', 'nowak', 'horvath', 'nagy', 'kazlauskas', 'rossi', 'garcia', 'muller'];

/** A small fast PRNG (mulberry32), so every run generates the same traffic. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

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
      return { type: 'phone', number: `+40 ${digits.slice(0, 3)} ${digits.slice(3, 6)} ${digits.slice(6)}`, country: 'RO' };
    }
    case 'email':
      return { type: 'email', address: `contact${n}@mail${n % 97}.example.ro` };
    case 'iban':
      return { type: 'bank-account', iban: iban(n) };
    case 'document':
      return { type: 'identity-document', documentType: 'passport', issuingCountry: 'RO', number: `05${String(n).padStart(8, '0')}` };
    case 'plate':
      return { type: 'vehicle', plate: `B ${String(n % 1000).padStart(3, '0')} ${String.fromCharCode(65 + (n % 26), 65 + (Math.floor(n / 26) % 26), 65 + (Math.floor(n / 676) % 26))}${Math.floor(n / 17_576)}`, country: 'RO' };
    case 'person':
      return { type: 'person', names: [FIRST[n % FIRST.length], LAST[Math.floor(n / FIRST.length) % LAST.length]], dateOfBirth: `${1950 + (n % 50)}-${String(1 + (Math.floor(n / 50) % 12)).padStart(2, '0')}-${String(1 + (Math.floor(n / 600) % 28)).padStart(2, '0')}` };
  }
}

/** The normalised keys of value `n` of a kind, computed without the phone library (as fast as the index takes them). */
function keysOf(kind: Kind, n: number): MatchKey[] {
  if (kind === 'phone') return [{ key: `phone:+40${720_000_000 + (n % 80_000_000)}`, kind: 'phone', strength: 'strong', extracted: false }];
  if (kind === 'email') return [{ key: `email:contact${n}@mail${n % 97}.example.ro`, kind: 'email', strength: 'strong', extracted: false }];
  return entityMatchKeys(entity(kind, n));
}

class Traffic {
  private readonly random = prng(20_261_123);
  private next = 1;
  private messages = 0;

  /** The kind and value number of one entity: mostly new values, some from a skewed shared pool. */
  value(): [Kind, number] {
    const r = this.random();
    let kind: Kind = 'phone';
    for (let i = 0, acc = 0; i < KINDS.length; i++) {
      acc += KINDS[i][1];
      if (r < acc) {
        kind = KINDS[i][0];
        break;
      }
    }
    if (this.random() < 0.9 || this.next < 1000) return [kind, this.next++];
    // Zipf-like: the lower the value number, the more popular; the pool grows with the index.
    const pool = Math.max(1000, Math.floor(this.next / 50));
    return [kind, 1 + Math.floor(pool ** this.random()) - 1];
  }

  /** An old value, for stream messages that should match. */
  known(): [Kind, number] {
    const [kind] = this.value();
    return [kind, 1 + Math.floor(this.random() * (this.next - 1))];
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

async function countKeys(dataSource: DataSource): Promise<number> {
  const rows: { n: string }[] = await dataSource.query('SELECT count(*) AS n FROM match_keys');
  return Number(rows[0].n);
}

/** Adds messages through the matcher's batch path until the index holds `target` keys; returns keys/s. */
async function build(index: MatchIndexRepository, traffic: Traffic, from: number, target: number): Promise<{ keys: number; seconds: number; matches: number; overCorrelated: number; benchCpuMicros: number }> {
  let written = from;
  let matches = 0;
  let overCorrelated = 0;
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  let lastReport = Date.now();
  const batch = (): IndexedMessage[] => {
    const messages: IndexedMessage[] = [];
    for (let i = 0; i < BATCH_MESSAGES; i++) {
      const m = traffic.message('IDX');
      const keys = new Map<string, MatchKey>();
      for (let k = 0; k < m.count; k++) for (const key of keysOf(...traffic.value())) keys.set(key.key, key);
      messages.push({ messageId: m.messageId, holder: { caseReference: m.caseReference, agency: m.agency }, keys: [...keys.values()] });
    }
    return messages;
  };
  const worker = async (): Promise<void> => {
    while (written < target) {
      const outcome = await index.index(batch(), DEFAULT_OVER_CORRELATION_CAP, new Date());
      written += outcome.indexed;
      matches += outcome.matches.length;
      overCorrelated += outcome.overCorrelated.length;
      if (Date.now() - lastReport > 15_000) {
        lastReport = Date.now();
        console.log(`  ... ${written.toLocaleString('en-GB')} keys`);
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const used = process.cpuUsage(cpu);
  return { keys: written - from, seconds: Number(process.hrtime.bigint() - started) / 1e9, matches, overCorrelated, benchCpuMicros: used.user + used.system };
}

/** Matches stream messages one by one, with real entities and text; returns latencies in ms. */
async function stream(index: MatchIndexRepository, traffic: Traffic): Promise<{ latencies: number[]; seconds: number; matches: number }> {
  const latencies: number[] = [];
  let matches = 0;
  const started = process.hrtime.bigint();
  for (let i = 0; i < streamLength; i++) {
    const m = traffic.message('STR');
    const entities: Record<string, unknown>[] = [];
    for (let k = 0; k < m.count; k++) entities.push({ ref: `e${k}`, ...entity(...(k % 2 === 0 ? traffic.known() : traffic.value())) });
    const body = `Subscriber and account checks requested. Contact reported by a victim: 07${String(20_000_000 + i).slice(0, 8)}.`;
    const t0 = process.hrtime.bigint();
    const keys = messageMatchKeys(entities, `Request for checks\n${body}`, 'RO');
    const outcome = await index.index([{ messageId: m.messageId, holder: { caseReference: m.caseReference, agency: m.agency }, keys }], DEFAULT_OVER_CORRELATION_CAP, new Date());
    latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
    matches += outcome.matches.length;
  }
  return { latencies: latencies.sort((a, b) => a - b), seconds: Number(process.hrtime.bigint() - started) / 1e9, matches };
}

async function main(): Promise<void> {
  if (spawnSync(join(root, 'deploy/local/datastores.sh'), { stdio: 'inherit' }).status !== 0) throw new Error('PostgreSQL did not come up');
  console.log(`bench:matching: fresh database ${new URL(databaseUrl).pathname.slice(1)}; index sizes ${sizes.map((s) => s.toLocaleString('en-GB')).join(' and ')} keys; ${streamLength} stream messages each`);
  await provision({ databaseUrl, kafkaBrokers: process.env.KAFKA_BROKERS ?? '127.0.0.1:9092', kafkaNamespace: 'benchmatching.', fresh: true, skipTopics: true });
  const dataSource = await createDataSource({ url: databaseUrl, poolSize: CONCURRENCY + 1, applicationName: 'liaison-bench-matching' }).initialize();
  const index = new MatchIndexRepository(dataSource);
  const traffic = new Traffic();
  const results: { size: number; buildRate: number; p50: number; p99: number; perSecond: number; matches: number }[] = [];
  try {
    let held = 0;
    for (const size of sizes) {
      console.log(`building the index to ${size.toLocaleString('en-GB')} keys ...`);
      const built = await build(index, traffic, held, size);
      held = await countKeys(dataSource);
      await dataSource.query('ANALYZE match_keys; ANALYZE matches');
      const buildRate = built.keys / built.seconds;
      console.log(`  ${built.keys.toLocaleString('en-GB')} keys in ${built.seconds.toFixed(1)} s: ${Math.round(buildRate).toLocaleString('en-GB')} keys/s (index now ${held.toLocaleString('en-GB')} keys); ${built.matches.toLocaleString('en-GB')} matches made, ${built.overCorrelated.toLocaleString('en-GB')} keys past the cap; this process used ${(built.benchCpuMicros / built.keys).toFixed(1)} µs of CPU per key`);
      const run = await stream(index, traffic);
      const result = { size: held, buildRate, p50: percentile(run.latencies, 50), p99: percentile(run.latencies, 99), perSecond: streamLength / run.seconds, matches: run.matches };
      console.log(`  stream: ${streamLength} messages, p50 ${result.p50.toFixed(2)} ms, p99 ${result.p99.toFixed(2)} ms, ${Math.round(result.perSecond)} messages/s, ${run.matches} matches`);
      results.push(result);
    }
  } finally {
    await dataSource.destroy();
  }
  console.log('\nsize (keys)    build keys/s   p50 ms   p99 ms   messages/s');
  for (const r of results) {
    console.log(`${r.size.toLocaleString('en-GB').padStart(11)}   ${Math.round(r.buildRate).toLocaleString('en-GB').padStart(12)}   ${r.p50.toFixed(2).padStart(6)}   ${r.p99.toFixed(2).padStart(6)}   ${Math.round(r.perSecond).toLocaleString('en-GB').padStart(10)}`);
  }
  if (results.length >= 2) {
    const [small, large] = [results[0], results[results.length - 1]];
    console.log(`growth of p99 from ${small.size.toLocaleString('en-GB')} to ${large.size.toLocaleString('en-GB')} keys: ${(large.p99 / small.p99).toFixed(2)}x (target < 2x); p50 ${(large.p50 / small.p50).toFixed(2)}x`);
  }
  console.log('targets: p99 < 10 ms per message at the largest index; index build >= 50,000 keys/s');
}

main().catch((error: unknown) => {
  console.error('bench:matching failed:', error instanceof Error ? error.message : error);
  process.exit(1);
});
