export * from './event-batch';
export * from './event-publisher';
export * from './kafka-batch.server';
export * from './kafka.factory';
export * from './pass-through-rpc.filter';
export * from './topic-provisioner';
export * from './job-queues';
export * from './failures';
