export {
  connectDatabase,
  poolSizeFor,
  type ConnectOptions,
  type DatabaseHandle,
} from './connect.ts';
export {
  LATEST_SCHEMA,
  MIGRATION_NAMES,
  migrateTo,
  migrateToLatest,
  pendingMigrations,
  schemaVersion,
} from './migrate.ts';
export { claimJob } from './claims.ts';
export { afterKey, atOrBeforeKey, type Keyset } from './keyset.ts';
export type { ListenHooks, NotificationListener } from './notify.ts';
export type { DialectName } from './dialect.ts';
export type * from './schema.ts';
