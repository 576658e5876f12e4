import type { ColumnDefinitionBuilder, Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { DialectName } from '../dialect.ts';

/**
 * The pages a Korean paper must publish (개인정보처리방침, 이용약관, …) with every saved
 * wording kept, and 기사제보: readers' tips with their photos or PDF, the per-address
 * counters that hold back floods, and the key that signs the form's timestamp. A staff
 * notice can point at a tip.
 */
export const policiesAndTips = (dialect: DialectName): Migration => ({
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
  const bytes = isPostgres ? ('bytea' as const) : ('blob' as const);

  // The current wording of a page is its latest version; the older ones are its history.
  await db.schema
    .createTable('policy_versions')
    .addColumn('id', id, pk)
    .addColumn('slug', 'varchar(32)', (c) => c.notNull())
    .addColumn('body_html', 'text', (c) => c.notNull())
    .addColumn('saved_by', ref, (c) => c.references('users.id').onDelete('set null'))
    .addColumn('saved_at', time, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('policy_versions_slug_idx')
    .on('policy_versions')
    .columns(['slug', 'id'])
    .execute();

  await db.schema
    .createTable('tips')
    .addColumn('id', id, pk)
    .addColumn('receipt', 'varchar(20)', (c) => c.notNull().unique())
    // Personal data: emptied when the retention period ends (purged_at set).
    .addColumn('name', 'varchar(100)', (c) => c.notNull())
    .addColumn('contact', 'varchar(200)', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull().defaultTo('new'))
    .addColumn('file_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', time, (c) => c.notNull())
    .addColumn('purged_at', time)
    .addColumn('handled_by', ref, (c) => c.references('users.id').onDelete('set null'))
    .addColumn('handled_at', time)
    .execute();
  await db.schema
    .createIndex('tips_purge_idx')
    .on('tips')
    .columns(['purged_at', 'created_at'])
    .execute();

  // In the database rather than on a disk: every app server sees them, and deleting a
  // tip's personal data is one statement.
  await db.schema
    .createTable('tip_files')
    .addColumn('id', id, pk)
    .addColumn('tip_id', ref, (c) => c.notNull().references('tips.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('kind', 'varchar(8)', (c) => c.notNull())
    .addColumn('mime', 'varchar(40)', (c) => c.notNull())
    .addColumn('name', 'varchar(200)', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('width', 'integer')
    .addColumn('height', 'integer')
    .addColumn('bytes', bytes, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('tip_files_tip_idx')
    .on('tip_files')
    .columns(['tip_id', 'position'])
    .execute();

  await db.schema
    .createTable('tip_limits')
    .addColumn('key', 'varchar(80)', (c) => c.primaryKey())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addColumn('window_started_at', time, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('site_secrets')
    .addColumn('name', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('value', 'varchar(200)', (c) => c.notNull())
    .addColumn('created_at', time, (c) => c.notNull())
    .execute();

  await db.schema
    .alterTable('staff_notifications')
    .addColumn('tip_id', ref, (c) => c.references('tips.id').onDelete('cascade'))
    .execute();
}

async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('staff_notifications').dropColumn('tip_id').execute();
  for (const table of ['site_secrets', 'tip_limits', 'tip_files', 'tips', 'policy_versions']) {
    await db.schema.dropTable(table).execute();
  }
}
