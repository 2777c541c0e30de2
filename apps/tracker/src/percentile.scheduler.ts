import { SERVICE_CONFIG } from '@liaison/runtime';
import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { RefreshPercentilesUseCase } from './refresh-percentiles.usecase';
import type { TrackerConfig } from './tracker.config';

/**
 * Keeps the percentile buckets on request-count rows current: every `TRACKER_PERCENTILE_REFRESH_MS` it
 * recomputes the rows batches have marked stale, until none is left. A row touched by many batches in a round
 * is recomputed once, out of the batches' transactions.
 */
@Injectable()
export class PercentileScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;

  constructor(
    private readonly refresh: RefreshPercentilesUseCase,
    @Inject(SERVICE_CONFIG) private readonly config: TrackerConfig,
    @InjectPinoLogger(PercentileScheduler.name) private readonly logger: PinoLogger,
  ) {}

  onApplicationBootstrap(): void {
    this.schedule();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.round().finally(() => this.schedule());
    }, this.config.TRACKER_PERCENTILE_REFRESH_MS);
  }

  private async round(): Promise<void> {
    try {
      let refreshed = 0;
      for (let batch = await this.refresh.run(); batch > 0 && !this.stopped; batch = await this.refresh.run())
        refreshed += batch;
      if (refreshed > 0) this.logger.debug({ refreshed }, 'answer-time percentiles refreshed');
    } catch (error) {
      // The rows stay stale and the next round tries again; reports compute stale rows' percentiles meanwhile.
      this.logger.warn({ err: error }, 'answer-time percentiles not refreshed');
    }
  }
}
