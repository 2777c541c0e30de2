import { ConsumerGroups } from '@liaison/contracts';
import { ServiceRuntimeModule, type ServiceRuntime } from '@liaison/messaging';
import { Module, type DynamicModule } from '@nestjs/common';
import { NotificationRepository } from './notification.repository';
import type { NotifierConfig } from './notifier.config';
import { NotifierJobs } from './notifier-jobs';
import { NotifyConsumer } from './notify.consumer';

export const NOTIFIER_GROUP = ConsumerGroups.notifier;

@Module({})
export class NotifierModule {
  static forRoot(runtime: ServiceRuntime<NotifierConfig>): DynamicModule {
    return {
      module: NotifierModule,
      imports: [ServiceRuntimeModule.forRoot(runtime)],
      controllers: [NotifyConsumer],
      providers: [NotificationRepository, NotifierJobs],
    };
  }
}
