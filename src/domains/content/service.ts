import type { Kysely } from 'kysely';
import type { Database } from '../../db/index.ts';
import type { Clock } from '../../shared/clock.ts';
import { keptValue } from '../../shared/kept.ts';
import { createReader, type ListFilter } from './reader.ts';
import {
  createCatalog,
  type CatalogArticle,
  type CatalogAuthor,
  type CatalogFilters,
  type CatalogPage,
  type CatalogPosition,
} from './catalog.ts';
import { withDescendants } from './section-tree.ts';
import { COUNT_WEEK_MS } from '../../db/migrations/0018_section_week_counts.ts';
import type {
  ArticleDetail,
  ArticlePage,
  ArticleSeries,
  ArticleTeaser,
  AuthorProfile,
  FrontPage,
  ReporterListing,
  Section,
  SectionBox,
  SectionListing,
  SectionRef,
  SeriesListing,
  TagListing,
} from './types.ts';

export interface ContentServiceDeps {
  db: Kysely<Database>;
  clock: Clock;
  mediaUrl: (key: string) => string;
}

export interface FrontPageOptions {
  topStories?: number;
  perSection?: number;
  photoStories?: number;
  /** Articles in the rail's 포토뉴스 box. */
  photoNews?: number;
  /** An arrangement to show instead of the stored one (the desk's preview). */
  pins?: Readonly<Record<string, readonly (number | null)[]>>;
}

/** Byline and tag lists count and skip their articles: their pages stop here. */
const MAX_PAGE = 1000;
/** Sections change a few times a year; every page needs them several times. */
const SECTIONS_TTL_MS = 60_000;

export function createContentService(deps: ContentServiceDeps) {
  const reader = createReader(deps);
  const catalog = createCatalog(deps);

  // Kept until the scheduled time itself, or 30 s (a schedule set by another server), and
  // dropped on every content change this process hears about.
  const nextScheduled = keptValue(
    deps.clock,
    () => reader.nextScheduledPublication(deps.clock.now()),
    (next, at) => Math.min(at + 30_000, next ?? Number.POSITIVE_INFINITY),
  );

  let sectionsCache: {
    at: number;
    value: Promise<{ all: Section[]; byId: Map<number, SectionRef> }>;
  } | null = null;

  /**
   * The section tree, kept for a minute and dropped at once by forgetSections() (a section
   * change announces tag.sections, which every instance receives).
   */
  function sectionMap(): Promise<{ all: Section[]; byId: Map<number, SectionRef> }> {
    const now = deps.clock.now();
    if (
      sectionsCache === null ||
      now - sectionsCache.at >= SECTIONS_TTL_MS ||
      now < sectionsCache.at
    ) {
      const value = reader.allSections().then((all) => ({
        all,
        byId: new Map<number, SectionRef>(all.map((s) => [s.id, s])),
      }));
      const entry = { at: now, value };
      sectionsCache = entry;
      // A failed read must not stay cached.
      value.catch(() => {
        if (sectionsCache === entry) sectionsCache = null;
      });
    }
    return sectionsCache.value;
  }

  function pathOf(all: Section[], section: SectionRef): SectionRef[] {
    const path: SectionRef[] = [section];
    let parentId = section.parentId;
    while (parentId !== null && path.length < 5) {
      const parent = all.find((s) => s.id === parentId);
      if (parent === undefined) break;
      path.unshift(parent);
      parentId = parent.parentId;
    }
    return path;
  }

  /** Sections readers may see, by id: what the content API lists from. */
  const visibleSections = (byId: Map<number, SectionRef>, all: Section[]) =>
    new Map(all.filter((s) => !s.hidden).map((s) => [s.id, byId.get(s.id) ?? s]));

  const navigable = (all: Section[]): Section[] =>
    all.filter((s) => !s.hidden && s.parentId === null);

  /** The same teasers with their bylines, for lists that print who wrote each article. */
  async function withBylines(teasers: ArticleTeaser[]): Promise<ArticleTeaser[]> {
    const bylines = await reader.bylinesOf(teasers.map((t) => t.id));
    return teasers.map((t) => ({ ...t, bylines: bylines.get(t.id) ?? [] }));
  }

  /**
   * One page of a byline's or a tag's articles in every visible section, newest first. A
   * page past the end has no articles and the real page count, so the caller can 404.
   */
  async function filteredPage(
    filter: ListFilter,
    page: number,
    perPage: number,
  ): Promise<ArticlePage> {
    const now = deps.clock.now();
    const { all, byId } = await sectionMap();
    const visible = all.filter((s) => !s.hidden).map((s) => s.id);
    const total = await reader.countPublished(now, visible, filter);
    const pageCount = Math.max(1, Math.min(MAX_PAGE, Math.ceil(total / perPage)));
    const articles =
      page > pageCount
        ? []
        : await reader.latest(now, byId, {
            ...filter,
            limit: perPage,
            offset: (page - 1) * perPage,
            sectionIds: visible,
          });
    return { articles: await withBylines(articles), page, pageCount, total };
  }

  /**
   * How many articles readers see in these sections, and where in time the `limit` of them
   * after the first `offset` lie: the weeks of the week counts (migration 0018) from the
   * one holding the first to the one holding the last, and how many of the window's
   * newest to skip. Any page then costs at most a week's worth of skipping, not its depth.
   */
  async function listingWindow(
    now: number,
    sectionIds: readonly number[],
    offset: number,
    limit: number,
  ): Promise<{
    total: number;
    window: { before: number; from: number | null; skip: number } | null;
  }> {
    const [weeks, scheduled] = await Promise.all([
      reader.weekCounts(sectionIds),
      reader.scheduledTimes(now, sectionIds),
    ]);
    // The counts include scheduled articles; readers see them only at their time.
    const ahead = new Map<number, number>();
    for (const at of scheduled) {
      const week = Math.floor(at / COUNT_WEEK_MS);
      ahead.set(week, (ahead.get(week) ?? 0) + 1);
    }
    let total = 0;
    let start: { week: number; before: number } | null = null;
    let end: number | null = null;
    for (const { week, n } of weeks) {
      const live = n - (ahead.get(week) ?? 0);
      if (live <= 0) continue;
      if (start === null && total + live > offset) start = { week, before: total };
      total += live;
      if (start !== null && end === null && total >= offset + limit) end = week;
    }
    return {
      total,
      window:
        start === null
          ? null
          : {
              before: (start.week + 1) * COUNT_WEEK_MS,
              from: end === null ? null : end * COUNT_WEEK_MS,
              skip: offset - start.before,
            },
    };
  }

  /** The parts of a series readers may open, in reading order. */
  async function visibleParts(memberIds: readonly number[]): Promise<ArticleTeaser[]> {
    const now = deps.clock.now();
    const { all, byId } = await sectionMap();
    const hidden = new Set(all.filter((s) => s.hidden).map((s) => s.id));
    const found = await reader.teasersById(now, byId, memberIds);
    return memberIds.flatMap((id) => {
      const t = found.get(id);
      return t === undefined || hidden.has(t.section.id) ? [] : [t];
    });
  }

  return {
    /** Drops the kept section tree; the next read loads it from the database. */
    forgetSections(): void {
      sectionsCache = null;
    },

    /** Every section, hidden ones too, with its parent's name: for the desk. */
    async allSectionsForDesk(): Promise<(Section & { parentName: string | null })[]> {
      const { all, byId } = await sectionMap();
      return all.map((s) => ({
        ...s,
        parentName: s.parentId === null ? null : (byId.get(s.parentId)?.name ?? null),
      }));
    },

    /** Bylines the desk can choose from, by name. */
    async authors(): Promise<{ id: number; name: string; email: string | null; title: string }[]> {
      return deps.db
        .selectFrom('authors')
        .select(['id', 'name', 'email', 'title'])
        .orderBy('name')
        .execute();
    },

    /** Every byline with whether a staff account signs with it: the desk's 필자 list. */
    async bylinesForDesk(): Promise<
      { id: number; name: string; title: string; beat: string; hasAccount: boolean }[]
    > {
      const rows = await deps.db
        .selectFrom('authors as au')
        .select(['au.id', 'au.name', 'au.title', 'au.beat'])
        .select((eb) =>
          eb
            .exists(
              eb.selectFrom('users as u').select('u.id').whereRef('u.author_id', '=', 'au.id'),
            )
            .as('has_account'),
        )
        .orderBy('au.name')
        .orderBy('au.id')
        .execute();
      return rows.map((r) => ({
        id: Number(r.id),
        name: r.name,
        title: r.title,
        beat: r.beat,
        hasAccount: r.has_account === true || Number(r.has_account) === 1,
      }));
    },

    /** A byline's profile, for the newsroom's forms. */
    authorProfile: (id: number): Promise<AuthorProfile | null> => reader.authorProfile(id),

    /**
     * A byline's 기자 페이지: its profile and one page of its articles. Null for an unknown
     * byline, and for one readers have no reason to know: no article out and no staff
     * account in use (a draft's outside writer).
     */
    async reporterPage(
      authorId: number,
      page: number,
      perPage: number,
    ): Promise<ReporterListing | null> {
      const author = await reader.authorProfile(authorId);
      if (author === null) return null;
      const listing = await filteredPage({ authorId }, page, perPage);
      if (listing.total === 0 && !(await reader.hasActiveAccount(authorId))) return null;
      return { author, ...listing };
    },

    /** A tag's page of articles; null for an unknown tag or one with no article out. */
    async tagPage(name: string, page: number, perPage: number): Promise<TagListing | null> {
      const found = await reader.tagByName(name);
      if (found === null) return null;
      const listing = await filteredPage({ tagId: found.id }, page, perPage);
      if (listing.total === 0) return null;
      return { tag: found, ...listing };
    },

    /** A series with the parts readers may open; null when there is none or none is out. */
    async seriesPage(id: number): Promise<SeriesListing | null> {
      const series = await reader.seriesSummary(id);
      if (series === null) return null;
      const memberIds = await reader.seriesMembers(id);
      const parts = await visibleParts(memberIds);
      if (parts.length === 0) return null;
      return { series, parts: await withBylines(parts), memberIds };
    },

    /** 연재 n회 on an article's page, or null when it is in no series readers can see. */
    async articleSeries(articleId: number): Promise<ArticleSeries | null> {
      const seriesId = await reader.seriesIdOf(articleId);
      if (seriesId === null) return null;
      const [series, memberIds] = await Promise.all([
        reader.seriesSummary(seriesId),
        reader.seriesMembers(seriesId),
      ]);
      if (series === null) return null;
      const parts = await visibleParts(memberIds);
      const index = parts.findIndex((p) => p.id === articleId);
      if (index < 0) return null;
      return {
        series: { id: series.id, title: series.title },
        number: index + 1,
        parts: parts.map((p) => ({ id: p.id, title: p.title, publishedAt: p.publishedAt })),
        memberIds,
      };
    },

    /** The newest articles readers can see, in every visible section. */
    async latestPublished(limit: number): Promise<ArticleTeaser[]> {
      const now = deps.clock.now();
      const { all, byId } = await sectionMap();
      return reader.latest(now, byId, {
        limit,
        sectionIds: all.filter((s) => !s.hidden).map((s) => s.id),
      });
    },

    /** Which of these photos readers see now: on a published article, featured or in the body. */
    async publishedPhotoIds(photoIds: readonly number[]): Promise<Set<number>> {
      if (photoIds.length === 0) return new Set();
      const ids = [...photoIds];
      const published = deps.db
        .selectFrom('articles')
        .select('id')
        .where('status', '=', 'published');
      const [featured, inBody] = await Promise.all([
        deps.db
          .selectFrom('articles')
          .select('featured_photo_id as photo_id')
          .where('status', '=', 'published')
          .where('featured_photo_id', 'in', ids)
          .execute(),
        deps.db
          .selectFrom('article_photos')
          .select('photo_id')
          .where('photo_id', 'in', ids)
          .where('article_id', 'in', published)
          .execute(),
      ]);
      return new Set([...featured, ...inBody].map((r) => Number(r.photo_id)));
    },

    /** Titles of articles by id, whatever their status (the desk's own lists). */
    async titles(ids: number[]): Promise<{ id: number; title: string }[]> {
      if (ids.length === 0) return [];
      return deps.db
        .selectFrom('articles')
        .select(['id', 'title'])
        .where('id', 'in', ids)
        .execute();
    },

    /**
     * Titles of the articles among `ids` that readers may open now (published, their time
     * come, in a visible section), in the order given: lists built elsewhere (많이 본 뉴스)
     * show only these.
     */
    async readableTitles(ids: readonly number[]): Promise<{ id: number; title: string }[]> {
      if (ids.length === 0) return [];
      const { all } = await sectionMap();
      const visible = all.filter((s) => !s.hidden).map((s) => s.id);
      if (visible.length === 0) return [];
      const rows = await deps.db
        .selectFrom('articles')
        .select(['id', 'title'])
        .where('id', 'in', [...ids])
        .where('status', '=', 'published')
        .where('published_at', '<=', deps.clock.now())
        .where('section_id', 'in', visible)
        .execute();
      const titles = new Map(rows.map((r) => [Number(r.id), r.title]));
      return ids.flatMap((id) => {
        const title = titles.get(id);
        return title === undefined ? [] : [{ id, title }];
      });
    },

    /**
     * Teasers of the articles among `ids` that readers may open now, in the order given
     * (lists ranked elsewhere: search results, 관련기사).
     */
    async readableTeasers(ids: readonly number[]): Promise<ArticleTeaser[]> {
      if (ids.length === 0) return [];
      const now = deps.clock.now();
      const { all, byId } = await sectionMap();
      const visible = new Map([...byId].filter(([id]) => !all.find((s) => s.id === id)?.hidden));
      const found = await reader.teasersById(now, visible, [...ids]);
      return ids.flatMap((id) => found.get(id) ?? []);
    },

    /** Top-level, visible sections in desk order: the site navigation. */
    async navigation(): Promise<SectionRef[]> {
      return navigable((await sectionMap()).all);
    },

    /**
     * The front page. Places the desk pinned show their article; every other place (and a
     * pinned place whose article readers may no longer see) is filled by the fill rule,
     * which the front desk screen states in Korean (FILL_RULE there; keep the two alike):
     * - 머리기사: running 속보 (with a photo first), then the newest with a photo, then the
     *   newest;
     * - 주요 기사: the newest, in order;
     * - section boxes: the newest of the section and its sub-sections;
     * never an article already shown above, never a photo story (those have their box).
     * `pins` replaces the stored arrangement: the desk's preview of an unsaved one.
     */
    async frontPage(options: FrontPageOptions = {}): Promise<FrontPage> {
      const now = deps.clock.now();
      const { all, byId } = await sectionMap();
      const visibleIds = all.filter((s) => !s.hidden).map((s) => s.id);
      const topCount = options.topStories ?? 6;
      const pins = options.pins ?? (await reader.frontPins());
      const pinnedIds = [
        ...new Set(
          Object.values(pins)
            .flat()
            .filter((id): id is number => id !== null),
        ),
      ];
      const [lead, breaking, photoStories, pinnedTeasers] = await Promise.all([
        reader.latest(now, byId, {
          limit: 1 + topCount + pinnedIds.length + 4,
          sectionIds: visibleIds,
          photoStory: false,
        }),
        reader.latest(now, byId, { limit: 6, sectionIds: visibleIds, breaking: true }),
        reader.latest(now, byId, {
          limit: options.photoStories ?? 8,
          sectionIds: visibleIds,
          photoStory: true,
        }),
        reader.teasersById(now, byId, pinnedIds),
      ]);
      const visible = new Set(visibleIds);
      const used = new Set<number>();
      /** The article pinned to a place, if readers may see it and it is not shown already. */
      const pinned = (area: string, place: number, fits: (a: ArticleTeaser) => boolean) => {
        const id = pins[area]?.[place];
        const teaser = id == null ? undefined : pinnedTeasers.get(id);
        if (teaser === undefined || !visible.has(teaser.section.id) || used.has(teaser.id))
          return null;
        if (!fits(teaser)) return null;
        used.add(teaser.id);
        return teaser;
      };
      const anywhere = () => true;
      // Pinned places first, so the fill never repeats a pinned article.
      const headlinePin = pinned('headline', 0, anywhere);
      const topPins = Array.from({ length: topCount }, (_, i) => pinned('top', i, anywhere));
      const next = (candidates: readonly ArticleTeaser[]) => {
        const found = candidates.find((a) => !used.has(a.id) && !a.isPhotoStory);
        if (found !== undefined) used.add(found.id);
        return found ?? null;
      };
      const headline =
        headlinePin ??
        next([
          ...breaking.filter((a) => a.photo !== null),
          ...breaking,
          ...lead.filter((a) => a.photo !== null),
          ...lead,
        ]);
      const topStories = topPins
        .map((pin) => pin ?? next(lead))
        .filter((a): a is ArticleTeaser => a !== null);
      const shown = new Set(used);
      const limit = options.perSection ?? 5;
      const boxes: SectionBox[] = await Promise.all(
        navigable(all)
          .filter((s) => s.layout === 'list')
          .map(async (section) => {
            const sectionIds = withDescendants(all, section);
            const area = `section:${section.id}`;
            const boxPins = Array.from({ length: limit }, (_, i) => {
              const id = pins[area]?.[i];
              const teaser = id == null ? undefined : pinnedTeasers.get(id);
              return teaser !== undefined &&
                sectionIds.includes(teaser.section.id) &&
                !shown.has(teaser.id)
                ? teaser
                : null;
            });
            const chosen = boxPins.filter((a): a is ArticleTeaser => a !== null);
            const fill =
              chosen.length >= limit
                ? []
                : await reader.latest(now, byId, {
                    limit: limit - chosen.length,
                    sectionIds,
                    photoStory: false,
                    excludeIds: [...shown, ...chosen.map((a) => a.id)],
                  });
            const articles = boxPins
              .map((pin) => pin ?? fill.shift() ?? null)
              .filter((a): a is ArticleTeaser => a !== null);
            return { section, sectionIds, articles };
          }),
      );
      const onPage = [...used, ...boxes.flatMap((b) => b.articles.map((a) => a.id))];
      const photoNews = await reader.latest(now, byId, {
        limit: options.photoNews ?? 3,
        sectionIds: visibleIds,
        photoStory: false,
        withPhoto: true,
        excludeIds: onPage,
      });
      return {
        headline,
        topStories,
        breaking: breaking.slice(0, 2),
        sectionBoxes: boxes.filter((b) => b.articles.length > 0),
        photoStories,
        photoNews,
      };
    },

    /** A published article, or null when it does not exist or readers may not see it yet. */
    async article(id: number): Promise<ArticleDetail | null> {
      const now = deps.clock.now();
      const { all, byId } = await sectionMap();
      const found = await reader.article(now, id, byId);
      if (found === null) return null;
      return { ...found, sectionPath: pathOf(all, found.section) };
    },

    /**
     * An article as readers will see it, whatever its status (not binned): for 미리보기.
     * A piece not yet out shows the time it would carry if published now.
     */
    async articlePreview(id: number): Promise<ArticleDetail | null> {
      const now = deps.clock.now();
      const { all, byId } = await sectionMap();
      const found = await reader.article(now, id, byId, { unpublished: true });
      if (found === null) return null;
      const publishedAt = found.publishedAt === 0 ? now : found.publishedAt;
      return { ...found, publishedAt, sectionPath: pathOf(all, found.section) };
    },

    /** Latest articles of a section (with its sub-sections), optionally leaving one out. */
    async latestInSection(
      sectionSlug: string,
      limit: number,
      excludeId?: number,
    ): Promise<SectionBox | null> {
      const now = deps.clock.now();
      const { all, byId } = await sectionMap();
      const section = all.find((s) => s.slug === sectionSlug && !s.hidden);
      if (section === undefined) return null;
      const sectionIds = withDescendants(all, section);
      const articles = await reader.latest(now, byId, {
        limit,
        sectionIds,
        excludeIds: excludeId === undefined ? [] : [excludeId],
      });
      return { section, sectionIds, articles };
    },

    async latestPhotoStories(limit: number): Promise<ArticleTeaser[]> {
      const now = deps.clock.now();
      const { all, byId } = await sectionMap();
      return reader.latest(now, byId, {
        limit,
        photoStory: true,
        sectionIds: all.filter((s) => !s.hidden).map((s) => s.id),
      });
    },

    /** The first photo-layout section, the target of the 와이드포토 box's 더보기 link. */
    async photoSection(): Promise<SectionRef | null> {
      return (await sectionMap()).all.find((s) => s.layout === 'photo' && !s.hidden) ?? null;
    },

    /**
     * One page of a section. Returns null for an unknown or hidden section; a page past
     * the end returns an empty listing with the real page count, so the caller can 404.
     */
    async sectionPage(slug: string, page: number, perPage: number): Promise<SectionListing | null> {
      const now = deps.clock.now();
      const { all, byId } = await sectionMap();
      const section = all.find((s) => s.slug === slug && !s.hidden);
      if (section === undefined) return null;
      const ids = withDescendants(all, section);
      const { total, window } = await listingWindow(now, ids, (page - 1) * perPage, perPage);
      const pageCount = Math.max(1, Math.ceil(total / perPage));
      const articles =
        window === null
          ? []
          : await reader.listingPage(now, byId, {
              sectionIds: ids,
              before: window.before,
              ...(window.from === null ? {} : { from: window.from }),
              skip: window.skip,
              limit: perPage,
            });
      return {
        section,
        sectionPath: pathOf(all, section),
        children: all.filter((s) => s.parentId === section.id && !s.hidden),
        sectionIds: ids,
        articles: await withBylines(articles),
        page,
        pageCount,
        total,
      };
    },

    /** Every visible section (sub-sections too), in desk order: the content API's list. */
    async readableSections(): Promise<Section[]> {
      return (await sectionMap()).all.filter((s) => !s.hidden);
    },

    /**
     * A visible section and its visible sub-sections, by slug: what filtering by a section
     * means, as on its page. Null for a section that does not exist or is hidden.
     */
    async sectionTree(slug: string): Promise<number[] | null> {
      const { all } = await sectionMap();
      const section = all.find((s) => s.slug === slug && !s.hidden);
      return section === undefined ? null : withDescendants(all, section);
    },

    /** One page of the catalogue (the content API's article list), newest first. */
    async catalogPage(
      filters: CatalogFilters,
      options: { after?: CatalogPosition; limit: number },
    ): Promise<CatalogPage> {
      const { all, byId } = await sectionMap();
      return catalog.page(deps.clock.now(), visibleSections(byId, all), filters, options);
    },

    /** The articles among `ids` readers may see now, with bylines and tags, in that order. */
    async catalogArticles(ids: readonly number[]): Promise<CatalogArticle[]> {
      const { all, byId } = await sectionMap();
      return catalog.byIds(deps.clock.now(), visibleSections(byId, all), ids);
    },

    /** Authors with an article readers may see, by id. */
    async catalogAuthors(options: {
      afterId?: number;
      limit: number;
    }): Promise<{ authors: CatalogAuthor[]; next: number | null }> {
      const { all } = await sectionMap();
      const visible = all.filter((s) => !s.hidden).map((s) => s.id);
      return catalog.authors(deps.clock.now(), visible, options);
    },

    /**
     * An article readers may see now in a visible section (the content API's one article;
     * the site still opens an article of a section hidden from its menu).
     */
    async readableArticle(id: number): Promise<ArticleDetail | null> {
      const now = deps.clock.now();
      const { all, byId } = await sectionMap();
      const found = await reader.article(now, id, visibleSections(byId, all));
      if (found === null) return null;
      return { ...found, sectionPath: pathOf(all, found.section) };
    },

    /** The next scheduled article's time: pages rendered now must expire then. */
    nextScheduledPublication: () => nextScheduled.get(),

    /** Drops the kept schedule after any content change (the bus calls this). */
    forgetSchedule(): void {
      nextScheduled.forget();
    },
  };
}

export type ContentService = ReturnType<typeof createContentService>;
