import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { DialectName } from '../dialect.ts';
import { matchVector } from './0019_search_match.ts';
import { keepMatchRows } from './0021_search_buckets.ts';

/**
 * PostgreSQL: each article's match vector also holds its syllable trigrams, as lexemes `t`
 * + three syllables without positions (decision 0014, "Trigrams on PostgreSQL").
 *
 * A word of three syllables or more is found by its bigram phrase (서귀포시: 서귀 <-> 귀포
 * <-> 포시), and GIN cannot check a phrase: it hands back every article holding the bigrams
 * anywhere, and each one the index is not sure of had its whole vector decompressed from
 * TOAST and tested. For 제주시청 (제주, 주시 and 시청 are everywhere) or a person's name
 * whose halves are common that was 25–225 ms of a search at 100,000 articles. A trigram is
 * there exactly when two bigrams follow each other in a field's gram stream, the same rule
 * as the phrase, so a three-syllable word becomes one lexeme the index answers alone, and a
 * longer one the few articles holding all its trigrams, which are then tested.
 *
 * Pairs are taken within one field's stream, never across fields, as phrases are. SQLite's
 * FTS5 checks phrases in its posting lists and is untouched.
 */
export const searchTrigrams = (dialect: DialectName): Migration => ({
  up: (db) => up(db, dialect),
  down: (db) => down(db, dialect),
});

const FIELDS = ['title', 'sub', 'body'] as const;

const trigramsOf = (row: string) =>
  sql.join(
    FIELDS.map((f) => sql`article_search_trigrams(${sql.raw(`${row}.${f}_grams`)})`),
    sql` || `,
  );

/** The match vector with trigrams, of a search document row (`s`, `new`). */
export const trigramVector = (row: string) => sql`${matchVector(row)} || ${trigramsOf(row)}`;

async function withoutIndex(db: Kysely<unknown>, work: () => Promise<void>): Promise<void> {
  // Rebuilt once after the rows are rewritten: updating them under the index would enter
  // every lexeme of every vector again.
  const { rows } = await sql<{ definition: string }>`
    select indexdef as definition from pg_indexes
    where schemaname = current_schema() and indexname = 'article_search_match_terms_idx'`.execute(
    db,
  );
  await sql`drop index article_search_match_terms_idx`.execute(db);
  await work();
  await sql.raw(rows[0]?.definition ?? '').execute(db);
}

async function up(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  if (dialect !== 'postgres') return;
  // Lexemes without positions: a trigram is only ever asked for whole. Built as an array,
  // not parsed again by to_tsvector (1.6 → 1.0 ms a body; a trigram is three syllables,
  // which the parser keeps whole and the simple dictionary leaves as they are).
  await sql`create function article_search_trigrams(grams text) returns tsvector
    language sql immutable parallel safe as $$
      select coalesce(array_to_tsvector(array_agg('t' || g || right(next, 1))), ''::tsvector)
      from (select g, lead(g) over (order by i) as next
            from unnest(string_to_array(grams, ' ')) with ordinality as u(g, i)) pairs
      where right(g, 1) = left(next, 1)
    $$`.execute(db);
  await keepMatchRows(db, true, trigramVector('new'));
  await withoutIndex(db, async () => {
    await sql`update article_search_match m set terms = m.terms || ${trigramsOf('s')}
      from article_search s where s.article_id = m.article_id`.execute(db);
  });
}

async function down(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  if (dialect !== 'postgres') return;
  await keepMatchRows(db, true);
  await withoutIndex(db, async () => {
    await sql`update article_search_match m set terms = ${matchVector('s')}
      from article_search s where s.article_id = m.article_id`.execute(db);
  });
  await sql`drop function article_search_trigrams(text)`.execute(db);
}
