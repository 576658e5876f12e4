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
  type Handover,
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
export {
  checkArrangement,
  createFrontDesk,
  FRONT_AREAS,
  pinnedIds,
  placesOf,
  SECTION_BOX_PLACES,
  type BreakingArticle,
  type FrontArea,
  type FrontArrangement,
  type FrontDesk,
  type FrontVersion,
} from './front.ts';
export {
  CHANGE_CHANNEL,
  createChangeFeed,
  type ChangeFeed,
  type ChangeFeedReader,
} from './change-feed.ts';
export { createImporter, type Importer, type ImportReport, type ImportRecord } from './import.ts';
export { compareBodyHtml, compareText, type FieldDiff } from './revision-diff.ts';
export {
  createPreviews,
  PREVIEW_LIFETIME_MS,
  type PreviewLink,
  type PreviewPurpose,
  type Previews,
} from './previews.ts';
export { DEFAULT_BREAKING_MS, MAX_BREAKING_MS } from './breaking.ts';
