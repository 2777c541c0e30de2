import { CommonConfig } from '@liaison/config';
import { WEBHOOK_MAX_ATTEMPTS } from '@liaison/domain';
import { Type } from 'class-transformer';
import { IsInt, Matches, Max, Min } from 'class-validator';

/** Notifier configuration: read from the environment once at boot (see README, "Configuration"). */
export class NotifierConfig extends CommonConfig {
  /** The notifier's operations port: /metrics, /health/live, /health/ready. */
  override METRICS_PORT = 9104;

  @Matches(/^rediss?:\/\/.+/, { message: 'must be a redis:// URL' })
  REDIS_URL = 'redis://127.0.0.1:6379';

  /** Webhook deliveries in flight at once (per notifier instance). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  WEBHOOK_CONCURRENCY = 64;

  /** How long a receiver has to answer one delivery, in milliseconds. */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(60_000)
  WEBHOOK_TIMEOUT_MS = 10_000;

  /** Wait before the first retry of a failed delivery; each later wait doubles, up to an hour, for 24 hours. */
  @Type(() => Number)
  @IsInt()
  @Min(10)
  @Max(600_000)
  WEBHOOK_FIRST_RETRY_MS = 10_000;

  /** Attempts before a delivery is marked failed (the default spans 24 hours with the default first wait). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  WEBHOOK_MAX_ATTEMPTS = WEBHOOK_MAX_ATTEMPTS;

  /** How often cases past their review date are looked for, and their owners notified (once per date). */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(86_400_000)
  REVIEW_SWEEP_MS = 600_000;
}
