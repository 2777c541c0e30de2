import { ConsumerGroups } from '@liaison/contracts';
import { ServiceRuntimeModule, type ServiceRuntime } from '@liaison/runtime';
import { CaseKeys, MasterKeys, MatchKeyBlinder, SystemKeys } from '@liaison/protection';
import { DataSource } from 'typeorm';
import { Module, type DynamicModule } from '@nestjs/common';
import { CaseErasureConsumer } from './case-erasure.consumer';
import { IndexMessagesConsumer } from './index-messages.consumer';
import { IndexMessagesUseCase } from './index-messages.usecase';
import { MatchWithdrawalRepository } from './match-withdrawal.repository';
import { MatchIndexRepository } from './match-index.repository';
import { MatchReviewRepository } from './match-review.repository';
import { MatchReviewsConsumer } from './match-reviews.consumer';
import { ReviewMatchesUseCase } from './review-matches.usecase';
import type { MatcherConfig } from './matcher.config';
import { WithdrawErasedMatchesUseCase } from './withdraw-erased-matches.usecase';
import { MessageRevisionConsumer } from './message-revision.consumer';
import { ReviseIndexUseCase } from './revise-index.usecase';
import { RestrictCaseMatchesUseCase } from './restrict-case-matches.usecase';

export const MATCHER_GROUP = ConsumerGroups.matcher;

@Module({})
export class MatcherModule {
  static forRoot(runtime: ServiceRuntime<MatcherConfig>): DynamicModule {
    return {
      module: MatcherModule,
      imports: [ServiceRuntimeModule.forRoot(runtime)],
      controllers: [IndexMessagesConsumer, MatchReviewsConsumer, CaseErasureConsumer, MessageRevisionConsumer],
      providers: [
        MatchIndexRepository,
        MatchWithdrawalRepository,
        IndexMessagesUseCase,
        MatchReviewRepository,
        ReviewMatchesUseCase,
        WithdrawErasedMatchesUseCase,
        ReviseIndexUseCase,
        RestrictCaseMatchesUseCase,
        { provide: CaseKeys, useValue: CaseKeys.fromSetting(runtime.config.MASTER_KEYS) },
        { provide: SystemKeys, useValue: new SystemKeys(MasterKeys.parse(runtime.config.MASTER_KEYS)) },
        {
          provide: MatchKeyBlinder,
          inject: [DataSource, SystemKeys],
          useFactory: (dataSource: DataSource, systemKeys: SystemKeys) => MatchKeyBlinder.load(dataSource, systemKeys),
        },
      ],
    };
  }
}
