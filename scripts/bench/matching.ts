import { DEFAULT_OVER_CORRELATION_CAP, messageMatchKeys, type MatchKey } from '@liaison/domain';
import { createDataSource } from '@liaison/persistence';
import { caseKeysFromEnvironment } from '@liaison/testing';
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
import { benchMasterKeys } from './environment';
import { entity, keysOf, Traffic } from './matching/workload';
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
  // The index opens stored content under the bench's master key.
  benchMasterKeys();
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
