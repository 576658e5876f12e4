import type { ColumnDefinitionBuilder, Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { DialectName } from '../dialect.ts';

/**
 * The newsroom: staff accounts and sessions, the desk workflow's history, revisions,
 * corrections, front-page arrangement, and the article fields the editor and the import
 * need (SEO, embargo, external id, owner).
 */
export const newsroom = (dialect: DialectName): Migration => ({
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
    .createTable('users')
    .addColumn('id', id, pk)
    .addColumn('email', 'varchar(254)', (c) => c.notNull().unique())
    .addColumn('name', 'varchar(80)', (c) => c.notNull())
    .addColumn('role', 'varchar(16)', (c) => c.notNull())
    .addColumn('password_hash', 'varchar(255)', (c) => c.notNull())
    .addColumn('must_change_password', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('totp_secret', 'varchar(64)')
    .addColumn('totp_enabled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('author_id', ref, (c) => c.references('authors.id').onDelete('set null'))
    .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', time, (c) => c.notNull())
    .addColumn('updated_at', time, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('sessions')
    // sha256 of the cookie token: a leaked database does not hand out live sessions.
    .addColumn('id_hash', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('user_id', ref, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('csrf_token', 'varchar(64)', (c) => c.notNull())
    .addColumn('second_factor_ok', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', time, (c) => c.notNull())
    .addColumn('last_seen_at', time, (c) => c.notNull())
    .addColumn('expires_at', time, (c) => c.notNull())
    .addColumn('user_agent', 'varchar(300)', (c) => c.notNull().defaultTo(''))
    .execute();
  await db.schema.createIndex('sessions_user_idx').on('sessions').column('user_id').execute();
  await db.schema.createIndex('sessions_expires_idx').on('sessions').column('expires_at').execute();

  await db.schema
    .createTable('login_throttle')
    // 'account:<email>' or 'ip:<address>'
    .addColumn('key', 'varchar(300)', (c) => c.primaryKey())
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('window_started_at', time, (c) => c.notNull())
    .addColumn('locked_until', time, (c) => c.notNull().defaultTo(0))
    .execute();

  await db.schema
    .createTable('user_tokens')
    .addColumn('token_hash', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('user_id', ref, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('purpose', 'varchar(16)', (c) => c.notNull())
    .addColumn('expires_at', time, (c) => c.notNull())
    .addColumn('used_at', time)
    .execute();

  for (const [column, type] of [
    ['seo_title', 'varchar(200)'],
    ['seo_description', 'varchar(400)'],
  ] as const) {
    await db.schema
      .alterTable('articles')
      .addColumn(column, type, (c) => c.notNull().defaultTo(''))
      .execute();
  }
  await db.schema.alterTable('articles').addColumn('embargo_until', time).execute();
  await db.schema.alterTable('articles').addColumn('external_id', 'varchar(200)').execute();
  await db.schema
    .alterTable('articles')
    .addColumn('owner_id', ref, (c) => c.references('users.id').onDelete('set null'))
    .execute();
  await db.schema.alterTable('articles').addColumn('trashed_from', 'varchar(16)').execute();
  await db.schema
    .createIndex('articles_external_id_idx')
    .on('articles')
    .column('external_id')
    .unique()
    .execute();
  // The admin's lists: by status (desk queue, drafts) and by owner (a reporter's own).
  await db.schema
    .createIndex('articles_status_updated_idx')
    .on('articles')
    .columns(['status', 'updated_at', 'id'])
    .execute();
  await db.schema
    .createIndex('articles_owner_updated_idx')
    .on('articles')
    .columns(['owner_id', 'updated_at', 'id'])
    .execute();

  await db.schema
    .createTable('article_events')
    .addColumn('id', id, pk)
    .addColumn('article_id', ref, (c) => c.notNull().references('articles.id').onDelete('cascade'))
    .addColumn('user_id', ref, (c) => c.references('users.id').onDelete('set null'))
    .addColumn('kind', 'varchar(24)', (c) => c.notNull())
    .addColumn('comment', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('at', time, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('article_events_article_idx')
    .on('article_events')
    .columns(['article_id', 'id'])
    .execute();

  await db.schema
    .createTable('article_revisions')
    .addColumn('id', id, pk)
    .addColumn('article_id', ref, (c) => c.notNull().references('articles.id').onDelete('cascade'))
    .addColumn('user_id', ref, (c) => c.references('users.id').onDelete('set null'))
    .addColumn('title', 'varchar(300)', (c) => c.notNull())
    .addColumn('subtitle', 'text', (c) => c.notNull())
    .addColumn('body_html', 'text', (c) => c.notNull())
    /** The other fields (section, tags, bylines, flags, SEO) as JSON. */
    .addColumn('fields_json', 'text', (c) => c.notNull())
    .addColumn('created_at', time, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('article_revisions_article_idx')
    .on('article_revisions')
    .columns(['article_id', 'id'])
    .execute();

  await db.schema
    .createTable('article_edit_locks')
    .addColumn('article_id', ref, (c) =>
      c.primaryKey().references('articles.id').onDelete('cascade'),
    )
    .addColumn('user_id', ref, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('heartbeat_at', time, (c) => c.notNull())
    .execute();

  // 정정보도 / 반론보도: appended, never updated or deleted by the application.
  await db.schema
    .createTable('article_notices')
    .addColumn('id', id, pk)
    .addColumn('article_id', ref, (c) => c.notNull().references('articles.id').onDelete('cascade'))
    .addColumn('kind', 'varchar(16)', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('user_id', ref, (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', time, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('article_notices_article_idx')
    .on('article_notices')
    .columns(['article_id', 'id'])
    .execute();

  // The desk's arrangement of the front page: 'headline' position 0, 'top' positions
  // 0..n, 'section:<id>' positions 0..n. Unarranged positions fall back to the newest.
  await db.schema
    .createTable('front_slots')
    .addColumn('area', 'varchar(40)', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('article_id', ref, (c) => c.notNull().references('articles.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('front_slots_pk', ['area', 'position'])
    .execute();

  await db.schema
    .alterTable('photos')
    .addColumn('uploaded_by', ref, (c) => c.references('users.id').onDelete('set null'))
    .execute();
  // Where an imported photo came from (URL or file), so a second import reuses it.
  await db.schema.alterTable('photos').addColumn('source', 'varchar(2000)').execute();
  await db.schema.createIndex('photos_source_idx').on('photos').column('source').execute();

  // A row per change, so other processes (the import CLI, other app servers) can tell a
  // running server which cache tags to drop: the change feed.
  await db.schema
    .createTable('change_feed')
    .addColumn('id', id, pk)
    .addColumn('tags', 'text', (c) => c.notNull())
    .addColumn('at', time, (c) => c.notNull())
    .execute();
}

async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'change_feed',
    'front_slots',
    'article_notices',
    'article_edit_locks',
    'article_revisions',
    'article_events',
    'user_tokens',
    'login_throttle',
    'sessions',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
  await db.schema.dropIndex('articles_owner_updated_idx').ifExists().execute();
  await db.schema.dropIndex('articles_status_updated_idx').ifExists().execute();
  await db.schema.dropIndex('articles_external_id_idx').ifExists().execute();
  for (const column of [
    'trashed_from',
    'owner_id',
    'external_id',
    'embargo_until',
    'seo_description',
    'seo_title',
  ]) {
    await db.schema.alterTable('articles').dropColumn(column).execute();
  }
  await db.schema.dropIndex('photos_source_idx').ifExists().execute();
  await db.schema.alterTable('photos').dropColumn('source').execute();
  await db.schema.alterTable('photos').dropColumn('uploaded_by').execute();
  await db.schema.dropTable('users').ifExists().execute();
}
