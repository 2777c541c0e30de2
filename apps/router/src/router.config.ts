import { Type } from 'class-transformer';
import { CommonConfig } from '@liaison/config';
import { IsInt, Max, Min } from 'class-validator';

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
}
