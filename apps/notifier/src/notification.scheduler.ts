import { deadlineChecks, type NotificationDraft } from '@liaison/domain';
import { MetricDefinitions, Metrics } from '@liaison/observability';
import { SERVICE_CONFIG } from '@liaison/runtime';
import {
  DEADLINE_JOB_OPTIONS,
  deadlineJobId,
  JobQueues,
  jobQueue,
  queuePrefix,
  WEBHOOK_JOB_OPTIONS,
  webhookJobId,
  type DeadlineJob,
  type WebhookJob,
} from '@liaison/messaging';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { JobConnections } from './job-connections';
import { NotificationRepository, type PendingDelivery } from './notification.repository';
import type { NotifierConfig } from './notifier.config';

const SWEEP_INTERVAL_MS = 5 * 60_000;
const SWEEP_LIMIT = 10_000;
/** How often Redis is asked whether it still holds the jobs (a key set once; gone when Redis lost its data). */
const KEPT_CHECK_MS = 5_000;

/**
 * Stores notifications and queues what follows from them on BullMQ: a webhook delivery per endpoint, and a
 * request's two deadline checks (at 80% of its time and at its deadline). Jobs live in Redis and the deliveries'
 * outcomes in PostgreSQL, so a restart loses neither; deliveries still pending are queued again at start (and
 * every five minutes), which BullMQ ignores for jobs it still holds.
 */
@Injectable()
export class NotificationScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly connections: JobConnections;
  private readonly webhooks: Queue<WebhookJob>;
  private readonly deadlines: Queue<DeadlineJob>;
  private readonly redis: Redis;
  private readonly keptKey: string;
  private sweeper?: NodeJS.Timeout;
  private keptChecker?: NodeJS.Timeout;

  constructor(
    private readonly notifications: NotificationRepository,
    @Inject(SERVICE_CONFIG) config: NotifierConfig,
    @InjectPinoLogger(NotificationScheduler.name) private readonly logger: PinoLogger,
    private readonly metrics: Metrics,
  ) {
    this.connections = new JobConnections(config.REDIS_URL);
    const producer = (this.redis = this.connections.open());
    this.keptKey = `${queuePrefix(config.KAFKA_NAMESPACE)}:jobs-kept-since`;
    this.webhooks = jobQueue<WebhookJob>(JobQueues.webhooks, producer, config.KAFKA_NAMESPACE);
    this.deadlines = jobQueue<DeadlineJob>(JobQueues.deadlines, producer, config.KAFKA_NAMESPACE);
    metrics.gauge(MetricDefinitions.queueJobs, async () => {
      const states = ['waiting', 'active', 'delayed', 'failed'] as const;
      const counts = await Promise.all(
        [this.webhooks, this.deadlines].map(async (queue) => ({
          queue: queue.name,
          counts: await queue.getJobCounts(...states),
        })),
      );
      return counts.flatMap(({ queue, counts: byState }) =>
        states.map((state) => ({ labels: { queue, state }, value: byState[state] ?? 0 })),
      );
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!(await this.rebuildIfLost())) await this.sweep();
    this.sweeper = setInterval(
      () =>
        void this.sweep().catch((error: Error) => this.logger.warn({ err: error.message }, 'delivery sweep failed')),
      SWEEP_INTERVAL_MS,
    );
    this.sweeper.unref();
    this.keptChecker = setInterval(
      () =>
        void this.rebuildIfLost().catch((error: Error) =>
          this.logger.warn({ err: error.message }, 'could not check whether Redis kept its jobs'),
        ),
      KEPT_CHECK_MS,
    );
    this.keptChecker.unref();
  }

  /**
   * Redis holds the jobs but PostgreSQL holds the truth: when Redis comes back empty (restarted without
   * persistence, or replaced), every pending webhook delivery and every unanswered request's deadline checks are
   * queued again from PostgreSQL. Returns whether it had to. A key set once marks a Redis that still holds them.
   */
  async rebuildIfLost(): Promise<boolean> {
    const fresh = await this.redis.set(this.keptKey, new Date().toISOString(), 'NX');
    if (fresh !== 'OK') return false;
    await this.sweep();
    const requests = await this.notifications.unansweredRequests(SWEEP_LIMIT);
    await this.scheduleDeadlines(
      requests.map((r) => ({ ...r, sentAt: new Date(r.sentAt), deadline: new Date(r.deadline) })),
    );
    this.logger.info({ requests: requests.length }, 'jobs queued from PostgreSQL into an empty Redis');
    return true;
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.sweeper);
    clearInterval(this.keptChecker);
    await Promise.all([this.webhooks.close(), this.deadlines.close()]);
    this.connections.close();
  }

  /**
   * Stores the notifications and queues their webhook deliveries, each job carrying the `traceparent` of the
   * event its notification came from (`traces`, by source id) so that its delivery continues that trace.
   */
  async notify(drafts: NotificationDraft[], traces = new Map<string, string>(), now = new Date()): Promise<void> {
    await this.enqueue(await this.notifications.record(drafts, now), traces);
    const stored = this.metrics.counter(MetricDefinitions.notifications);
    for (const draft of drafts) stored.inc({ kind: draft.event });
  }

  /**
   * Deletes the notifications that name an erased case (but the notices of its erasure), their webhook deliveries
   * and the jobs queued for them. Deadline checks still queued for its messages find no request when they run.
   */
  async forgetCase(caseReference: string): Promise<void> {
    const deliveries = await this.notifications.forgetCase(caseReference);
    for (const delivery of deliveries) await this.webhooks.remove(webhookJobId(delivery.id, delivery.resends));
  }

  async recordErasurePart(caseReference: string): Promise<void> {
    await this.notifications.recordErasurePart(caseReference, new Date());
  }

  /** Schedules the two deadline checks of a request; a check already scheduled is not scheduled again. */
  async scheduleDeadlines(
    requests: { messageId: string; sentAt: Date; deadline: Date }[],
    now = Date.now(),
  ): Promise<void> {
    const jobs = requests.flatMap((request) => {
      const at = deadlineChecks(request.sentAt, request.deadline);
      return (['approaching', 'overdue'] as const).map((check) => {
        const data: DeadlineJob = { messageId: request.messageId, check };
        return {
          name: check,
          data,
          opts: { ...DEADLINE_JOB_OPTIONS, jobId: deadlineJobId(data), delay: Math.max(0, at[check].getTime() - now) },
        };
      });
    });
    if (jobs.length > 0) await this.deadlines.addBulk(jobs);
  }

  private async enqueue(deliveries: PendingDelivery[], traces = new Map<string, string>()): Promise<void> {
    if (deliveries.length === 0) return;
    await this.webhooks.addBulk(
      deliveries.map((delivery) => ({
        name: 'deliver',
        data: { deliveryId: delivery.id, traceparent: traces.get(delivery.sourceId) },
        opts: { ...WEBHOOK_JOB_OPTIONS, jobId: webhookJobId(delivery.id, delivery.resends) },
      })),
    );
  }

  private async sweep(): Promise<void> {
    await this.enqueue(await this.notifications.pending(SWEEP_LIMIT));
  }
}
