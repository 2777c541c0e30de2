/** What scripts, benchmarks and tests use of the gateway. */
export type { AuditRow } from './audit/audit-read.repository';
export { startGateway, type Gateway } from './gateway.app';
export { ABANDONED_AFTER_MS, IdempotencyRepository } from './idempotency/idempotency.repository';
export type { ReportScope } from './reports/fact-query';
export { ReportDatabase } from './reports/report-database';
export { VolumeReadRepository } from './reports/volume-read.repository';
