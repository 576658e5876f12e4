import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { DialectName } from '../dialect.ts';

/**
 * PostgreSQL: the vector that finds matches moves out of `article_search` into a narrow
 * table of its own, `article_search_match (article_id, terms)`, kept by a trigger on
 * `article_search` (decision 0014, "Ranking in the application").
 *
 * A GIN index hands back row addresses in no useful order, so "the newest 2,000 matches of
 * a common word" visits the heap row of every match. `article_search` rows are wide (the
 * head vector and the title and subtitle tokens sit in the row, about ten rows a page): at
 * 100,000 articles one common word read 19,000 pages and, when PostgreSQL chose to test the
 * vectors itself, decompressed 4,000 of them (150–330 ms). Here a row is its id and a TOAST
 * pointer, about 140 a page: the same word reads 750 pages (24 ms in all).
 *
 * Without weights: ranking no longer happens in the database. The head vector stays for the
 * admin's title filter. SQLite's FTS5 index is untouched.
 */
export const searchMatch = (dialect: DialectName): Migration => ({
  up: (db) => up(db, dialect),
  down: (db) => down(db, dialect),
});

const field = (name: 'title' | 'sub' | 'body', row: string) =>
  sql`to_tsvector('simple', ${sql.raw(`${row}.${name}_words`)} || ' ' || regexp_replace(${sql.raw(`${row}.${name}_grams`)}, '(\\S+)', 'g\\1', 'g'))`;
// Concatenated vectors, not concatenated text: a phrase never runs from the title into
// the subtitle, as with the weighted vector before.
/** The match vector of a search document row (`s`, `new`): the trigger's, kept by 0021 too. */
export const matchVector = (row: string) =>
  sql`${field('title', row)} || ${field('sub', row)} || ${field('body', row)}`;

async function up(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  if (dialect !== 'postgres') return;
  await sql`create table article_search_match (
    article_id bigint primary key references article_search (article_id) on delete cascade,
    terms tsvector not null)`.execute(db);
  await sql`insert into article_search_match (article_id, terms)
    select s.article_id, ${matchVector('s')} from article_search s order by s.article_id`.execute(
    db,
  );
  // After the fill: one build instead of one index update per row.
  await sql`create index article_search_match_terms_idx on article_search_match using gin (terms)`.execute(
    db,
  );
  await sql`create function article_search_match_keep() returns trigger language plpgsql as $$
    begin
      insert into article_search_match (article_id, terms) values (new.article_id, ${matchVector('new')})
      on conflict (article_id) do update set terms = excluded.terms;
      return null;
    end $$`.execute(db);
  await sql`create trigger article_search_match_keep after insert or update on article_search
    for each row execute function article_search_match_keep()`.execute(db);
  await sql`alter table article_search drop column terms`.execute(db);
}

const weighted = (name: 'title' | 'sub' | 'body', weight: 'A' | 'B' | 'C') =>
  sql`setweight(to_tsvector('simple', ${sql.raw(`${name}_words`)} || ' ' || regexp_replace(${sql.raw(`${name}_grams`)}, '(\\S+)', 'g\\1', 'g')), ${sql.lit(weight)})`;

async function down(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  if (dialect !== 'postgres') return;
  await sql`drop trigger article_search_match_keep on article_search`.execute(db);
  await sql`drop function article_search_match_keep()`.execute(db);
  await sql`drop table article_search_match`.execute(db);
  await sql`alter table article_search add column terms tsvector generated always as (${weighted('title', 'A')} || ${weighted('sub', 'B')} || ${weighted('body', 'C')}) stored`.execute(
    db,
  );
  await sql`create index article_search_terms_idx on article_search using gin (terms)`.execute(db);
}
