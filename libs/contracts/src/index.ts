export * from './codes';
export * from './envelope';
export * from './event-id';
export * from './gen/liaison/v1/cases_pb';
export * from './gen/liaison/v1/common_pb';
export * from './gen/liaison/v1/messages_pb';
export * from './topics';
