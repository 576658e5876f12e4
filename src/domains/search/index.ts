export {
  createSearch,
  MAX_CANDIDATES,
  type Search,
  type SearchHit,
  type SearchRequest,
  type SearchResult,
} from './service.ts';
export { writeSearchDocument, writeSearchDocuments } from './documents.ts';
export { titleCandidates } from './title-filter.ts';
export { analyzeField, analyzeQuery, fold, MAX_QUERY_WORDS } from './analyzer.ts';
