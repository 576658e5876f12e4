import type { ColumnDefinitionBuilder, Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { DialectName } from '../dialect.ts';

/**
 * Pages readers expect of a news site: a byline gets a profile for its 기자 페이지 (desk or
 * beat, a short introduction, a photo), and the desk groups articles into series
 * (연재·기획), each article in at most one. A byline's articles are listed by author, so
 * article_authors gets an index that starts with the author.
 */
export const readerPages = (dialect: DialectName): Migration => ({
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
    .alterTable('authors')
    .addColumn('beat', 'varchar(60)', (c) => c.notNull().defaultTo(''))
    .execute();
  await db.schema
    .alterTable('authors')
    .addColumn('intro', 'varchar(1000)', (c) => c.notNull().defaultTo(''))
    .execute();
  await db.schema
    .alterTable('authors')
    .addColumn('photo_id', ref, (c) => c.references('photos.id').onDelete('set null'))
    .execute();
  await db.schema
    .createIndex('article_authors_author_idx')
    .on('article_authors')
    .columns(['author_id', 'article_id'])
    .execute();

  await db.schema
    .createTable('series')
    .addColumn('id', id, pk)
    .addColumn('title', 'varchar(120)', (c) => c.notNull())
    .addColumn('description', 'varchar(2000)', (c) => c.notNull().defaultTo(''))
    .addColumn('photo_id', ref, (c) => c.references('photos.id').onDelete('set null'))
    .addColumn('created_by', ref, (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', time, (c) => c.notNull())
    .addColumn('updated_at', time, (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('series_parts')
    .addColumn('series_id', ref, (c) => c.notNull().references('series.id').onDelete('cascade'))
    .addColumn('article_id', ref, (c) => c.notNull().references('articles.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('series_parts_pk', ['series_id', 'article_id'])
    .execute();
  // One series per article: its page shows one "연재 n회".
  await db.schema
    .createIndex('series_parts_article_idx')
    .on('series_parts')
    .column('article_id')
    .unique()
    .execute();
  await db.schema
    .createIndex('series_parts_order_idx')
    .on('series_parts')
    .columns(['series_id', 'position'])
    .execute();
}

async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('series_parts').execute();
  await db.schema.dropTable('series').execute();
  await db.schema.dropIndex('article_authors_author_idx').execute();
  await db.schema.alterTable('authors').dropColumn('photo_id').execute();
  await db.schema.alterTable('authors').dropColumn('intro').execute();
  await db.schema.alterTable('authors').dropColumn('beat').execute();
}
