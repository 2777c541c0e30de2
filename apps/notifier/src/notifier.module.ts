import { ConsumerGroups } from '@liaison/contracts';
import { ServiceRuntimeModule, type ServiceRuntime } from '@liaison/runtime';
import { Module, type DynamicModule } from '@nestjs/common';
import { DeadlineProcessor } from './deadline.processor';
import { ReviewSweeper } from './review.sweeper';
import { NotificationRepository } from './notification.repository';
import { NotificationScheduler } from './notification.scheduler';
import type { NotifierConfig } from './notifier.config';
import { NotifyConsumer } from './notify.consumer';
import { WebhookDeliveryProcessor } from './webhook-delivery.processor';

export const NOTIFIER_GROUP = ConsumerGroups.notifier;

@Module({})
export class NotifierModule {
  static forRoot(runtime: ServiceRuntime<NotifierConfig>): DynamicModule {
    return {
      module: NotifierModule,
      imports: [ServiceRuntimeModule.forRoot(runtime)],
      controllers: [NotifyConsumer],
      providers: [
        NotificationRepository,
        NotificationScheduler,
        WebhookDeliveryProcessor,
        DeadlineProcessor,
        ReviewSweeper,
      ],
    };
  }
}
