export {
  createDesk,
  forbidden,
  STATUS_LABELS,
  EDIT_LOCK_TTL_MS,
  type Actor,
  type Desk,
  type DeskListItem,
  type DeskListQuery,
  type EditableArticle,
  type EditorInput,
  type ArticleEvent,
  type ArticleNotice,
  type Revision,
  type RevisionSummary,
} from './desk.ts';
export {
  allowedActions,
  articleVerdict,
  ARTICLE_ACTIONS,
  type AllowedActions,
  type ArticleAction,
} from './article-rules.ts';
export { createFrontDesk, FRONT_AREAS, type FrontDesk, type FrontArea } from './front.ts';
export { createChangeFeed, type ChangeFeed } from './change-feed.ts';
export { createImporter, type Importer, type ImportReport, type ImportRecord } from './import.ts';
export { compareBodyHtml, compareText, type FieldDiff } from './revision-diff.ts';
export {
  createPreviews,
  PREVIEW_LIFETIME_MS,
  type PreviewLink,
  type PreviewPurpose,
  type Previews,
} from './previews.ts';
