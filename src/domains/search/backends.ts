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
 * PostgreSQL applies the rule only to ids its index has already found (`newestMatches`).
 * `byKey` is for articles reached one by one from another index (관련기사): there SQLite
 * built the `in` list again for every article (4 ms for 200 articles), where a look-up of the
 * section by key costs next to nothing.
 */
export function visible(now: number, filters: SearchFilters, byKey = false): RawBuilder<SqlBool> {
  const parts: RawBuilder<unknown>[] = [
    sql`a.status = 'published'`,
    sql`a.published_at <= ${now}`,
    sql`(a.embargo_until is null or a.embargo_until <= ${now})`,
    byKey
      ? sql`exists (select 1 from sections s where s.id = a.section_id and s.hidden = 0)`
      : sql`a.section_id in (select id from sections where hidden = 0)`,
  ];
  if (filters.sectionIds !== undefined) {
    const ids = filters.sectionIds.length > 0 ? filters.sectionIds : [-1];
    parts.push(sql`a.section_id in (${sql.join(ids.map((id) => sql`${id}`))})`);
  }
  if (filters.authorId !== undefined)
    parts.push(
      sql`a.id in (select article_id from article_authors where author_id = ${filters.authorId})`,
    );
  if (filters.from !== undefined) parts.push(sql`a.published_at >= ${filters.from}`);
  if (filters.until !== undefined) parts.push(sql`a.published_at < ${filters.until}`);
  return sql<SqlBool>`${sql.join(parts, sql` and `)}`;
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

export function ftsExpression(plan: QueryPlan, only?: number): string {
  if (only !== undefined) {
    const term = plan.terms[only];
    return term === undefined ? '""' : ftsTerm(term);
  }
  const all = plan.terms.map(ftsTerm).join(' AND ');
  // Left out where it can find nothing the words do not (joinedAddsNothing), as on
  // PostgreSQL: its long bigram phrase only made FTS5 read more posting lists.
  return plan.joined === null || joinedAddsNothing(plan)
    ? all
    : `(${all}) OR ${ftsTerm(plan.joined)}`;
}

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
// index answers by itself.

const tsPhrase = (tokens: readonly string[], prefix = '') =>
  `(${tokens.map((t) => `'${prefix}${t}'`).join(' <-> ')})`;
const tsWords = (term: QueryTerm) => term.wordPhrases.map((p) => tsPhrase(p)).join(' | ');
function tsGrams(term: QueryTerm): string | null {
  if (term.gramPhrase !== null) return tsPhrase(term.gramPhrase, 'g');
  if (term.gramPrefix !== null) return `'g${term.gramPrefix}':*`;
  return null;
}

/** One word of the query: any of its word spellings, or its bigram phrase. */
function tsTerm(term: QueryTerm): string {
  const grams = tsGrams(term);
  return grams === null ? `(${tsWords(term)})` : `(${tsWords(term)} | ${grams})`;
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

export function tsQuery(plan: QueryPlan, only?: number): string {
  if (only !== undefined) {
    const term = plan.terms[only];
    return term === undefined ? "''" : tsTerm(term);
  }
  const all = plan.terms.map(tsTerm).join(' & ');
  return plan.joined !== null && !joinedAddsNothing(plan)
    ? `(${all}) | ${tsTerm(plan.joined)}`
    : all;
}

/**
 * Matches are ids from the GIN index as a bitmap over the narrow match table, sorted by id:
 * never an index walk over the ids that tests each row's vector, which PostgreSQL picks when
 * it misjudges how common a word is and which decompresses thousands of vectors from TOAST.
 * The readers' rule is then checked on the newest ids by primary key; should too few of
 * them be readable, the next eight times as many are fetched, then all the rest.
 */
function postgresBackend(db: Kysely<Database>): Backend {
  return {
    async matches(plan, { now, filters, limit, timeoutMs, only }) {
      const query = tsQuery(plan, only);
      // A phrase (<->) makes the index unsure of every article holding the phrase's tokens
      // anywhere, and PostgreSQL then tests each one's whole vector: 71,000 of them for
      // 제주시 (제주 and 주시 are everywhere), 0.9 s. The index is asked for the tokens
      // together instead, which it answers alone, and only the newest of those are tested.
      const loose = query.includes('<->') ? query.replaceAll(' <-> ', ' & ') : null;
      return postgresWithin(db, timeoutMs, async (trx) => {
        const found: Found[] = [];
        let below: number | null = null;
        let fetch: number | null = Math.ceil(limit * 1.25) + 10;
        // For this transaction only: ids come from the GIN bitmap (index walks off, below),
        // the rest by primary key.
        await sql`set local enable_seqscan = off`.execute(trx);
        while (found.length < limit) {
          await sql`set local enable_indexscan = off`.execute(trx);
          const { rows: ids } = await sql<{ id: number | string }>`
            select m.article_id as id from article_search_match m
            where m.terms @@ to_tsquery('simple', ${loose ?? query})
              ${below === null ? sql`` : sql`and m.article_id < ${below}`}
            order by m.article_id desc
            ${fetch === null ? sql`` : sql`limit ${fetch}`}`.execute(trx);
          if (ids.length === 0) break;
          await sql`set local enable_indexscan = on`.execute(trx);
          const { rows: readable } = await sql<{
            id: number | string;
            published_at: number | string;
          }>`
            select a.id, a.published_at from articles a
            where a.id = any(${ids.map((r) => Number(r.id))}::bigint[])
              and ${visible(now, filters)}
            order by a.id desc`.execute(trx);
          let rows = readable;
          if (loose !== null && readable.length > 0) {
            // By primary key, the function form so that the GIN index is not used again:
            // about 10 µs an article (19 ms for 2,000). Asking the index first which of them
            // hold the words as words made PostgreSQL test the vectors anyway (38 ms).
            const { rows: exact } = await sql<{ id: number | string }>`
              select m.article_id as id from article_search_match m
              where m.article_id = any(${readable.map((r) => Number(r.id))}::bigint[])
                and ts_match_vq(m.terms, to_tsquery('simple', ${query}))`.execute(trx);
            const matched = new Set(exact.map((r) => Number(r.id)));
            rows = readable.filter((r) => matched.has(Number(r.id)));
          }
          for (const r of rows.slice(0, limit - found.length))
            found.push({ id: Number(r.id), publishedAt: Number(r.published_at) });
          if (fetch === null || ids.length < fetch) break;
          below = Number(ids[ids.length - 1]?.id);
          fetch = fetch * 8 > 50_000 ? null : fetch * 8;
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
