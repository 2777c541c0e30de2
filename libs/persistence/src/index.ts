export * from './agency.repository';
export * from './data-source';
export * from './database.module';
export * from './entities';
export * from './seed/agency-register';
export * from './seed/seed-agencies';
export * from './returning';
export * from './time-ordered-id';
