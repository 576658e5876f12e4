export { createContentService, type ContentService, type FrontPageOptions } from './service.ts';
export { isReadableNow } from './reader.ts';
export {
  createWriter,
  articleSummary,
  type Writer,
  type ArticleInput,
  type SectionInput,
  type AuthorInput,
  type AuthorProfileInput,
  checkAuthorProfile,
  PROFILE_LIMITS,
} from './writer.ts';
export {
  createSeriesDesk,
  SERIES_LIMITS,
  type DeskSeries,
  type DeskSeriesPart,
  type SeriesDesk,
  type SeriesInput,
} from './series.ts';
export {
  addRelationsOfNewArticles,
  createAuthor,
  ensureAuthor,
  listingsOf,
  listingsOfArticle,
  setArticleAuthors,
  setArticlePhotos,
  setArticleRelations,
  setArticleTags,
  tagNames,
  updateAuthor,
  type ArticleRelations,
} from './relations.ts';
export { bodyPhotos, cleanBodyHtml, withPhotoText, type BodyPhoto } from './body-html.ts';
export { withMediaUrls } from './media-urls.ts';
export { createBodyCleaner, type BodyCleaner } from './body-cleaner.ts';
export type {
  CatalogArticle,
  CatalogAuthor,
  CatalogFilters,
  CatalogPage,
  CatalogPosition,
} from './catalog.ts';
export {
  createSyndication,
  kstMonthStart,
  monthKey,
  SITEMAP_BATCH,
  type FeedArticle,
  type FeedQuery,
  type NewsSitemapRow,
  type SitemapMonth,
  type Syndication,
} from './syndication.ts';
export type * from './types.ts';
export {
  articleCreated,
  articlesRevised,
  articlesRevisedElsewhere,
  articlesShowingPhoto,
  articlesWithByline,
  lastChangeSeq,
  releaseDueArticles,
  watchArticle,
  type ArticleChange,
} from './changes.ts';
