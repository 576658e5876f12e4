import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { DialectName } from '../dialect.ts';

/**
 * PostgreSQL's search vectors, rebuilt for speed at 100,000 articles (decision 0014):
 *
 * - One vector, `terms`, instead of `words` and `grams`: a query ("every word, each as a
 *   word or as its bigrams") is then one tsquery that the GIN index answers whole. With two
 *   columns, each word was `words @@ … or grams @@ …`, and PostgreSQL turned the commonest
 *   word into a filter that decompressed every candidate's vectors (0.4–3 s). Bigrams carry
 *   a `g` prefix (`g제주`), so the word 제주 and the bigram 제주 stay apart, as the two
 *   columns kept them; word tokens never begin with a Latin letter joined to Hangul.
 * - A small `head` vector of the title, subtitle and tags with its own index: ranking
 *   thousands of matches, and asking which articles hold a word in their title (관련기사),
 *   read it from the row instead of the whole article's vector in TOAST.
 *
 * SQLite's FTS5 index is untouched.
 */
export const searchHead = (dialect: DialectName): Migration => ({
  up: (db) => up(db, dialect),
  down: (db) => down(db, dialect),
});

const field = (name: 'title' | 'sub' | 'body', weight: 'A' | 'B' | 'C') =>
  sql`setweight(to_tsvector('simple', ${sql.raw(`${name}_words`)} || ' ' || regexp_replace(${sql.raw(`${name}_grams`)}, '(\\S+)', 'g\\1', 'g')), ${sql.lit(weight)})`;

async function up(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  if (dialect !== 'postgres') return;
  await sql`alter table article_search
    drop column words,
    drop column grams,
    add column terms tsvector generated always as (${field('title', 'A')} || ${field('sub', 'B')} || ${field('body', 'C')}) stored,
    add column head tsvector generated always as (${field('title', 'A')} || ${field('sub', 'B')}) stored`.execute(
    db,
  );
  await sql`create index article_search_terms_idx on article_search using gin (terms)`.execute(db);
  await sql`create index article_search_head_idx on article_search using gin (head)`.execute(db);
}

async function down(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  if (dialect !== 'postgres') return;
  const vector = (stream: 'words' | 'grams') =>
    sql`(setweight(to_tsvector('simple', title_${sql.raw(stream)}), 'A') || setweight(to_tsvector('simple', sub_${sql.raw(stream)}), 'B') || setweight(to_tsvector('simple', body_${sql.raw(stream)}), 'C'))`;
  await sql`alter table article_search
    drop column terms,
    drop column head,
    add column words tsvector generated always as ${vector('words')} stored,
    add column grams tsvector generated always as ${vector('grams')} stored`.execute(db);
  await sql`create index article_search_words_idx on article_search using gin (words)`.execute(db);
  await sql`create index article_search_grams_idx on article_search using gin (grams)`.execute(db);
}
