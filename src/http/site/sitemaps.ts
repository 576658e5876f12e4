import { Readable } from 'node:stream';
import { constants as zlib, createBrotliCompress, createGzip } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  kstMonthStart,
  monthKey,
  type SitemapMonth,
  type Syndication,
} from '../../domains/content/index.ts';
import { tag } from '../../shared/cache-tags.ts';
import { shareVersion } from '../../shared/share-images.ts';
import {
  NEWS_SITEMAP_MAX_URLS,
  NEWS_SITEMAP_WINDOW_MS,
  renderNewsSitemap,
  renderSitemapIndex,
  SITEMAP_HEAD,
  SITEMAP_TAIL,
  sitemapUrl,
  sitemapUrlMaxBytes,
  urlsPerSitemap,
} from '../../views/feeds/sitemap.ts';
import {
  articlePath,
  newsSitemapPath,
  reporterPath,
  sectionPath,
  sitemapIndexPath,
  tagPath,
} from '../../views/urls.ts';
import { etagMatches, pickEncoding } from '../cache/serve.ts';
import type { ReaderPageKit } from './reader-pages.ts';

/**
 * Sitemaps for search engines. `/sitemap.xml` is an index of:
 * - `/sitemaps/articles-YYYY-MM.xml`: the articles published in a KST month, oldest
 *   first; a month with more than a file holds continues in `-2`, `-3`, …;
 * - `/sitemaps/sections.xml`: the front page and the sections;
 * - `/sitemaps/reporters.xml` and `/sitemaps/tags.xml` (and their `-2`, …): 기자 페이지
 *   and tag pages that list at least one article.
 * A file holds at most 50,000 URLs and 50 MB. Files are written from the database as they
 * are read, a few thousand rows at a time, so a million-article archive costs no more
 * memory than a small one; a month's file answers 304 until one of its articles changes.
 * `/sitemap-news.xml` is the Google News sitemap of the last two days, kept in the page
 * cache and dropped with every article change. `/robots.txt` names both.
 */
export interface SitemapKit extends Pick<ReaderPageKit, 'page' | 'chrome' | 'sendError'> {
  syndication: Syndication;
  siteUrl: string;
  publisherName: string;
  now(): number;
}

export const XML_TYPE = 'application/xml; charset=utf-8';

/** Shared caches may keep a file this long; crawlers revalidate with the ETag. */
const SITEMAP_CACHE = 'public, max-age=0, s-maxage=600, stale-while-revalidate=60';

const partName = (base: string, part: number) => (part === 1 ? base : `${base}-${part}`);

/** Reads `articles-2025-12-2.xml` and the like; null for anything else. */
export function parseSitemapFile(
  file: string,
):
  | { kind: 'articles'; year: number; month: number; part: number }
  | { kind: 'sections' }
  | { kind: 'reporters' | 'tags'; part: number }
  | null {
  const articles = /^articles-(\d{4})-(\d{2})(?:-([2-9]|[1-9]\d{1,3}))?\.xml$/.exec(file);
  if (articles !== null) {
    const month = Number(articles[2]);
    if (month < 1 || month > 12) return null;
    return { kind: 'articles', year: Number(articles[1]), month, part: Number(articles[3] ?? 1) };
  }
  if (file === 'sections.xml') return { kind: 'sections' };
  const listed = /^(reporters|tags)(?:-([2-9]|[1-9]\d{1,3}))?\.xml$/.exec(file);
  if (listed !== null)
    return {
      kind: listed[1] === 'reporters' ? 'reporters' : 'tags',
      part: Number(listed[2] ?? 1),
    };
  return null;
}

const parts = (count: number, per: number) => Math.max(1, Math.ceil(count / per));

/**
 * The files of the sitemap index: sections, then reporters and tags in as many parts as
 * they need (none when there is nothing to list), then every month's articles, newest
 * month first (a crawler reading from the top meets the news first), split into parts of
 * at most `per.articles`.
 */
export function sitemapIndexEntries(
  siteUrl: string,
  found: {
    months: readonly SitemapMonth[];
    sections: readonly { latest: number | null }[];
    reporters: number;
    tags: number;
  },
  per: { articles: number; reporters: number; tags: number },
): { loc: string; lastmod?: number | null }[] {
  const latest = found.sections.reduce<number | null>(
    (t, s) => (s.latest !== null && (t === null || s.latest > t) ? s.latest : t),
    null,
  );
  const entries: { loc: string; lastmod?: number | null }[] = [
    { loc: `${siteUrl}/sitemaps/sections.xml`, lastmod: latest },
  ];
  const listed = (base: string, count: number, each: number) => {
    if (count === 0) return;
    for (let p = 1; p <= parts(count, each); p++)
      entries.push({ loc: `${siteUrl}/sitemaps/${partName(base, p)}.xml` });
  };
  listed('reporters', found.reporters, per.reporters);
  listed('tags', found.tags, per.tags);
  for (const month of [...found.months].reverse())
    for (let p = 1; p <= parts(month.count, per.articles); p++)
      entries.push({
        loc: `${siteUrl}/sitemaps/${partName(`articles-${month.key}`, p)}.xml`,
        lastmod: month.lastmod,
      });
  return entries;
}

export function registerSitemaps(app: FastifyInstance, kit: SitemapKit): void {
  const { siteUrl, syndication } = kit;
  const missing = (request: FastifyRequest, reply: FastifyReply, detail?: string) =>
    kit.chrome(request).then((view) => kit.sendError(request, reply, 404, view, detail));

  // The longest entry each kind of file can hold decides how many fit in 50 MB.
  const perArticleFile = urlsPerSitemap(sitemapUrlMaxBytes(`${siteUrl}/news/${'9'.repeat(16)}`));
  const perReporterFile = urlsPerSitemap(
    sitemapUrlMaxBytes(`${siteUrl}/reporter/${'9'.repeat(16)}`),
  );
  // A tag name is at most 60 characters, each at most 12 bytes percent-encoded.
  const perTagFile = urlsPerSitemap(
    sitemapUrlMaxBytes(`${siteUrl}/tag/${'%F0%9F%98%80'.repeat(60)}`),
  );

  /**
   * Writes `chunks` as the reply, compressed as the client accepts, pulling the next chunk
   * only when the last has been taken: a slow crawler holds back the database reads.
   */
  function stream(
    request: FastifyRequest,
    reply: FastifyReply,
    chunks: AsyncIterable<string>,
    etag?: string,
  ): FastifyReply {
    reply
      .header('content-type', XML_TYPE)
      .header('cache-control', SITEMAP_CACHE)
      .header('vary', 'Accept-Encoding');
    if (etag !== undefined) {
      reply.header('etag', etag);
      if (etagMatches(request.headers['if-none-match'], etag)) return reply.code(304).send();
    }
    const body = Readable.from(chunks, { highWaterMark: 1 });
    const encoding = pickEncoding(request.headers['accept-encoding']);
    if (encoding === null) return reply.send(body);
    reply.header('content-encoding', encoding);
    const compress =
      encoding === 'br'
        ? createBrotliCompress({ params: { [zlib.BROTLI_PARAM_QUALITY]: 4 } })
        : createGzip({ level: 6 });
    body.on('error', (error) => compress.destroy(error));
    return reply.send(body.pipe(compress));
  }

  async function* urlset(rows: AsyncIterable<string[]>): AsyncGenerator<string> {
    yield SITEMAP_HEAD;
    for await (const batch of rows) yield batch.join('');
    yield SITEMAP_TAIL;
  }

  async function* articleEntries(month: SitemapMonth, part: number): AsyncGenerator<string[]> {
    const offset = (part - 1) * perArticleFile;
    for await (const rows of syndication.articleRows(month.from, month.to, offset, perArticleFile))
      yield rows.map((r) =>
        sitemapUrl(
          siteUrl + articlePath(r.id),
          Math.max(Number(r.published_at), Number(r.updated_at)),
        ),
      );
  }

  async function monthOf(year: number, month: number): Promise<SitemapMonth | null> {
    const now = kit.now();
    const from = kstMonthStart(year, month);
    const to = Math.min(kstMonthStart(year, month + 1), now + 1);
    if (from > now) return null;
    const summary = await syndication.monthSummary(from, to);
    if (summary.count === 0) return null;
    return { key: monthKey(year, month), from, to, ...summary };
  }

  app.get(sitemapIndexPath, (request, reply) =>
    kit.page(
      request,
      reply,
      sitemapIndexPath,
      async () => {
        const [months, sections, reporters, tags] = await Promise.all([
          syndication.sitemapMonths(),
          syndication.sectionsWithLatest(),
          syndication.reporterCount(),
          syndication.tagCount(),
        ]);
        const entries = sitemapIndexEntries(
          siteUrl,
          { months, sections, reporters, tags },
          { articles: perArticleFile, reporters: perReporterFile, tags: perTagFile },
        );
        // Any article change announces the front page's tag.
        return { html: renderSitemapIndex(entries), tags: [tag.front] };
      },
      XML_TYPE,
    ),
  );

  app.get(
    '/sitemaps/:file',
    async (request: FastifyRequest<{ Params: { file: string } }>, reply) => {
      const file = parseSitemapFile(request.params.file);
      if (file === null) return missing(request, reply, '찾으시는 사이트맵이 없습니다.');
      if (file.kind === 'articles') {
        const month = await monthOf(file.year, file.month);
        if (month === null || file.part > parts(month.count, perArticleFile))
          return missing(request, reply, '이 달의 사이트맵이 없습니다.');
        // The same articles with the same last changes make the same file.
        const etag = `W/"${shareVersion(siteUrl, month.key, String(file.part), String(month.count), String(month.lastmod))}"`;
        return stream(request, reply, urlset(articleEntries(month, file.part)), etag);
      }
      if (file.kind === 'sections') {
        const sections = await syndication.sectionsWithLatest();
        const latest = sections.reduce((t, s) => Math.max(t, s.latest ?? 0), 0);
        const lines = [
          sitemapUrl(`${siteUrl}/`, latest === 0 ? null : latest),
          ...sections.map((s) => sitemapUrl(siteUrl + sectionPath(s.slug), s.latest)),
        ];
        return stream(request, reply, urlset(once(lines)));
      }
      const per = file.kind === 'reporters' ? perReporterFile : perTagFile;
      const count =
        file.kind === 'reporters'
          ? await syndication.reporterCount()
          : await syndication.tagCount();
      if (count === 0 || file.part > parts(count, per))
        return missing(request, reply, '찾으시는 사이트맵이 없습니다.');
      const offset = (file.part - 1) * per;
      const rows: AsyncIterable<string[]> =
        file.kind === 'reporters'
          ? mapBatches(syndication.reporterRows(offset, per), (r) =>
              sitemapUrl(siteUrl + reporterPath(r.id)),
            )
          : mapBatches(syndication.tagRows(offset, per), (r) =>
              sitemapUrl(siteUrl + tagPath(r.name)),
            );
      return stream(request, reply, urlset(rows));
    },
  );

  app.get(newsSitemapPath, (request, reply) =>
    kit.page(
      request,
      reply,
      newsSitemapPath,
      async (view) => {
        const rows = await syndication.newsRows(
          view.now - NEWS_SITEMAP_WINDOW_MS,
          NEWS_SITEMAP_MAX_URLS,
        );
        const xml = renderNewsSitemap(
          kit.publisherName,
          rows.map((r) => ({ ...r, loc: siteUrl + articlePath(r.id) })),
        );
        const oldest = rows[rows.length - 1];
        return {
          html: xml,
          tags: [tag.front, ...rows.map((r) => tag.article(r.id))],
          // The oldest article leaves the two-day window then, whatever else happens.
          ...(oldest === undefined
            ? {}
            : { expiresAt: oldest.publishedAt + NEWS_SITEMAP_WINDOW_MS + 1 }),
        };
      },
      XML_TYPE,
    ),
  );

  app.get('/robots.txt', (_request, reply) =>
    reply
      .header('content-type', 'text/plain; charset=utf-8')
      .header('cache-control', 'public, max-age=3600')
      .send(
        [
          'User-agent: *',
          'Allow: /',
          'Disallow: /admin/',
          'Disallow: /preview/',
          '',
          `Sitemap: ${siteUrl}${sitemapIndexPath}`,
          `Sitemap: ${siteUrl}${newsSitemapPath}`,
          '',
        ].join('\n'),
      ),
  );
}

async function* once(lines: string[]): AsyncGenerator<string[]> {
  yield lines;
}

async function* mapBatches<T>(
  batches: AsyncIterable<T[]>,
  line: (row: T) => string,
): AsyncGenerator<string[]> {
  for await (const batch of batches) yield batch.map(line);
}
