export {
  createAdapter,
  BAN_TAGS_HEADER,
  type AdapterOptions,
  type CdnAdapter,
  type PurgeResult,
} from './providers.ts';
export {
  createCdnPurges,
  DEFAULT_PURGE_RETRY,
  EVERY_PAGE_TAG,
  nextPurgeAttempt,
  UNPURGED_TAGS,
  type CdnPurges,
  type CdnPurgesDeps,
  type PurgeQueueStatus,
  type PurgeRetryPolicy,
  type PurgeRow,
} from './queue.ts';
