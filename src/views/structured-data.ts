import { toKstIso } from '../shared/kst.ts';
import { NOTICE_KINDS } from '../shared/notice-kinds.ts';
import { LOGO_PATH, LOGO_SIZE } from '../shared/share-images.ts';
import type { ArticleView, ChromeView } from './model.ts';
import { absoluteUrl, structuredDataImages } from './share.ts';
import { articlePath, reporterPath, sectionPath } from './urls.ts';

/**
 * schema.org data for search engines, as JSON-LD: `NewsArticle` and `BreadcrumbList` on
 * article pages, `NewsMediaOrganization` and `WebSite` (with the site search) on the front
 * page. Field by field it follows Google's Article guidelines
 * (developers.google.com/search/docs/appearance/structured-data/article).
 */

type Json = string | number | boolean | null | Json[] | JsonObject;
export type JsonObject = { [key: string]: Json };

const organizationId = (chrome: ChromeView) => `${chrome.siteUrl}/#organization`;

function logo(chrome: ChromeView): Json {
  return {
    '@type': 'ImageObject',
    url: absoluteUrl(chrome.siteUrl, LOGO_PATH),
    width: LOGO_SIZE,
    height: LOGO_SIZE,
  };
}

/** The paper, as the publisher of every article and on the front page. */
export function organizationData(chrome: ChromeView): JsonObject {
  const p = chrome.publisher;
  return {
    '@context': 'https://schema.org',
    '@type': 'NewsMediaOrganization',
    '@id': organizationId(chrome),
    name: p.name,
    url: `${chrome.siteUrl}/`,
    logo: logo(chrome),
    ...(p.email === '' ? {} : { email: p.email }),
    ...(p.phone === '' ? {} : { telephone: p.phone }),
    ...(p.address === ''
      ? {}
      : { address: { '@type': 'PostalAddress', streetAddress: p.address, addressCountry: 'KR' } }),
  };
}

/** The site, with its search as a `SearchAction` (the sitelinks search box). */
export function websiteData(chrome: ChromeView): JsonObject {
  return {
    '@context': 'https://schema.org',
    '@type': 'WebSite',
    '@id': `${chrome.siteUrl}/#website`,
    name: chrome.publisher.name,
    url: `${chrome.siteUrl}/`,
    inLanguage: 'ko',
    publisher: { '@id': organizationId(chrome) },
    potentialAction: {
      '@type': 'SearchAction',
      target: {
        '@type': 'EntryPoint',
        urlTemplate: `${chrome.siteUrl}/search?q={search_term_string}`,
      },
      'query-input': 'required name=search_term_string',
    },
  };
}

export function newsArticleData(
  chrome: ChromeView,
  article: ArticleView,
  description: string,
): JsonObject {
  const url = absoluteUrl(chrome.siteUrl, articlePath(article.id));
  const photo = article.photo ?? article.photos[0] ?? null;
  return {
    '@context': 'https://schema.org',
    '@type': 'NewsArticle',
    '@id': `${url}#article`,
    mainEntityOfPage: { '@type': 'WebPage', '@id': url },
    url,
    headline: article.title,
    description,
    image: structuredDataImages(chrome, photo, { articleId: article.id, title: article.title }),
    datePublished: toKstIso(article.publishedAt),
    // A piece scheduled ahead was last saved before it came out.
    dateModified: toKstIso(Math.max(article.updatedAt, article.publishedAt)),
    // The name alone: Google reads a job title in `name` as part of the name.
    author: article.bylines.map((b) => ({
      '@type': 'Person',
      name: b.name,
      url: absoluteUrl(chrome.siteUrl, reporterPath(b.id)),
      jobTitle: b.title || '기자',
    })),
    publisher: {
      '@type': 'NewsMediaOrganization',
      '@id': organizationId(chrome),
      name: chrome.publisher.name,
      url: `${chrome.siteUrl}/`,
      logo: logo(chrome),
    },
    articleSection: article.section.name,
    ...(article.tags.length === 0 ? {} : { keywords: article.tags }),
    inLanguage: 'ko',
    isAccessibleForFree: true,
    ...(article.notices.length === 0
      ? {}
      : {
          correction: article.notices.map((n) => ({
            '@type': 'CorrectionComment',
            text: `[${NOTICE_KINDS[n.kind]}] ${n.body}`,
            datePublished: toKstIso(n.updatedAt ?? n.createdAt),
          })),
        }),
  };
}

/** 홈 › section › … › the article, as the breadcrumb above the title shows it. */
export function breadcrumbData(chrome: ChromeView, article: ArticleView): JsonObject {
  const crumbs = [
    { name: '홈', url: `${chrome.siteUrl}/` },
    ...article.sectionPath.map((s) => ({
      name: s.name,
      url: absoluteUrl(chrome.siteUrl, sectionPath(s.slug)),
    })),
    { name: article.title, url: absoluteUrl(chrome.siteUrl, articlePath(article.id)) },
  ];
  return {
    '@context': 'https://schema.org',
    '@type': 'BreadcrumbList',
    itemListElement: crumbs.map((c, i) => ({
      '@type': 'ListItem',
      position: i + 1,
      name: c.name,
      item: c.url,
    })),
  };
}

/**
 * JSON for a `<script type="application/ld+json">`: `<`, `>` and `&` as \u escapes so
 * no title can close the script (`</script>`) or open a comment, and the two line
 * separators JavaScript once refused.
 */
export function jsonLdText(data: unknown): string {
  return JSON.stringify(data).replace(/[<>&\u2028\u2029]/g, (c) =>
    c === '<'
      ? '\\u003c'
      : c === '>'
        ? '\\u003e'
        : c === '&'
          ? '\\u0026'
          : c === '\u2028'
            ? '\\u2028'
            : '\\u2029',
  );
}
