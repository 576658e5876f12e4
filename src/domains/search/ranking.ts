import type { Kysely } from 'kysely';
import type { Database } from '../../db/index.ts';
import type { QueryPlan, QueryTerm } from './analyzer.ts';
import { joinedAddsNothing } from './backends.ts';

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
/** A field's two token streams, space-joined as stored. */
interface Streams {
  words: string;
  grams: string;
}

/**
 * Occurrences of `needle` (tokens joined by single spaces) as whole tokens of `stream`,
 * overlapping ones included; with `prefix`, tokens that only begin with it count too.
 * Tokens hold no spaces, so this is the engine's own string search plus a look at the
 * characters around each hit: no arrays of thousands of tokens per article, and no
 * copies of the stored strings.
 */
function occurrences(stream: string, needle: string, prefix = false): number {
  if (needle === '') return 0;
  let count = 0;
  for (let at = stream.indexOf(needle); at !== -1; at = stream.indexOf(needle, at + 1)) {
    const end = at + needle.length;
    if (at > 0 && stream.charCodeAt(at - 1) !== 32) continue;
    if (!prefix && end < stream.length && stream.charCodeAt(end) !== 32) continue;
    count++;
  }
  return count;
}

/** Occurrences of `phrase` as consecutive tokens of a space-joined stream. */
export function countPhrase(stream: string, phrase: readonly string[]): number {
  return occurrences(stream, phrase.join(' '));
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
    words: term.wordPhrases.filter((p) => p.length > 0).map((p) => p.join(' ')),
    grams: term.gramPhrase === null ? null : term.gramPhrase.join(' '),
    prefix: term.gramPrefix,
  };
}

function frequency(needles: Needles, streams: Streams): { words: number; grams: number } {
  let words = 0;
  for (const needle of needles.words) words += occurrences(streams.words, needle);
  let grams = 0;
  if (needles.grams !== null) grams = occurrences(streams.grams, needles.grams);
  else if (needles.prefix !== null) grams = occurrences(streams.grams, needles.prefix, true);
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

/**
 * Rows a statement: what one reads (about 1 KB of head tokens each, 15 KB of body) is
 * scored and dropped before the next is read. Holding all 2,000 heads of a search at once
 * kept them alive long enough for V8 to move them to its old generation, and a server's
 * memory grew by 200 MB over 1,000 searches (`npm run bench:search`).
 */
const CHUNK = 200;

async function eachStreams<K extends 'title' | 'sub' | 'body'>(
  db: Kysely<Database>,
  ids: readonly number[],
  fields: readonly K[],
  visit: (id: number, streams: Record<K, Streams>) => void,
): Promise<void> {
  const columns = fields.flatMap((f) => [`${f}_words`, `${f}_grams`] as const);
  // Heads from their narrow copy; bodies from the search document.
  const table = fields.includes('body' as K) ? 'article_search' : 'article_search_heads';
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows = await db
      .selectFrom(table)
      .select(['article_id', ...columns])
      .where('article_id', 'in', ids.slice(i, i + CHUNK))
      .execute();
    for (const row of rows) {
      const record = {} as Record<K, Streams>;
      const values = row as unknown as Record<string, string>;
      for (const f of fields)
        record[f] = { words: values[`${f}_words`] ?? '', grams: values[`${f}_grams`] ?? '' };
      visit(Number(row.article_id), record);
    }
  }
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
  // The spaces-removed variant counts where it can find more than the words (a compound
  // written whole); where it cannot, it would only count their bigrams again.
  const terms = (
    plan.joined === null || joinedAddsNothing(plan) ? plan.terms : [...plan.terms, plan.joined]
  ).map(needlesOf);
  // Scores by position in `matches`, in typed arrays rather than an object and a Set for
  // each of 2,000 matches, held across the reads: 9.7 → 8.1 MB allocated a search.
  const at = new Map<number, number>();
  matches.forEach((m, i) => at.set(m.id, i));
  const headScore = new Float64Array(matches.length);
  const presence = new Float64Array(matches.length);
  await eachStreams(
    db,
    matches.map((m) => m.id),
    ['title', 'sub'],
    (id, head) => {
      const i = at.get(id);
      if (i === undefined) return;
      const foundBy = (matches[i] as Match).terms;
      terms.forEach((term, t) => {
        const score = fieldScore(term, 'title', head.title) + fieldScore(term, 'sub', head.sub);
        headScore[i] = (headScore[i] as number) + score;
        // Found by this word (every word when `terms` is null; the spaces-removed variant
        // counts as found only where it was searched for with all of them).
        const found = foundBy === null ? t < plan.terms.length : foundBy.includes(t);
        if (score === 0 && found) presence[i] = (presence[i] as number) + BODY_PRESENCE;
      });
    },
  );

  // The best by title and presence, newest first among equals, get their body read.
  const order = Array.from(matches.keys()).sort(
    (a, b) =>
      (headScore[b] as number) +
        (presence[b] as number) -
        ((headScore[a] as number) + (presence[a] as number)) ||
      (matches[b] as Match).id - (matches[a] as Match).id,
  );
  const best = order.slice(0, FULL_RANK);
  const bodyScore = new Float64Array(matches.length).fill(-1);
  await eachStreams(
    db,
    best.map((i) => (matches[i] as Match).id),
    ['body'],
    (id, { body }) => {
      const i = at.get(id);
      if (i === undefined) return;
      let score = 0;
      for (const term of terms) score += fieldScore(term, 'body', body);
      // Never below what it was chosen with, so reading the body cannot drop an article
      // beneath one whose body was not read.
      bodyScore[i] = Math.max(score, presence[i] as number);
    },
  );
  return matches.map((match, i) => ({
    id: match.id,
    publishedAt: match.publishedAt,
    relevance:
      (headScore[i] as number) +
      ((bodyScore[i] as number) >= 0 ? (bodyScore[i] as number) : (presence[i] as number)),
  }));
}
