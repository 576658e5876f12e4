import { toKstIso } from '../../shared/kst.ts';
import { element, XML_DECLARATION, xmlText } from './xml.ts';

/**
 * Sitemaps (sitemaps.org 0.9), sitemap indexes and the Google News sitemap, written in
 * pieces so a long one can be streamed: head, one `<url>` per row, tail.
 */

/** Per file, whatever the sitemap: the protocol's limits. */
export const SITEMAP_MAX_URLS = 50_000;
export const SITEMAP_MAX_BYTES = 50 * 1024 * 1024;
/** Google News reads at most this many `<url>`s, of the last two days. */
export const NEWS_SITEMAP_MAX_URLS = 1000;
export const NEWS_SITEMAP_WINDOW_MS = 48 * 60 * 60 * 1000;

export const SITEMAP_HEAD = `${XML_DECLARATION}\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n`;
export const SITEMAP_TAIL = '</urlset>\n';

/** One `<url>`: its location (an absolute URL, already percent-encoded) and last change. */
export function sitemapUrl(loc: string, lastmod?: number | null): string {
  const mod = lastmod == null ? '' : `<lastmod>${toKstIso(lastmod)}</lastmod>`;
  return `<url><loc>${xmlText(loc)}</loc>${mod}</url>\n`;
}

/** The longest `<url>` an entry for `loc` can make (every character escaped as an entity of up to six bytes). */
export function sitemapUrlMaxBytes(loc: string): number {
  return Buffer.byteLength(sitemapUrl(loc, 0)) + Buffer.byteLength(loc) * 5;
}

/**
 * How many `<url>`s one file may hold when none is longer than `entryBytes`: the
 * protocol's 50,000, fewer when that many could pass 50 MB.
 */
export function urlsPerSitemap(entryBytes: number): number {
  const room = SITEMAP_MAX_BYTES - SITEMAP_HEAD.length - SITEMAP_TAIL.length;
  return Math.max(1, Math.min(SITEMAP_MAX_URLS, Math.floor(room / entryBytes)));
}

export function renderSitemapIndex(
  sitemaps: readonly { loc: string; lastmod?: number | null }[],
): string {
  return [
    XML_DECLARATION,
    '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ...sitemaps.map(
      (s) =>
        `<sitemap><loc>${xmlText(s.loc)}</loc>${s.lastmod == null ? '' : `<lastmod>${toKstIso(s.lastmod)}</lastmod>`}</sitemap>`,
    ),
    '</sitemapindex>',
    '',
  ].join('\n');
}

export function renderSitemap(urls: readonly { loc: string; lastmod?: number | null }[]): string {
  return SITEMAP_HEAD + urls.map((u) => sitemapUrl(u.loc, u.lastmod)).join('') + SITEMAP_TAIL;
}

export interface NewsSitemapItem {
  loc: string;
  title: string;
  publishedAt: number;
  /** Last change readers can see (the sitemap's lastmod). */
  updatedAt: number;
}

/** Google News: publication name and language, publication date and title per article. */
export function renderNewsSitemap(publication: string, items: readonly NewsSitemapItem[]): string {
  const name = element('news:name', publication);
  return [
    XML_DECLARATION,
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">',
    ...items.map(
      (i) =>
        `<url><loc>${xmlText(i.loc)}</loc><lastmod>${toKstIso(Math.max(i.updatedAt, i.publishedAt))}</lastmod>` +
        `<news:news><news:publication>${name}<news:language>ko</news:language></news:publication>` +
        `<news:publication_date>${toKstIso(i.publishedAt)}</news:publication_date>` +
        `${element('news:title', i.title)}</news:news></url>`,
    ),
    '</urlset>',
    '',
  ].join('\n');
}
