import type { ColumnDefinitionBuilder, Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { DialectName } from '../dialect.ts';

/**
 * The desk's day: private preview links of unpublished articles, staff notifications
 * (송고, 반려, 출고), and corrections that can be edited or withdrawn with their own history.
 */
export const deskWorkflow = (dialect: DialectName): Migration => ({
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

  await db.schema
    .createTable('article_previews')
    .addColumn('id', id, pk)
    .addColumn('article_id', ref, (c) => c.notNull().references('articles.id').onDelete('cascade'))
    // Only a hash is kept: a leaked database does not open anyone's drafts.
    .addColumn('token_hash', 'varchar(64)', (c) => c.notNull().unique())
    .addColumn('purpose', 'varchar(16)', (c) => c.notNull())
    .addColumn('created_by', ref, (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', time, (c) => c.notNull())
    .addColumn('expires_at', time, (c) => c.notNull())
    .addColumn('revoked_at', time)
    .execute();
  await db.schema
    .createIndex('article_previews_article_idx')
    .on('article_previews')
    .columns(['article_id', 'expires_at'])
    .execute();

  await db.schema
    .createTable('staff_notifications')
    .addColumn('id', id, pk)
    .addColumn('user_id', ref, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('kind', 'varchar(24)', (c) => c.notNull())
    .addColumn('article_id', ref, (c) => c.references('articles.id').onDelete('cascade'))
    .addColumn('text', 'varchar(500)', (c) => c.notNull())
    .addColumn('created_at', time, (c) => c.notNull())
    .addColumn('read_at', time)
    .execute();
  await db.schema
    .createIndex('staff_notifications_user_idx')
    .on('staff_notifications')
    .columns(['user_id', 'id'])
    .execute();

  await db.schema.alterTable('article_notices').addColumn('updated_at', time).execute();
  await db.schema.alterTable('article_notices').addColumn('withdrawn_at', time).execute();
  await db.schema
    .createTable('article_notice_versions')
    .addColumn('id', id, pk)
    .addColumn('notice_id', ref, (c) =>
      c.notNull().references('article_notices.id').onDelete('cascade'),
    )
    .addColumn('action', 'varchar(16)', (c) => c.notNull())
    .addColumn('kind', 'varchar(16)', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('user_id', ref, (c) => c.references('users.id').onDelete('set null'))
    .addColumn('at', time, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('article_notice_versions_notice_idx')
    .on('article_notice_versions')
    .columns(['notice_id', 'id'])
    .execute();
}

async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('article_notice_versions').execute();
  await db.schema.alterTable('article_notices').dropColumn('withdrawn_at').execute();
  await db.schema.alterTable('article_notices').dropColumn('updated_at').execute();
  await db.schema.dropTable('staff_notifications').execute();
  await db.schema.dropTable('article_previews').execute();
}
