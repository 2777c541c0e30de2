import { AuditSealConfig } from '@liaison/config';
import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';

/** Tracker configuration. */
export class TrackerConfig extends AuditSealConfig {
  /** The tracker's operations port: /metrics, /health/live, /health/ready. */
  override METRICS_PORT = 9102;

  /**
   * Milliseconds between rounds of recomputing stale answer-time percentiles (see `refreshPercentiles`). Each
   * round recomputes every row touched since the last, so a longer pause costs less while the tracker catches
   * up on a backlog; reports compute stale rows' percentiles from their answers meanwhile.
   */
  @Type(() => Number)
  @IsInt()
  @Min(50)
  @Max(60_000)
  TRACKER_PERCENTILE_REFRESH_MS = 30_000;
}
