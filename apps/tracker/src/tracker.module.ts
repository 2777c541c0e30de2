import { ConsumerGroups } from '@liaison/contracts';
import { ServiceRuntimeModule, type ServiceRuntime } from '@liaison/messaging';
import { Module, type DynamicModule } from '@nestjs/common';
import { AuditLogRepository } from './audit-log.repository';
import { AuditConsumer } from './audit.consumer';
import type { TrackerConfig } from './tracker.config';
import { VolumeConsumer } from './volume.consumer';
import { VolumeRepository } from './volume.repository';

export const TRACKER_GROUP = ConsumerGroups.tracker;

@Module({})
export class TrackerModule {
  static forRoot(runtime: ServiceRuntime<TrackerConfig>): DynamicModule {
    return {
      module: TrackerModule,
      imports: [ServiceRuntimeModule.forRoot(runtime)],
      controllers: [VolumeConsumer, AuditConsumer],
      providers: [VolumeRepository, AuditLogRepository],
    };
  }
}
