export * from './agencies';
export * from './audit';
export * from './cases';
export * from './matching';
export * from './messages';
export * from './notifications';
export * from './people';
export * from './reports';
