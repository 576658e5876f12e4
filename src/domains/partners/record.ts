import { ARTICLE_ORIGINS, type ArticleOrigin } from '../../shared/article-origins.ts';
import { toKstIso } from '../../shared/kst.ts';
import { NOTICE_KINDS, type NoticeKind } from '../../shared/notice-kinds.ts';

/**
 * What a portal partner receives for one article: the one place that maps the paper's
 * data to the partner's fields. A partner with its own specification (field names, a
 * different date format, the body as plain text) is served by changing `partnerRecord`
 * alone; the feed, its cursor and its tests do not move. README "Portal partners" lists
 * the fields.
 */

/** An article as the feed loads it: plain data, times in epoch milliseconds. */
export interface PartnerArticle {
  id: number;
  revision: number;
  origin: ArticleOrigin;
  title: string;
  /** Lede lines separated by "\n". */
  subtitle: string;
  /** The stored (cleaned) body, photo captions as the library has them, URLs still relative. */
  bodyHtml: string;
  summary: string;
  section: { name: string; slug: string; path: string[] };
  authors: { name: string; email: string | null; title: string }[];
  /** Attached photos in page order, the featured one first; `src` relative to the site. */
  photos: {
    src: string;
    width: number;
    height: number;
    caption: string;
    credit: string;
    alt: string;
    featured: boolean;
  }[];
  tags: string[];
  notices: { kind: NoticeKind; body: string; createdAt: number; updatedAt: number | null }[];
  firstPublishedAt: number;
  /** When what readers see last changed; never before the first publication. */
  modifiedAt: number;
}

export interface PartnerRecord {
  id: number;
  url: string;
  revision: number;
  origin: ArticleOrigin;
  originLabel: string;
  /** True for 광고성 기사: a partner must show it as an advertisement, not as news. */
  advertorial: boolean;
  title: string;
  subtitle: string[];
  bodyHtml: string;
  summary: string;
  section: { name: string; path: string[]; url: string };
  reporters: { name: string; email: string | null; title: string }[];
  images: {
    url: string;
    width: number;
    height: number;
    caption: string;
    credit: string;
    alt: string;
    featured: boolean;
  }[];
  keywords: string[];
  corrections: {
    kind: NoticeKind;
    label: string;
    text: string;
    publishedAt: string;
    updatedAt: string | null;
  }[];
  firstPublishedAt: string;
  modifiedAt: string;
}

/** An article partners must take down (unpublished, binned, or moved back to a schedule). */
export interface PartnerDeletion {
  id: number;
  deleted: true;
}

export interface PartnerSite {
  /** The public URL, no trailing slash (TAMNA_SITE_URL). */
  siteUrl: string;
}

/** A site-relative URL ("/media/a.jpg") made absolute; absolute ones are left alone. */
export function absoluteUrl(url: string, siteUrl: string): string {
  return url.startsWith('/') && !url.startsWith('//') ? `${siteUrl}${url}` : url;
}

/**
 * The body with site-relative src, href and srcset made absolute: a partner shows it on
 * another host. The body is the cleaner's output (quoted attributes, no raw `"` inside),
 * so patterns over attributes are exact.
 */
export function absoluteBody(html: string, siteUrl: string): string {
  return html
    .replace(
      /\b(src|href)="([^"]*)"/g,
      (_m, name: string, url: string) => `${name}="${absoluteUrl(url, siteUrl)}"`,
    )
    .replace(/\bsrcset="([^"]*)"/g, (_m, list: string) => {
      const parts = list.split(',').map((part) => {
        const [url = '', ...rest] = part.trim().split(/\s+/);
        return [absoluteUrl(url, siteUrl), ...rest].join(' ');
      });
      return `srcset="${parts.join(', ')}"`;
    });
}

export function partnerRecord(article: PartnerArticle, site: PartnerSite): PartnerRecord {
  const { siteUrl } = site;
  return {
    id: article.id,
    url: `${siteUrl}/news/${article.id}`,
    revision: article.revision,
    origin: article.origin,
    originLabel: ARTICLE_ORIGINS[article.origin],
    advertorial: article.origin === 'advertorial',
    title: article.title,
    subtitle: article.subtitle
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== ''),
    bodyHtml: absoluteBody(article.bodyHtml, siteUrl),
    summary: article.summary,
    section: {
      name: article.section.name,
      path: article.section.path,
      url: `${siteUrl}/section/${encodeURIComponent(article.section.slug)}`,
    },
    reporters: article.authors.map((a) => ({
      name: a.name,
      email: a.email,
      title: a.title || '기자',
    })),
    images: article.photos.map((p) => ({
      url: absoluteUrl(p.src, siteUrl),
      width: p.width,
      height: p.height,
      caption: p.caption,
      credit: p.credit,
      alt: p.alt,
      featured: p.featured,
    })),
    keywords: article.tags,
    corrections: article.notices.map((n) => ({
      kind: n.kind,
      label: NOTICE_KINDS[n.kind],
      text: n.body,
      publishedAt: toKstIso(n.createdAt),
      updatedAt: n.updatedAt === null ? null : toKstIso(n.updatedAt),
    })),
    firstPublishedAt: toKstIso(article.firstPublishedAt),
    modifiedAt: toKstIso(article.modifiedAt),
  };
}
