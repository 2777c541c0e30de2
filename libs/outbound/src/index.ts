export * from './receiver-address';
