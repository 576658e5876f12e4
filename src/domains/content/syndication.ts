import type { Kysely } from 'kysely';
import type { Database } from '../../db/index.ts';
import type { Clock } from '../../shared/clock.ts';
import type { NoticeKind } from '../../shared/notice-kinds.ts';
import { createReader } from './reader.ts';
import { withDescendants } from './section-tree.ts';
import type { ArticleTeaser, Section, SectionRef, TeaserByline } from './types.ts';

/**
 * What feeds and sitemaps list. Feeds follow the site's lists (visible sections, newest
 * first, with bylines, photo, corrections and, for full-text feeds, the body). Sitemaps
 * list every article page that answers (hidden sections' too: an imported archive's pages
 * are real pages), read in keyset pages of rows so a million articles stream in bounded
 * memory.
 *
 * An article's last change (`lastmod`) is the later of its publish time and `updated_at`,
 * which the desk sets only on a change readers can see (a save that changed something,
 * a correction added, reworded or withdrawn); reader counts are kept in their own table.
 */

export interface SyndicationDeps {
  db: Kysely<Database>;
  clock: Clock;
  mediaUrl: (key: string) => string;
  /** Every section, hidden ones too (the content service's kept tree). */
  sections: () => Promise<readonly Section[]>;
  /** Rows per query while streaming (SITEMAP_BATCH; tests make it small). */
  batchSize?: number;
}

export interface FeedArticle extends ArticleTeaser {
  subtitle: string;
  /** The last change readers can see; never before publishedAt. */
  updatedAt: number;
  /** The cleaned body, when asked for (full-text feeds). */
  bodyHtml: string | null;
  bylines: TeaserByline[];
  /** 정정·반론·추후보도 in force, oldest first. */
  notices: { kind: NoticeKind; body: string; createdAt: number; updatedAt: number | null }[];
}

export interface FeedQuery {
  limit: number;
  /** A section and its sub-sections; every visible section when absent. */
  sectionIds?: readonly number[];
  /** One byline's articles. */
  authorId?: number;
  withBody: boolean;
}

/** A KST calendar month of published articles: one or more sitemap files. */
export interface SitemapMonth {
  /** `2025-12` */
  key: string;
  from: number;
  /** Exclusive; at most now + 1 for the current month. */
  to: number;
  count: number;
  /** The latest change among its articles. */
  lastmod: number;
}

export interface SitemapRow {
  id: number;
  lastmod: number;
}

export interface NewsSitemapRow {
  id: number;
  title: string;
  publishedAt: number;
  updatedAt: number;
}

/** Rows per query while streaming: memory stays flat whatever the archive's size. */
export const SITEMAP_BATCH = 2000;

const KST_MS = 9 * 60 * 60 * 1000;

/** The instant a KST calendar month begins (month 1-12; 13 rolls over). */
export function kstMonthStart(year: number, month: number): number {
  return Date.UTC(year, month - 1, 1) - KST_MS;
}

function kstYearMonth(ms: number): { year: number; month: number } {
  const d = new Date(ms + KST_MS);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1 };
}

export const monthKey = (year: number, month: number): string =>
  `${year}-${String(month).padStart(2, '0')}`;

const lastmodOf = (publishedAt: number | null, updatedAt: number | null): number =>
  Math.max(Number(publishedAt ?? 0), Number(updatedAt ?? 0));

export function createSyndication(deps: SyndicationDeps) {
  const { db, clock } = deps;
  const reader = createReader(deps);
  const batchSize = deps.batchSize ?? SITEMAP_BATCH;

  async function visibleSections() {
    const all = await deps.sections();
    const byId = new Map<number, SectionRef>(all.map((s) => [s.id, s]));
    return { all, byId, visibleIds: all.filter((s) => !s.hidden).map((s) => s.id) };
  }

  function published(now: number) {
    return db
      .selectFrom('articles as a')
      .where('a.status', '=', 'published')
      .where('a.published_at', '<=', now);
  }

  /**
   * Published articles in [from, to), readable now. One range on the (status,
   * published_at, id) index, its upper end already cut at now: with a separate
   * `published_at <= now`, SQLite may take that as the range's end and scan every later
   * article for each month.
   */
  function publishedBetween(from: number, to: number) {
    return db
      .selectFrom('articles as a')
      .where('a.status', '=', 'published')
      .where('a.published_at', '>=', from)
      .where('a.published_at', '<', Math.min(to, clock.now() + 1));
  }

  /**
   * Pages of rows in (key, id) order, each read from where the last ended: `start` finds
   * the row before the first one (a later part of a long month skips that many), and at
   * most `limit` rows come out in all.
   */
  async function* keysetPages<R extends { id: number }, K>(options: {
    limit: number;
    start: () => Promise<{ key: K; id: number } | null | 'none'>;
    page: (after: { key: K; id: number } | null, size: number) => Promise<R[]>;
    keyOf: (row: R) => K;
  }): AsyncGenerator<R[]> {
    const start = await options.start();
    if (start === 'none') return;
    let after = start;
    let left = options.limit;
    while (left > 0) {
      const size = Math.min(batchSize, left);
      const rows = await options.page(after, size);
      if (rows.length === 0) return;
      yield rows;
      left -= rows.length;
      if (rows.length < size) return;
      const last = rows[rows.length - 1] as R;
      after = { key: options.keyOf(last), id: last.id };
    }
  }

  /** How many articles came out in [from, to) and their latest change. */
  async function monthSummary(
    from: number,
    to: number,
  ): Promise<{ count: number; lastmod: number }> {
    const row = await publishedBetween(from, to)
      .select((eb) => [
        eb.fn.countAll<number | string>().as('n'),
        eb.fn.max('a.published_at').as('p'),
        eb.fn.max('a.updated_at').as('u'),
      ])
      .executeTakeFirst();
    return {
      count: Number(row?.n ?? 0),
      lastmod: lastmodOf(row?.p ?? null, row?.u ?? null),
    };
  }

  return {
    /** A visible section and the sections its feed lists (itself and its sub-sections). */
    async sectionScope(id: number): Promise<{ section: Section; sectionIds: number[] } | null> {
      const { all } = await visibleSections();
      const section = all.find((s) => s.id === id && !s.hidden);
      return section === undefined ? null : { section, sectionIds: withDescendants(all, section) };
    },

    /** A visible section by its address. */
    async sectionBySlug(slug: string): Promise<Section | null> {
      const { all } = await visibleSections();
      return all.find((s) => s.slug === slug && !s.hidden) ?? null;
    },

    /** The newest articles of a feed, with what an item shows. */
    async feedArticles(query: FeedQuery): Promise<FeedArticle[]> {
      const now = clock.now();
      const { byId, visibleIds } = await visibleSections();
      const visible = new Set(visibleIds);
      const sectionIds = (query.sectionIds ?? visibleIds).filter((id) => visible.has(id));
      const teasers = await reader.latest(now, byId, {
        limit: query.limit,
        sectionIds,
        ...(query.authorId === undefined ? {} : { authorId: query.authorId }),
      });
      if (teasers.length === 0) return [];
      const ids = teasers.map((t) => t.id);
      const [details, bylines, notices] = await Promise.all([
        db
          .selectFrom('articles')
          .select(['id', 'subtitle', 'updated_at'])
          .$if(query.withBody, (q) => q.select('body_html'))
          .where('id', 'in', ids)
          .execute(),
        reader.bylinesOf(ids),
        db
          .selectFrom('article_notices')
          .select(['article_id', 'kind', 'body', 'created_at', 'updated_at'])
          .where('article_id', 'in', ids)
          .where('withdrawn_at', 'is', null)
          .orderBy('id')
          .execute(),
      ]);
      const detail = new Map(details.map((d) => [Number(d.id), d]));
      return teasers.map((t) => {
        const d = detail.get(t.id);
        const body = d !== undefined && 'body_html' in d ? String(d.body_html) : null;
        return {
          ...t,
          subtitle: d?.subtitle ?? '',
          updatedAt: lastmodOf(t.publishedAt, d?.updated_at ?? null),
          bodyHtml: query.withBody ? (body ?? '') : null,
          bylines: bylines.get(t.id) ?? [],
          notices: notices
            .filter((n) => Number(n.article_id) === t.id)
            .map((n) => ({
              kind: n.kind,
              body: n.body,
              createdAt: Number(n.created_at),
              updatedAt: n.updated_at === null ? null : Number(n.updated_at),
            })),
        };
      });
    },

    /**
     * Every KST month with published articles, oldest first, with how many and their
     * latest change: the sitemap index. One indexed range query per month.
     */
    async sitemapMonths(): Promise<SitemapMonth[]> {
      const now = clock.now();
      const first = await published(now)
        .select((eb) => eb.fn.min('a.published_at').as('first'))
        .executeTakeFirst();
      if (first?.first == null) return [];
      const start = kstYearMonth(Number(first.first));
      const end = kstYearMonth(now);
      const months: SitemapMonth[] = [];
      for (let { year, month } = start; year * 12 + month <= end.year * 12 + end.month;) {
        const from = kstMonthStart(year, month);
        const to = Math.min(kstMonthStart(year, month + 1), now + 1);
        const row = await monthSummary(from, to);
        if (row.count > 0) months.push({ key: monthKey(year, month), from, to, ...row });
        month++;
        if (month > 12) {
          month = 1;
          year++;
        }
      }
      return months;
    },

    monthSummary,

    /** Articles published in [from, to), oldest first, skipping `offset`: one sitemap file. */
    articleRows(from: number, to: number, offset: number, limit: number) {
      type Row = { id: number; published_at: number; updated_at: number };
      return keysetPages<Row, number>({
        limit,
        keyOf: (r) => Number(r.published_at),
        // The row before the part, read from the index alone.
        start: async () => {
          if (offset === 0) return null;
          const row = await publishedBetween(from, to)
            .select(['a.published_at', 'a.id'])
            .orderBy('a.published_at')
            .orderBy('a.id')
            .limit(1)
            .offset(offset - 1)
            .executeTakeFirst();
          return row === undefined ? 'none' : { key: Number(row.published_at), id: row.id };
        },
        page: (after, size) => {
          // The range starts at the last key read, so each page is a seek, not a rescan.
          let q = publishedBetween(after === null ? from : after.key, to).select([
            'a.id',
            'a.published_at',
            'a.updated_at',
          ]);
          if (after !== null)
            q = q.where((eb) =>
              eb.or([eb('a.published_at', '>', after.key), eb('a.id', '>', after.id)]),
            );
          return q.orderBy('a.published_at').orderBy('a.id').limit(size).execute() as Promise<
            Row[]
          >;
        },
      });
    },

    /** The title of an article readers may open now (any section), or null. */
    async readableTitle(id: number): Promise<string | null> {
      const row = await published(clock.now())
        .select('a.title')
        .where('a.id', '=', id)
        .executeTakeFirst();
      return row?.title ?? null;
    },

    /** The Google News sitemap: articles out since `since`, newest first. */
    async newsRows(since: number, limit: number): Promise<NewsSitemapRow[]> {
      const rows = await published(clock.now())
        .select(['a.id', 'a.title', 'a.published_at', 'a.updated_at'])
        .where('a.published_at', '>', since)
        .orderBy('a.published_at', 'desc')
        .orderBy('a.id', 'desc')
        .limit(limit)
        .execute();
      return rows.map((r) => ({
        id: Number(r.id),
        title: r.title,
        publishedAt: Number(r.published_at),
        updatedAt: lastmodOf(r.published_at, r.updated_at),
      }));
    },

    /**
     * Visible sections with the time their newest article (theirs or a sub-section's)
     * came out, in menu order; null for a section with none yet.
     */
    async sectionsWithLatest(): Promise<(Section & { latest: number | null })[]> {
      const now = clock.now();
      const { all } = await visibleSections();
      const visible = all.filter((s) => !s.hidden);
      const own = new Map<number, number | null>();
      for (const s of visible) {
        const row = await published(now)
          .select('a.published_at')
          .where('a.section_id', '=', s.id)
          .orderBy('a.published_at', 'desc')
          .limit(1)
          .executeTakeFirst();
        own.set(s.id, row?.published_at == null ? null : Number(row.published_at));
      }
      const latestUnder = (id: number, depth = 0): number | null => {
        let latest = own.get(id) ?? null;
        if (depth > 5) return latest;
        for (const child of visible.filter((c) => c.parentId === id)) {
          const t = latestUnder(child.id, depth + 1);
          if (t !== null && (latest === null || t > latest)) latest = t;
        }
        return latest;
      };
      return visible.map((s) => ({ ...s, latest: latestUnder(s.id) }));
    },

    /** How many bylines have a 기자 페이지 worth listing: an article out in a visible section. */
    async reporterCount(): Promise<number> {
      const row = await (
        await listedAuthors()
      )
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .executeTakeFirst();
      return Number(row?.n ?? 0);
    },

    /** Those bylines' ids, in id order, skipping `offset`. */
    async *reporterRows(offset: number, limit: number): AsyncGenerator<{ id: number }[]> {
      const base = await listedAuthors();
      yield* keysetPages<{ id: number }, null>({
        limit,
        keyOf: () => null,
        start: () =>
          idBefore(offset, (i) =>
            base.select('x.id').orderBy('x.id').limit(1).offset(i).executeTakeFirst(),
          ),
        page: async (after, size) => {
          let q = base.select('x.id').orderBy('x.id').limit(size);
          if (after !== null) q = q.where('x.id', '>', after.id);
          return (await q.execute()).map((r) => ({ id: Number(r.id) }));
        },
      });
    },

    /** How many tags have a page worth listing: an article out in a visible section. */
    async tagCount(): Promise<number> {
      const row = await (
        await listedTags()
      )
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .executeTakeFirst();
      return Number(row?.n ?? 0);
    },

    /** Those tags, in id order, skipping `offset`. */
    async *tagRows(offset: number, limit: number): AsyncGenerator<{ id: number; name: string }[]> {
      const base = await listedTags();
      yield* keysetPages<{ id: number; name: string }, null>({
        limit,
        keyOf: () => null,
        start: () =>
          idBefore(offset, (i) =>
            base.select('x.id').orderBy('x.id').limit(1).offset(i).executeTakeFirst(),
          ),
        page: async (after, size) => {
          let q = base.select(['x.id', 'x.name']).orderBy('x.id').limit(size);
          if (after !== null) q = q.where('x.id', '>', after.id);
          return (await q.execute()).map((r) => ({ id: Number(r.id), name: r.name }));
        },
      });
    },
  };

  /** The row before the `offset`-th of a list of bylines or tags ('none': past the end). */
  async function idBefore(
    offset: number,
    nth: (index: number) => Promise<{ id: number } | undefined>,
  ): Promise<{ key: null; id: number } | null | 'none'> {
    if (offset === 0) return null;
    const row = await nth(offset - 1);
    return row === undefined ? 'none' : { key: null, id: Number(row.id) };
  }

  /** Visible sections' ids; a never-matching id when there is none, for `in`. */
  async function listedSections(): Promise<number[]> {
    const { visibleIds } = await visibleSections();
    return visibleIds.length === 0 ? [-1] : visibleIds;
  }

  /**
   * Bylines with at least one article readers can open from a list (published, its time
   * come, in a visible section): their pages answer and list something.
   */
  async function listedAuthors() {
    const now = clock.now();
    const sections = await listedSections();
    return db
      .selectFrom('authors as x')
      .where((eb) =>
        eb.exists(
          eb
            .selectFrom('article_authors as l')
            .innerJoin('articles as a', 'a.id', 'l.article_id')
            .select('a.id')
            .whereRef('l.author_id', '=', 'x.id')
            .where('a.status', '=', 'published')
            .where('a.published_at', '<=', now)
            .where('a.section_id', 'in', sections),
        ),
      );
  }

  /** Tags with at least one such article. */
  async function listedTags() {
    const now = clock.now();
    const sections = await listedSections();
    return db
      .selectFrom('tags as x')
      .where((eb) =>
        eb.exists(
          eb
            .selectFrom('article_tags as l')
            .innerJoin('articles as a', 'a.id', 'l.article_id')
            .select('a.id')
            .whereRef('l.tag_id', '=', 'x.id')
            .where('a.status', '=', 'published')
            .where('a.published_at', '<=', now)
            .where('a.section_id', 'in', sections),
        ),
      );
  }
}

export type Syndication = ReturnType<typeof createSyndication>;
