export const articlePath = (id: number): string => `/news/${id}`;
export const sectionPath = (slug: string, page = 1): string =>
  page > 1
    ? `/section/${encodeURIComponent(slug)}?page=${page}`
    : `/section/${encodeURIComponent(slug)}`;
export const weatherPath = '/weather';
