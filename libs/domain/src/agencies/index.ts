export * from './agency-code';
export * from './api-key';
export * from './roles';
