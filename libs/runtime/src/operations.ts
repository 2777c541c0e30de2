import { MetricDefinitions, Metrics, Tracing } from '@liaison/observability';
import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { OperationsServer, type ServiceReadiness } from './operations-server';

/**
 * A service's operational face: its PostgreSQL pool in the metrics, for a worker the operations server
 * (`/metrics`, `/health/*`) on its own port, closed with the application, and its traces flushed at the end.
 */
@Injectable()
export class Operations implements OnApplicationShutdown {
  private server?: OperationsServer;

  constructor(
    readonly metrics: Metrics,
    private readonly dataSource: DataSource,
    private readonly tracing: Tracing,
  ) {
    metrics.gauge(MetricDefinitions.databasePool, () => {
      const pool = (this.dataSource.driver as unknown as { master?: Pool }).master;
      if (!pool) return [];
      return [
        { labels: { state: 'total' }, value: pool.totalCount },
        { labels: { state: 'idle' }, value: pool.idleCount },
        { labels: { state: 'waiting' }, value: pool.waitingCount },
      ];
    });
  }

  /** Whether the service's database answers, as a readiness check. */
  async database(): Promise<{ ok: boolean; detail?: string }> {
    try {
      await Promise.race([
        this.dataSource.query('SELECT 1'),
        new Promise((_, reject) =>
          setTimeout(() => reject(new Error('PostgreSQL did not answer within 2000 ms')), 2_000).unref(),
        ),
      ]);
      return { ok: true };
    } catch (error) {
      return { ok: false, detail: (error as Error).message };
    }
  }

  /** Serves the worker's operations port; resolves with the port it listens on. */
  async serve(port: number, host: string, readiness: () => Promise<ServiceReadiness>): Promise<number> {
    this.server = new OperationsServer(this.metrics, readiness);
    return this.server.listen(port, host);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.server?.close();
    await this.tracing.shutdown(); // the spans still buffered are sent
  }
}
