export { createContentService, type ContentService, type FrontPageOptions } from './service.ts';
export {
  createWriter,
  articleTags,
  articleSummary,
  upsertTags,
  type Writer,
  type ArticleInput,
  type SectionInput,
  type AuthorInput,
  type PhotoInput,
} from './writer.ts';
export { cleanBodyHtml } from './body-html.ts';
export { createBodyCleaner, type BodyCleaner } from './body-cleaner.ts';
export type * from './types.ts';
