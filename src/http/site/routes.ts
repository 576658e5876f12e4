import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  bannerSlots,
  runsOn,
  type Banner,
  type BannerSlot,
  type BannerStore,
} from '../../domains/ads/index.ts';
import type { ReaderCounts } from '../../domains/analytics/index.ts';
import type { ContentService, Syndication } from '../../domains/content/index.ts';
import type { ShareImages, StoredPhoto } from '../../domains/media/index.ts';
import type { Search } from '../../domains/search/index.ts';
import type { WeatherStore } from '../../domains/weather/index.ts';
import type { PublisherDetails } from '../../config/index.ts';
import { LAYOUT_TAGS, tag, type CacheTag } from '../../shared/cache-tags.ts';
import type { Clock } from '../../shared/clock.ts';
import { parsePositiveInt, parseRowId } from '../../shared/ids.ts';
import { nextKstMidnight } from '../../shared/kst.ts';
import type { ChromeView } from '../../views/model.ts';
import { renderArticlePage } from '../../views/pages/ArticlePage.tsx';
import { renderErrorPage } from '../../views/pages/ErrorPage.tsx';
import { renderFrontPage } from '../../views/pages/FrontPage.tsx';
import { renderSectionPage } from '../../views/pages/SectionPage.tsx';
import { renderWeatherPage } from '../../views/pages/WeatherPage.tsx';
import { articlePath, weatherPath } from '../../views/urls.ts';
import type { PageCache } from '../cache/page-cache.ts';
import {
  buildUncachedPage,
  deviceOf,
  PageAnswers,
  replyWith,
  sendPage,
  type EdgePolicy,
} from '../cache/serve.ts';
import { cacheHitFastPath, CachedRoutes, type FastPathDeps } from '../cache/fast-path.ts';
import { NO_CDN } from '../cache/edge.ts';
import { IMMUTABLE_ASSET, sendAsset, type Asset } from './assets.ts';
import { routeKind } from '../metrics.ts';
import { registerBeacon } from './beacon.ts';
import { bylineTags, photoTags as teaserPhotoTags, registerReaderPages } from './reader-pages.ts';
import { registerSearchPage } from './search.ts';
import { everyResponseHeaders, siteSecurityHeadersFor } from './headers.ts';
import { registerFeeds } from './feeds.ts';
import { registerShareImages } from './share-images.ts';
import { registerSitemaps } from './sitemaps.ts';
import { mostReadBox } from './most-read.ts';
import { forecastForPage, WEATHER_PAGE_MAX_AGE_MS } from './weather.ts';

export interface SiteDeps {
  content: ContentService;
  weather: WeatherStore;
  banners: BannerStore;
  /** Article readings: the beacon counts them, 많이 본 뉴스 shows them. */
  readers: ReaderCounts;
  clock: Clock;
  cache: PageCache;
  publisher: PublisherDetails;
  siteUrl: string;
  stylesheet: Asset;
  icon: Asset;
  /** The reader-count and banner-rotation script (client/site). */
  script: Asset;
  /** Sections shown as title + summary boxes (사건/사고/판결 style). */
  teaserSections: readonly string[];
  pageCacheMaxAgeMs: number;
  perPage: number;
  /** The region whose short-range forecast /weather shows (config.weather.region.name). */
  weatherRegion: string;
  /** Time to build an uncached page, by route kind (metrics). */
  observeRender?: (kind: string, seconds: number) => void;
  /** Korean search (/search) and 관련기사. */
  search: Search;
  /** TAMNA_KAKAO_JS_KEY: a KakaoTalk share button, and the SDK's host in the CSP. */
  kakaoJsKey?: string | null;
  /** What feeds and sitemaps list. */
  syndication: Syndication;
  /** Feed items carry the whole body (TAMNA_FEED_FULL_TEXT), not only a summary. */
  feedFullText: boolean;
  /** Photo crops and cards for shares and structured data. */
  shareImages: ShareImages;
  photos: { getPhoto(id: number): Promise<StoredPhoto | null> };
  /** What a CDN in front is told (s-maxage, device key, tag headers); none by default. */
  edge?: EdgePolicy;
  /** 미리보기 links: the article a token opens, or null. */
  previews?: {
    open(
      token: string,
    ): Promise<{ articleId: number; expiresAt: number; published: boolean } | null>;
  };
}

const HTML = 'text/html; charset=utf-8';

export class PageStatus extends Error {
  constructor(
    readonly status: 400 | 404,
    readonly detail?: string,
    /** What would make the answer change (a missing article's tag: it may come out). */
    readonly tags: readonly CacheTag[] = [],
  ) {
    super(`page status ${status}`);
  }
}

export function createSiteRoutes(deps: SiteDeps) {
  const { content, weather, banners, clock, cache } = deps;
  const edge = deps.edge ?? NO_CDN;
  // Every response's headers (HSTS) are part of the page's own, so a page answered before
  // Fastify's onRequest hook (the fast path) carries them too.
  const siteSecurityHeaders = Object.freeze({
    ...everyResponseHeaders(deps.siteUrl),
    ...siteSecurityHeadersFor({ kakao: (deps.kakaoJsKey ?? null) !== null }),
  });
  const htmlAnswers = new PageAnswers({ headers: siteSecurityHeaders, cache, edge });
  // Feeds and sitemaps are one copy for every device.
  const sharedAnswers = new PageAnswers({
    headers: siteSecurityHeaders,
    cache,
    edge,
    vary: 'Accept-Encoding',
  });
  const cachedRoutes = new CachedRoutes(2 * cache.maxEntries);

  async function chrome(request: FastifyRequest): Promise<ChromeView> {
    const device = deviceOf(edge, request.headers);
    const [nav, ticker, running, slots] = await Promise.all([
      content.navigation(),
      weather.ticker(),
      banners.running(),
      banners.slots(),
    ]);
    return {
      siteUrl: deps.siteUrl,
      publisher: deps.publisher,
      nav,
      now: clock.now(),
      ticker,
      banners: bannerViews(running, device),
      inlineBannerParagraph: slots.find((s) => s.id === 'article-inline')?.paragraph ?? 3,
      bannerSeed: Math.random(),
      stylesheet: deps.stylesheet.path,
      icon: deps.icon.path,
      script: deps.script.path,
      kakaoJsKey: deps.kakaoJsKey ?? null,
    };
  }

  /** When a page rendered now must be thrown away even if no one invalidates it. */
  async function expiry(now: number): Promise<number> {
    const [scheduled, bannerChange] = await Promise.all([
      content.nextScheduledPublication(),
      banners.nextChange(),
    ]);
    let at = Math.min(now + deps.pageCacheMaxAgeMs, nextKstMidnight(now));
    if (scheduled !== null) at = Math.min(at, scheduled);
    if (bannerChange !== null) at = Math.min(at, bannerChange);
    return at;
  }

  /**
   * Serves a page from the cache, rendering and storing it on a miss. `render` throws
   * PageStatus for 400/404, which is rendered as an error page but not cached; it may
   * return an `expiresAt` earlier than the usual expiry.
   */
  async function page(
    request: FastifyRequest,
    reply: FastifyReply,
    key: string,
    render: (chrome: ChromeView) => Promise<{ html: string; tags: CacheTag[]; expiresAt?: number }>,
    contentType = HTML,
  ): Promise<FastifyReply> {
    const now = clock.now();
    // Only HTML differs by device (phone-only banner slots); feeds and sitemaps are one copy.
    const perDevice = contentType === HTML;
    const keys = perDevice
      ? { mobile: `mobile|${key}`, desktop: `desktop|${key}` }
      : { mobile: `any|${key}`, desktop: `any|${key}` };
    const answers = perDevice ? htmlAnswers : sharedAnswers;
    const cacheKey = keys[deviceOf(edge, request.headers)];
    const hit = cache.get(cacheKey, now);
    // From now on this URL's hits are answered before Fastify (fast-path.ts).
    cachedRoutes.remember(request.url, { keys, answers, kind: routeKind(request) });
    if (hit !== undefined) return replyWith(reply, answers.answer(hit, request.headers, now));
    const generation = cache.currentGeneration;
    const started = performance.now();
    const view = await chrome(request);
    let rendered: { html: string; tags: CacheTag[]; expiresAt?: number };
    try {
      rendered = await render(view);
      deps.observeRender?.(routeKind(request), (performance.now() - started) / 1000);
    } catch (error) {
      if (error instanceof PageStatus)
        return sendError(request, reply, error.status, view, error.detail, error.tags, {
          // A missing article may be one scheduled for later: not kept past its time.
          expiresAt: await expiry(now),
        });
      throw error;
    }
    const entry = cache.set(
      cacheKey,
      {
        status: 200,
        body: rendered.html,
        contentType,
        // The layout (navigation, banners, ticker) is on every page; feeds and sitemaps
        // print only section names.
        tags: [...new Set([...(perDevice ? LAYOUT_TAGS : [tag.sections]), ...rendered.tags])],
        expiresAt: Math.min(await expiry(now), rendered.expiresAt ?? Infinity),
      },
      now,
      generation,
    );
    return replyWith(reply, answers.answer(entry, request.headers, now));
  }

  function sendError(
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    view: ChromeView,
    detail?: string,
    tags: readonly CacheTag[] = [],
    options: { expiresAt?: number } = {},
  ) {
    const html = renderErrorPage({
      chrome: view,
      status,
      path: request.url.split('?')[0] ?? '/',
      detail,
    });
    const now = clock.now();
    const built = buildUncachedPage(status, html, now);
    return sendPage(
      request,
      reply,
      // A CDN keeps a 404 briefly; its tags purge it when what was missing appears.
      {
        ...built,
        tags: tags.length === 0 ? [] : [...LAYOUT_TAGS, ...tags],
        expiresAt: Math.min(built.expiresAt, options.expiresAt ?? Infinity),
      },
      { headers: siteSecurityHeaders, now, cacheable: status !== 400 && status < 500, edge },
    );
  }

  /** The front page with the stored arrangement, or with `pins` (the desk's preview). */
  async function renderFront(
    view: ChromeView,
    pins?: Readonly<Record<string, readonly (number | null)[]>>,
  ) {
    const [front, photoSection, mostRead] = await Promise.all([
      content.frontPage(pins === undefined ? {} : { pins }),
      content.photoSection(),
      mostReadBox(deps.readers, content),
    ]);
    const html = renderFrontPage({
      chrome: view,
      ...front,
      photoSection,
      teaserBoxSlugs: [...deps.teaserSections],
      description: `${deps.publisher.name} - 지역의 오늘을 빠르고 정확하게 전합니다.`,
      mostRead: mostRead.view,
    });
    return { html, front, mostRead };
  }

  async function photoBox() {
    const [stories, section] = await Promise.all([
      content.latestPhotoStories(8),
      content.photoSection(),
    ]);
    return { stories, section };
  }

  return {
    chrome,
    sendError,
    /** Cached pages for routes registered elsewhere (policy pages). */
    page,
    /** The public pages' security headers (this site's CSP). */
    headers: siteSecurityHeaders,

    /**
     * The page-cache hit fast path for the node:http server (server.ts): URLs this site
     * answered from the cache are answered again without Fastify while their page stays.
     */
    cacheHits(
      hooks: Pick<FastPathDeps, 'requestId' | 'observe' | 'serving'>,
    ): ReturnType<typeof cacheHitFastPath> {
      return cacheHitFastPath({ ...hooks, cache, routes: cachedRoutes, clock, edge });
    },

    /**
     * The front page as it would look with an unsaved arrangement, for the desk's preview:
     * rendered fresh, never cached (the admin answers it with no-store).
     */
    async previewFront(
      request: FastifyRequest,
      pins: Readonly<Record<string, readonly (number | null)[]>>,
    ): Promise<string> {
      // Without the site script: a preview must not count banner impressions (advertisers
      // are billed by them) or readers. Frames run scripts, so the no-script pixel stays
      // unrendered too; the banners the server picked still show in their places.
      const view = { ...(await chrome(request)), script: null };
      return (await renderFront(view, pins)).html;
    },

    async register(app: FastifyInstance): Promise<void> {
      await registerBeacon(app, deps.readers);
      registerSearchPage(app, { search: deps.search, content, clock, chrome, edge });
      const notFound = (detail?: string) => new PageStatus(404, detail);
      registerReaderPages(app, {
        content,
        perPage: deps.perPage,
        page,
        chrome,
        sendError,
        notFound,
      });
      const distribution = {
        syndication: deps.syndication,
        siteUrl: deps.siteUrl,
        publisherName: deps.publisher.name,
        page,
        chrome,
        sendError,
      };
      registerFeeds(app, {
        ...distribution,
        content,
        notFound,
        fullText: deps.feedFullText,
      });
      registerSitemaps(app, { ...distribution, now: () => clock.now() });
      registerShareImages(app, {
        images: deps.shareImages,
        getPhoto: (id) => deps.photos.getPhoto(id),
        publishedPhotoIds: (ids) => content.publishedPhotoIds(ids),
        readableTitle: (id) => deps.syndication.readableTitle(id),
        siteUrl: deps.siteUrl,
        paperName: deps.publisher.name,
        chrome,
        sendError,
      });

      app.get('/', (request, reply) =>
        page(request, reply, '/', async (view) => {
          const { html, front, mostRead } = await renderFront(view);
          return {
            html,
            tags: [
              tag.front,
              tag.photoStories,
              ...mostRead.tags,
              ...teaserPhotoTags([
                front.headline,
                ...front.topStories,
                ...front.breaking,
                ...front.sectionBoxes.flatMap((b) => b.articles),
                ...front.photoStories,
                ...front.photoNews,
              ]),
            ],
            expiresAt: mostRead.expiresAt,
          };
        }),
      );

      const articleHandler = (
        request: FastifyRequest<{ Params: { id: string } }>,
        reply: FastifyReply,
      ) => {
        const id = parseRowId(request.params.id);
        if (id === null)
          return chrome(request).then((view) => sendError(request, reply, 404, view));
        return page(request, reply, articlePath(id), async (view) => {
          const article = await content.article(id);
          if (article === null) throw new PageStatus(404, undefined, [tag.article(id)]);
          const home = article.sectionPath[0] ?? article.section;
          const teaserSlug =
            deps.teaserSections.find((s) => s !== home.slug) ?? deps.teaserSections[0];
          const [photos, teaserBox, sameSection, mostRead, related, series] = await Promise.all([
            photoBox(),
            teaserSlug === undefined ? null : content.latestInSection(teaserSlug, 4, id),
            content.latestInSection(home.slug, 6, id),
            mostReadBox(deps.readers, content),
            deps.search.related(id).then((ids) => content.readableTeasers(ids)),
            content.articleSeries(id),
          ]);
          const html = renderArticlePage({
            chrome: view,
            article,
            photoStories: photos.stories,
            photoSection: photos.section,
            teaserBox: teaserBox && teaserBox.section.slug !== home.slug ? teaserBox : null,
            sameSection,
            mostRead: mostRead.view,
            related,
            series,
          });
          // Boxes of other articles are part of this page: a change in their sections must refresh it.
          const boxSections = [
            ...(teaserBox?.sectionIds ?? []),
            ...(sameSection?.sectionIds ?? []),
          ];
          return {
            html,
            tags: [
              tag.article(id),
              tag.photoStories,
              ...article.bylines.map((b) => tag.byline(b.id)),
              // 연재 n회 and the list of parts: any part coming out or changing shows here.
              ...(series === null
                ? []
                : [tag.series(series.series.id), ...series.memberIds.map(tag.article)]),
              ...boxSections.map(tag.section),
              // 관련기사 go with the page when one of them changes or is taken down.
              ...related.map((r) => tag.article(r.id)),
              ...mostRead.tags,
              ...article.photos.map((p) => tag.photo(p.id)),
              ...teaserPhotoTags([
                article,
                ...photos.stories,
                ...(teaserBox?.articles ?? []),
                ...(sameSection?.articles ?? []),
                ...related,
              ]),
            ],
            // 많이 본 뉴스 must not outlive its lists, however long pages may be kept.
            expiresAt: mostRead.expiresAt,
          };
        });
      };
      app.get('/news/:id', articleHandler);

      // 미리보기: an unpublished article as readers will see it, through a private link.
      // Never cached (here or by a CDN), never indexed, never counted, no referrer.
      const previews = deps.previews;
      if (previews !== undefined) {
        app.get(
          '/preview/:token',
          async (request: FastifyRequest<{ Params: { token: string } }>, reply) => {
            const view = await chrome(request);
            const link = await previews.open(request.params.token);
            const article = link === null ? null : await content.articlePreview(link.articleId);
            const now = clock.now();
            const headers = {
              ...siteSecurityHeaders,
              'cache-control': 'private, no-store',
              'x-robots-tag': 'noindex, nofollow, noarchive',
              'referrer-policy': 'no-referrer',
            };
            if (link === null || article === null) {
              const html = renderErrorPage({
                chrome: view,
                status: 404,
                path: '/preview',
                detail:
                  '미리보기 링크가 만료되었거나 취소되었습니다. 기사를 쓴 기자나 데스크에 새 링크를 요청하세요.',
              });
              return sendPage(request, reply, buildUncachedPage(404, html, now), {
                headers,
                now,
                cacheable: false,
              });
            }
            const status = link.published
              ? '출고된 기사의 저장된 내용입니다.'
              : '출고 전입니다. 독자에게는 아직 보이지 않습니다.';
            const html = renderArticlePage({
              chrome: view,
              article,
              photoStories: [],
              photoSection: null,
              teaserBox: null,
              sameSection: null,
              mostRead: null,
              preview: { status, expiresAt: link.expiresAt },
            });
            return sendPage(request, reply, buildUncachedPage(200, html, now), {
              headers,
              now,
              cacheable: false,
            });
          },
        );
      }
      app.get('/news/:id/:slug', articleHandler);

      // The URL scheme of the hosted CMSs many Korean papers move from; old links keep working.
      app.get(
        '/news/articleView.html',
        (request: FastifyRequest<{ Querystring: Record<string, string | undefined> }>, reply) => {
          const id = parseRowId(request.query.idxno);
          if (id === null)
            return chrome(request).then((view) => sendError(request, reply, 404, view));
          return reply.redirect(articlePath(id), 301);
        },
      );

      app.get(
        '/section/:slug',
        (
          request: FastifyRequest<{
            Params: { slug: string };
            Querystring: Record<string, string | string[] | undefined>;
          }>,
          reply,
        ) => {
          const slug = request.params.slug;
          const rawPage = request.query.page;
          let pageNumber = 1;
          if (rawPage !== undefined) {
            const parsed = typeof rawPage === 'string' ? parsePositiveInt(rawPage, 100_000) : null;
            if (parsed === null) {
              return chrome(request).then((view) =>
                sendError(request, reply, 400, view, '페이지 번호는 1 이상의 숫자여야 합니다.'),
              );
            }
            pageNumber = parsed;
          }
          if (!/^[a-z0-9][a-z0-9-]{0,79}$/.test(slug))
            return chrome(request).then((view) => sendError(request, reply, 404, view));
          return page(request, reply, `/section/${slug}?page=${pageNumber}`, async (view) => {
            const listing = await content.sectionPage(slug, pageNumber, deps.perPage);
            if (listing === null) throw new PageStatus(404);
            if (pageNumber > listing.pageCount)
              throw new PageStatus(404, `이 섹션은 ${listing.pageCount}쪽까지 있습니다.`);
            const html = renderSectionPage({ chrome: view, ...listing });
            return {
              html,
              tags: [
                ...listing.sectionIds.map(tag.section),
                ...bylineTags(listing.articles),
                ...teaserPhotoTags(listing.articles),
              ],
            };
          });
        },
      );

      // Query strings are ignored: every /weather URL is the one cached page.
      app.get(weatherPath, (request, reply) =>
        page(request, reply, weatherPath, async (view) => {
          const now = view.now;
          const forecast = forecastForPage(await weather.forecast(deps.weatherRegion), now);
          const html = renderWeatherPage({
            chrome: view,
            region: deps.weatherRegion,
            forecast: forecast.view,
          });
          return {
            html,
            tags: [tag.weather],
            expiresAt: Math.min(now + WEATHER_PAGE_MAX_AGE_MS, forecast.changesAt ?? Infinity),
          };
        }),
      );

      for (const asset of [deps.stylesheet, deps.icon, deps.script]) {
        app.get(asset.path, (request, reply) => sendAsset(asset, IMMUTABLE_ASSET, request, reply));
      }
      // Feed readers and old browsers ask for /favicon.ico whatever the page links to.
      app.get('/favicon.ico', (request, reply) =>
        sendAsset(deps.icon, 'public, max-age=86400', request, reply),
      );
    },
  };
}

export type SiteRoutes = ReturnType<typeof createSiteRoutes>;

/**
 * The banners each slot may show on this device. Pages are cached per device class, so
 * device targeting is decided here; section targeting is decided by the page.
 */
function bannerViews(
  running: Partial<Record<BannerSlot, Banner[]>>,
  device: 'mobile' | 'desktop',
): ChromeView['banners'] {
  const out: ChromeView['banners'] = {};
  for (const slot of bannerSlots) {
    if (slot === 'mobile-sticky' && device !== 'mobile') continue;
    const fits = (running[slot] ?? [])
      .filter((b) => runsOn(b, device))
      .map((b) => ({
        id: b.id,
        kind: b.kind,
        title: b.title,
        imageSrc: b.imageSrc,
        width: b.width,
        height: b.height,
        href: `/ad/click/${b.id}`,
        weight: b.weight,
        sections: b.sections,
        isSample: b.isSample,
      }));
    if (fits.length > 0) out[slot] = fits;
  }
  return out;
}
