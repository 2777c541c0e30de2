import { ConsumerGroups } from '@liaison/contracts';
import { ServiceRuntimeModule, type ServiceRuntime } from '@liaison/runtime';
import { AgencyRepository } from '@liaison/persistence';
import { CaseKeys } from '@liaison/protection';
import { Module, type DynamicModule } from '@nestjs/common';
import { CaseLifecycleConsumer } from './case-lifecycle.consumer';
import { ApplyJitChangesUseCase } from './apply-jit-changes.usecase';
import { ApplyPermissionDecisionsUseCase } from './apply-permission-decisions.usecase';
import { CaseLinkConsumer } from './case-link.consumer';
import { MessageRevisionConsumer } from './message-revision.consumer';
import { ReviseMessagesUseCase } from './revise-messages.usecase';
import { CaseRepository } from './case.repository';
import { CloseCasesUseCase } from './close-cases.usecase';
import { EraseCasesUseCase } from './erase-cases.usecase';
import { DeliveryRepository } from './delivery.repository';
import { LinkMatchedCasesUseCase } from './link-matched-cases.usecase';
import { MarkReadUseCase } from './mark-read.usecase';
import { OpenCasesUseCase } from './open-cases.usecase';
import { RouteForwardsUseCase } from './route-forwards.usecase';
import { RoutingRepository } from './routing.repository';
import { DeadLetterRecorder } from './dead-letter.recorder';
import { DeadLetterRepository } from './dead-letter.repository';
import { ForwardConsumer } from './forward.consumer';
import { ForwardRepository } from './forward.repository';
import { JitConsumer } from './jit.consumer';
import { JitRepository } from './jit.repository';
import { ReadReceiptConsumer } from './read-receipt.consumer';
import { RouteMessagesConsumer } from './route-messages.consumer';
import { RouteMessagesUseCase } from './route-messages.usecase';
import { SubmittedContent } from './submitted-content';
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
        MessageRevisionConsumer,
      ],
      providers: [
        RoutingRepository,
        CaseRepository,
        DeliveryRepository,
        JitRepository,
        ForwardRepository,
        AgencyRepository,
        RouteMessagesUseCase,
        SubmittedContent,
        OpenCasesUseCase,
        CloseCasesUseCase,
        EraseCasesUseCase,
        ReviseMessagesUseCase,
        LinkMatchedCasesUseCase,
        MarkReadUseCase,
        RouteForwardsUseCase,
        ApplyPermissionDecisionsUseCase,
        ApplyJitChangesUseCase,
        DeadLetterRepository,
        DeadLetterRecorder,
        { provide: CaseKeys, useValue: CaseKeys.fromSetting(runtime.config.MASTER_KEYS) },
      ],
    };
  }
}
