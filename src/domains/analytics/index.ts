/**
 * Reader counts: article readings counted in memory from the site's beacon, stored per
 * article per KST hour, and read back as 많이 본 뉴스 and the newsroom's reports.
 *
 * AppError codes thrown here: INVALID_INPUT (400) for a bad article id, window, list
 * length or period.
 */
export {
  createReaderCounts,
  MOST_READ_KEEP_MS,
  MOST_READ_MAX,
  type MostReadBoard,
  type MostReadWindow,
  type ReaderCounts,
  type ReaderCountsDeps,
  type ViewOutcome,
  type ViewReport,
} from './readers.ts';
export {
  kstDayStart,
  type ArticleViews,
  type DayViews,
  type MostReadArticle,
  type SectionViews,
} from './reports.ts';
export { crawlerTest, isSpeculative } from './visitors.ts';
