export * from './consumer-service';
export * from './run-service';
export * from './service-runtime';
export * from './operations';
export * from './operations-server';
