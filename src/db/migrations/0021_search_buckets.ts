import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { DialectName } from '../dialect.ts';
import { matchVector } from './0019_search_match.ts';

/**
 * PostgreSQL: each row of `article_search_match` also holds the block of 1,024 article ids
 * it falls in (`bucket`, one lexeme), and the GIN index covers both columns (decision 0014,
 * "Newest matches by id blocks").
 *
 * A GIN index hands back every match of a word at once, in no order, so "the newest 2,000
 * matches of 제주" built a bitmap of all 100,000, visited them and sorted them: 33 ms at
 * 100,000 articles, growing with the archive. Asked together with the newest few blocks
 * (`bucket @@ '97 | 96 | 95 | 94'`), GIN intersects the two inside the index, skipping
 * through the word's postings, and returns only the newest few thousand: 2 ms.
 *
 * The block number is `article_id / 1024`; search's backend (BUCKET_IDS) uses the same.
 * The column sits apart from `terms` so that filling it rewrites the narrow row, not each
 * article's vector in TOAST (a million vectors on a large archive).
 */
export const searchBuckets = (dialect: DialectName): Migration => ({
  up: (db) => up(db, dialect),
  down: (db) => down(db, dialect),
});

const bucketOf = (id: string) => sql`array_to_tsvector(array[(${sql.raw(id)} / 1024)::text])`;

/**
 * The trigger function that writes a document's match row: its vector (`vector`, of the
 * row `new`) and, from this migration on, its block. 0023 passes a vector with trigrams.
 */
export async function keepMatchRows(
  db: Kysely<unknown>,
  withBucket: boolean,
  vector: RawBuilder<unknown> = matchVector('new'),
): Promise<void> {
  await sql`create or replace function article_search_match_keep() returns trigger language plpgsql as $$
    begin
      ${
        withBucket
          ? sql`insert into article_search_match (article_id, terms, bucket)
        values (new.article_id, ${vector}, ${bucketOf('new.article_id')})
      on conflict (article_id) do update set terms = excluded.terms, bucket = excluded.bucket;`
          : sql`insert into article_search_match (article_id, terms) values (new.article_id, ${vector})
      on conflict (article_id) do update set terms = excluded.terms;`
      }
      return null;
    end $$`.execute(db);
}

async function up(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  if (dialect !== 'postgres') return;
  // Rebuilt once after the fill rather than updated row by row.
  await sql`drop index article_search_match_terms_idx`.execute(db);
  await sql`alter table article_search_match add column bucket tsvector`.execute(db);
  await sql`update article_search_match set bucket = ${bucketOf('article_id')}`.execute(db);
  await sql`alter table article_search_match alter column bucket set not null`.execute(db);
  await sql`create index article_search_match_terms_idx on article_search_match
    using gin (terms, bucket)`.execute(db);
  await keepMatchRows(db, true);
}

async function down(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  if (dialect !== 'postgres') return;
  await keepMatchRows(db, false);
  await sql`drop index article_search_match_terms_idx`.execute(db);
  await sql`alter table article_search_match drop column bucket`.execute(db);
  await sql`create index article_search_match_terms_idx on article_search_match using gin (terms)`.execute(
    db,
  );
}
