import { sql, type ColumnDefinitionBuilder, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { DialectName } from '../dialect.ts';

/** How long 속보 set before this migration stays on: it had no end until now. */
const LEGACY_BREAKING_MS = 6 * 60 * 60 * 1000;

/**
 * The front desk: every arrangement of the front page kept with who and when (to undo),
 * and an end time for 속보 so a breaking flag no longer stays on forever.
 */
export const frontDesk = (dialect: DialectName): Migration => ({
  up: (db) => up(db, dialect),
  down,
});

async function up(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  const isPostgres = dialect === 'postgres';
  const id = isPostgres ? ('bigserial' as const) : ('integer' as const);
  const pk = (c: ColumnDefinitionBuilder) =>
    isPostgres ? c.primaryKey() : c.primaryKey().autoIncrement();
  const time = isPostgres ? ('bigint' as const) : ('integer' as const);
  const ref = isPostgres ? ('bigint' as const) : ('integer' as const);

  await db.schema.alterTable('articles').addColumn('breaking_until', time).execute();
  // Breaking pieces from before had no end: they end six hours after they went out (most
  // are long over), so no old flag keeps a story in the 속보 bar.
  await sql`update articles set breaking_until = coalesce(published_at, updated_at) + ${LEGACY_BREAKING_MS} where is_breaking = 1`.execute(
    db,
  );
  await db.schema
    .createIndex('articles_breaking_idx')
    .on('articles')
    .columns(['is_breaking', 'breaking_until'])
    .execute();

  await db.schema
    .createTable('front_history')
    .addColumn('id', id, pk)
    .addColumn('user_id', ref, (c) => c.references('users.id').onDelete('set null'))
    // Kept as written: the history still names a colleague whose account is gone.
    .addColumn('user_name', 'varchar(80)', (c) => c.notNull())
    .addColumn('created_at', time, (c) => c.notNull())
    // The whole arrangement after the change: {"headline":[12],"top":[null,40,...],...}.
    .addColumn('arrangement', 'text', (c) => c.notNull())
    // A restore names the version it brought back.
    .addColumn('restored_from', ref)
    .execute();
}

async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('front_history').ifExists().execute();
  await db.schema.dropIndex('articles_breaking_idx').ifExists().execute();
  await db.schema.alterTable('articles').dropColumn('breaking_until').execute();
}
