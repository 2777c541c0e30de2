// Entry point for the TypeORM CLI (`npm run migration:generate`, `npm run migration:run`).
import { createDataSource } from './data-source';

export default createDataSource({
  url: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/liaison',
  poolSize: 2,
  applicationName: 'liaison-migrations',
});
