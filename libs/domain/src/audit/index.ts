export * from './audit';
export * from './audit-export';
