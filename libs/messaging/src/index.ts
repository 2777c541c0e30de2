export * from './consumer-service';
export * from './event-batch';
export * from './event-publisher';
export * from './kafka-batch.server';
export * from './kafka.factory';
export * from './pass-through-rpc.filter';
export * from './service-runtime';
export * from './topic-provisioner';
