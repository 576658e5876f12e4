import { sql, type DatabaseIntrospector, type Kysely, type TableMetadata } from 'kysely';
import {
  Migrator,
  type Migration,
  type MigrationProvider,
  type MigrationResultSet,
} from 'kysely/migration';
import { AppError } from '../shared/errors.ts';
import type { DatabaseHandle } from './connect.ts';
import type { DialectName } from './dialect.ts';
import type { Database } from './schema.ts';
import { initial } from './migrations/0001_initial.ts';
import { newsroom } from './migrations/0002_newsroom.ts';
import { weather } from './migrations/0003_weather.ts';
import { adsAndReaders } from './migrations/0004_ads_and_readers.ts';
import { frontDesk } from './migrations/0005_front_desk.ts';
import { photoFocus } from './migrations/0006_photo_focus.ts';
import { authorsAndSections } from './migrations/0007_authors_and_sections.ts';
import { deskWorkflow } from './migrations/0008_desk_workflow.ts';
import { search } from './migrations/0009_search.ts';
import { readerPages } from './migrations/0010_reader_pages.ts';
import { articleOrigin } from './migrations/0012_article_origin.ts';
import { apiAndWebhooks } from './migrations/0013_api_and_webhooks.ts';
import { searchHead } from './migrations/0014_search_head.ts';
import { policiesAndTips } from './migrations/0011_policies_and_tips.ts';
import { cdnPurgeQueue } from './migrations/0015_cdn_purge_queue.ts';
import { sharedReaderDay } from './migrations/0016_shared_reader_day.ts';
import { articleTerms } from './migrations/0017_article_terms.ts';
import { sectionWeekCounts } from './migrations/0018_section_week_counts.ts';
import { searchMatch } from './migrations/0019_search_match.ts';
import { searchHeads } from './migrations/0020_search_heads.ts';
import { searchBuckets } from './migrations/0021_search_buckets.ts';
import { searchReadable } from './migrations/0022_search_readable.ts';
import { searchTrigrams } from './migrations/0023_search_trigrams.ts';

// Listed in code rather than read from a folder so the set is fixed at build time and
// identical on every app server.
const migrations = (dialect: DialectName): Record<string, Migration> => ({
  '0001_initial': initial(dialect),
  '0002_newsroom': newsroom(dialect),
  '0003_weather': weather(dialect),
  '0004_ads_and_readers': adsAndReaders(dialect),
  '0005_front_desk': frontDesk(dialect),
  '0006_photo_focus': photoFocus,
  '0007_authors_and_sections': authorsAndSections(dialect),
  '0008_desk_workflow': deskWorkflow(dialect),
  '0009_search': search(dialect),
  '0010_reader_pages': readerPages(dialect),
  '0011_policies_and_tips': policiesAndTips(dialect),
  '0012_article_origin': articleOrigin(dialect),
  '0013_api_and_webhooks': apiAndWebhooks(dialect),
  '0014_search_head': searchHead(dialect),
  '0015_cdn_purge_queue': cdnPurgeQueue(dialect),
  '0016_shared_reader_day': sharedReaderDay(dialect),
  '0017_article_terms': articleTerms(dialect),
  '0018_section_week_counts': sectionWeekCounts(dialect),
  '0019_search_match': searchMatch(dialect),
  '0020_search_heads': searchHeads(dialect),
  '0021_search_buckets': searchBuckets(dialect),
  '0022_search_readable': searchReadable(dialect),
  '0023_search_trigrams': searchTrigrams(dialect),
});

async function migratorFor(
  handle: DatabaseHandle,
): Promise<{ migrator: Migrator; schema: string | undefined }> {
  const provider: MigrationProvider = { getMigrations: async () => migrations(handle.dialect) };
  // Kysely looks for its bookkeeping tables in every schema; on a PostgreSQL database shared
  // with other schemas (or other Kysely apps) it must look only in ours.
  const schema =
    handle.dialect === 'postgres'
      ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(handle.db))
          .rows[0]?.schema
      : undefined;
  const migrator = new Migrator({
    db: schema ? seeingOnly(handle.db, schema) : handle.db,
    provider,
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  return { migrator, schema };
}

/** Every migration's name, oldest first: the schema versions this build knows. */
export const MIGRATION_NAMES: readonly string[] = Object.keys(migrations('sqlite'));

/** The newest schema version this build knows (what `migrateToLatest` brings a database to). */
export const LATEST_SCHEMA: string = MIGRATION_NAMES[MIGRATION_NAMES.length - 1] as string;

export async function migrateToLatest(handle: DatabaseHandle): Promise<string[]> {
  return runMigrator(handle, (migrator) => migrator.migrateToLatest());
}

/**
 * Brings a database up to (never past) `name`, one of MIGRATION_NAMES: a restore first
 * gives an empty database the schema its backup was taken at.
 */
export async function migrateTo(handle: DatabaseHandle, name: string): Promise<string[]> {
  if (!MIGRATION_NAMES.includes(name))
    throw new AppError('INVALID_INPUT', `Unknown schema version ${name}.`);
  return runMigrator(handle, (migrator) => migrator.migrateTo(name));
}

/**
 * The newest migration applied to a database (its schema version), or null when it has
 * never been migrated. Reads through `db`, so inside a transaction it sees that snapshot.
 */
export async function schemaVersion(
  db: Kysely<Database>,
  dialect: DialectName,
): Promise<string | null> {
  const exists =
    dialect === 'postgres'
      ? (
          await sql<{
            found: string | null;
          }>`select to_regclass('kysely_migration')::text as found`.execute(db)
        ).rows[0]?.found != null
      : (
          await sql<{
            name: string;
          }>`select name from sqlite_master where type = 'table' and name = 'kysely_migration'`.execute(
            db,
          )
        ).rows.length > 0;
  if (!exists) return null;
  const row = (
    await sql<{ name: string | null }>`select max(name) as name from kysely_migration`.execute(db)
  ).rows[0];
  return row?.name ?? null;
}

/** Migrations this code has that the database has not run yet (empty: up to date). */
export async function pendingMigrations(handle: DatabaseHandle): Promise<string[]> {
  const { migrator } = await migratorFor(handle);
  return (await migrator.getMigrations())
    .filter((m) => m.executedAt === undefined)
    .map((m) => m.name);
}

async function runMigrator(
  handle: DatabaseHandle,
  run: (migrator: Migrator) => Promise<MigrationResultSet>,
): Promise<string[]> {
  const { migrator } = await migratorFor(handle);
  const { error, results } = await run(migrator);
  const failed = results?.find((r) => r.status === 'Error');
  if (error !== undefined || failed !== undefined) {
    throw new AppError(
      'UNAVAILABLE',
      `Migration ${failed?.migrationName ?? ''} failed: ${error instanceof Error ? error.message : String(error)}`,
      undefined,
      { cause: error },
    );
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/**
 * `db` as the Migrator sees it: its introspection reads our own schema only. Kysely's own
 * reads every schema in the database (has_schema_privilege on each, pg_get_serial_sequence
 * on each column), so another schema, table or column dropped at that moment failed our
 * migration before any of it ran; CI saw that three times, and retrying did not always
 * outlast the churn. The Migrator only asks which schemas and tables exist.
 */
function seeingOnly(db: Kysely<Database>, schema: string): Kysely<Database> {
  const introspection: DatabaseIntrospector = {
    getSchemas: async () =>
      (
        await sql<{
          name: string;
        }>`select nspname as name from pg_catalog.pg_namespace where nspname = ${schema}`.execute(
          db,
        )
      ).rows,
    getTables: async () =>
      (
        await sql<{ name: string; kind: string }>`
          select c.relname as name, c.relkind as kind
          from pg_catalog.pg_class c
          join pg_catalog.pg_namespace n on n.oid = c.relnamespace
          where n.nspname = ${schema} and c.relkind in ('r', 'v', 'p', 'f')`.execute(db)
      ).rows.map((r): TableMetadata => ({
        name: r.name,
        schema,
        isView: r.kind === 'v',
        isForeign: r.kind === 'f',
        columns: [],
      })),
  };
  // Kysely keeps its state in private fields, so every other member is read from (and
  // every method bound to) the real instance.
  return new Proxy(db, {
    get(target, property) {
      if (property === 'introspection') return introspection;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
