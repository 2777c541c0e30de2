import { ServiceRuntimeModule, type ServiceRuntime } from '@liaison/runtime';
import { AgencyRepository } from '@liaison/persistence';
import { DataSource } from 'typeorm';
import { CaseKeys, MasterKeys, MatchKeyBlinder, RowKeys, SystemKeys } from '@liaison/protection';
import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { AgencyController } from './agencies/agency.controller';
import { SetClearanceUseCase } from './agencies/set-clearance.usecase';
import { ImportCountsUseCase } from './reports/import-counts.usecase';
import { DownloadAttachmentUseCase } from './messages/download-attachment.usecase';
import { MessageAttachmentController } from './messages/message-attachment.controller';
import { UploadAttachmentUseCase } from './attachments/upload-attachment.usecase';
import { RegisterWebhookUseCase } from './notifications/register-webhook.usecase';
import { RemoveWebhookUseCase } from './notifications/remove-webhook.usecase';
import { ResendDeliveryUseCase } from './notifications/resend-delivery.usecase';
import { RotateWebhookSecretUseCase } from './notifications/rotate-webhook-secret.usecase';
import { AttachmentStore } from './attachments/attachment-store';
import { AttachmentRepository } from './attachments/attachment.repository';
import { AttachmentController } from './attachments/attachment.controller';
import { AuditCheckpointReader } from './audit/audit-checkpoint.reader';
import { AuditReadRepository } from './audit/audit-read.repository';
import { VerifyAuditUseCase } from './audit/verify-audit.usecase';
import { AuditTrail } from './audit/audit-trail';
import { AuditController } from './audit/audit.controller';
import { ApiKeyController } from './auth/api-key.controller';
import { DeadLetterController } from './dead-letters/dead-letter.controller';
import { DeadLetterRepository } from './dead-letters/dead-letter.repository';
import { RedriveDeadLetterUseCase } from './dead-letters/redrive-dead-letter.usecase';
import { CaseLifecycleUseCase } from './cases/case-lifecycle.usecase';
import { CaseReadRepository } from './cases/case-read.repository';
import { CaseController } from './cases/case.controller';
import { CaseErasureController } from './cases/case-erasure.controller';
import { MessageEntityController } from './messages/message-entity.controller';
import { ExportAuditUseCase } from './audit/export-audit.usecase';
import { CaseRestrictions } from './cases/case-restrictions';
import { SubjectAccessController } from './subject-access/subject-access.controller';
import { SubjectAccessRepository } from './subject-access/subject-access.repository';
import { SubjectAccessUseCase } from './subject-access/subject-access.usecase';
import { RestrictedCases } from './cases/restricted-cases';
import { ReviewController } from './reviews/review.controller';
import { ConsoleReviewsController } from './console/console-reviews.controller';
import { ConsoleSubjectAccessController } from './console/console-subject-access.controller';
import { CaseReviewUseCase } from './reviews/case-review.usecase';
import { ReviewRepository } from './reviews/review.repository';
import { RectifyEntityUseCase } from './messages/rectify-entity.usecase';
import { CaseErasureUseCase } from './cases/case-erasure.usecase';
import { ErasureRepository } from './cases/erasure.repository';
import { ErasureSweeper } from './cases/erasure.sweeper';
import { ClearFileSealer } from './attachments/clear-file-sealer';
import { MatchKeyValues } from './matches/match-key-values';
import { ApiKeyGuard } from './auth/api-key.guard';
import { ApiKeyRepository } from './auth/api-key.repository';
import { ApiKeysService } from './auth/api-keys.service';
import type { GatewayConfig } from './gateway.config';
import { ForwardReadRepository } from './forwards/forward-read.repository';
import { ForwardController } from './forwards/forward.controller';
import { DecidePermissionUseCase } from './forwards/decide-permission.usecase';
import { ForwardMessageUseCase } from './forwards/forward-message.usecase';
import { HealthController } from './health/health.controller';
import { MetricsController } from './health/metrics.controller';
import { ReadinessService } from './health/readiness.service';
import { CommandPublisher } from './application/command-publisher';
import { RateLimits } from './http/rate-limits';
import { RequestPacer } from './http/request-pacer';
import { ProblemFilter } from './http/problem.filter';
import { IdempotencyInterceptor } from './idempotency/idempotency.interceptor';
import { IdempotencyRepository } from './idempotency/idempotency.repository';
import { JitReadRepository } from './jits/jit-read.repository';
import { JitController } from './jits/jit.controller';
import { AddJitMemberUseCase } from './jits/add-jit-member.usecase';
import { CreateJitUseCase } from './jits/create-jit.usecase';
import { ExtendJitUseCase } from './jits/extend-jit.usecase';
import { JitAccess } from './jits/jit-access';
import { JitChanges } from './jits/jit-changes';
import { LinkJitCaseUseCase } from './jits/link-jit-case.usecase';
import { RecordJitMeetingUseCase } from './jits/record-jit-meeting.usecase';
import { ReadJitUseCase } from './jits/read-jit.usecase';
import { RemoveJitMemberUseCase } from './jits/remove-jit-member.usecase';
import { MessageController } from './messages/message.controller';
import { MessageReadRepository } from './messages/message-read.repository';
import { OpenMessageUseCase } from './messages/open-message.usecase';
import { SubmitMessageUseCase } from './messages/submit-message.usecase';
import { MatchKeyExclusionsUseCase } from './matches/match-key-exclusions.usecase';
import { MatchKeyController } from './matches/match-key.controller';
import { MatchKeyRepository } from './matches/match-key.repository';
import { MatchReadRepository } from './matches/match-read.repository';
import { MatchReviewUseCase } from './matches/match-review.usecase';
import { MatchController } from './matches/match.controller';
import { NotificationReadRepository } from './notifications/notification-read.repository';
import { NotificationController } from './notifications/notification.controller';
import { WebhookQueue } from './notifications/webhook-queue';
import { WebhookController } from './notifications/webhook.controller';
import { ReportImportController } from './reports/report-import.controller';
import { ReportImportRepository } from './reports/report-import.repository';
import { ReportController } from './reports/report.controller';
import { DeadlineReportUseCase } from './reports/deadline-report.usecase';
import { JitReportUseCase } from './reports/jit-report.usecase';
import { MatchCountReadRepository } from './reports/match-count-read.repository';
import { MatchReportUseCase } from './reports/match-report.usecase';
import { ReportDatabase } from './reports/report-database';
import { ReportScopes } from './reports/report-scope';
import { ResponseReadRepository } from './reports/response-read.repository';
import { ResponseTimeReportUseCase } from './reports/response-time-report.usecase';
import { TeamReadRepository } from './reports/team-read.repository';
import { VolumeReadRepository } from './reports/volume-read.repository';
import { VolumeReportUseCase } from './reports/volume-report.usecase';
import { IdentityProviderRepository } from './people/identity-provider.repository';
import { PasswordHasher } from './people/password-hasher';
import { PeopleController } from './people/people.controller';
import { IdentityProviderController } from './people/identity-provider.controller';
import { IdentityProviderUseCase } from './people/identity-provider.usecase';
import { PeopleUseCase } from './people/people.usecase';
import { PersonRepository } from './people/person.repository';
import { SecretBox } from './people/secret-box';
import { TotpAuthenticator } from './people/totp-authenticator';
import { SessionAuthenticator } from './sessions/session-authenticator';
import { SessionStore } from './sessions/session.store';
import { SessionSweeper } from './sessions/session.sweeper';
import { LocalSignInUseCase } from './sign-in/local-sign-in.usecase';
import { OidcClients } from './sign-in/oidc-clients';
import { OidcSignInUseCase } from './sign-in/oidc-sign-in.usecase';
import { SignInController } from './sign-in/sign-in.controller';
import { OidcController } from './sign-in/oidc.controller';
import { SessionController } from './sign-in/session.controller';
import { SignInResponder } from './sign-in/sign-in.responder';
import { ConsoleCasesController } from './console/console-cases.controller';
import { ConsoleCountsRepository } from './console/console-counts.repository';
import { ConsoleLive } from './console/console-live';
import { ConsoleErrorPages } from './console/console-errors';
import { ConsoleHomeController } from './console/console-home.controller';
import { ConsoleMessagesController } from './console/console-messages.controller';
import { ConsolePages } from './console/console-pages';
import { ConsoleSettingsController } from './console/console-settings.controller';
import { ConsoleAdminController } from './console/console-admin.controller';
import { ConsoleReportsController } from './console/console-reports.controller';
import { ConsoleJitsController } from './console/console-jits.controller';
import { ConsoleMatchesController } from './console/console-matches.controller';
import { ConsoleConfirmController } from './console/console-confirm.controller';
import { ConsoleComposeController } from './console/console-compose.controller';
import { ConsoleDraftAttachmentsController } from './console/console-draft-attachments.controller';
import { ComposeFormPage } from './console/compose-form-page';
import { DraftsRepository } from './console/drafts.repository';
import { ReadCaseUseCase } from './cases/read-case.usecase';
import { AcceptedCasesRepository } from './cases/accepted-cases.repository';
import { MessageListsUseCase } from './messages/message-lists.usecase';

@Module({})
export class GatewayModule {
  static forRoot(runtime: ServiceRuntime<GatewayConfig>): DynamicModule {
    return {
      module: GatewayModule,
      imports: [ServiceRuntimeModule.forRoot(runtime)],
      controllers: [
        ApiKeyController,
        PeopleController,
        IdentityProviderController,
        SignInController,
        OidcController,
        SessionController,
        ConsoleHomeController,
        ConsoleMessagesController,
        ConsoleCasesController,
        ConsoleComposeController,
        ConsoleDraftAttachmentsController,
        ConsoleMatchesController,
        ConsoleConfirmController,
        ConsoleJitsController,
        ConsoleReportsController,
        ConsoleAdminController,
        ConsoleSettingsController,
        AgencyController,
        MessageController,
        CaseController,
        CaseErasureController,
        MessageEntityController,
        ReviewController,
        ConsoleReviewsController,
        ConsoleSubjectAccessController,
        SubjectAccessController,
        JitController,
        ForwardController,
        AttachmentController,
        MessageAttachmentController,
        MatchController,
        MatchKeyController,
        NotificationController,
        WebhookController,
        ReportController,
        ReportImportController,
        AuditController,
        DeadLetterController,
        HealthController,
        MetricsController,
      ],
      providers: [
        { provide: APP_GUARD, useClass: ApiKeyGuard },
        { provide: APP_FILTER, useClass: ProblemFilter },
        { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
        IdempotencyRepository,
        CommandPublisher,
        RateLimits,
        RequestPacer,
        AuditTrail,
        AuditReadRepository,
        AuditCheckpointReader,
        VerifyAuditUseCase,
        AgencyRepository,
        ApiKeyRepository,
        ApiKeysService,
        MessageReadRepository,
        CaseReadRepository,
        CaseLifecycleUseCase,
        CaseErasureUseCase,
        ErasureRepository,
        ErasureSweeper,
        ClearFileSealer,
        RectifyEntityUseCase,
        CaseRestrictions,
        SubjectAccessUseCase,
        SubjectAccessRepository,
        RestrictedCases,
        ExportAuditUseCase,
        CaseReviewUseCase,
        ReviewRepository,
        JitReadRepository,
        JitAccess,
        JitChanges,
        CreateJitUseCase,
        ExtendJitUseCase,
        AddJitMemberUseCase,
        RemoveJitMemberUseCase,
        LinkJitCaseUseCase,
        RecordJitMeetingUseCase,
        ReadJitUseCase,
        ForwardReadRepository,
        ForwardMessageUseCase,
        DecidePermissionUseCase,
        AttachmentRepository,
        { provide: AttachmentStore, useValue: new AttachmentStore(runtime.config.ATTACHMENT_DIR) },
        SubmitMessageUseCase,
        OpenMessageUseCase,
        ReportDatabase,
        VolumeReadRepository,
        ResponseReadRepository,
        MatchCountReadRepository,
        TeamReadRepository,
        ReportScopes,
        VolumeReportUseCase,
        ResponseTimeReportUseCase,
        DeadlineReportUseCase,
        MatchReportUseCase,
        JitReportUseCase,
        ReportImportRepository,
        MatchReadRepository,
        MatchReviewUseCase,
        MatchKeyRepository,
        MatchKeyExclusionsUseCase,
        NotificationReadRepository,
        WebhookQueue,
        ReadinessService,
        DeadLetterRepository,
        RedriveDeadLetterUseCase,
        SetClearanceUseCase,
        ImportCountsUseCase,
        UploadAttachmentUseCase,
        DownloadAttachmentUseCase,
        RegisterWebhookUseCase,
        RemoveWebhookUseCase,
        ResendDeliveryUseCase,
        RotateWebhookSecretUseCase,
        PersonRepository,
        IdentityProviderRepository,
        PeopleUseCase,
        LocalSignInUseCase,
        OidcClients,
        SignInResponder,
        IdentityProviderUseCase,
        OidcSignInUseCase,
        SessionStore,
        SessionAuthenticator,
        ConsolePages,
        ConsoleCountsRepository,
        ConsoleLive,
        ComposeFormPage,
        ConsoleErrorPages,
        DraftsRepository,
        ReadCaseUseCase,
        AcceptedCasesRepository,
        MessageListsUseCase,
        MessageAttachmentController,
        ApiKeyController,
        WebhookController,
        AgencyController,
        MatchKeyController,
        ReportController,
        PeopleController,
        AuditController,
        SessionSweeper,
        { provide: PasswordHasher, useValue: new PasswordHasher() },
        { provide: TotpAuthenticator, useValue: new TotpAuthenticator() },
        { provide: SecretBox, useValue: new SecretBox(runtime.config.IDENTITY_SECRET_KEY) },
        { provide: CaseKeys, useValue: CaseKeys.fromSetting(runtime.config.MASTER_KEYS) },
        { provide: RowKeys, useValue: new RowKeys(MasterKeys.parse(runtime.config.MASTER_KEYS)) },
        { provide: SystemKeys, useValue: new SystemKeys(MasterKeys.parse(runtime.config.MASTER_KEYS)) },
        {
          provide: MatchKeyBlinder,
          inject: [DataSource, SystemKeys],
          useFactory: (dataSource: DataSource, systemKeys: SystemKeys) => MatchKeyBlinder.load(dataSource, systemKeys),
        },
        MatchKeyValues,
      ],
    };
  }
}
