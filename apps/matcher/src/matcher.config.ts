import { CommonConfig } from '@liaison/config';
import { DEFAULT_OVER_CORRELATION_CAP } from '@liaison/domain';
import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import { IsMasterKeys } from '@liaison/protection';

export class MatcherConfig extends CommonConfig {
  /** The matcher's operations port: /metrics, /health/live, /health/ready. */
  override METRICS_PORT = 9103;

  /** A key held by more cases than this is over-correlated: it stops producing matches and is listed for admins. */
  @Type(() => Number)
  @IsInt()
  @Min(2)
  @Max(10_000)
  MATCH_OVER_CORRELATION_CAP = DEFAULT_OVER_CORRELATION_CAP;

  /**
   * The master keys every case's data key is wrapped under: comma-separated `id:key` pairs, each key 32 random
   * bytes in base64 (`openssl rand -base64 32`); the first wraps new keys. Never stored in the database; every
   * service that reads or writes content is given the same list.
   */
  @IsMasterKeys()
  MASTER_KEYS = '';
}
