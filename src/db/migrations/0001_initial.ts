import type { ColumnDefinitionBuilder, Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { DialectName } from '../dialect.ts';

// Migrations receive Kysely<unknown>: the schema they build must not depend on today's
// table types, which will move on.
export const initial = (dialect: DialectName): Migration => ({ up: (db) => up(db, dialect), down });

async function up(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  const isPostgres = dialect === 'postgres';
  const id = isPostgres ? ('bigserial' as const) : ('integer' as const);
  // SQLite's INTEGER PRIMARY KEY AUTOINCREMENT never reuses a deleted row's id (article
  // numbers are public URLs); bigserial gives the same guarantee on PostgreSQL.
  const pk = (c: ColumnDefinitionBuilder) =>
    isPostgres ? c.primaryKey() : c.primaryKey().autoIncrement();
  const time = isPostgres ? ('bigint' as const) : ('integer' as const);
  const ref = isPostgres ? ('bigint' as const) : ('integer' as const);

  await db.schema
    .createTable('sections')
    .addColumn('id', id, pk)
    .addColumn('slug', 'varchar(80)', (c) => c.notNull().unique())
    .addColumn('name', 'varchar(80)', (c) => c.notNull())
    .addColumn('parent_id', ref, (c) => c.references('sections.id').onDelete('set null'))
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('hidden', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('layout', 'varchar(16)', (c) => c.notNull().defaultTo('list'))
    .addColumn('created_at', time, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('authors')
    .addColumn('id', id, pk)
    .addColumn('name', 'varchar(80)', (c) => c.notNull())
    .addColumn('email', 'varchar(254)', (c) => c.notNull().unique())
    .addColumn('created_at', time, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('photos')
    .addColumn('id', id, pk)
    .addColumn('storage_key', 'varchar(255)', (c) => c.notNull().unique())
    .addColumn('width', 'integer', (c) => c.notNull())
    .addColumn('height', 'integer', (c) => c.notNull())
    .addColumn('mime', 'varchar(40)', (c) => c.notNull())
    .addColumn('caption', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('credit', 'varchar(120)', (c) => c.notNull().defaultTo(''))
    .addColumn('alt', 'varchar(300)', (c) => c.notNull().defaultTo(''))
    // Comma-separated widths of the WebP renditions stored beside the original.
    .addColumn('variants', 'varchar(100)', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', time, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('articles')
    .addColumn('id', id, pk)
    .addColumn('section_id', ref, (c) => c.notNull().references('sections.id'))
    .addColumn('title', 'varchar(300)', (c) => c.notNull())
    .addColumn('subtitle', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('body_html', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('summary', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('status', 'varchar(16)', (c) => c.notNull().defaultTo('draft'))
    .addColumn('is_breaking', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('is_photo_story', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('featured_photo_id', ref, (c) => c.references('photos.id').onDelete('set null'))
    .addColumn('published_at', time)
    .addColumn('updated_at', time, (c) => c.notNull())
    .addColumn('created_at', time, (c) => c.notNull())
    .execute();

  // Every reader listing filters on status and orders by publish time with id as the
  // tie-breaker; these indexes serve those queries without a sort step.
  await db.schema
    .createIndex('articles_published_idx')
    .on('articles')
    .columns(['status', 'published_at', 'id'])
    .execute();
  await db.schema
    .createIndex('articles_section_published_idx')
    .on('articles')
    .columns(['section_id', 'status', 'published_at', 'id'])
    .execute();
  await db.schema
    .createIndex('articles_photo_story_idx')
    .on('articles')
    .columns(['is_photo_story', 'status', 'published_at', 'id'])
    .execute();

  await db.schema
    .createTable('article_authors')
    .addColumn('article_id', ref, (c) => c.notNull().references('articles.id').onDelete('cascade'))
    .addColumn('author_id', ref, (c) => c.notNull().references('authors.id'))
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('article_authors_pk', ['article_id', 'author_id'])
    .execute();

  await db.schema
    .createTable('article_photos')
    .addColumn('article_id', ref, (c) => c.notNull().references('articles.id').onDelete('cascade'))
    .addColumn('photo_id', ref, (c) => c.notNull().references('photos.id'))
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('article_photos_pk', ['article_id', 'photo_id'])
    .execute();

  await db.schema
    .createTable('tags')
    .addColumn('id', id, pk)
    .addColumn('name', 'varchar(60)', (c) => c.notNull().unique())
    .execute();

  await db.schema
    .createTable('article_tags')
    .addColumn('article_id', ref, (c) => c.notNull().references('articles.id').onDelete('cascade'))
    .addColumn('tag_id', ref, (c) => c.notNull().references('tags.id'))
    .addPrimaryKeyConstraint('article_tags_pk', ['article_id', 'tag_id'])
    .execute();
  await db.schema
    .createIndex('article_tags_tag_idx')
    .on('article_tags')
    .columns(['tag_id', 'article_id'])
    .execute();

  await db.schema
    .createTable('banners')
    .addColumn('id', id, pk)
    .addColumn('slot', 'varchar(40)', (c) => c.notNull())
    .addColumn('title', 'varchar(200)', (c) => c.notNull())
    .addColumn('image_key', 'varchar(255)', (c) => c.notNull())
    .addColumn('width', 'integer', (c) => c.notNull())
    .addColumn('height', 'integer', (c) => c.notNull())
    .addColumn('link_url', 'varchar(2000)', (c) => c.notNull())
    .addColumn('starts_at', time, (c) => c.notNull())
    .addColumn('ends_at', time, (c) => c.notNull())
    .addColumn('weight', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('is_sample', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', time, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('banners_slot_idx')
    .on('banners')
    .columns(['slot', 'ends_at'])
    .execute();

  await db.schema
    .createTable('weather_observations')
    .addColumn('place_id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('place_name', 'varchar(40)', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('sky', 'varchar(20)', (c) => c.notNull())
    .addColumn('temperature', 'real')
    .addColumn('observed_at', time, (c) => c.notNull())
    .addColumn('source', 'varchar(20)', (c) => c.notNull())
    .addColumn('fetched_at', time, (c) => c.notNull())
    .execute();
}

async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'weather_observations',
    'banners',
    'article_tags',
    'tags',
    'article_photos',
    'article_authors',
    'articles',
    'photos',
    'authors',
    'sections',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
