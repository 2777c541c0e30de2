import { reviewOverdueNotifications } from '@liaison/domain';
import { safeError } from '@liaison/observability';
import { caseReviewDates, NOT_BEING_ERASED } from '@liaison/persistence';
import { SERVICE_CONFIG } from '@liaison/runtime';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { NotificationScheduler } from './notification.scheduler';
import type { NotifierConfig } from './notifier.config';

const PAGE = 1_000;

/**
 * Tells the owner of every case past its review date (`case.review-overdue`, in the app and by webhook), once per
 * review date: the notification's source is the case and its date, so a repeat sweep, or another replica's, adds
 * nothing, and an extension that passes in its turn is told again. Runs at start and every REVIEW_SWEEP_MS.
 */
@Injectable()
export class ReviewSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private running = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly scheduler: NotificationScheduler,
    @Inject(SERVICE_CONFIG) private readonly config: NotifierConfig,
    @InjectPinoLogger(ReviewSweeper.name) private readonly logger: PinoLogger,
  ) {}

  onApplicationBootstrap(): void {
    void this.sweep();
    this.timer = setInterval(() => void this.sweep(), this.config.REVIEW_SWEEP_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** Notifies every overdue review not notified yet; returns how many cases are overdue (-1 when already running). */
  async sweep(now = new Date()): Promise<number> {
    if (this.running) return -1;
    this.running = true;
    let overdue = 0;
    try {
      for (let after = ''; ;) {
        const rows: { case_reference: string; owner_agency: string; review_due_at: Date }[] =
          await this.dataSource.query(
            `SELECT d.case_reference, d.owner_agency, d.review_due_at FROM ${caseReviewDates(`c.reference > $1 AND ${NOT_BEING_ERASED}`)} AS d
              WHERE d.review_due_at <= $2 ORDER BY d.case_reference LIMIT $3`,
            [after, now, PAGE],
          );
        if (rows.length === 0) break;
        await this.scheduler.notify(
          rows.flatMap((row) =>
            reviewOverdueNotifications({
              caseReference: row.case_reference,
              ownerAgency: row.owner_agency,
              reviewDueAt: row.review_due_at,
            }),
          ),
        );
        overdue += rows.length;
        after = rows[rows.length - 1].case_reference;
      }
    } catch (error) {
      this.logger.warn({ err: safeError(error) }, 'could not look for overdue reviews; the next sweep tries again');
    } finally {
      this.running = false;
    }
    return overdue;
  }
}
