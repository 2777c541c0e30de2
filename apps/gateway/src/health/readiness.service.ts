import { ConsumerGroups } from '@liaison/contracts';
import { SERVICE_CONFIG } from '@liaison/runtime';
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { Kafka, type Admin } from 'kafkajs';
import { EventPublisher } from '@liaison/messaging';
import { DataSource } from 'typeorm';
import type { GatewayConfig } from '../gateway.config';

export interface CheckResult {
  ok: boolean;
  detail?: string;
}

/** What the gateway itself needs to answer requests: its stores, and a broker that acknowledges what it publishes. */
export interface Readiness {
  ready: boolean;
  checks: Record<'postgres' | 'redis' | 'kafka', CheckResult>;
}

/** Whether every service behind the gateway is consuming: the exchange works whole. */
export interface ExchangeHealth {
  complete: boolean;
  services: Record<ConsumingService, CheckResult>;
}

/** The services whose consumer groups must be consuming for the exchange to work whole. */
const CONSUMING = ['router', 'tracker', 'matcher', 'notifier'] as const;
type ConsumingService = (typeof CONSUMING)[number];

const TIMEOUT_MS = 2_000;

function withTimeout<T>(work: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Answers whether the gateway can serve (readiness: PostgreSQL, Redis, Kafka acknowledging), and separately
 * whether the services behind it are consuming. Readiness does not depend on them: a tracker that lags must
 * not take the API out of an orchestrator's rotation, since what the API accepts waits safely in Kafka.
 */
@Injectable()
export class ReadinessService implements OnApplicationShutdown {
  private readonly redis: Redis;
  private admin?: Promise<Admin>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly kafka: Kafka,
    private readonly publisher: EventPublisher,
    @Inject(SERVICE_CONFIG) private readonly config: GatewayConfig,
  ) {
    this.redis = new Redis(config.REDIS_URL, {
      lazyConnect: true,
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
      connectTimeout: TIMEOUT_MS,
    });
    this.redis.on('error', () => undefined); // reported through the readiness check, not as an unhandled event
  }

  async check(): Promise<Readiness> {
    const [postgres, redis, kafka] = await Promise.all([
      this.run('PostgreSQL', async () => {
        await this.dataSource.query('SELECT 1');
      }),
      this.run('Redis', async () => {
        if (this.redis.status === 'wait' || this.redis.status === 'end') await this.redis.connect();
        await this.redis.ping();
      }),
      this.broker(),
    ]);
    const checks = { postgres, redis, kafka };
    return { ready: Object.values(checks).every((c) => c.ok), checks };
  }

  async exchange(): Promise<ExchangeHealth> {
    const { kafka: _kafka, ...services } = await this.consumerGroups();
    return { complete: Object.values(services).every((c) => c.ok), services };
  }

  /** The broker acknowledged the last publish (or nothing failed lately) and its cluster answers. */
  private async broker(): Promise<CheckResult> {
    const publishing = this.publisher.state();
    if (!publishing.available) return { ok: false, detail: publishing.detail };
    return this.run('Kafka', async () => {
      try {
        const admin = await this.connectedAdmin();
        await admin.describeCluster();
      } catch (error) {
        this.admin = undefined;
        throw error;
      }
    });
  }

  private async consumerGroups(): Promise<Record<'kafka' | ConsumingService, CheckResult>> {
    const ns = this.config.KAFKA_NAMESPACE;
    const names = CONSUMING.map((service) => [service, `${ns}${ConsumerGroups[service]}`] as const);
    try {
      const admin = await withTimeout(this.connectedAdmin(), 'Kafka');
      const { groups } = await withTimeout(admin.describeGroups(names.map(([, name]) => name)), 'Kafka');
      const state = (name: string): CheckResult => {
        const group = groups.find((g) => g.groupId === name);
        const consuming = group !== undefined && group.state === 'Stable' && group.members.length > 0;
        return consuming
          ? { ok: true }
          : { ok: false, detail: `consumer group ${name} is ${group?.state ?? 'absent'}` };
      };
      return {
        kafka: { ok: true },
        ...(Object.fromEntries(names.map(([service, name]) => [service, state(name)])) as Record<
          ConsumingService,
          CheckResult
        >),
      };
    } catch (error) {
      this.admin = undefined;
      const unknown = { ok: false, detail: 'unknown: Kafka unreachable' };
      return {
        kafka: { ok: false, detail: (error as Error).message },
        ...(Object.fromEntries(CONSUMING.map((service) => [service, unknown])) as Record<
          ConsumingService,
          CheckResult
        >),
      };
    }
  }

  private connectedAdmin(): Promise<Admin> {
    this.admin ??= (async () => {
      const admin = this.kafka.admin();
      await admin.connect();
      return admin;
    })();
    return this.admin;
  }

  private async run(what: string, probe: () => Promise<void>): Promise<CheckResult> {
    try {
      await withTimeout(probe(), what);
      return { ok: true };
    } catch (error) {
      // Named, so that the answer says which store is at fault whatever its client's words.
      const message = (error as Error).message;
      return { ok: false, detail: message.startsWith(what) ? message : `${what}: ${message}` };
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.redis.disconnect();
    const admin = await this.admin?.catch(() => undefined);
    await admin?.disconnect();
  }
}
