import { Queue, type ConnectionOptions } from 'bullmq';
import { Redis } from 'ioredis';

/**
 * BullMQ queues on Redis: work that must happen later or be retried with backoff (webhook deliveries, deadline
 * checks), and survives a restart of the process that does it. Queue names are fixed; the Redis key prefix
 * carries the deployment's namespace (KAFKA_NAMESPACE), so tests and a running stack share Redis apart.
 */
export const JobQueues = {
  /** One job per webhook delivery attempt series: `{ deliveryId }`. */
  webhooks: 'webhook-deliveries',
  /** One delayed job per request and check: `{ messageId, check }`, run at 80% of the time and at the deadline. */
  deadlines: 'deadline-checks',
} as const;

export interface WebhookJob {
  deliveryId: string;
  /** The span of the event that led to the delivery (W3C `traceparent`), so that the attempt continues its trace. */
  traceparent?: string;
}

export interface DeadlineJob {
  messageId: string;
  check: 'approaching' | 'overdue';
}

/** The Redis key prefix of every Liaison queue in a namespace. */
export function queuePrefix(namespace: string): string {
  return namespace === '' ? 'liaison' : `liaison:${namespace.slice(0, -1)}`;
}

/** A delivery's job id: the same for every retry, new for each re-send (BullMQ ignores a second add of an id). */
export function webhookJobId(deliveryId: string, resends: number): string {
  return resends === 0 ? `delivery-${deliveryId}` : `delivery-${deliveryId}-resend-${resends}`;
}

/**
 * Options of every webhook job. How many attempts a delivery gets is the notifier's policy, counted in
 * PostgreSQL (and reset by a re-send); BullMQ's own count is only a ceiling, and the backoff between attempts
 * is the notifier workers' `webhook` strategy.
 */
export const WEBHOOK_JOB_OPTIONS = {
  attempts: 1000,
  backoff: { type: 'webhook' },
  removeOnComplete: true,
  removeOnFail: true,
} as const;

/**
 * Options of every deadline check: delayed to its moment by whoever schedules it, retried a few times if the
 * check itself fails (the database was away), and kept a while when it keeps failing, for an operator to see.
 */
export const DEADLINE_JOB_OPTIONS = {
  removeOnComplete: true,
  removeOnFail: 1000,
  attempts: 5,
  backoff: { type: 'exponential', delay: 5_000 },
} as const;

/** Deadline checks run this many at a time per notifier: each is a read and, rarely, a few notifications. */
export const DEADLINE_WORKER_OPTIONS = { concurrency: 4 } as const;

export function deadlineJobId(job: DeadlineJob): string {
  return `deadline-${job.messageId}-${job.check}`;
}

/**
 * A Redis connection for BullMQ. Workers block on Redis, so they need `maxRetriesPerRequest: null`; a producer
 * answering an HTTP request should fail fast instead, with a bounded retry.
 */
export function jobConnection(url: string, role: 'worker' | 'producer'): Redis {
  const redis = new Redis(
    url,
    role === 'worker' ? { maxRetriesPerRequest: null } : { maxRetriesPerRequest: 2, connectTimeout: 2_000 },
  );
  redis.on('error', () => undefined); // BullMQ reports connection trouble on its own objects; ioredis reconnects
  return redis;
}

export function jobQueue<T>(name: string, connection: ConnectionOptions, namespace: string): Queue<T> {
  return new Queue<T>(name, { connection, prefix: queuePrefix(namespace) });
}

/** Deletes every queue key of a namespace (a finished test run's); returns how many keys went. */
export async function deleteNamespaceQueues(redis: Redis, namespace: string): Promise<number> {
  if (namespace === '') throw new Error('refusing to delete the queues of the default namespace');
  let deleted = 0;
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${queuePrefix(namespace)}:*`, 'COUNT', 1000);
    if (keys.length > 0) deleted += await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
  return deleted;
}
