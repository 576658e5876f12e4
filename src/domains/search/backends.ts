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
  /** Articles whose title or subtitle words include any of `words`, best first. */
  titleMatches(words: readonly string[], now: number, limit: number): Promise<number[]>;
}

/**
 * Readers' rule, in SQL: published, its time come, not under embargo, in a visible section.
 *
 * The section test has a shape per database, for the plan each makes of it (measured on
 * 100,000 articles by `npm run bench:search`). With `in (select ...)` SQLite walks the
 * full-text matches newest first; a per-row look-up makes it start from every published
 * article instead and probe the full-text index for each (minutes). PostgreSQL does the
 * opposite: `in (select ...)` becomes a join that starts from every article of the visible
 * sections and tests each one's search document, detoasting its tsvectors (15 s for a
 * common word); with the look-up it walks the matches newest first and stops at the limit.
 */
function visible(now: number, filters: SearchFilters, dialect: DialectName): RawBuilder<SqlBool> {
  const parts: RawBuilder<unknown>[] = [
    sql`a.status = 'published'`,
    sql`a.published_at <= ${now}`,
    sql`(a.embargo_until is null or a.embargo_until <= ${now})`,
    dialect === 'postgres'
      ? sql`(select h.hidden from sections h where h.id = a.section_id) = 0`
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
        .where(visible(now, filters, 'sqlite'))
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

    async titleMatches(words, now, limit) {
      if (words.length === 0) return [];
      const expression = `{title_words sub_words} : (${words.map((w) => `"${w}"`).join(' OR ')})`;
      const rows = await db
        .selectFrom(sql<{ rowid: number }>`article_search_fts`.as('article_search_fts'))
        .innerJoin('articles as a', (join) =>
          join.on(sql<SqlBool>`a.id = article_search_fts.rowid`),
        )
        .select('a.id')
        .where(sql<SqlBool>`article_search_fts match ${expression}`)
        .where(visible(now, {}, 'sqlite'))
        .orderBy(sql`bm25(article_search_fts, ${sql.raw(BM25_WEIGHTS)})`)
        .limit(limit)
        .execute();
      return rows.map((r) => Number(r.id));
    },
  };
}

// ---------------------------------------------------------------------------------------
// PostgreSQL: tsvector columns with GIN indexes. Queries are tsquery text built from the
// same tokens, passed as parameters to to_tsquery('simple', …).

const tsPhrase = (tokens: readonly string[]) => `(${tokens.map((t) => `'${t}'`).join(' <-> ')})`;
const tsWords = (term: QueryTerm) => term.wordPhrases.map(tsPhrase).join(' | ');
function tsGrams(term: QueryTerm): string | null {
  if (term.gramPhrase !== null) return tsPhrase(term.gramPhrase);
  if (term.gramPrefix !== null) return `'${term.gramPrefix}':*`;
  return null;
}
/** Ranks cover density with weights for D, C, B, A: body, subtitle and tags, title. */
const RANK_WEIGHTS = "'{0.1, 0.4, 0.6, 1.0}'";

function pgTerm(term: QueryTerm): RawBuilder<SqlBool> {
  const grams = tsGrams(term);
  const words = sql`s.words @@ to_tsquery('simple', ${tsWords(term)})`;
  return grams === null
    ? sql<SqlBool>`${words}`
    : sql<SqlBool>`(${words} or s.grams @@ to_tsquery('simple', ${grams}))`;
}

function postgresBackend(db: Kysely<Database>): Backend {
  return {
    async candidates(plan, { now, filters, limit, relaxed, timeoutMs }) {
      const terms = plan.terms.map(pgTerm);
      let match = sql<SqlBool>`(${sql.join(terms, relaxed ? sql` or ` : sql` and `)})`;
      if (plan.joined !== null) match = sql<SqlBool>`(${match} or ${pgTerm(plan.joined)})`;
      const everyTerm = [...plan.terms, ...(plan.joined === null ? [] : [plan.joined])];
      const rankWords = everyTerm.map(tsWords).join(' | ');
      const grams = everyTerm.flatMap((t) => tsGrams(t) ?? []);
      const rankGrams =
        grams.length === 0
          ? sql`0`
          : sql`ts_rank_cd(${sql.raw(RANK_WEIGHTS)}, s.grams, to_tsquery('simple', ${grams.join(' | ')}))`;
      try {
        return await db.transaction().execute(async (trx) => {
          await sql`set local statement_timeout = ${sql.raw(String(Math.max(1, Math.round(timeoutMs))))}`.execute(
            trx,
          );
          const { rows } = await sql<{ id: number; published_at: number; relevance: number }>`
            select a.id, a.published_at,
              2 * ts_rank_cd(${sql.raw(RANK_WEIGHTS)}, s.words, to_tsquery('simple', ${rankWords}))
                + ${rankGrams} as relevance
            from article_search s
            join articles a on a.id = s.article_id
            where ${match} and ${visible(now, filters, 'postgres')}
            order by s.article_id desc
            limit ${limit}`.execute(trx);
          return rows.map((r) => ({
            id: Number(r.id),
            publishedAt: Number(r.published_at),
            relevance: Number(r.relevance),
          }));
        });
      } catch (error) {
        // 57014: canceling statement due to statement timeout.
        if ((error as { code?: unknown }).code === '57014') throw new SearchTimeout();
        throw error;
      }
    },

    async titleMatches(words, now, limit) {
      if (words.length === 0) return [];
      const query = words.map((w) => `'${w}':AB`).join(' | ');
      const { rows } = await sql<{ id: number }>`
        select a.id from article_search s join articles a on a.id = s.article_id
        where s.words @@ to_tsquery('simple', ${query}) and ${visible(now, {}, 'postgres')}
        order by ts_rank_cd(${sql.raw(RANK_WEIGHTS)}, s.words, to_tsquery('simple', ${query})) desc, a.id desc
        limit ${limit}`.execute(db);
      return rows.map((r) => Number(r.id));
    },
  };
}

export function createBackend(db: Kysely<Database>, dialect: DialectName): Backend {
  return dialect === 'postgres' ? postgresBackend(db) : sqliteBackend(db);
}
