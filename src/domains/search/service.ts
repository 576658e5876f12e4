import type { Kysely } from 'kysely';
import type { Database, DialectName } from '../../db/index.ts';
import type { Clock } from '../../shared/clock.ts';
import { excerpt } from '../../shared/highlight.ts';
import { htmlToText } from '../../shared/text.ts';
import { analyzeQuery, type QueryPlan } from './analyzer.ts';
import { createBackend, SearchTimeout, type Found, type SearchFilters } from './backends.ts';
import { writeSearchDocuments } from './documents.ts';
import { rankMatches, type Match, type Ranked } from './ranking.ts';
import { relatedArticles } from './related.ts';

export interface SearchDeps {
  db: Kysely<Database>;
  dialect: DialectName;
  clock: Clock;
  /** See config.search. */
  recencyWeight?: number;
  timeoutMs?: number;
  /** Searches this process runs at once; the rest wait their turn (SEARCHES_AT_ONCE). */
  atOnce?: number;
}

export interface SearchRequest extends SearchFilters {
  q: string;
  sort?: 'relevance' | 'newest';
  page?: number;
  perPage?: number;
}

export interface SearchHit {
  id: number;
  score: number;
  /** Plain text around the first matched word; the view marks the words. */
  snippet: string;
  /** Byline names in order, with their titles (e.g. 객원 기자) when they have one. */
  bylines: { id: number; name: string; title: string }[];
}

export interface SearchResult {
  /** The query as searched (trimmed); empty when nothing searchable was typed. */
  query: string;
  hits: SearchHit[];
  /** Matches found, at most MAX_CANDIDATES (then `capped`). */
  total: number;
  capped: boolean;
  page: number;
  pageCount: number;
  /**
   * Where hits with only some of the words begin, on this page (0 = all of them), or null
   * when every hit on the page has every word.
   */
  partialFrom: number | null;
  /** Words beyond the first few of a long query, which were not searched for. */
  droppedWords: number;
  timedOut: boolean;
  /** What to mark in titles and snippets. */
  highlights: string[];
}

/**
 * A word found in thousands of articles ranks among its newest 2,000 matches: with the
 * recency boost the older ones would rank lower anyway, and the cost of a search stays
 * bounded whatever the archive's size.
 */
export const MAX_CANDIDATES = 2000;
const HALF_LIFE_DAYS = 180;
/** Fewer hits with every word than this, and hits with some of the words are added. */
const FEW = 20;

/**
 * Two at a time, about the cores a process has: a search is CPU work in this process and
 * in the database, and running more at once only interleaves them, each holding its
 * matches and scores longer. With eight in flight on PostgreSQL the benchmark's server
 * ended 1,000 searches at 386 MB, two at a time at 342 MB (the rest was V8's heap growth,
 * decision 0009). A flood of searches waits here instead of crowding out page renders,
 * and the wait counts against the search's time, so it ends in the "took too long" page.
 */
const SEARCHES_AT_ONCE = 2;

/** At most `slots` tasks at once, the rest in arrival order; a wait past its deadline gives up. */
export function createGate(slots: number) {
  let running = 0;
  const waiting: Array<{ start: () => void }> = [];
  const release = () => {
    const next = waiting.shift();
    // The slot passes straight to the next in line.
    if (next !== undefined) next.start();
    else running--;
  };
  return async <T>(deadline: number, work: () => Promise<T>): Promise<T> => {
    if (running >= slots) {
      await new Promise<void>((resolve, reject) => {
        const entry = {
          start: () => {
            clearTimeout(timer);
            resolve();
          },
        };
        const timer = setTimeout(
          () => {
            const at = waiting.indexOf(entry);
            if (at !== -1) waiting.splice(at, 1);
            reject(new SearchTimeout());
          },
          Math.max(0, deadline - Date.now()),
        );
        waiting.push(entry);
      });
    } else running++;
    try {
      return await work();
    } finally {
      release();
    }
  };
}

type Scored = Ranked & { score: number };
const DAY_MS = 86_400_000;

export function createSearch(deps: SearchDeps) {
  const { db, clock } = deps;
  const backend = createBackend(db, deps.dialect);
  const recencyWeight = deps.recencyWeight ?? 0.3;
  const timeoutMs = deps.timeoutMs ?? 2000;
  const gate = createGate(deps.atOnce ?? SEARCHES_AT_ONCE);

  function score(c: Ranked, now: number): number {
    const ageDays = Math.max(0, now - c.publishedAt) / DAY_MS;
    return c.relevance * (1 + recencyWeight * 0.5 ** (ageDays / HALF_LIFE_DAYS));
  }

  async function details(
    ids: number[],
    highlights: string[],
  ): Promise<Map<number, Omit<SearchHit, 'id' | 'score'>>> {
    if (ids.length === 0) return new Map();
    const [bodies, bylines] = await Promise.all([
      db
        .selectFrom('articles')
        .select(['id', 'subtitle', 'body_html'])
        .where('id', 'in', ids)
        .execute(),
      db
        .selectFrom('article_authors as aa')
        .innerJoin('authors as au', 'au.id', 'aa.author_id')
        .select(['aa.article_id', 'au.id', 'au.name', 'au.title'])
        .where('aa.article_id', 'in', ids)
        .orderBy('aa.article_id')
        .orderBy('aa.position')
        .execute(),
    ]);
    const out = new Map<number, Omit<SearchHit, 'id' | 'score'>>();
    for (const row of bodies) {
      const text = `${row.subtitle.replace(/\n/g, ' ')} ${htmlToText(row.body_html)}`;
      out.set(Number(row.id), { snippet: excerpt(text, highlights, 160), bylines: [] });
    }
    for (const b of bylines) {
      out
        .get(Number(b.article_id))
        ?.bylines.push({ id: Number(b.id), name: b.name, title: b.title });
    }
    return out;
  }

  async function ranked(
    request: SearchRequest,
  ): Promise<{ ranked: Scored[]; partialFrom: number | null; plan: QueryPlan }> {
    const plan = analyzeQuery(request.q);
    if (plan.terms.length === 0) return { ranked: [], partialFrom: null, plan };
    const now = clock.now();
    const filters: SearchFilters = {
      ...(request.sectionIds !== undefined ? { sectionIds: request.sectionIds } : {}),
      ...(request.authorId !== undefined ? { authorId: request.authorId } : {}),
      ...(request.from !== undefined ? { from: request.from } : {}),
      ...(request.until !== undefined ? { until: request.until } : {}),
    };
    const started = Date.now();
    return gate(started + timeoutMs, () => rankedNow(plan, filters, now, request.sort, started));
  }

  async function rankedNow(
    plan: QueryPlan,
    filters: SearchFilters,
    now: number,
    sort: SearchRequest['sort'],
    started: number,
  ): Promise<{ ranked: Scored[]; partialFrom: number | null; plan: QueryPlan }> {
    const left = () => {
      const ms = timeoutMs - (Date.now() - started);
      if (ms <= 0) throw new SearchTimeout();
      return ms;
    };
    const options = { now, filters, limit: MAX_CANDIDATES };
    const strict = await backend.matches(plan, { ...options, timeoutMs: left() });
    const byScore =
      sort === 'newest'
        ? (a: Scored, b: Scored) => b.publishedAt - a.publishedAt || b.id - a.id
        : (a: Scored, b: Scored) =>
            b.score - a.score || b.publishedAt - a.publishedAt || b.id - a.id;
    const rank = async (matches: Match[]): Promise<Scored[]> =>
      (await backend.within(left(), (reader) => rankMatches(reader, plan, matches))).map((c) => ({
        ...c,
        score: score(c, now),
      }));
    const scored = (await rank(strict.map((f) => ({ ...f, terms: null })))).sort(byScore);
    // Few articles have every word: those with some of them follow, after all the others,
    // those with more of the words first. Each word is looked up on its own, so an article
    // with a rare word is not crowded out by the newest thousands with a common one.
    let partial: Scored[] = [];
    if (strict.length < FEW && plan.terms.length > 1) {
      const seen = new Set(strict.map((c) => c.id));
      const some = new Map<number, { found: Found; terms: number[] }>();
      for (let i = 0; i < plan.terms.length; i++) {
        for (const found of await backend.matches(plan, {
          ...options,
          timeoutMs: left(),
          only: i,
        })) {
          if (seen.has(found.id)) continue;
          const entry = some.get(found.id);
          if (entry === undefined) some.set(found.id, { found, terms: [i] });
          else entry.terms.push(i);
        }
      }
      const chosen: Match[] = [...some.values()]
        .sort((a, b) => b.terms.length - a.terms.length || b.found.id - a.found.id)
        .slice(0, MAX_CANDIDATES - strict.length)
        .map((e) => ({ ...e.found, terms: e.terms }));
      const wordsOf = new Map(chosen.map((m) => [m.id, m.terms?.length ?? 0]));
      partial = (await rank(chosen)).sort(
        (a, b) => (wordsOf.get(b.id) ?? 0) - (wordsOf.get(a.id) ?? 0) || byScore(a, b),
      );
    }
    return {
      ranked: [...scored, ...partial].slice(0, MAX_CANDIDATES),
      partialFrom: partial.length > 0 ? scored.length : null,
      plan,
    };
  }

  return {
    /** One page of results for what a reader typed; bad or empty input gives no hits. */
    async search(request: SearchRequest): Promise<SearchResult> {
      const perPage = Math.min(Math.max(request.perPage ?? 10, 1), 50);
      const page = Math.max(1, Math.floor(request.page ?? 1));
      const query = request.q.replace(/\s+/g, ' ').trim();
      const empty: SearchResult = {
        query,
        hits: [],
        total: 0,
        capped: false,
        page,
        pageCount: 0,
        partialFrom: null,
        droppedWords: 0,
        timedOut: false,
        highlights: [],
      };
      let result;
      try {
        result = await ranked(request);
      } catch (error) {
        if (error instanceof SearchTimeout) return { ...empty, timedOut: true };
        throw error;
      }
      const { plan } = result;
      const total = result.ranked.length;
      const pageCount = Math.ceil(total / perPage);
      const slice = result.ranked.slice((page - 1) * perPage, page * perPage);
      const more = await details(
        slice.map((c) => c.id),
        plan.highlights,
      );
      return {
        query: plan.terms.length === 0 ? '' : query,
        hits: slice.map((c) => ({
          id: c.id,
          score: c.score,
          ...(more.get(c.id) ?? { snippet: '', bylines: [] }),
        })),
        total,
        capped: total >= MAX_CANDIDATES,
        page,
        pageCount,
        partialFrom:
          result.partialFrom === null || result.partialFrom >= page * perPage
            ? null
            : Math.max(0, result.partialFrom - (page - 1) * perPage),
        droppedWords: plan.dropped,
        timedOut: false,
        highlights: plan.highlights,
      };
    },

    /** The ranked hits of a query, best first: for `tamna search query` and checks. */
    async rank(
      q: string,
      limit = 20,
    ): Promise<{ id: number; externalId: string | null; title: string; score: number }[]> {
      const { ranked: hits } = await ranked({ q });
      const top = hits.slice(0, limit);
      if (top.length === 0) return [];
      const rows = await db
        .selectFrom('articles')
        .select(['id', 'external_id', 'title'])
        .where(
          'id',
          'in',
          top.map((h) => h.id),
        )
        .execute();
      const byId = new Map(rows.map((r) => [Number(r.id), r]));
      return top.map((h) => ({
        id: h.id,
        externalId: byId.get(h.id)?.external_id ?? null,
        title: byId.get(h.id)?.title ?? '',
        score: Math.round(h.score * 10_000) / 10_000,
      }));
    },

    /**
     * 관련기사: published articles sharing tags (each counts twice) and title words with
     * this one, the most related first and the newest first among equals.
     */
    async related(articleId: number, limit = 5): Promise<number[]> {
      return relatedArticles(db, deps.dialect, articleId, clock.now(), limit);
    },

    /**
     * Rebuilds every article's search document, in batches, reporting progress; the site
     * keeps answering while it runs (each batch is its own short transaction).
     */
    async reindex(onProgress?: (done: number, total: number) => void): Promise<number> {
      const total = Number(
        (
          await db
            .selectFrom('articles')
            .select((eb) => eb.fn.countAll<number | string>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
      let done = 0;
      let after = 0;
      for (;;) {
        const batch = await db
          .selectFrom('articles')
          .select('id')
          .where('id', '>', after)
          .orderBy('id')
          .limit(500)
          .execute();
        if (batch.length === 0) break;
        const ids = batch.map((r) => Number(r.id));
        await db.transaction().execute((trx) => writeSearchDocuments(trx, ids));
        after = ids[ids.length - 1] as number;
        done += ids.length;
        onProgress?.(done, total);
        // better-sqlite3 answers synchronously, so without this the whole rebuild would be
        // one chain of promises and no request, timer or signal would be served until it ended.
        await new Promise((resolve) => setImmediate(resolve));
      }
      // Documents of articles that no longer exist go with them (foreign key cascade).
      return done;
    },

    /** Published articles without a search document (an index older than its articles). */
    async missing(): Promise<number> {
      const row = await db
        .selectFrom('articles as a')
        .leftJoin('article_search as x', 'x.article_id', 'a.id')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where('a.status', '=', 'published')
        .where('x.article_id', 'is', null)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
  };
}

export type Search = ReturnType<typeof createSearch>;
