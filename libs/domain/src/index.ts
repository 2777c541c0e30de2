export * from './agency-code';
export * from './api-key';
export * from './case-reference';
export * from './cursor';
export * from './recipients';
export * from './roles';
export * from './routing-policy';
export * from './volume-period';
