export { createContentService, type ContentService, type FrontPageOptions } from './service.ts';
export {
  createWriter,
  articleSummary,
  type Writer,
  type ArticleInput,
  type SectionInput,
  type AuthorInput,
} from './writer.ts';
export {
  addRelationsOfNewArticles,
  createAuthor,
  ensureAuthor,
  setArticleAuthors,
  setArticlePhotos,
  setArticleRelations,
  setArticleTags,
  updateAuthor,
  type ArticleRelations,
} from './relations.ts';
export { bodyPhotos, cleanBodyHtml, withPhotoText, type BodyPhoto } from './body-html.ts';
export { createBodyCleaner, type BodyCleaner } from './body-cleaner.ts';
export type {
  CatalogArticle,
  CatalogAuthor,
  CatalogFilters,
  CatalogPage,
  CatalogPosition,
} from './catalog.ts';
export type * from './types.ts';
