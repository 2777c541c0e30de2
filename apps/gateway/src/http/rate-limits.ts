import { SERVICE_CONFIG } from '@liaison/messaging';
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Caller } from '../auth/caller';
import type { GatewayConfig } from '../gateway.config';
import { ApiProblem } from './problem';
import { ErrorCode } from '../application/application-error';

/** A 429 that says when to come back (the problem filter sends it as Retry-After). */
export class RateLimitedProblem extends ApiProblem {
  constructor(
    readonly retryAfterSeconds: number,
    detail: string,
  ) {
    super(ErrorCode.RateLimited, detail);
  }
}

/**
 * How much one API key, one agency and one address that fails to authenticate may ask of the gateway, in a
 * window of RATE_LIMIT_WINDOW_SECONDS; writes (anything but GET and HEAD) are counted apart, and allowed
 * fewer. Counts live in Redis, so every gateway replica shares them; should Redis not answer, each replica
 * counts in memory meanwhile (rate-limiter-flexible's insurance limiter), so the API neither stops nor goes
 * unlimited. A caller over a limit gets 429 with Retry-After; other agencies are not slowed by it.
 */
@Injectable()
export class RateLimits implements OnApplicationShutdown {
  private readonly redis: Redis;
  private readonly limiters: Record<'keyReads' | 'keyWrites' | 'agencyReads' | 'agencyWrites' | 'failedAuth', RateLimiterAbstract>;

  constructor(@Inject(SERVICE_CONFIG) config: GatewayConfig) {
    // No offline queue: a limit is checked now or not at all (the insurance limiter answers meanwhile).
    this.redis = new Redis(config.REDIS_URL, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: false });
    this.redis.on('error', () => undefined); // reconnects on its own; readiness reports Redis
    const duration = config.RATE_LIMIT_WINDOW_SECONDS;
    const limiter = (name: string, points: number) =>
      new RateLimiterRedis({
        storeClient: this.redis,
        // Counts are kept per limit: a changed limit starts counting afresh.
        keyPrefix: `liaison:${config.KAFKA_NAMESPACE}rate:${name}:${points}/${duration}s`,
        points,
        duration,
        rejectIfRedisNotReady: true,
        // Once over, a caller is refused from memory until the window ends: a flood costs no Redis round trip.
        inMemoryBlockOnConsumed: points + 1,
        insuranceLimiter: new RateLimiterMemory({ points, duration }),
      });
    this.limiters = {
      keyReads: limiter('key-reads', config.RATE_LIMIT_KEY_READS),
      keyWrites: limiter('key-writes', config.RATE_LIMIT_KEY_WRITES),
      agencyReads: limiter('agency-reads', config.RATE_LIMIT_AGENCY_READS),
      agencyWrites: limiter('agency-writes', config.RATE_LIMIT_AGENCY_WRITES),
      failedAuth: limiter('failed-auth', config.RATE_LIMIT_FAILED_AUTH),
    };
  }

  /** Counts a request of an authenticated caller against its key's and its agency's limits. */
  async consume(caller: Caller, method: string): Promise<void> {
    const write = method !== 'GET' && method !== 'HEAD';
    await Promise.all([
      this.take(write ? this.limiters.keyWrites : this.limiters.keyReads, caller.keyId, `this API key may make ${write ? 'writes' : 'reads'} at a limited rate`),
      this.take(write ? this.limiters.agencyWrites : this.limiters.agencyReads, caller.agency, `agency ${caller.agency} may make ${write ? 'writes' : 'reads'} at a limited rate`),
    ]);
  }

  /** Counts a request that did not authenticate, by address, so keys cannot be guessed at speed. */
  async failedAuthentication(address: string): Promise<void> {
    await this.take(this.limiters.failedAuth, address, 'too many requests without a valid API key from this address');
  }

  private async take(limiter: RateLimiterAbstract, key: string, what: string): Promise<void> {
    try {
      await limiter.consume(key);
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      const seconds = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
      throw new RateLimitedProblem(seconds, `${what}; retry after ${seconds} s`);
    }
  }

  onApplicationShutdown(): void {
    this.redis.disconnect();
  }
}
