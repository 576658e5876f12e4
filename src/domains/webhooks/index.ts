export {
  AUTOSAVE_SETTLE_MS,
  EVENT_LABELS,
  isWebhookEventType,
  queueArticleEvent,
  queueArticlesUpdated,
  WEBHOOK_EVENTS,
  type ArticleChange,
  type WebhookEventType,
} from './events.ts';
export { buildPayload, type WebhookLinks, type WebhookPayload } from './payload.ts';
export {
  checkEndpointUrl,
  createWebhooks,
  MAX_ENDPOINTS,
  SECRET_OVERLAP_MS,
  type AttemptLog,
  type DeliveryLog,
  type EndpointInput,
  type EndpointSummary,
  type Webhooks,
} from './service.ts';
export {
  SIGNATURE_HEADER,
  SIGNATURE_TOLERANCE_SECONDS,
  signatureHeader,
  signPayload,
  verifySignature,
} from './signature.ts';
export {
  createTransport,
  type Transport,
  type TransportOptions,
  type WebhookRequest,
  type WebhookResponse,
} from './transport.ts';
export { DEFAULT_RETRY_POLICY, nextAttemptAt, type RetryPolicy } from './worker.ts';
