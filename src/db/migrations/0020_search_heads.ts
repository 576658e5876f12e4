import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { DialectName } from '../dialect.ts';

/**
 * The title and subtitle tokens of each search document again, in a narrow table of their
 * own: ranking reads them for every one of a search's 2,000 matches (decision 0014,
 * "Ranking in the application"). In `article_search` they share a row with about 15 KB of
 * body tokens, so on SQLite each was two or three page reads through the overflow chain:
 * 11 ms of a 2-word search at 100,000 articles. About 1 KB an article.
 *
 * Written with the search document (writeSearchDocuments), gone with it (foreign key).
 */
export const searchHeads = (dialect: DialectName): Migration => ({
  up: (db) => up(db, dialect),
  down,
});

async function up(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  const ref = dialect === 'postgres' ? ('bigint' as const) : ('integer' as const);
  await db.schema
    .createTable('article_search_heads')
    .addColumn('article_id', ref, (c) =>
      c.primaryKey().references('article_search.article_id').onDelete('cascade'),
    )
    .addColumn('title_words', 'text', (c) => c.notNull())
    .addColumn('title_grams', 'text', (c) => c.notNull())
    .addColumn('sub_words', 'text', (c) => c.notNull())
    .addColumn('sub_grams', 'text', (c) => c.notNull())
    .execute();
  await sql`insert into article_search_heads (article_id, title_words, title_grams, sub_words, sub_grams)
    select article_id, title_words, title_grams, sub_words, sub_grams from article_search
    order by article_id`.execute(db);
}

async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('article_search_heads').execute();
}
