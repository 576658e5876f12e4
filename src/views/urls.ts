export const articlePath = (id: number): string => `/news/${id}`;
export const sectionPath = (slug: string, page = 1): string =>
  page > 1
    ? `/section/${encodeURIComponent(slug)}?page=${page}`
    : `/section/${encodeURIComponent(slug)}`;
export const weatherPath = '/weather';
/** 기사제보: the form (its text is the 'tip' policy page). */
export const tipPath = '/jebo';
/** A policy page; 기사제보's page is its form. */
export const policyPath = (slug: string): string => (slug === 'tip' ? tipPath : `/policy/${slug}`);
