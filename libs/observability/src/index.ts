export * from './correlation-id';
export * from './logger';
export * from './safe-error';
export * from './metrics';
export * from './tracing';
