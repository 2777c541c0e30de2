import { Topics } from '@liaison/contracts';
import { createKafka, parseBrokers } from '@liaison/messaging';
import { createLogger } from '@liaison/observability';
import { Client } from 'pg';

/**
 * What a refused request must leave as it was: the end offset of each of the system's topics in this run's
 * namespace and the row count of every table of the database. Taken before and after; equal snapshots mean
 * nothing was published or stored. The audit checkpoints are left out: the tracker writes them on its own clock, after
 * the audit log (which is in the snapshot) has grown.
 */
export class StateSnapshots {
  private readonly kafka = createKafka(
    {
      brokers: parseBrokers(process.env.KAFKA_BROKERS!),
      clientId: 'state-snapshot',
      namespace: process.env.KAFKA_NAMESPACE!,
    },
    createLogger({ service: 'test', level: 'error', format: 'pretty' }),
  );
  private readonly database = new Client({ connectionString: process.env.DATABASE_URL });
  private admin = this.kafka.admin();
  /**
   * The system's topics and their dead-letter twins in this run's namespace; the copies the isolated suites made
   * under namespaces of their own are not the system under test.
   */
  private readonly topics = new Set(
    Object.values(Topics)
      .filter((topic) => topic !== Topics.auditCheckpoints)
      .flatMap((topic) => [`${process.env.KAFKA_NAMESPACE}${topic}`, `${process.env.KAFKA_NAMESPACE}${topic}.dlq`]),
  );

  async start(): Promise<this> {
    await Promise.all([this.database.connect(), this.admin.connect()]);
    return this;
  }

  async stop(): Promise<void> {
    await Promise.all([this.database.end(), this.admin.disconnect()]);
  }

  /**
   * A snapshot once the system is quiet: two taken in a row that are equal (the consumers of what an earlier
   * test did may still be writing).
   */
  async settled(timeoutMs = 15_000): Promise<Record<string, number>> {
    const deadline = Date.now() + timeoutMs;
    let last = await this.take();
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      const next = await this.take();
      if (JSON.stringify(next) === JSON.stringify(last) || Date.now() > deadline) return next;
      last = next;
    }
  }

  async take(): Promise<Record<string, number>> {
    const state: Record<string, number> = {};
    const namespace = process.env.KAFKA_NAMESPACE!;
    // Asked all at once: one after another, a hundred topics take seconds per snapshot.
    const topics = (await this.admin.listTopics()).filter((name) => this.topics.has(name)).sort();
    const ends = await Promise.all(topics.map((topic) => this.admin.fetchTopicOffsets(topic)));
    topics.forEach((topic, i) => {
      state[`topic ${topic.slice(namespace.length)}`] = ends[i].reduce(
        (sum, partition) => sum + Number(partition.high),
        0,
      );
    });
    const { rows } = await this.database.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`,
    );
    const counts = await this.database.query<{ name: string; n: string }>(
      rows.map((r) => `SELECT '${r.table_name}' AS name, count(*) AS n FROM "${r.table_name}"`).join(' UNION ALL '),
    );
    for (const row of counts.rows) state[`table ${row.name}`] = Number(row.n);
    return state;
  }
}
