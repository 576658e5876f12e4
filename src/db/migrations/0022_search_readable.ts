import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { DialectName } from '../dialect.ts';

/**
 * PostgreSQL: each row of `article_search_match` also holds what the readers' rule asks of
 * its article (status, published_at, embargo_until, section_id), so that one statement
 * finds a block's readable matches (decision 0014, "The readers' rule in the match table").
 *
 * Search found a block's matches in the match table and then looked each up in `articles`
 * by primary key to apply the rule: about 2,000 scattered rows of the widest table, 5–9 ms
 * of a 2-word search at 100,000 articles, in a second round trip. The bitmap scan that
 * finds the matches visits their narrow match rows anyway.
 *
 * The copies are kept in the same transaction as the article: a trigger on the match table
 * fills them from `articles` whenever a match row is written, and a trigger on `articles`
 * rewrites them when one of the four changes, so an unpublished or embargoed article is
 * never a hit, not even for a second. Hidden sections stay a look-up at search time (a
 * section is hidden or shown at once for all its articles).
 */
export const searchReadable = (dialect: DialectName): Migration => ({
  up: (db) => up(db, dialect),
  down: (db) => down(db, dialect),
});

const COLUMNS = ['status', 'published_at', 'embargo_until', 'section_id'] as const;

async function up(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  if (dialect !== 'postgres') return;
  // Rebuilt once after the fill: updating the rows with the GIN index in place would enter
  // every lexeme of every row in it again.
  const { rows } = await sql<{ definition: string }>`
    select indexdef as definition from pg_indexes
    where schemaname = current_schema() and indexname = 'article_search_match_terms_idx'`.execute(
    db,
  );
  await sql`drop index article_search_match_terms_idx`.execute(db);
  await sql`alter table article_search_match
    add column status varchar(16), add column published_at bigint,
    add column embargo_until bigint, add column section_id bigint`.execute(db);
  await sql`update article_search_match m
    set status = a.status, published_at = a.published_at,
      embargo_until = a.embargo_until, section_id = a.section_id
    from articles a where a.id = m.article_id`.execute(db);
  await sql.raw(rows[0]?.definition ?? '').execute(db);

  await sql`create function article_search_match_readable() returns trigger language plpgsql as $$
    begin
      select a.status, a.published_at, a.embargo_until, a.section_id
        into new.status, new.published_at, new.embargo_until, new.section_id
        from articles a where a.id = new.article_id;
      return new;
    end $$`.execute(db);
  await sql`create trigger article_search_match_readable
    before insert or update on article_search_match
    for each row execute function article_search_match_readable()`.execute(db);

  await sql`create function articles_search_readable() returns trigger language plpgsql as $$
    begin
      update article_search_match set article_id = article_id where article_id = new.id;
      return null;
    end $$`.execute(db);
  await sql
    .raw(
      `create trigger articles_search_readable
    after update of ${COLUMNS.join(', ')} on articles
    for each row when ((${COLUMNS.map((c) => `old.${c}`).join(', ')})
      is distinct from (${COLUMNS.map((c) => `new.${c}`).join(', ')}))
    execute function articles_search_readable()`,
    )
    .execute(db);
}

async function down(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  if (dialect !== 'postgres') return;
  await sql`drop trigger articles_search_readable on articles`.execute(db);
  await sql`drop function articles_search_readable()`.execute(db);
  await sql`drop trigger article_search_match_readable on article_search_match`.execute(db);
  await sql`drop function article_search_match_readable()`.execute(db);
  await sql
    .raw(`alter table article_search_match ${COLUMNS.map((c) => `drop column ${c}`).join(', ')}`)
    .execute(db);
}
