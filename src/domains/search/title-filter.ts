import { sql, type Kysely } from 'kysely';
import type { Database, DialectName } from '../../db/index.ts';
import { fold } from './analyzer.ts';

/** Hangul runs of two syllables or more: what the index holds bigrams of. */
const HANGUL_RUN = /[\uac00-\ud7a3]{2,}/g;

function runBigrams(run: string): string[] {
  const chars = [...run];
  const out: string[] = [];
  for (let i = 0; i + 1 < chars.length; i++) out.push(`${chars[i]}${chars[i + 1]}`);
  return out;
}

/**
 * Published articles whose title may contain `text`, found in the search index: those whose
 * title and subtitle hold each of its Hangul runs as consecutive bigrams. A title containing
 * the text holds them (the analyzer makes the same bigrams of a run wherever it stands), so
 * the answer is a superset of the titles containing it; the caller still tests the title.
 *
 * Null when the index cannot narrow the search: no run of two syllables (Latin letters,
 * digits, one syllable), or more than `limit` matches (a common word, which a walk over the
 * newest titles meets soon anyway).
 */
export async function titleCandidates(
  db: Kysely<Database>,
  dialect: DialectName,
  text: string,
  limit: number,
): Promise<number[] | null> {
  const phrases = [...fold(text).matchAll(HANGUL_RUN)].map((m) => runBigrams(m[0]));
  if (phrases.length === 0) return null;
  // Tokens are Hangul syllable pairs only: quoting is all the escaping either syntax needs.
  const rows =
    dialect === 'sqlite'
      ? await sql<{ id: number }>`
          select rowid as id from article_search_fts
          where article_search_fts match ${`{title_grams sub_grams} : (${phrases.map((p) => `"${p.join(' ')}"`).join(' AND ')})`}
          limit ${limit + 1}`.execute(db)
      : await sql<{ id: number | string }>`
          select article_id as id from article_search
          where head @@ to_tsquery('simple', ${phrases.map((p) => `(${p.map((g) => `'g${g}'`).join(' <-> ')})`).join(' & ')})
          limit ${limit + 1}`.execute(db);
  if (rows.rows.length > limit) return null;
  return rows.rows.map((r) => Number(r.id));
}
