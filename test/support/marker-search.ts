import { execFileSync } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import Redis from 'ioredis';
import { kafkaProcesses } from './kafka-processes';

/**
 * Looks for a marker string in clear in every place Liaison's data can sit: a `pg_dump` of the database (naming
 * the tables whose rows hold it), the Kafka brokers' log segment files of the run's topics, every Redis value,
 * the attachment store, and captured logs. Case is ignored (indexes hold values normalised).
 */
export interface MarkerFindings {
  /** Tables of the dump with a row that holds the marker. */
  tables: string[];
  /** Topic partition directories with a segment that holds it. */
  kafka: string[];
  /** How many of the run's log segment files were read (none would mean nothing was searched). */
  segmentsRead: number;
  /** Redis keys whose value holds it. */
  redis: string[];
  /** Files of the attachment store that hold it. */
  files: string[];
}

export async function findMarker(
  marker: string,
  places: { databaseUrl: string; namespace: string; redisUrl: string; attachmentDir: string },
): Promise<MarkerFindings> {
  const needle = marker.toLowerCase();
  const [{ found: kafka, read: segmentsRead }, redis, files] = await Promise.all([
    kafkaFindings(needle, places.namespace),
    redisFindings(needle, places.redisUrl),
    fileFindings(needle, places.attachmentDir),
  ]);
  return { tables: dumpFindings(needle, places.databaseUrl), kafka, segmentsRead, redis, files };
}

function dumpFindings(needle: string, databaseUrl: string): string[] {
  const dump = execFileSync('pg_dump', ['--data-only', '--no-owner', databaseUrl], {
    maxBuffer: 1024 * 1024 * 1024,
    encoding: 'utf8',
  });
  const tables = new Set<string>();
  let table = '';
  for (const line of dump.split('\n')) {
    const copy = /^COPY (\S+) /.exec(line);
    if (copy) table = copy[1].replace(/^public\./, '');
    else if (line === '\\.') table = '';
    else if (table && line.toLowerCase().includes(needle)) tables.add(table);
  }
  return [...tables].sort();
}

async function kafkaFindings(needle: string, namespace: string): Promise<{ found: string[]; read: number }> {
  const found: string[] = [];
  let read = 0;
  for (const root of new Set((await kafkaProcesses()).flatMap((broker) => broker.logDirs))) {
    for (const dir of await readdir(root).catch(() => [] as string[])) {
      if (!dir.startsWith(namespace)) continue;
      for (const file of await readdir(join(root, dir)).catch(() => [] as string[])) {
        if (!file.endsWith('.log')) continue;
        const bytes = await readFile(join(root, dir, file)).catch(() => Buffer.alloc(0));
        if (bytes.length > 0) read += 1;
        if (bytes.toString('latin1').toLowerCase().includes(needle)) found.push(dir);
      }
    }
  }
  return { found: [...new Set(found)].sort(), read };
}

async function redisFindings(needle: string, url: string): Promise<string[]> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 2 });
  await redis.connect();
  const found: string[] = [];
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'COUNT', 1000);
      cursor = next;
      for (const key of keys) {
        const type = await redis.type(key);
        const values: string[] =
          type === 'string'
            ? [(await redis.getBuffer(key))?.toString('latin1') ?? '']
            : type === 'hash'
              ? Object.entries(await redis.hgetall(key)).flat()
              : type === 'list'
                ? await redis.lrange(key, 0, -1)
                : type === 'set'
                  ? await redis.smembers(key)
                  : type === 'zset'
                    ? await redis.zrange(key, 0, -1)
                    : type === 'stream'
                      ? (await redis.xrange(key, '-', '+')).flatMap(([id, fields]) => [id, ...fields])
                      : [];
        if ([key, ...values].some((value) => value.toLowerCase().includes(needle))) found.push(key);
      }
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return found.sort();
}

async function fileFindings(needle: string, root: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.name.toLowerCase().includes(needle)) found.push(path);
      else if ((await readFile(path)).toString('latin1').toLowerCase().includes(needle)) found.push(path);
    }
  };
  await walk(root);
  return found.sort();
}
