import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { DialectName } from '../dialect.ts';

/**
 * Korean search. The application tokenizes (domains/search/analyzer.ts) and writes the
 * tokens of each published article into article_search, in the transaction that changes
 * the article; each database indexes the same tokens its own way, kept in step by the
 * database itself: SQLite an FTS5 table over the rows (triggers), PostgreSQL tsvector
 * columns generated from them with GIN indexes ('simple': no stemming, no stop words).
 * Title is weighted above subtitle and tags, above body.
 */
export const search = (dialect: DialectName): Migration => ({
  up: (db) => up(db, dialect),
  down: (db) => down(db, dialect),
});

const COLUMNS = [
  'title_words',
  'title_grams',
  'sub_words',
  'sub_grams',
  'body_words',
  'body_grams',
];

async function up(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  const isPostgres = dialect === 'postgres';
  let table = db.schema
    .createTable('article_search')
    .addColumn('article_id', isPostgres ? 'bigint' : 'integer', (c) =>
      c.primaryKey().references('articles.id').onDelete('cascade'),
    );
  for (const column of COLUMNS) table = table.addColumn(column, 'text', (c) => c.notNull());
  if (isPostgres) {
    const vector = (stream: 'words' | 'grams') =>
      sql`(setweight(to_tsvector('simple', title_${sql.raw(stream)}), 'A') || setweight(to_tsvector('simple', sub_${sql.raw(stream)}), 'B') || setweight(to_tsvector('simple', body_${sql.raw(stream)}), 'C'))`;
    table = table
      .addColumn('words', sql`tsvector`, (c) => c.generatedAlwaysAs(vector('words')).stored())
      .addColumn('grams', sql`tsvector`, (c) => c.generatedAlwaysAs(vector('grams')).stored());
  }
  await table.execute();

  if (isPostgres) {
    await sql`create index article_search_words_idx on article_search using gin (words)`.execute(
      db,
    );
    await sql`create index article_search_grams_idx on article_search using gin (grams)`.execute(
      db,
    );
    return;
  }
  const list = COLUMNS.join(', ');
  const values = (row: 'new' | 'old') => COLUMNS.map((c) => `${row}.${c}`).join(', ');
  // External content: the index holds no second copy of the tokens.
  await sql
    .raw(
      `create virtual table article_search_fts using fts5(${list}, content='article_search', content_rowid='article_id', tokenize='unicode61 remove_diacritics 0')`,
    )
    .execute(db);
  await sql
    .raw(
      `create trigger article_search_ai after insert on article_search begin
         insert into article_search_fts(rowid, ${list}) values (new.article_id, ${values('new')});
       end`,
    )
    .execute(db);
  await sql
    .raw(
      `create trigger article_search_ad after delete on article_search begin
         insert into article_search_fts(article_search_fts, rowid, ${list}) values ('delete', old.article_id, ${values('old')});
       end`,
    )
    .execute(db);
  await sql
    .raw(
      `create trigger article_search_au after update on article_search begin
         insert into article_search_fts(article_search_fts, rowid, ${list}) values ('delete', old.article_id, ${values('old')});
         insert into article_search_fts(rowid, ${list}) values (new.article_id, ${values('new')});
       end`,
    )
    .execute(db);
}

async function down(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  if (dialect === 'sqlite') await sql`drop table if exists article_search_fts`.execute(db);
  await db.schema.dropTable('article_search').execute();
}
