export {
  createPartnerFeed,
  decodeCursor,
  encodeCursor,
  FEED_PAGE_DEFAULT,
  FEED_PAGE_MAX,
  type PartnerFeed,
  type PartnerFeedPage,
} from './feed.ts';
export {
  createPartnerExport,
  exportPeriod,
  EXPORT_MONTHS_MAX,
  monthlyOwnCsv,
  type ExportArticle,
  type ExportPeriod,
  type MonthlyOwnReport,
  type MonthlyOwnRow,
  type PartnerExport,
} from './export.ts';
export {
  absoluteBody,
  partnerRecord,
  type PartnerArticle,
  type PartnerDeletion,
  type PartnerRecord,
} from './record.ts';
