export * from './consumer-service';
export * from './run-service';
export * from './service-runtime';
