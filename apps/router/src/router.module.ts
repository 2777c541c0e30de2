import { ConsumerGroups } from '@liaison/contracts';
import { ServiceRuntimeModule, type ServiceRuntime } from '@liaison/messaging';
import { AgencyRepository } from '@liaison/persistence';
import { Module, type DynamicModule } from '@nestjs/common';
import { CaseLifecycleConsumer } from './case-lifecycle.consumer';
import { CaseLinkConsumer } from './case-link.consumer';
import { DeadLetterRecorder } from './dead-letter.recorder';
import { DeadLetterRepository } from './dead-letter.repository';
import { ExchangeRepository } from './exchange.repository';
import { ForwardConsumer } from './forward.consumer';
import { ForwardRepository } from './forward.repository';
import { JitConsumer } from './jit.consumer';
import { JitRepository } from './jit.repository';
import { ReadReceiptConsumer } from './read-receipt.consumer';
import { RouteMessagesConsumer } from './route-messages.consumer';
import { RouteMessagesUseCase } from './route-messages.usecase';
import type { RouterConfig } from './router.config';

export const ROUTER_GROUP = ConsumerGroups.router;

@Module({})
export class RouterModule {
  static forRoot(runtime: ServiceRuntime<RouterConfig>): DynamicModule {
    return {
      module: RouterModule,
      imports: [ServiceRuntimeModule.forRoot(runtime)],
      controllers: [
        RouteMessagesConsumer,
        ReadReceiptConsumer,
        CaseLifecycleConsumer,
        JitConsumer,
        ForwardConsumer,
        CaseLinkConsumer,
      ],
      providers: [
        ExchangeRepository,
        JitRepository,
        ForwardRepository,
        AgencyRepository,
        RouteMessagesUseCase,
        DeadLetterRepository,
        DeadLetterRecorder,
      ],
    };
  }
}
