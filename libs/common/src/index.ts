export * from './csv';
export * from './cursor';
export * from './days';
export * from './numbers';
