import { qualifiedTopic, type TopicName } from '@liaison/contracts';
import type { Admin, Kafka } from 'kafkajs';

type LagSample = { labels: Record<'group' | 'topic' | 'partition', string>; value: number };

/** A reading taken at most this often, however often it is scraped. */
const READ_EVERY_MS = 5_000;

/**
 * A consumer group's lag on every partition of its topics: the newest offset less the committed one, read from
 * the broker, so it shows what the whole group (every instance) has left, and keeps growing while the group is
 * dead. For the `liaison_kafka_consumer_lag` gauge.
 */
export class ConsumerLag {
  private admin?: Promise<Admin>;
  private last?: { at: number; samples: Promise<LagSample[]> };

  constructor(
    private readonly kafka: Kafka,
    private readonly namespace: string,
    /** The group, as the service names it (without the namespace). */
    private readonly groupId: string,
    /** The topics the group consumes, read when measured (handlers are registered after construction). */
    private readonly topics: () => TopicName[],
  ) {}

  read(): Promise<LagSample[]> {
    const now = Date.now();
    if (this.last && now - this.last.at < READ_EVERY_MS) return this.last.samples;
    const samples = this.measure();
    this.last = { at: now, samples };
    return samples;
  }

  private async measure(): Promise<LagSample[]> {
    this.admin ??= (async () => {
      const admin = this.kafka.admin();
      await admin.connect();
      return admin;
    })();
    try {
      const admin = await this.admin;
      const committed = await admin.fetchOffsets({
        groupId: `${this.namespace}${this.groupId}`,
        topics: this.topics().map((topic) => qualifiedTopic(this.namespace, topic)),
      });
      const samples: LagSample[] = [];
      for (const { topic, partitions } of committed) {
        for (const end of await admin.fetchTopicOffsets(topic)) {
          const at = Number(partitions.find((p) => p.partition === end.partition)?.offset ?? '-1');
          const from = at < 0 ? Number(end.low) : at;
          samples.push({
            labels: {
              group: this.groupId,
              topic: topic.slice(this.namespace.length),
              partition: String(end.partition),
            },
            value: Math.max(0, Number(end.high) - from),
          });
        }
      }
      return samples;
    } catch (error) {
      this.admin = undefined; // connected afresh at the next reading
      throw error;
    }
  }

  async close(): Promise<void> {
    const admin = await this.admin?.catch(() => undefined);
    this.admin = undefined;
    await admin?.disconnect();
  }
}
