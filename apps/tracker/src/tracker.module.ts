import { ConsumerGroups } from '@liaison/contracts';
import { ServiceRuntimeModule, type ServiceRuntime } from '@liaison/runtime';
import { AgencyRepository } from '@liaison/persistence';
import { Module, type DynamicModule } from '@nestjs/common';
import { OverdueRequestsGauge } from './overdue-requests.gauge';
import { AuditCheckpointWriter } from './audit-checkpoint.writer';
import { AuditLogRepository } from './audit-log.repository';
import { AuditConsumer } from './audit.consumer';
import { ExchangeConsumer } from './exchange.consumer';
import { CloseCaseRequestsUseCase } from './close-case-requests.usecase';
import { CountJitChangesUseCase } from './count-jit-changes.usecase';
import { CountMatchEventsUseCase } from './count-match-events.usecase';
import { CountRoutedMessagesUseCase } from './count-routed-messages.usecase';
import { JitStateRepository } from './jit-state.repository';
import { MatchStateRepository } from './match-state.repository';
import { PercentileScheduler } from './percentile.scheduler';
import { RefreshPercentilesUseCase } from './refresh-percentiles.usecase';
import { ReportCubeRepository } from './report-cube.repository';
import { RequestStateRepository } from './request-state.repository';
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
      providers: [
        TrackerStore,
        AgencyRepository,
        ReportCubeRepository,
        RequestStateRepository,
        MatchStateRepository,
        JitStateRepository,
        CountRoutedMessagesUseCase,
        CloseCaseRequestsUseCase,
        CountMatchEventsUseCase,
        CountJitChangesUseCase,
        RefreshPercentilesUseCase,
        PercentileScheduler,
        ...(options.reportsOnly ? [] : [AuditLogRepository, AuditCheckpointWriter, OverdueRequestsGauge]),
      ],
    };
  }
}
