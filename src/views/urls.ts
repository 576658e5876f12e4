export const articlePath = (id: number): string => `/news/${id}`;
export const sectionPath = (slug: string, page = 1): string =>
  page > 1
    ? `/section/${encodeURIComponent(slug)}?page=${page}`
    : `/section/${encodeURIComponent(slug)}`;
export const weatherPath = '/weather';
/** A byline's 기자 페이지. */
export const reporterPath = (id: number, page = 1): string =>
  page > 1 ? `/reporter/${id}?page=${page}` : `/reporter/${id}`;
/** A byline's articles as RSS 2.0. */
export const reporterFeedPath = (id: number): string => `/reporter/${id}/rss`;
/** A tag's page: the name as one path segment, whatever it holds (spaces, `/`, `%`). */
export const tagPath = (name: string, page = 1): string =>
  page > 1 ? `/tag/${encodeURIComponent(name)}?page=${page}` : `/tag/${encodeURIComponent(name)}`;
/** A series (연재·기획) page. */
export const seriesPath = (id: number): string => `/series/${id}`;
/** 기사제보: the form (its text is the 'tip' policy page). */
export const tipPath = '/jebo';
/** A policy page; 기사제보's page is its form. */
export const policyPath = (slug: string): string => (slug === 'tip' ? tipPath : `/policy/${slug}`);
/**
 * The site's feeds, at the addresses the hosted CMSs most Korean papers move from use
 * (portals and readers already know them): every section's articles, and one section's by
 * its number, which survives a renamed address. `/feed`, `/section/<slug>/feed` and
 * `/rss/<slug>.xml` redirect here.
 */
export const siteFeedPath = '/rss/allArticle.xml';
export const siteAtomPath = '/atom/allArticle.xml';
export const sectionFeedPath = (sectionId: number): string => `/rss/S1N${sectionId}.xml`;
export const sectionAtomPath = (sectionId: number): string => `/atom/S1N${sectionId}.xml`;
/** The sitemap index, and the Google News sitemap of the last two days. */
export const sitemapIndexPath = '/sitemap.xml';
export const newsSitemapPath = '/sitemap-news.xml';
