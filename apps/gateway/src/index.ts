/** What scripts, benchmarks and tests use of the gateway. */
export type { AuditRow } from './audit/audit-read.repository';
export { startGateway, type Gateway } from './gateway.app';
export { GatewayConfig } from './gateway.config';
export { GatewayModule } from './gateway.module';
export { buildOpenApiDocument } from './http/openapi';
export { ABANDONED_AFTER_MS, IdempotencyRepository } from './idempotency/idempotency.repository';
export { COUNTS_EVERY_MS, LIVE_EVERY_MS } from './console/console-pages';
export { MessageListsUseCase } from './messages/message-lists.usecase';
export { MessageReadRepository } from './messages/message-read.repository';
export type { ReportScope } from './reports/fact-query';
export { MatchCountReadRepository } from './reports/match-count-read.repository';
export { ReportDatabase } from './reports/report-database';
export { ResponseReadRepository } from './reports/response-read.repository';
export { TeamReadRepository } from './reports/team-read.repository';
export { VolumeReadRepository } from './reports/volume-read.repository';
export { SessionStore, type Session } from './sessions/session.store';
export { PeopleUseCase } from './people/people.usecase';
export { SessionSweeper } from './sessions/session.sweeper';
