import type { Kysely } from 'kysely';
import type { Database } from '../../db/index.ts';
import type { QueryPlan, QueryTerm } from './analyzer.ts';

/**
 * Relevance, computed in the application from the stored tokens, the same on every
 * database (decision 0014, "Ranking in the application").
 *
 * FTS5's bm25() counts, for every query, how many articles hold each phrase by reading its
 * whole posting list: 17–19 ms for one common word at 100,000 articles before the first row
 * is ranked, and again for every word of the query. PostgreSQL's ts_rank_cd reads each
 * article's whole vector from TOAST. Here a match is ranked on the title and the subtitle
 * with tags (short, read for every match), and the best `FULL_RANK` again with their body.
 *
 * The score is BM25's term-frequency saturation per stream, with the column weights FTS5
 * used (title words 10, title bigrams 4, subtitle words 5, bigrams 2, body words 2.5,
 * bigrams 1). There is no IDF: every match of a strict search holds every word, and
 * PostgreSQL's ranking never had one; partial matches count the words they hold. Nor is
 * there length normalisation: on the relevance set (quality.test.ts) k1 = 3 without it
 * scored MRR 0.970, against 0.943 with BM25's usual k1 = 1.2, b = 0.75; a longer article
 * that names the thing more often is more about it in news writing.
 */

/** A match as a backend found it. */
export interface Match {
  id: number;
  publishedAt: number;
  /**
   * Indexes into the plan's terms that the article was found by (a search for some of the
   * words); null when it was found by all of them (or by the spaces-removed variant).
   */
  terms: readonly number[] | null;
}

export interface Ranked {
  id: number;
  publishedAt: number;
  relevance: number;
}

/**
 * Ranked again with their body: four pages of ten. Bodies are the bulk of the tokens
 * (about 15 KB an article); reading 100 of them cost 7–8 ms at 100,000 articles.
 */
export const FULL_RANK = 40;
const K1 = 3;
const WEIGHTS = {
  title: { words: 10, grams: 4 },
  sub: { words: 5, grams: 2 },
  body: { words: 2.5, grams: 1 },
} as const;
/**
 * A word the article was found by but that is not in its title or subtitle is in its body:
 * until the body is read, it counts as one mention.
 */
const BODY_PRESENCE = WEIGHTS.body.words; // saturated once: 1

type Field = keyof typeof WEIGHTS;
/** A field's two token streams, space-joined as stored, with a space at each end. */
interface Streams {
  words: string;
  grams: string;
}

const padded = (tokens: string): string => ` ${tokens} `;

/** Occurrences of `needle` in `haystack`, overlapping ones included. */
function occurrences(haystack: string, needle: string): number {
  let count = 0;
  for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + 1)) count++;
  return count;
}

/**
 * Occurrences of `phrase` as consecutive tokens of a padded stream. Tokens hold no spaces,
 * so a phrase is the string of its tokens between spaces, found by the engine's own search
 * instead of splitting thousands of tokens into arrays for each article.
 */
export function countPhrase(stream: string, phrase: readonly string[]): number {
  return phrase.length === 0 ? 0 : occurrences(stream, ` ${phrase.join(' ')} `);
}

/** What to look for in a stream for one query word, built once per search. */
interface Needles {
  words: string[];
  grams: string | null;
  /** A one-syllable word: the bigrams starting with it. */
  prefix: string | null;
}

function needlesOf(term: QueryTerm): Needles {
  return {
    words: term.wordPhrases.filter((p) => p.length > 0).map((p) => ` ${p.join(' ')} `),
    grams: term.gramPhrase === null ? null : ` ${term.gramPhrase.join(' ')} `,
    // Bigrams are two syllables: those starting with the syllable follow a space.
    prefix: term.gramPrefix === null ? null : ` ${term.gramPrefix}`,
  };
}

function frequency(needles: Needles, streams: Streams): { words: number; grams: number } {
  let words = 0;
  for (const needle of needles.words) words += occurrences(streams.words, needle);
  let grams = 0;
  if (needles.grams !== null) grams = occurrences(streams.grams, needles.grams);
  else if (needles.prefix !== null) grams = occurrences(streams.grams, needles.prefix);
  return { words, grams };
}

/** How often a query word occurs in a field's two streams, as the index matches it. */
export function termFrequency(term: QueryTerm, streams: Streams): { words: number; grams: number } {
  return frequency(needlesOf(term), streams);
}

const saturate = (tf: number) => (tf * (K1 + 1)) / (tf + K1);

function fieldScore(term: Needles, field: Field, streams: Streams): number {
  const tf = frequency(term, streams);
  return WEIGHTS[field].words * saturate(tf.words) + WEIGHTS[field].grams * saturate(tf.grams);
}

const CHUNK = 1000;

async function readStreams<K extends 'title' | 'sub' | 'body'>(
  db: Kysely<Database>,
  ids: readonly number[],
  fields: readonly K[],
): Promise<Map<number, Record<K, Streams>>> {
  const out = new Map<number, Record<K, Streams>>();
  const columns = fields.flatMap((f) => [`${f}_words`, `${f}_grams`] as const);
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows = await db
      .selectFrom('article_search')
      .select(['article_id', ...columns])
      .where('article_id', 'in', ids.slice(i, i + CHUNK))
      .execute();
    for (const row of rows) {
      const record = {} as Record<K, Streams>;
      const values = row as unknown as Record<string, string>;
      for (const f of fields)
        record[f] = {
          words: padded(values[`${f}_words`] ?? ''),
          grams: padded(values[`${f}_grams`] ?? ''),
        };
      out.set(Number(row.article_id), record);
    }
  }
  return out;
}

/**
 * Relevance for each match (in the order given), higher is better: the title and
 * subtitle of every match, the body of the `FULL_RANK` best of those.
 */
export async function rankMatches(
  db: Kysely<Database>,
  plan: QueryPlan,
  matches: readonly Match[],
): Promise<Ranked[]> {
  if (matches.length === 0) return [];
  const terms = (plan.joined === null ? plan.terms : [...plan.terms, plan.joined]).map(needlesOf);
  const heads = await readStreams(
    db,
    matches.map((m) => m.id),
    ['title', 'sub'],
  );
  const empty: Streams = { words: ' ', grams: ' ' };
  const everyTerm = plan.terms.map((_, i) => i);

  const first = matches.map((match) => {
    const head = heads.get(match.id);
    const foundBy = new Set(match.terms ?? everyTerm);
    let headScore = 0;
    let presence = 0;
    terms.forEach((term, i) => {
      const score =
        fieldScore(term, 'title', head?.title ?? empty) +
        fieldScore(term, 'sub', head?.sub ?? empty);
      headScore += score;
      if (score === 0 && foundBy.has(i)) presence += BODY_PRESENCE;
    });
    return { match, headScore, presence };
  });

  // The best by title and presence, newest first among equals, get their body read.
  const best = [...first]
    .sort(
      (a, b) => b.headScore + b.presence - (a.headScore + a.presence) || b.match.id - a.match.id,
    )
    .slice(0, FULL_RANK);
  const bodies = await readStreams(
    db,
    best.map((b) => b.match.id),
    ['body'],
  );
  const bodyScore = new Map<number, number>();
  for (const b of best) {
    const body = bodies.get(b.match.id)?.body ?? empty;
    let score = 0;
    for (const term of terms) score += fieldScore(term, 'body', body);
    // Never below what it was chosen with, so reading the body cannot drop an article
    // beneath one whose body was not read.
    bodyScore.set(b.match.id, Math.max(score, b.presence));
  }
  return first.map(({ match, headScore, presence }) => ({
    id: match.id,
    publishedAt: match.publishedAt,
    relevance: headScore + (bodyScore.get(match.id) ?? presence),
  }));
}
