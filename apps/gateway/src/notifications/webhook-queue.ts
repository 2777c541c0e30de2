import { SERVICE_CONFIG } from '@liaison/runtime';
import {
  JobQueues,
  jobConnection,
  jobQueue,
  WEBHOOK_JOB_OPTIONS,
  webhookJobId,
  type WebhookJob,
} from '@liaison/messaging';
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { GatewayConfig } from '../gateway.config';

/** The gateway's one use of the notifier's queue: putting a re-sent delivery back in it. */
@Injectable()
export class WebhookQueue implements OnApplicationShutdown {
  private readonly connection: Redis;
  private readonly queue: Queue<WebhookJob>;

  constructor(@Inject(SERVICE_CONFIG) config: GatewayConfig) {
    this.connection = jobConnection(config.REDIS_URL, 'producer');
    this.queue = jobQueue<WebhookJob>(JobQueues.webhooks, this.connection, config.KAFKA_NAMESPACE);
  }

  /** Queues a fresh series of attempts (the notifier's workers hold the retry policy). */
  async resend(deliveryId: string, resends: number): Promise<void> {
    await this.queue.add(
      'deliver',
      { deliveryId },
      { ...WEBHOOK_JOB_OPTIONS, jobId: webhookJobId(deliveryId, resends) },
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.queue.close();
    this.connection.disconnect();
  }
}
