export * from './correlation-id';
export * from './logger';
