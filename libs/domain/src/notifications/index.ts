export * from './notifications';
export * from './webhook-signature';
export * from './webhook-target';
