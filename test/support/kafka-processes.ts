import { readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** A Kafka broker running on this machine, as its command line and properties file say. */
export interface KafkaProcess {
  pid: number;
  /** The properties file it was started with. */
  properties: string;
  /** Where it keeps its log segments. */
  logDirs: string[];
  /**
   * The `deploy/local/kafka.sh` of the checkout that started it (a single broker's runtime is
   * `<checkout>/deploy/local/.runtime/kafka`); null for a broker of a cluster or started otherwise.
   */
  script: string | null;
}

/** Every Kafka broker running on this machine, whichever checkout started it. */
export async function kafkaProcesses(): Promise<KafkaProcess[]> {
  const found: KafkaProcess[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const args = (await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '')).split('\0');
    // `... kafka.Kafka <server.properties>`: the broker's configuration follows its main class.
    const main = args.indexOf('kafka.Kafka');
    const properties = main >= 0 ? args[main + 1] : undefined;
    if (!properties?.endsWith('.properties')) continue;
    const text = await readFile(properties, 'utf8').catch(() => '');
    const dirs = /^log\.dirs?=(.+)$/m.exec(text)?.[1].split(',') ?? [];
    const runtime = dirname(properties);
    const script = runtime.endsWith(join('deploy', 'local', '.runtime', 'kafka'))
      ? join(runtime, '..', '..', 'kafka.sh')
      : null;
    found.push({ pid: Number(entry), properties, logDirs: dirs.map((dir) => dir.trim()), script });
  }
  return found;
}
