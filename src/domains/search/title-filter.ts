import { sql, type Kysely } from 'kysely';
import type { Database, DialectName } from '../../db/index.ts';
import { analyzeField } from './analyzer.ts';

/**
 * Published articles whose title may contain `text`, found in the search index: those whose
 * title holds the text's syllable bigrams (as one phrase on PostgreSQL, all of them on SQLite). A title containing the text holds them in that order (the analyzer makes a run's
 * bigrams, and the one across a single space, the same wherever the run stands), so the
 * answer is a superset of the titles containing it; the caller still tests the title.
 *
 * Null when the index cannot narrow the search: no two syllables in a row (Latin letters,
 * digits, one syllable), or more than `limit` matches (a common word, which a walk over the
 * newest titles meets soon anyway).
 */
export async function titleCandidates(
  db: Kysely<Database>,
  dialect: DialectName,
  text: string,
  limit: number,
): Promise<number[] | null> {
  const grams = analyzeField(text).grams.split(' ').filter(Boolean);
  if (grams.length === 0) return null;
  // Tokens are syllable pairs only: quoting is all the escaping either syntax needs.
  if (dialect === 'postgres') {
    // The head vector holds the title (weight A) with the subtitle and tags (B); GIN answers
    // the phrase from its rarest bigram's postings.
    const { rows } = await sql<{ id: number | string }>`
      select article_id as id from article_search
      where head @@ to_tsquery('simple', ${grams.map((g) => `'g${g}':A`).join(' <-> ')})
      limit ${limit + 1}`.execute(db);
    return rows.length > limit ? null : rows.map((r) => Number(r.id));
  }
  // Every bigram, not the phrase: FTS5 then skips through the lists by rowid instead of
  // reading each position list (at a million articles 15–60 ms against 45–150 ms for the
  // phrase when one of the bigrams is as common as 제주).
  const { rows } = await sql<{ id: number }>`
    select rowid as id from article_search_fts
    where article_search_fts match ${`title_grams : (${[...new Set(grams)].map((g) => `"${g}"`).join(' AND ')})`}
    limit ${limit + 1}`.execute(db);
  return rows.length > limit ? null : rows.map((r) => Number(r.id));
}
