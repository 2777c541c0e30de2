// Migrations in the order they run. Generated from the entities (`npm run migration:generate`), then reviewed.
import { InitialSchema1795374019184 } from './1795374019184-initial-schema';

export const MIGRATIONS = [InitialSchema1795374019184];
