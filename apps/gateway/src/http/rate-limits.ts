import { SERVICE_CONFIG } from '@liaison/runtime';
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { createHash } from 'node:crypto';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Caller } from '../auth/caller';
import type { GatewayConfig } from '../gateway.config';
import { ApiProblem } from './problem';
import { ErrorCode } from '../application/application-error';

/** A 429 that says when to come back (the problem filter sends it as Retry-After). */
export class RateLimitedProblem extends ApiProblem {
  override readonly retryAfterSeconds: number;

  constructor(
    /** How long until the limit lets the caller in again. */
    readonly msBeforeNext: number,
    /** Which limit, in words. */
    readonly limit: string,
  ) {
    const seconds = Math.max(1, Math.ceil(msBeforeNext / 1000));
    super(ErrorCode.RateLimited, `${limit}; retry after ${seconds} s`);
    this.retryAfterSeconds = seconds;
  }

  /** The same refusal, made `ms` later. */
  later(ms: number): RateLimitedProblem {
    return new RateLimitedProblem(Math.max(0, this.msBeforeNext - ms), this.limit);
  }
}

const FAILED_AUTH = 'too many requests without a valid API key from this address';

/** Most callers remembered as over a limit at once; past it the memory starts again (they are counted anew). */
const REFUSED_MAX = 100_000;

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
  /** Until when each limited key (limit and caller) is refused, once it went over: read by refusalInMemory. */
  private readonly refusedUntil = new Map<string, number>();
  private readonly limiters: Record<
    'keyReads' | 'keyWrites' | 'agencyReads' | 'agencyWrites' | 'failedAuth' | 'signInAddress' | 'signInAccount',
    RateLimiterAbstract
  >;

  constructor(@Inject(SERVICE_CONFIG) config: GatewayConfig) {
    // No offline queue: a limit is checked now or not at all (the insurance limiter answers meanwhile).
    this.redis = new Redis(config.REDIS_URL, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      lazyConnect: false,
    });
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
      signInAddress: limiter('sign-in-address', config.RATE_LIMIT_SIGN_IN_ADDRESS),
      signInAccount: limiter('sign-in-account', config.RATE_LIMIT_SIGN_IN_ACCOUNT),
    };
  }

  /** Counts a request of an authenticated caller against its key's and its agency's limits. */
  async consume(caller: Caller, method: string): Promise<void> {
    await Promise.all(this.limitsOf(caller, method).map(([limiter, key, what]) => this.take(limiter, key, what)));
  }

  /**
   * The refusal due now, from memory alone, to a caller already over one of its limits (or, for a request
   * whose key was not seen active, to an address over the failed-authentication limit); null when the request
   * must be counted. It lets a flood be refused before any other work is done for it.
   */
  refusalInMemory(caller: Caller | null, method: string, address: string): RateLimitedProblem | null {
    if (!caller) return this.blocked(this.limiters.failedAuth, address, FAILED_AUTH);
    for (const [limiter, key, what] of this.limitsOf(caller, method)) {
      const refused = this.blocked(limiter, key, what);
      if (refused) return refused;
    }
    return null;
  }

  /** The limits a caller's request counts against: its key's and its agency's, for reads or for writes. */
  private limitsOf(caller: Caller, method: string): [RateLimiterAbstract, string, string][] {
    const write = method !== 'GET' && method !== 'HEAD';
    const what = write ? 'writes' : 'reads';
    return [
      [
        write ? this.limiters.keyWrites : this.limiters.keyReads,
        caller.id,
        `this API key may make ${what} at a limited rate`,
      ],
      [
        write ? this.limiters.agencyWrites : this.limiters.agencyReads,
        caller.agency,
        `agency ${caller.agency} may make ${what} at a limited rate`,
      ],
    ];
  }

  private blocked(
    limiter: RateLimiterAbstract,
    key: string,
    what: string,
    now = Date.now(),
  ): RateLimitedProblem | null {
    const limitedKey = limiter.getKey(key);
    const until = this.refusedUntil.get(limitedKey);
    if (until === undefined) return null;
    if (until > now) return new RateLimitedProblem(until - now, what);
    this.refusedUntil.delete(limitedKey);
    return null;
  }

  /** Counts a request that did not authenticate, by address, so keys cannot be guessed at speed. */
  async failedAuthentication(address: string): Promise<void> {
    await this.take(this.limiters.failedAuth, address, FAILED_AUTH);
  }

  /**
   * Counts a sign-in attempt (a password or a code) against its address and its account, whichever refuses
   * first: guessing is slow both from one machine and, spread over many, at one account. The account is
   * counted by a digest of its address, so no e-mail address is written to Redis.
   */
  async signInAttempt(address: string, account: string | null): Promise<void> {
    await this.take(this.limiters.signInAddress, address, 'too many sign-in attempts from this address');
    if (account !== null)
      await this.take(
        this.limiters.signInAccount,
        createHash('sha256').update(`liaison-sign-in\n${account}`).digest('hex'),
        'too many sign-in attempts for this account',
      );
  }

  private async take(limiter: RateLimiterAbstract, key: string, what: string): Promise<void> {
    try {
      await limiter.consume(key);
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      if (this.refusedUntil.size >= REFUSED_MAX) this.refusedUntil.clear();
      this.refusedUntil.set(limiter.getKey(key), Date.now() + rejection.msBeforeNext);
      throw new RateLimitedProblem(rejection.msBeforeNext, what);
    }
  }

  onApplicationShutdown(): void {
    this.redis.disconnect();
  }
}
