export { connectDatabase, type DatabaseHandle } from './connect.ts';
export { migrateToLatest, pendingMigrations } from './migrate.ts';
export { claimJob } from './claims.ts';
export type { DialectName } from './dialect.ts';
export type * from './schema.ts';
