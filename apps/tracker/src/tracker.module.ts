import { ConsumerGroups } from '@liaison/contracts';
import { ServiceRuntimeModule, type ServiceRuntime } from '@liaison/messaging';
import { AgencyRepository } from '@liaison/persistence';
import { Module, type DynamicModule } from '@nestjs/common';
import { AuditCheckpointWriter } from './audit-checkpoint.writer';
import { AuditLogRepository } from './audit-log.repository';
import { AuditConsumer } from './audit.consumer';
import { ExchangeConsumer } from './exchange.consumer';
import { PercentileRefresher } from './percentile-refresher';
import { TeamMatchConsumer } from './team-match.consumer';
import type { TrackerConfig } from './tracker.config';
import { TrackerStore } from './tracker.store';

export const TRACKER_GROUP = ConsumerGroups.tracker;

@Module({})
export class TrackerModule {
  /** The whole tracker; `reportsOnly` leaves out the audit log (a rebuild of the report facts never touches it). */
  static forRoot(runtime: ServiceRuntime<TrackerConfig>, options: { reportsOnly?: boolean } = {}): DynamicModule {
    return {
      module: TrackerModule,
      imports: [ServiceRuntimeModule.forRoot(runtime)],
      controllers: options.reportsOnly
        ? [ExchangeConsumer, TeamMatchConsumer]
        : [ExchangeConsumer, TeamMatchConsumer, AuditConsumer],
      providers: options.reportsOnly
        ? [TrackerStore, AgencyRepository, PercentileRefresher]
        : [TrackerStore, AgencyRepository, PercentileRefresher, AuditLogRepository, AuditCheckpointWriter],
    };
  }
}
