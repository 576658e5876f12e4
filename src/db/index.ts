export { connectDatabase, type DatabaseHandle } from './connect.ts';
export { migrateToLatest } from './migrate.ts';
export type { DialectName } from './dialect.ts';
export type * from './schema.ts';
