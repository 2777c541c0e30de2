export * from './api-client';
export * from './factories';
export * from './topic-recorder';
export * from './wait-for';
export * from './seeded-random';
export * from './seed-messages';
export * from './case-keys';
