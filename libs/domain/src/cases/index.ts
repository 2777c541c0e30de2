export * from './case-reference';
export * from './case-rules';
export * from './jits';
export * from './erasure';
