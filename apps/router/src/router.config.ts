import { Type } from 'class-transformer';
import { CommonConfig } from '@liaison/config';
import { IsIn, IsInt, Max, Min } from 'class-validator';
import { IsMasterKeys } from '@liaison/protection';

/** Router configuration: read from the environment once at boot (see README, "Configuration"). */
export class RouterConfig extends CommonConfig {
  /** The router's operations port: /metrics, /health/live, /health/ready. */
  override METRICS_PORT = 9101;

  /** Attempts for a failing batch, then for each of its events, before an event is dead-lettered. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(20)
  ROUTER_MAX_ATTEMPTS = 5;

  /** Partition batches routed at once; overlapping them keeps PostgreSQL and the router both busy. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(32)
  ROUTER_CONCURRENCY = 6;

  /**
   * The master keys every case's data key is wrapped under: comma-separated `id:key` pairs, each key 32 random
   * bytes in base64 (`openssl rand -base64 32`); the first wraps new keys. Never stored in the database; every
   * service that reads or writes content is given the same list.
   */
  @IsMasterKeys()
  MASTER_KEYS = '';

  /**
   * `on`: content is stored sealed. `off-for-measurement` stores the content of records sent in clear unsealed, so
   * `bench:pipeline` can measure what sealing costs against a run without it; the router refuses it unless
   * BENCHMARK_RUN=1 is set as well, and nothing else can read what it stores. Never for a deployment.
   */
  @IsIn(['on', 'off-for-measurement'], { message: 'must be on (or off-for-measurement, for bench:pipeline only)' })
  CONTENT_SEALING: 'on' | 'off-for-measurement' = 'on';
}
