import { sql, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import type { Database, DialectName } from '../../db/index.ts';
import type { QueryPlan, QueryTerm } from './analyzer.ts';

/** What a search may be narrowed to; times are epoch milliseconds. */
export interface SearchFilters {
  sectionIds?: readonly number[];
  authorId?: number;
  from?: number;
  /** Exclusive. */
  until?: number;
}

/** A readable article that matches, newest first. */
export interface Found {
  id: number;
  publishedAt: number;
}

/** The query took longer than the search may; the page says so instead of waiting. */
export class SearchTimeout extends Error {
  constructor() {
    super('search took too long');
  }
}

export interface MatchOptions {
  now: number;
  filters: SearchFilters;
  limit: number;
  timeoutMs: number;
  /**
   * Only this term of the plan (an index into `plan.terms`), for hits with some of the
   * words; otherwise every term, or the spaces-removed variant.
   */
  only?: number;
}

export interface Backend {
  /**
   * The newest `limit` readable articles matching the plan, newest first. Finding them
   * reads the index only: ranking is the application's (ranking.ts).
   */
  matches(plan: QueryPlan, options: MatchOptions): Promise<Found[]>;
  /** Runs `work` (reads) within the search's time, or throws SearchTimeout. */
  within<T>(timeoutMs: number, work: (db: Kysely<Database>) => Promise<T>): Promise<T>;
}

/** 57014: canceling statement due to statement timeout. */
const isStatementTimeout = (error: unknown) =>
  (error as { code?: unknown } | null)?.code === '57014';

async function postgresWithin<T>(
  db: Kysely<Database>,
  timeoutMs: number,
  work: (trx: Kysely<Database>) => Promise<T>,
): Promise<T> {
  try {
    return await db.transaction().execute(async (trx) => {
      await sql`set local statement_timeout = ${sql.raw(String(Math.max(1, Math.round(timeoutMs))))}`.execute(
        trx,
      );
      return work(trx);
    });
  } catch (error) {
    if (isStatementTimeout(error)) throw new SearchTimeout();
    throw error;
  }
}

/**
 * Readers' rule, in SQL: published, its time come, not under embargo, in a visible section.
 *
 * The section test is `in (select ...)`: SQLite then walks the full-text matches newest
 * first, where a per-row look-up made it start from every published article and probe the
 * full-text index for each (minutes at 100,000 articles, `npm run bench:search`).
 * `byKey` is for articles reached one by one from another index (관련기사): there SQLite
 * built the `in` list again for every article (4 ms for 200 articles), where a look-up of the
 * section by key costs next to nothing.
 *
 * `row` is what the rule reads: the article (`a`), or on PostgreSQL the copies of the same
 * columns in its match row (`m`, migration 0022), which finding the matches reads anyway.
 */
export function visible(
  now: number,
  filters: SearchFilters,
  { byKey = false, row = 'article' }: { byKey?: boolean; row?: 'article' | 'match' } = {},
): RawBuilder<SqlBool> {
  const r = sql.raw(row === 'article' ? 'a' : 'm');
  const id = sql.raw(row === 'article' ? 'a.id' : 'm.article_id');
  const parts: RawBuilder<unknown>[] = [
    sql`${r}.status = 'published'`,
    sql`${r}.published_at <= ${now}`,
    sql`(${r}.embargo_until is null or ${r}.embargo_until <= ${now})`,
    byKey
      ? sql`exists (select 1 from sections s where s.id = ${r}.section_id and s.hidden = 0)`
      : sql`${r}.section_id in (select id from sections where hidden = 0)`,
  ];
  if (filters.sectionIds !== undefined) {
    const ids = filters.sectionIds.length > 0 ? filters.sectionIds : [-1];
    parts.push(sql`${r}.section_id in (${sql.join(ids.map((id) => sql`${id}`))})`);
  }
  if (filters.authorId !== undefined)
    parts.push(
      sql`${id} in (select article_id from article_authors where author_id = ${filters.authorId})`,
    );
  if (filters.from !== undefined) parts.push(sql`${r}.published_at >= ${filters.from}`);
  if (filters.until !== undefined) parts.push(sql`${r}.published_at < ${filters.until}`);
  return sql<SqlBool>`${sql.join(parts, sql` and `)}`;
}

/** How a query language joins its terms: FTS5's AND/OR, tsquery's & and |. */
interface Operators {
  and: string;
  or: string;
}

/**
 * A plan as one query of `termQuery` for each word: every word (or the one `only` names),
 * or the spaces-removed variant where it can add hits (joinedAddsNothing). Null where a
 * word has no query.
 */
function planQuery(
  plan: QueryPlan,
  only: number | undefined,
  termQuery: (term: QueryTerm) => string | null,
  { and, or }: Operators,
): string | null {
  if (only !== undefined) {
    const term = plan.terms[only];
    return term === undefined ? null : termQuery(term);
  }
  const terms = plan.terms.map(termQuery);
  const all = terms.includes(null) ? null : terms.join(` ${and} `);
  const joined = plan.joined !== null && !joinedAddsNothing(plan) ? termQuery(plan.joined) : null;
  if (all === null) return joined;
  return joined === null ? all : `(${all}) ${or} ${joined}`;
}

// ---------------------------------------------------------------------------------------
// SQLite: FTS5. Tokens hold only letters and digits, so quoting them is all the escaping
// FTS5's query syntax needs; no reader's text reaches it otherwise.

const WORD_COLUMNS = '{title_words sub_words body_words}';
const GRAM_COLUMNS = '{title_grams sub_grams body_grams}';

const ftsPhrase = (tokens: readonly string[]) => `"${tokens.join(' ')}"`;

function ftsTerm(term: QueryTerm): string {
  const parts = [`${WORD_COLUMNS} : (${term.wordPhrases.map(ftsPhrase).join(' OR ')})`];
  if (term.gramPhrase !== null) parts.push(`${GRAM_COLUMNS} : ${ftsPhrase(term.gramPhrase)}`);
  if (term.gramPrefix !== null) parts.push(`${GRAM_COLUMNS} : "${term.gramPrefix}"*`);
  return `(${parts.join(' OR ')})`;
}

// The spaces-removed variant is left out where it can find nothing the words do not, as on
// PostgreSQL: its long bigram phrase only made FTS5 read more posting lists.
export const ftsExpression = (plan: QueryPlan, only?: number): string =>
  planQuery(plan, only, ftsTerm, { and: 'AND', or: 'OR' }) ?? '""';

/** better-sqlite3 answers synchronously: a read cannot be stopped halfway, only judged after. */
async function sqliteWithin<T>(
  db: Kysely<Database>,
  timeoutMs: number,
  work: (db: Kysely<Database>) => Promise<T>,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  const result = await work(db);
  if (Date.now() > deadline) throw new SearchTimeout();
  return result;
}

function sqliteBackend(db: Kysely<Database>): Backend {
  return {
    async matches(plan, { now, filters, limit, timeoutMs, only }) {
      // FTS5 walks its posting lists from the newest rowid down and stops at the limit.
      const query = db
        .selectFrom(sql<{ rowid: number }>`article_search_fts`.as('article_search_fts'))
        .innerJoin('articles as a', (join) =>
          join.on(sql<SqlBool>`a.id = article_search_fts.rowid`),
        )
        .select(['a.id', 'a.published_at'])
        .where(sql<SqlBool>`article_search_fts match ${ftsExpression(plan, only)}`)
        .where(visible(now, filters))
        .orderBy(sql`article_search_fts.rowid`, 'desc')
        .limit(limit);
      // Read at once: rows read one by one through Kysely's stream cost 10–25 ms for 2,000
      // matches against 3.5 ms; the limit bounds the statement.
      const rows = await sqliteWithin(db, timeoutMs, () => query.execute());
      return rows.map((row) => ({ id: Number(row.id), publishedAt: Number(row.published_at) }));
    },
    within: (timeoutMs, work) => sqliteWithin(db, timeoutMs, work),
  };
}

// ---------------------------------------------------------------------------------------
// PostgreSQL: tsvector columns with GIN indexes. Queries are tsquery text built from the
// same tokens, passed as parameters to to_tsquery('simple', …).

// One vector per article (`article_search_match.terms`, migration 0019) holds the word
// tokens and, prefixed with `g`, the bigrams, so that a whole query is one tsquery the GIN
// index answers by itself; since migration 0023 also, prefixed with `t` and without
// positions, the trigrams: one wherever two bigrams follow each other in a field.

/**
 * How a query is written: `exact`, what an article must hold; `indexed`, what the GIN index
 * can answer alone, the same or looser: a phrase (<->) becomes its tokens anywhere (&), and
 * a word of four syllables or more its trigrams anywhere.
 */
type Form = 'exact' | 'indexed';

const tsPhrase = (tokens: readonly string[], prefix = '', form: Form = 'exact') =>
  `(${tokens.map((t) => `'${prefix}${t}'`).join(form === 'exact' ? ' <-> ' : ' & ')})`;
const tsWords = (term: QueryTerm, form: Form) =>
  term.wordPhrases.map((p) => tsPhrase(p, '', form)).join(' | ');

/** The trigrams of a bigram phrase: 서귀 귀포 포시 → 서귀포 귀포시. */
const trigrams = (phrase: readonly string[]) =>
  phrase.slice(1).map((b, i) => `${phrase[i] ?? ''}${[...b][1] ?? ''}`);

function tsGrams(term: QueryTerm, form: Form): string | null {
  const phrase = term.gramPhrase;
  if (phrase !== null) {
    // One bigram or one trigram is a lexeme: exact, and the index's alone.
    if (phrase.length === 1) return tsPhrase(phrase, 'g');
    if (phrase.length === 2) return tsPhrase(trigrams(phrase), 't');
    return form === 'exact' ? tsPhrase(phrase, 'g') : tsPhrase(trigrams(phrase), 't', 'indexed');
  }
  if (term.gramPrefix !== null) return `'g${term.gramPrefix}':*`;
  return null;
}

/** One word of the query: any of its word spellings, or its bigram phrase. */
function tsTerm(term: QueryTerm, form: Form): string {
  const grams = tsGrams(term, form);
  return grams === null ? `(${tsWords(term, form)})` : `(${tsWords(term, form)} | ${grams})`;
}

/** The syllables a bigram phrase was made of: 한라 라산 → 한라산. */
const spelled = (phrase: readonly string[]) =>
  (phrase[0] ?? '') +
  phrase
    .slice(1)
    .map((b) => [...b][1] ?? '')
    .join('');

/**
 * Whether the spaces-removed variant of a query can only find articles its words find
 * anyway: each word's bigrams lie inside every spelling the joined variant matches by, so
 * an article holding the joined word holds each word's bigram phrase. PostgreSQL then
 * leaves it out of the query; its bigram phrase otherwise has PostgreSQL re-read the
 * vectors of every article holding those bigrams anywhere (제주관광: 제주, 주관, 관광).
 */
export function joinedAddsNothing(plan: QueryPlan): boolean {
  const joined = plan.joined;
  if (joined === null) return true;
  if (joined.gramPhrase === null) return false;
  const spellings = [
    spelled(joined.gramPhrase),
    ...joined.wordPhrases.map((p) => (p.length === 1 ? (p[0] ?? '') : '')),
  ];
  return plan.terms.every((term) => {
    if (term.gramPhrase === null) return false;
    const base = spelled(term.gramPhrase);
    return spellings.every((spelling) => spelling.includes(base));
  });
}

const TS_OPERATORS: Operators = { and: '&', or: '|' };

export const tsQuery = (plan: QueryPlan, only?: number, form: Form = 'exact'): string =>
  planQuery(plan, only, (term) => tsTerm(term, form), TS_OPERATORS) ?? "''";

/**
 * A term as far as the index answers it exactly: its one-token spellings, its bigram or
 * trigram, a bigram prefix, and any word token that begins with the term's syllables (a
 * word 서귀포시청 was indexed with the bigrams 서귀 귀포 포시 시청 in a row, so it holds
 * the phrase of 서귀포시). Null when every way it matches is a phrase of several tokens.
 */
function tsTermSure(term: QueryTerm): string | null {
  const parts = term.wordPhrases.filter((p) => p.length === 1).map((p) => tsPhrase(p));
  const phrase = term.gramPhrase;
  if (phrase !== null && phrase.length <= 2) parts.push(tsGrams(term, 'exact') as string);
  else if (phrase !== null) parts.push(`'${spelled(phrase)}':*`);
  if (term.gramPrefix !== null) parts.push(`'g${term.gramPrefix}':*`);
  return parts.length === 0 ? null : `(${parts.join(' | ')})`;
}

/**
 * A query whose every match is a true match without testing phrases: an article the index
 * finds by a term's one-token spelling holds the term, whatever its phrases say. Null when
 * some term has no such spelling.
 */
export const tsQuerySure = (plan: QueryPlan, only?: number): string | null =>
  planQuery(plan, only, tsTermSure, TS_OPERATORS);

/**
 * Ids as one bigint[] parameter sent as a joined string: node-postgres builds its array
 * literal by concatenating every element, about 800 KB of short-lived strings a search.
 */
const idArray = (ids: readonly number[]) => sql`string_to_array(${ids.join(',')}, ',')::bigint[]`;

/** Article ids in a block of `article_search_match.bucket` (migration 0021). */
export const BUCKET_IDS = 1024;
/** Blocks the first round asks for: a word in every article has its 2,000 there. */
const FIRST_REACH = 4;
/** Past this many blocks, a round asks for all the older ids at once. */
const MAX_REACH = 256;

/**
 * How many older blocks the next round asks for, from how densely the blocks read so far
 * held readable matches, with half again for phrases that fail and uneven spread; null for
 * all the rest at once (no match yet, or so rare a word that all its postings are few).
 * Sized so, a word in one article in twenty takes two rounds, not four of fixed widths.
 */
export function nextReach(covered: number, matched: number, wanted: number): number | null {
  if (matched === 0) return null;
  const reach = Math.ceil((wanted * covered * 1.5) / matched);
  return reach > MAX_REACH ? null : Math.max(reach, 1);
}

/**
 * Those of `rows` (matches of the query with its phrases loosened) that hold its phrases:
 * the ones the index finds by a one-token spelling (`sure`, no vector read: most articles
 * holding 제주 주시 hold 제주시 as a word of its own), and of the rest those whose vector
 * passes the exact query, by primary key in the function form so that the GIN index is not
 * used again (about 10 µs an article, 19 ms for 2,000).
 */
async function holdingPhrases<R extends { id: number | string }>(
  trx: Kysely<Database>,
  rows: readonly R[],
  search: { query: string; sure: string | null; inWindow: RawBuilder<unknown> },
): Promise<R[]> {
  const ids = rows.map((r) => Number(r.id));
  const certain = new Set<number>();
  if (search.sure !== null) {
    const { rows: sure } = await sql<{ id: number | string }>`
      select m.article_id as id from article_search_match m
      where m.terms @@ to_tsquery('simple', ${search.sure}) and ${search.inWindow}
        and m.article_id + 0 = any(${idArray(ids)})`.execute(trx);
    for (const r of sure) certain.add(Number(r.id));
  }
  const unsure = ids.filter((id) => !certain.has(id));
  if (unsure.length > 0) {
    const { rows: exact } = await sql<{ id: number | string }>`
      select m.article_id as id from article_search_match m
      where m.article_id = any(${idArray(unsure)})
        and ts_match_vq(m.terms, to_tsquery('simple', ${search.query}))`.execute(trx);
    for (const r of exact) certain.add(Number(r.id));
  }
  return rows.filter((r) => certain.has(Number(r.id)));
}

/**
 * Matches are ids from the GIN index as a bitmap over the narrow match table, asked for
 * together with the newest blocks of ids (`bucket`, migration 0021) so that the index
 * intersects the two and hands back the newest few thousand matches rather than all of a
 * common word's (33 ms → 2 ms for 제주 at 100,000 articles). Never an index walk over the
 * ids that tests each row's vector: PostgreSQL picks that when it misjudges how common a
 * word is, and it decompresses thousands of vectors from TOAST (`article_id + 0` keeps the
 * primary key out of it). The readers' rule is read from the same match rows (migration
 * 0022), so a round is one statement; should too few of the newest be readable and hold
 * the phrases, more of the same blocks are fetched, then older blocks.
 */
function postgresBackend(db: Kysely<Database>): Backend {
  return {
    async matches(plan, { now, filters, limit, timeoutMs, only }) {
      const query = tsQuery(plan, only);
      // A phrase (<->) makes the index unsure of every article holding the phrase's tokens
      // anywhere, and PostgreSQL then tests each one's whole vector: 71,000 of them for
      // 제주시 (제주 and 주시 are everywhere), 0.9 s, before trigrams made that word one
      // lexeme. The index is asked for what it answers alone instead (a longer word's
      // trigrams anywhere), and only the newest of those are tested, except the ones it
      // finds by a one-token spelling (`sure`).
      const indexed = tsQuery(plan, only, 'indexed');
      const loose = indexed === query ? null : indexed;
      const sure = loose === null ? null : tsQuerySure(plan, only);
      return postgresWithin(db, timeoutMs, async (trx) => {
        const found: Found[] = [];
        // The newest id, then, for this transaction only, every read a bitmap, from the GIN
        // index or from a primary key. One statement: it is planned (the newest id by the
        // primary key's index) before the settings change (a round trip each was 2–3 ms of
        // a search when toggled per read).
        const { rows: tops } = await sql<{ top: number | string | null }>`
          select (select max(article_id) from article_search_match) as top,
            set_config('enable_seqscan', 'off', true), set_config('enable_indexscan', 'off', true)`.execute(
          trx,
        );
        const topId = tops[0]?.top;
        if (topId === null || topId === undefined) return found;
        const top = Math.floor(Number(topId) / BUCKET_IDS);
        // The newest block not yet read, how many blocks the next round reads (null: all
        // the rest), and how many matches the blocks read so far held.
        let hi = top;
        let reach: number | null = FIRST_REACH;
        let matched = 0;
        while (found.length < limit && hi >= 0) {
          const lo = reach === null ? 0 : Math.max(0, hi - reach + 1);
          const inWindow =
            reach === null
              ? sql`m.article_id + 0 < ${(hi + 1) * BUCKET_IDS}`
              : sql`m.bucket @@ ${Array.from({ length: hi - lo + 1 }, (_, i) => `'${hi - i}'`).join(' | ')}::tsquery`;
          let below: number | null = null;
          let fetch = Math.ceil((limit - found.length) * 1.25) + 10;
          while (found.length < limit) {
            const { rows: readable } = await sql<{
              id: number | string;
              published_at: number | string;
            }>`
              select m.article_id as id, m.published_at from article_search_match m
              where m.terms @@ to_tsquery('simple', ${loose ?? query}) and ${inWindow}
                and ${visible(now, filters, { row: 'match' })}
                ${below === null ? sql`` : sql`and m.article_id + 0 < ${below}`}
              order by m.article_id desc
              limit ${fetch}`.execute(trx);
            matched += readable.length;
            if (readable.length === 0) break;
            const rows =
              loose === null
                ? readable
                : await holdingPhrases(trx, readable, { query, sure, inWindow });
            for (const r of rows.slice(0, limit - found.length))
              found.push({ id: Number(r.id), publishedAt: Number(r.published_at) });
            if (readable.length < fetch) break;
            below = Number(readable[readable.length - 1]?.id);
            fetch = Math.min(fetch * 8, 50_000);
          }
          hi = lo - 1;
          reach = nextReach(top - hi, matched, limit - found.length);
        }
        return found;
      });
    },
    within: (timeoutMs, work) => postgresWithin(db, timeoutMs, work),
  };
}

export function createBackend(db: Kysely<Database>, dialect: DialectName): Backend {
  return dialect === 'postgres' ? postgresBackend(db) : sqliteBackend(db);
}
