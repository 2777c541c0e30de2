export * from './case-keys';
export * from './content';
export * from './master-keys';
export * from './sealing';
export * from './file-sealing';
export * from './row-keys';
export * from './row-content';
export * from './system-keys';
