import { MetricDefinitions, Metrics } from '@liaison/observability';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** A count read at most this often, however often it is scraped. */
const REFRESH_MS = 30_000;

/**
 * `liaison_requests_overdue`: requests past their deadline that a recipient has not answered, in cases still
 * open. Counted by the partial index of unanswered requests, and read at most every 30 s.
 */
@Injectable()
export class OverdueRequestsGauge {
  private last?: { at: number; value: Promise<number> };

  constructor(
    metrics: Metrics,
    private readonly dataSource: DataSource,
  ) {
    metrics.gauge(MetricDefinitions.overdueRequests, async () => [{ labels: {}, value: await this.overdue() }]);
  }

  private overdue(): Promise<number> {
    const now = Date.now();
    if (!this.last || now - this.last.at >= REFRESH_MS) {
      const value = this.dataSource
        .query<{ overdue: number }[]>(
          `SELECT count(*)::int AS overdue FROM report_requests
            WHERE answered_at IS NULL AND closed_at IS NULL AND deadline < now()`,
        )
        .then((rows) => rows[0].overdue);
      value.catch(() => (this.last = undefined));
      this.last = { at: now, value };
    }
    return this.last.value;
  }
}
