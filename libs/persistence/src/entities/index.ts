import { AgencyEntity } from './agency.entity';
import { MessageAttachmentEntity, UploadEntity } from './attachment.entity';
import { AuditEntryEntity } from './audit-entry.entity';
import { ApiKeyEntity } from './api-key.entity';
import { CaseErasureEntity, CaseErasurePartEntity, CaseHoldEntity } from './case-erasure.entity';
import { CaseKeyEntity, SystemKeyEntity } from './case-key.entity';
import { CaseRestrictionEntity, CaseReviewEntity, RetentionRuleEntity } from './case-review.entity';
import { CaseParticipantEntity } from './case-participant.entity';
import { CaseEntity } from './case.entity';
import { DeadLetterEntity } from './dead-letter.entity';
import { DeliveryEntity } from './delivery.entity';
import { ForwardEntity } from './forward.entity';
import { HandlingAcknowledgementEntity } from './handling-acknowledgement.entity';
import { IdempotencyKeyEntity } from './idempotency-key.entity';
import { JitEntity, JitMeetingEntity, JitMemberEntity } from './jit.entity';
import {
  MatchEntity,
  MatchKeyEntity,
  MatchKeyExclusionEntity,
  MatchReviewEntity,
  OverCorrelatedKeyEntity,
} from './match.entity';
import { MessageRejectionEntity } from './message-rejection.entity';
import { MessageEntity } from './message.entity';
import { AcceptedCaseEntity } from './accepted-case.entity';
import { DraftEntity } from './draft.entity';
import {
  EnrolmentTokenEntity,
  IdentityProviderEntity,
  PersonCredentialEntity,
  PersonEntity,
  PersonIdentityEntity,
  PersonRecoveryCodeEntity,
} from './person.entity';
import { NotificationEntity, WebhookDeliveryEntity, WebhookEndpointEntity } from './notification.entity';
import { ProcessedEventEntity } from './processed-event.entity';
import { ImportedCountEntity, ReportImportEntity } from './report-import.entity';
import { REPORT_CUBE_ENTITIES } from './report-cubes.entity';
import {
  ReportClosedCaseEntity,
  ReportJitEntity,
  ReportJitMeetingEntity,
  ReportMatchEntity,
  ReportOpenRequestsEntity,
  ReportRequestEntity,
} from './report-state.entity';

export * from './agency.entity';
export * from './attachment.entity';
export * from './audit-entry.entity';
export * from './api-key.entity';
export * from './case-erasure.entity';
export * from './case-key.entity';
export * from './case-review.entity';
export * from './case-participant.entity';
export * from './case.entity';
export * from './dead-letter.entity';
export * from './delivery.entity';
export * from './forward.entity';
export * from './handling-acknowledgement.entity';
export * from './idempotency-key.entity';
export * from './jit.entity';
export * from './match.entity';
export * from './message-rejection.entity';
export * from './message.entity';
export * from './notification.entity';
export * from './person.entity';
export * from './processed-event.entity';
export * from './accepted-case.entity';
export * from './draft.entity';
export * from './report-import.entity';
export * from './report-cubes.entity';
export * from './report-state.entity';

export const ENTITIES = [
  AgencyEntity,
  ApiKeyEntity,
  PersonEntity,
  PersonCredentialEntity,
  PersonRecoveryCodeEntity,
  PersonIdentityEntity,
  EnrolmentTokenEntity,
  IdentityProviderEntity,
  DraftEntity,
  AcceptedCaseEntity,
  CaseEntity,
  CaseKeyEntity,
  SystemKeyEntity,
  CaseReviewEntity,
  CaseRestrictionEntity,
  RetentionRuleEntity,
  CaseErasureEntity,
  CaseErasurePartEntity,
  CaseHoldEntity,
  CaseParticipantEntity,
  MessageEntity,
  MessageRejectionEntity,
  DeadLetterEntity,
  DeliveryEntity,
  IdempotencyKeyEntity,
  HandlingAcknowledgementEntity,
  ProcessedEventEntity,
  ReportRequestEntity,
  ReportOpenRequestsEntity,
  ReportClosedCaseEntity,
  ReportMatchEntity,
  ReportJitEntity,
  ReportJitMeetingEntity,
  ...REPORT_CUBE_ENTITIES,
  AuditEntryEntity,
  JitEntity,
  JitMemberEntity,
  JitMeetingEntity,
  ForwardEntity,
  UploadEntity,
  MessageAttachmentEntity,
  MatchKeyEntity,
  OverCorrelatedKeyEntity,
  MatchKeyExclusionEntity,
  MatchEntity,
  MatchReviewEntity,
  NotificationEntity,
  WebhookEndpointEntity,
  WebhookDeliveryEntity,
  ReportImportEntity,
  ImportedCountEntity,
];
