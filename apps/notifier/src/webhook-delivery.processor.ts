import { webhookRetryDelay } from '@liaison/domain';
import { MetricDefinitions, Metrics, SpanKind, Tracing } from '@liaison/observability';
import { SERVICE_CONFIG } from '@liaison/runtime';
import { JobQueues, queuePrefix, type WebhookJob } from '@liaison/messaging';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Worker, type Job } from 'bullmq';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { JobConnections } from './job-connections';
import { NotificationRepository } from './notification.repository';
import type { NotifierConfig } from './notifier.config';
import { WebhookSender } from './webhook.sender';

/**
 * Sends webhook deliveries, one BullMQ job per delivery, retried with exponential backoff (`webhookRetryDelay`)
 * until the notifier's attempts (counted in PostgreSQL) run out, for about 24 hours.
 */
@Injectable()
export class WebhookDeliveryProcessor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly connections: JobConnections;
  private readonly sender: WebhookSender;
  private worker?: Worker<WebhookJob>;

  constructor(
    private readonly notifications: NotificationRepository,
    @Inject(SERVICE_CONFIG) private readonly config: NotifierConfig,
    @InjectPinoLogger(WebhookDeliveryProcessor.name) private readonly logger: PinoLogger,
    private readonly metrics: Metrics,
    private readonly tracing: Tracing,
  ) {
    this.connections = new JobConnections(config.REDIS_URL);
    this.sender = new WebhookSender({
      policy: config.webhookTargets(),
      timeoutMs: config.WEBHOOK_TIMEOUT_MS,
      maxSockets: config.WEBHOOK_CONCURRENCY,
    });
    metrics.counter(MetricDefinitions.webhookDeliveries); // every outcome exported at 0 from the start
  }

  async onApplicationBootstrap(): Promise<void> {
    const firstRetry = this.config.WEBHOOK_FIRST_RETRY_MS;
    this.worker = new Worker<WebhookJob>(JobQueues.webhooks, (job) => this.deliver(job), {
      connection: this.connections.open(),
      prefix: queuePrefix(this.config.KAFKA_NAMESPACE),
      concurrency: this.config.WEBHOOK_CONCURRENCY,
      settings: {
        backoffStrategy: (attemptsMade: number) => webhookRetryDelay(attemptsMade, firstRetry, Math.random()),
      },
    });
    this.worker.on('error', (error) =>
      this.logger.warn({ queue: JobQueues.webhooks, err: error.message }, 'job worker error'),
    );
    await this.worker.waitUntilReady();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.worker?.close();
    this.connections.close();
    this.sender.close();
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
    const span = this.tracing.start('webhook deliver', SpanKind.CLIENT, job.data.traceparent, {
      'liaison.webhook.event': work.notification.event,
      'liaison.webhook.attempt': work.attempts + 1,
    });
    const result = await this.sender.send(work, Date.now(), span.traceparent);
    span.setAttribute('liaison.webhook.outcome', result.ok ? 'delivered' : 'failed');
    if (result.status !== null) span.setAttribute('http.response.status_code', result.status);
    span.end();
    const last = work.attempts + 1 >= this.config.WEBHOOK_MAX_ATTEMPTS;
    await this.notifications.attempted(
      work.id,
      { state: result.ok ? 'delivered' : last ? 'failed' : 'pending', status: result.status, error: result.error },
      new Date(),
    );
    this.metrics
      .counter(MetricDefinitions.webhookDeliveries)
      .inc({ outcome: result.ok ? 'delivered' : last ? 'failed' : 'retry' });
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
}
