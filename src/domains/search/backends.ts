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

export interface Candidate {
  id: number;
  publishedAt: number;
  /** Text relevance, higher is better; comparable only within one backend. */
  relevance: number;
}

/** The query took longer than the search may; the page says so instead of waiting. */
export class SearchTimeout extends Error {
  constructor() {
    super('search took too long');
  }
}

export interface Backend {
  /**
   * The newest `limit` published articles matching `expression`, with their relevance.
   * `relaxed` matches any term instead of every term.
   */
  candidates(
    plan: QueryPlan,
    options: {
      now: number;
      filters: SearchFilters;
      limit: number;
      relaxed: boolean;
      timeoutMs: number;
    },
  ): Promise<Candidate[]>;
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
/** bm25 weights in column order: title words, title grams, subtitle/tag words, ... */
const BM25_WEIGHTS = '10.0, 4.0, 5.0, 2.0, 2.5, 1.0';

const ftsPhrase = (tokens: readonly string[]) => `"${tokens.join(' ')}"`;

function ftsTerm(term: QueryTerm): string {
  const parts = [`${WORD_COLUMNS} : (${term.wordPhrases.map(ftsPhrase).join(' OR ')})`];
  if (term.gramPhrase !== null) parts.push(`${GRAM_COLUMNS} : ${ftsPhrase(term.gramPhrase)}`);
  if (term.gramPrefix !== null) parts.push(`${GRAM_COLUMNS} : "${term.gramPrefix}"*`);
  return `(${parts.join(' OR ')})`;
}

export function ftsExpression(plan: QueryPlan, relaxed: boolean): string {
  const all = plan.terms.map(ftsTerm).join(relaxed ? ' OR ' : ' AND ');
  return plan.joined === null ? all : `(${all}) OR ${ftsTerm(plan.joined)}`;
}

function sqliteBackend(db: Kysely<Database>): Backend {
  return {
    async candidates(plan, { now, filters, limit, relaxed, timeoutMs }) {
      const deadline = Date.now() + timeoutMs;
      const query = db
        .selectFrom(sql<{ rowid: number }>`article_search_fts`.as('article_search_fts'))
        .innerJoin('articles as a', (join) =>
          join.on(sql<SqlBool>`a.id = article_search_fts.rowid`),
        )
        .select([
          'a.id',
          'a.published_at',
          sql<number>`bm25(article_search_fts, ${sql.raw(BM25_WEIGHTS)})`.as('rank'),
        ])
        .where(sql<SqlBool>`article_search_fts match ${ftsExpression(plan, relaxed)}`)
        .where(visible(now, filters))
        .orderBy(sql`article_search_fts.rowid`, 'desc')
        .limit(limit);
      // Rows arrive one by one: a search that runs past its time stops there.
      const found: Candidate[] = [];
      for await (const row of query.stream(50)) {
        found.push({
          id: Number(row.id),
          publishedAt: Number(row.published_at),
          relevance: -Number(row.rank),
        });
        if (Date.now() > deadline) throw new SearchTimeout();
      }
      return found;
    },
  };
}

// ---------------------------------------------------------------------------------------
// PostgreSQL: tsvector columns with GIN indexes. Queries are tsquery text built from the
// same tokens, passed as parameters to to_tsquery('simple', …).

// One vector per article (`terms`, and `head` for the title, subtitle and tags) holds the
// word tokens and, prefixed with `g`, the bigrams (migration 0014), so that a whole query
// is one tsquery the GIN index answers by itself.

const tsPhrase = (tokens: readonly string[], prefix = '') =>
  `(${tokens.map((t) => `'${prefix}${t}'`).join(' <-> ')})`;
const tsWords = (term: QueryTerm) => term.wordPhrases.map((p) => tsPhrase(p)).join(' | ');
function tsGrams(term: QueryTerm): string | null {
  if (term.gramPhrase !== null) return tsPhrase(term.gramPhrase, 'g');
  if (term.gramPrefix !== null) return `'g${term.gramPrefix}':*`;
  return null;
}
/** Ranks cover density with weights for D, C, B, A: body, subtitle and tags, title. */
const RANK_WEIGHTS = "'{0.1, 0.4, 0.6, 1.0}'";

/** One word of the query: any of its word spellings, or its bigram phrase. */
function tsTerm(term: QueryTerm): string {
  const grams = tsGrams(term);
  return grams === null ? `(${tsWords(term)})` : `(${tsWords(term)} | ${grams})`;
}

/**
 * Matches ranked on their whole text. The rest keep their head's rank (title, subtitle and
 * tags): the whole-article vectors live in TOAST, and decompressing two thousand of them
 * cost more than every other part of a search (see migration 0014). The head ranks first,
 * so the best of it are ranked again in full.
 */
const FULL_RANK = 100;
/** Higher relevance first; the newer (higher id) among equals. */
const mostRelevantFirst = (a: Candidate, b: Candidate) => b.relevance - a.relevance || b.id - a.id;

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

/**
 * The newest `limit` readable articles whose `column` vector matches `query`, with `rank`
 * (an expression over `s`, the search document) as their relevance. Matches come from the
 * GIN indexes as bitmaps, never from reading every search document in turn: PostgreSQL's
 * estimates for tsquery matches swing between plans that detoast each article's vectors
 * (3 s for one common word at 100,000 articles) and plans that need none. Newest first:
 * the newest ids first (twice `limit`), then eight times `limit` more, then all the rest.
 */
async function newestMatches(
  trx: Kysely<Database>,
  search: {
    column: 'terms' | 'head';
    query: string;
    rank: RawBuilder<unknown>;
    now: number;
    filters: SearchFilters;
    limit: number;
  },
): Promise<Candidate[]> {
  const { limit } = search;
  const top = await sql<{ top: number | string | null }>`
    select max(article_id) as top from article_search`.execute(trx);
  const indexScans = (on: boolean) =>
    sql`set local enable_indexscan = ${sql.raw(on ? 'on' : 'off')}`.execute(trx);
  await sql`set local enable_seqscan = off`.execute(trx);
  let high = Number(top.rows[0]?.top ?? 0);
  let span = limit * 2;
  let pass = 0;
  const found: Candidate[] = [];
  while (high > 0 && found.length < limit) {
    const low = Math.max(0, high - span);
    await indexScans(false);
    // Ranked after the newest are chosen: ranking reads each vector, choosing does not.
    const { rows: matches } = await sql<{ id: number | string; relevance: number }>`
      select s.article_id as id, ${search.rank} as relevance
      from article_search s
      where s.article_id in (
        select m.article_id from article_search m
        where ${sql.ref(`m.${search.column}`)} @@ to_tsquery('simple', ${search.query})
          and m.article_id > ${low} and m.article_id <= ${high}
        order by m.article_id desc
        limit ${Math.ceil((limit - found.length) * 1.25) + 10})`.execute(trx);
    if (matches.length > 0) {
      const relevance = new Map(matches.map((m) => [Number(m.id), Number(m.relevance)]));
      // Known ids: looked up by primary key, the sections hashed once.
      await indexScans(true);
      const { rows } = await sql<{ id: number | string; published_at: number | string }>`
        select a.id, a.published_at from articles a
        where a.id = any(${[...relevance.keys()]}::bigint[])
          and ${visible(search.now, search.filters)}
        order by a.id desc
        limit ${limit - found.length}`.execute(trx);
      for (const r of rows)
        found.push({
          id: Number(r.id),
          publishedAt: Number(r.published_at),
          relevance: relevance.get(Number(r.id)) ?? 0,
        });
    }
    high = low;
    // The first window holds the newest matches of a common word, the second (four times
    // wider) those of most others; a rare query's are looked for in all the rest at once, so
    // its words' index entries are read three times at most.
    pass++;
    span = pass === 1 ? limit * 8 : high;
  }
  await sql`set local enable_seqscan = on`.execute(trx);
  await indexScans(true);
  return found;
}

function postgresBackend(db: Kysely<Database>): Backend {
  return {
    async candidates(plan, { now, filters, limit, relaxed, timeoutMs }) {
      let query = plan.terms.map(tsTerm).join(relaxed ? ' | ' : ' & ');
      if (plan.joined !== null && !joinedAddsNothing(plan))
        query = `(${query}) | ${tsTerm(plan.joined)}`;
      const everyTerm = [...plan.terms, ...(plan.joined === null ? [] : [plan.joined])];
      const wordQuery = everyTerm.map(tsWords).join(' | ');
      const grams = everyTerm.flatMap((t) => tsGrams(t) ?? []);
      const rank = (column: 'head' | 'terms') => {
        const vector = sql.ref(`s.${column}`);
        const words = sql`2 * ts_rank_cd(${sql.raw(RANK_WEIGHTS)}, ${vector}, to_tsquery('simple', ${wordQuery}))`;
        return grams.length === 0
          ? words
          : sql`${words} + ts_rank_cd(${sql.raw(RANK_WEIGHTS)}, ${vector}, to_tsquery('simple', ${grams.join(' | ')}))`;
      };
      try {
        return await db.transaction().execute(async (trx) => {
          await sql`set local statement_timeout = ${sql.raw(String(Math.max(1, Math.round(timeoutMs))))}`.execute(
            trx,
          );
          const found = await newestMatches(trx, {
            column: 'terms',
            query,
            rank: rank('head'),
            now,
            filters,
            limit,
          });
          const best = [...found]
            .sort(mostRelevantFirst)
            .slice(0, FULL_RANK)
            .map((c) => c.id);
          if (best.length === 0) return found;
          const full = await sql<{ id: number; relevance: number }>`
            select s.article_id as id, ${rank('terms')} as relevance
            from article_search s
            where s.article_id = any(${best}::bigint[])`.execute(trx);
          const ranked = new Map(full.rows.map((r) => [Number(r.id), Number(r.relevance)]));
          return found.map((c) => ({ ...c, relevance: ranked.get(c.id) ?? c.relevance }));
        });
      } catch (error) {
        // 57014: canceling statement due to statement timeout.
        if ((error as { code?: unknown }).code === '57014') throw new SearchTimeout();
        throw error;
      }
    },
  };
}

export function createBackend(db: Kysely<Database>, dialect: DialectName): Backend {
  return dialect === 'postgres' ? postgresBackend(db) : sqliteBackend(db);
}
