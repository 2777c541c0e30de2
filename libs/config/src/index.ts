export * from './common.config';
export * from './load-config';
export * from './run-service';
export * from './audit-seal.config';
