export {
  createApiKeys,
  hashApiKey,
  DEFAULT_RATE_LIMIT,
  RATE_LIMIT_MAX,
  RATE_LIMIT_MIN,
  RATE_WINDOW_MS,
  type ApiClient,
  type ApiKeys,
  type ApiKeySummary,
  type RateDecision,
} from './service.ts';
