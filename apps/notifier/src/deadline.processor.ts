import { deadlineNotifications } from '@liaison/domain';
import { SERVICE_CONFIG } from '@liaison/runtime';
import { DEADLINE_WORKER_OPTIONS, JobQueues, queuePrefix, type DeadlineJob } from '@liaison/messaging';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Worker } from 'bullmq';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { JobConnections } from './job-connections';
import { NotificationRepository } from './notification.repository';
import { NotificationScheduler } from './notification.scheduler';
import type { NotifierConfig } from './notifier.config';

/**
 * Runs a request's deadline checks when they come due: a request still open is notified to the recipients who
 * owe an answer (approaching) and, at the deadline, to its sender as well (overdue).
 */
@Injectable()
export class DeadlineProcessor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly connections: JobConnections;
  private worker?: Worker<DeadlineJob>;

  constructor(
    private readonly notifications: NotificationRepository,
    private readonly scheduler: NotificationScheduler,
    @Inject(SERVICE_CONFIG) private readonly config: NotifierConfig,
    @InjectPinoLogger(DeadlineProcessor.name) private readonly logger: PinoLogger,
  ) {
    this.connections = new JobConnections(config.REDIS_URL);
  }

  async onApplicationBootstrap(): Promise<void> {
    this.worker = new Worker<DeadlineJob>(JobQueues.deadlines, (job) => this.check(job.data), {
      ...DEADLINE_WORKER_OPTIONS,
      connection: this.connections.open(),
      prefix: queuePrefix(this.config.KAFKA_NAMESPACE),
    });
    this.worker.on('error', (error) =>
      this.logger.warn({ queue: JobQueues.deadlines, err: error.message }, 'job worker error'),
    );
    await this.worker.waitUntilReady();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.worker?.close();
    this.connections.close();
  }

  private async check(job: DeadlineJob): Promise<void> {
    const open = await this.notifications.openRequest(job.messageId);
    if (open) await this.scheduler.notify(deadlineNotifications(job.check, open, new Date()));
  }
}
