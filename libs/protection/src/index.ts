export * from './case-keys';
export * from './content';
export * from './master-keys';
export * from './sealing';
