import { deadlineChecks, deadlineNotifications, webhookRetryDelay, type NotificationDraft } from '@liaison/domain';
import {
  deadlineJobId,
  JobQueues,
  jobConnection,
  jobQueue,
  queuePrefix,
  SERVICE_CONFIG,
  WEBHOOK_JOB_OPTIONS,
  webhookJobId,
  type DeadlineJob,
  type WebhookJob,
} from '@liaison/messaging';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Worker, type Job, type Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { NotificationRepository, type PendingDelivery } from './notification.repository';
import type { NotifierConfig } from './notifier.config';
import { WebhookSender } from './webhook-sender';

const SWEEP_INTERVAL_MS = 5 * 60_000;
const SWEEP_LIMIT = 10_000;

/**
 * The notifier's BullMQ side: webhook deliveries, retried with exponential backoff for 24 hours, and deadline
 * checks, delayed until 80% of a request's time and its deadline. Jobs live in Redis and their outcomes in
 * PostgreSQL, so a restart loses neither; deliveries still pending are queued again at start (and every five
 * minutes), which BullMQ ignores for jobs it still holds.
 */
@Injectable()
export class NotifierJobs implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly producer: Redis;
  private readonly webhooks: Queue<WebhookJob>;
  private readonly deadlines: Queue<DeadlineJob>;
  private readonly workers: Worker[] = [];
  /** BullMQ leaves connections it was given open: these are closed here, after the workers. */
  private readonly connections: Redis[] = [];
  private sweeper?: NodeJS.Timeout;
  private readonly sender: WebhookSender;

  constructor(
    private readonly notifications: NotificationRepository,
    @Inject(SERVICE_CONFIG) private readonly config: NotifierConfig,
    @InjectPinoLogger(NotifierJobs.name) private readonly logger: PinoLogger,
  ) {
    this.sender = new WebhookSender({
      policy: config.webhookTargets(),
      timeoutMs: config.WEBHOOK_TIMEOUT_MS,
      maxSockets: config.WEBHOOK_CONCURRENCY,
    });
    this.producer = this.connection();
    this.webhooks = jobQueue<WebhookJob>(JobQueues.webhooks, this.producer, config.KAFKA_NAMESPACE);
    this.deadlines = jobQueue<DeadlineJob>(JobQueues.deadlines, this.producer, config.KAFKA_NAMESPACE);
  }

  async onApplicationBootstrap(): Promise<void> {
    const prefix = queuePrefix(this.config.KAFKA_NAMESPACE);
    const firstRetry = this.config.WEBHOOK_FIRST_RETRY_MS;
    const webhookWorker = new Worker<WebhookJob>(JobQueues.webhooks, (job) => this.deliver(job), {
      connection: this.connection(),
      prefix,
      concurrency: this.config.WEBHOOK_CONCURRENCY,
      settings: { backoffStrategy: (attemptsMade: number) => webhookRetryDelay(attemptsMade, firstRetry) },
    });
    const deadlineWorker = new Worker<DeadlineJob>(JobQueues.deadlines, (job) => this.checkDeadline(job.data), {
      connection: this.connection(),
      prefix,
      concurrency: 4,
    });
    for (const worker of [webhookWorker, deadlineWorker]) {
      worker.on('error', (error) => this.logger.warn({ queue: worker.name, err: error.message }, 'job worker error'));
      this.workers.push(worker);
    }
    await Promise.all(this.workers.map((w) => w.waitUntilReady()));
    await this.sweep();
    this.sweeper = setInterval(
      () =>
        void this.sweep().catch((error: Error) => this.logger.warn({ err: error.message }, 'delivery sweep failed')),
      SWEEP_INTERVAL_MS,
    );
    this.sweeper.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.sweeper);
    await Promise.all(this.workers.map((w) => w.close()));
    await Promise.all([this.webhooks.close(), this.deadlines.close()]);
    for (const connection of this.connections) connection.disconnect();
    this.sender.close();
  }

  private connection(): Redis {
    const connection = jobConnection(this.config.REDIS_URL, 'worker');
    this.connections.push(connection);
    return connection;
  }

  /** Stores the notifications and queues their webhook deliveries. */
  async notify(drafts: NotificationDraft[], now = new Date()): Promise<void> {
    await this.enqueue(await this.notifications.record(drafts, now));
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
          opts: {
            jobId: deadlineJobId(data),
            delay: Math.max(0, at[check].getTime() - now),
            removeOnComplete: true,
            removeOnFail: 1000,
            attempts: 5,
            backoff: { type: 'exponential', delay: 5_000 },
          },
        };
      });
    });
    if (jobs.length > 0) await this.deadlines.addBulk(jobs);
  }

  private async enqueue(deliveries: PendingDelivery[]): Promise<void> {
    if (deliveries.length === 0) return;
    await this.webhooks.addBulk(
      deliveries.map((delivery) => ({
        name: 'deliver',
        data: { deliveryId: delivery.id },
        opts: { ...WEBHOOK_JOB_OPTIONS, jobId: webhookJobId(delivery.id, delivery.resends) },
      })),
    );
  }

  private async sweep(): Promise<void> {
    await this.enqueue(await this.notifications.pending(SWEEP_LIMIT));
  }

  /**
   * One attempt. A failure before the last attempt throws, and BullMQ retries after the backoff; the last
   * (counted in PostgreSQL, so a re-send starts afresh) marks the delivery failed.
   */
  private async deliver(job: Job<WebhookJob>): Promise<void> {
    const work = await this.notifications.work(job.data.deliveryId);
    if (!work || work.state !== 'pending') return;
    if (work.removed) {
      await this.notifications.attempted(
        work.id,
        { state: 'failed', status: null, error: 'the endpoint was removed' },
        new Date(),
      );
      return;
    }
    const result = await this.sender.send(work);
    const last = work.attempts + 1 >= this.config.WEBHOOK_MAX_ATTEMPTS;
    await this.notifications.attempted(
      work.id,
      { state: result.ok ? 'delivered' : last ? 'failed' : 'pending', status: result.status, error: result.error },
      new Date(),
    );
    if (!result.ok) {
      this.logger.info(
        {
          deliveryId: work.id,
          event: work.notification.event,
          attempt: work.attempts + 1,
          status: result.status,
          final: last,
        },
        'webhook delivery failed',
      );
      if (!last) throw new Error(result.error ?? 'delivery failed');
    }
  }

  private async checkDeadline(job: DeadlineJob): Promise<void> {
    const open = await this.notifications.openRequest(job.messageId);
    if (open) await this.notify(deadlineNotifications(job.check, open, new Date()));
  }
}
