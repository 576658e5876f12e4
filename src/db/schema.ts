import type { ColumnType, Generated } from 'kysely';
import type { ArticleOrigin } from '../shared/article-origins.ts';

/**
 * Table types for Kysely. Times are epoch milliseconds (bigint in PostgreSQL, integer in
 * SQLite) so both dialects compare and sort them the same way; flags are 0/1 integers for
 * the same reason.
 */
export interface SectionTable {
  id: Generated<number>;
  slug: string;
  name: string;
  parent_id: number | null;
  position: number;
  hidden: number;
  layout: 'list' | 'photo';
  created_at: number;
}

export interface AuthorTable {
  id: Generated<number>;
  name: string;
  /** Null for a byline without an account or address (an archive's columnist, 외부 필자). */
  email: string | null;
  /** Shown after the name, e.g. 객원 기자; empty for staff. */
  title: ColumnType<string, string | undefined, string>;
  created_at: number;
  /** Desk or beat on the 기자 페이지, e.g. 사회부 · 교육 담당. */
  beat: ColumnType<string, string | undefined, string>;
  /** A short introduction on the 기자 페이지. */
  intro: ColumnType<string, string | undefined, string>;
  /** The profile photo (a photo library row). */
  photo_id: ColumnType<number | null, number | null | undefined, number | null>;
}

export interface PhotoTable {
  id: Generated<number>;
  storage_key: string;
  width: number;
  height: number;
  mime: string;
  caption: string;
  credit: string;
  alt: string;
  /** Comma-separated widths of WebP renditions, e.g. "480,960". */
  variants: string;
  created_at: number;
  uploaded_by: number | null;
  /** Where an imported photo came from (URL or file path). */
  source: string | null;
  /** Focal point, 0..1 from the left and from the top; null is the centre. */
  focal_x: ColumnType<number | null, number | null | undefined, number | null>;
  focal_y: ColumnType<number | null, number | null | undefined, number | null>;
}

export type ArticleStatus = 'draft' | 'submitted' | 'published' | 'unpublished' | 'trashed';

export interface ArticleTable {
  id: Generated<number>;
  section_id: number;
  title: string;
  /** Lede lines separated by "\n". */
  subtitle: string;
  body_html: string;
  /** Plain-text summary derived from the body, for teasers and meta descriptions. */
  summary: string;
  status: ArticleStatus;
  is_breaking: number;
  /** When 속보 ends (set whenever is_breaking is): pages stop showing the flag then. */
  breaking_until: number | null;
  is_photo_story: number;
  featured_photo_id: number | null;
  published_at: number | null;
  updated_at: number;
  created_at: number;
  seo_title: Generated<string>;
  seo_description: Generated<string>;
  /** Nothing may publish the article, or show it anywhere, before this time. */
  embargo_until: number | null;
  /** Identity in the archive an article was imported from. */
  external_id: string | null;
  /** The staff member who created it (a reporter's "own" articles). */
  owner_id: number | null;
  /** The status it had when moved to the trash, to restore it to. */
  trashed_from: ArticleStatus | null;
  /** 자체기사, 통신, 보도자료, 기고, 광고성 기사 (shared/article-origins.ts). */
  origin: ColumnType<ArticleOrigin, ArticleOrigin | undefined, ArticleOrigin>;
  /** Grows with every change readers see (text, photos, byline, notices): see content/changes.ts. */
  revision: ColumnType<number, number | undefined, number>;
  /** When what readers see last changed (the revision's time). */
  revised_at: ColumnType<number | null, number | null | undefined, number | null>;
  /** When it first went out to readers: published_at restarts on a republish, this does not. */
  first_published_at: ColumnType<number | null, number | null | undefined, number | null>;
  /** Position in the order of changes portal partners hear about (article_change_counter). */
  change_seq: ColumnType<number, number | undefined, number>;
  /** A scheduled piece: the time it comes out, when partners must hear of it without a write. */
  change_due_at: ColumnType<number | null, number | null | undefined, number | null>;
}

/** One row: the last change sequence number handed out. */
export interface ArticleChangeCounterTable {
  id: number;
  value: number;
}

export interface ArticleAuthorTable {
  article_id: number;
  author_id: number;
  position: number;
}

export interface ArticlePhotoTable {
  article_id: number;
  photo_id: number;
  position: number;
}

export interface TagTable {
  id: Generated<number>;
  name: string;
}

export interface ArticleTagTable {
  article_id: number;
  tag_id: number;
  /** The order the tags were typed in. */
  position: ColumnType<number, number | undefined, number>;
}

export interface BannerTable {
  id: Generated<number>;
  slot: string;
  title: string;
  image_key: string;
  width: number;
  height: number;
  link_url: string;
  starts_at: number;
  ends_at: number;
  weight: number;
  is_sample: number;
  created_at: number;
  advertiser: Generated<string>;
  /** 'image' | 'html' */
  kind: Generated<string>;
  /** An ad network's tag; admins only; served in a sandboxed frame. */
  html_tag: string | null;
  /** 'all' | 'mobile' | 'desktop' */
  device: Generated<string>;
  /** Section slugs, comma-separated; empty runs everywhere. */
  sections: Generated<string>;
  paused: Generated<number>;
  updated_at: Generated<number>;
}

export interface BannerSlotTable {
  id: string;
  name: string;
  width: number;
  height: number;
  paragraph: number | null;
  position: number;
  enabled: number;
}

export interface BannerDailyTable {
  banner_id: number;
  /** KST day, YYYYMMDD. */
  day: number;
  impressions: number;
  clicks: number;
}

export interface ArticleViewTable {
  article_id: number;
  /** Start of the hour, epoch ms. */
  hour: number;
  views: number;
}

/** A KST day's reader salt (see migration 0014): deleted when the day is over. */
export interface ReaderSaltTable {
  day: number;
  salt: string;
}

/** A (reader, article) pair counted on a KST day, as a 53-bit hash with that day's salt. */
export interface ReaderFingerprintTable {
  day: number;
  fingerprint: number;
}

export interface WeatherObservationTable {
  place_id: string;
  place_name: string;
  position: number;
  sky: string;
  temperature: number | null;
  observed_at: number;
  source: string;
  fetched_at: number;
}

export interface WeatherPlaceTable {
  /** `asos:<station>` or `grid:<nx>,<ny>`. */
  id: string;
  name: string;
  kind: 'station' | 'grid';
  station: number | null;
  lat: number;
  lon: number;
  nx: number | null;
  ny: number | null;
  position: number;
  created_at: number;
}

export interface WeatherSourceStatusTable {
  /** 'hub' | 'portal' | 'forecast'. */
  source: string;
  attempted_at: number;
  succeeded_at: number | null;
  error: string | null;
  /** The newest observation or issue time the last success brought. */
  observed_at: number | null;
}

export interface WeatherForecastTable {
  region: string;
  nx: number;
  ny: number;
  base_at: number;
  fetched_at: number;
  /** JSON: ForecastDay[]. */
  days: string;
}

export interface JobClaimTable {
  name: string;
  owner: string;
  until: number;
}

export type StaffRole = 'admin' | 'desk' | 'reporter' | 'contributor';

export interface UserTable {
  id: Generated<number>;
  email: string;
  name: string;
  role: StaffRole;
  password_hash: string;
  must_change_password: number;
  totp_secret: string | null;
  totp_enabled: number;
  author_id: number | null;
  disabled: number;
  created_at: number;
  updated_at: number;
}

export interface SessionTable {
  id_hash: string;
  user_id: number;
  csrf_token: string;
  second_factor_ok: number;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
  user_agent: string;
}

export interface LoginThrottleTable {
  key: string;
  failures: number;
  window_started_at: number;
  locked_until: number;
}

export interface UserTokenTable {
  token_hash: string;
  user_id: number;
  purpose: 'setup' | 'reset';
  expires_at: number;
  used_at: number | null;
}

export type ArticleEventKind =
  | 'created'
  | 'submitted'
  | 'sent_back'
  | 'published'
  | 'scheduled'
  | 'unpublished'
  | 'trashed'
  | 'restored'
  | 'edited'
  | 'imported'
  | 'notice'
  | 'byline';

export interface ArticleEventTable {
  id: Generated<number>;
  article_id: number;
  user_id: number | null;
  kind: ArticleEventKind;
  comment: string;
  at: number;
}

export interface ArticleRevisionTable {
  id: Generated<number>;
  article_id: number;
  user_id: number | null;
  title: string;
  subtitle: string;
  body_html: string;
  fields_json: string;
  created_at: number;
}

export interface ArticleEditLockTable {
  article_id: number;
  user_id: number;
  heartbeat_at: number;
}

export interface ArticleNoticeTable {
  id: Generated<number>;
  article_id: number;
  kind: 'correction' | 'reply' | 'followup';
  body: string;
  user_id: number | null;
  created_at: number;
  updated_at: number | null;
  /** Withdrawn notices stay in the history but no longer show on the article. */
  withdrawn_at: number | null;
}

/** Every wording a notice had: what readers were shown, and when. */
export interface ArticleNoticeVersionTable {
  id: Generated<number>;
  notice_id: number;
  action: 'created' | 'edited' | 'withdrawn';
  kind: 'correction' | 'reply' | 'followup';
  body: string;
  user_id: number | null;
  at: number;
}

/** A private link showing an unpublished article as readers will see it. */
export interface ArticlePreviewTable {
  id: Generated<number>;
  article_id: number;
  token_hash: string;
  purpose: 'desk' | 'share';
  created_by: number | null;
  created_at: number;
  expires_at: number;
  revoked_at: number | null;
}

/** What a staff member should know about: a piece sent to the desk, sent back, published. */
export interface StaffNotificationTable {
  id: Generated<number>;
  user_id: number;
  kind: 'submitted' | 'sent_back' | 'published' | 'scheduled' | 'webhook_disabled' | 'tip';
  article_id: number | null;
  /** A 기사제보 the notice is about (kind 'tip'). */
  tip_id: ColumnType<number | null, number | null | undefined, number | null>;
  text: string;
  created_at: number;
  read_at: number | null;
}

/** One saved wording of a policy page (개인정보처리방침, 이용약관, …); the latest is in force. */
export interface PolicyVersionTable {
  id: Generated<number>;
  slug: string;
  body_html: string;
  saved_by: number | null;
  saved_at: number;
}

export type TipStatus = 'new' | 'seen' | 'done';

/** A reader's 기사제보. Name, contact and files are personal data, kept for a set time. */
export interface TipTable {
  id: Generated<number>;
  /** What the sender is told, to refer to the tip later: 251209-K7QM4X. */
  receipt: string;
  name: string;
  contact: string;
  body: string;
  status: ColumnType<TipStatus, TipStatus | undefined, TipStatus>;
  file_count: number;
  created_at: number;
  /** When name, contact and files were deleted; null while they are kept. */
  purged_at: number | null;
  handled_by: number | null;
  handled_at: number | null;
}

export interface TipFileTable {
  id: Generated<number>;
  tip_id: number;
  position: number;
  kind: 'photo' | 'pdf';
  mime: string;
  /** The sender's file name (personal data too: deleted with the file). */
  name: string;
  size: number;
  width: number | null;
  height: number | null;
  bytes: Buffer;
}

/** Tips sent per address (hashed) or in all, in a fixed window. */
export interface TipLimitTable {
  key: string;
  count: number;
  window_started_at: number;
}

/** Keys made once and shared by every app server (the tip form's timestamp signature). */
export interface SiteSecretTable {
  name: string;
  value: string;
  created_at: number;
}

export interface FrontSlotTable {
  area: string;
  position: number;
  article_id: number;
}

/** Every arrangement of the front page, to see who changed it and to undo. */
export interface FrontHistoryTable {
  id: Generated<number>;
  user_id: number | null;
  user_name: string;
  created_at: number;
  /** JSON: area -> article id or null (filled by the rule) per place. */
  arrangement: string;
  restored_from: number | null;
}

/** 연재·기획: articles the desk groups under one title, read in order. */
export interface SeriesTable {
  id: Generated<number>;
  title: string;
  description: string;
  photo_id: number | null;
  created_by: number | null;
  created_at: number;
  updated_at: number;
}

/** A series' parts in reading order; an article belongs to one series at most. */
export interface SeriesPartTable {
  series_id: number;
  article_id: number;
  position: number;
}

export interface ChangeFeedTable {
  id: Generated<number>;
  /** Cache tags, comma-separated. */
  tags: string;
  at: number;
}

/**
 * The search tokens of a published article (domains/search writes them); each database
 * indexes them its own way (see migration 0009).
 */
export interface ArticleSearchTable {
  article_id: number;
  title_words: string;
  title_grams: string;
  /** Subtitle and tags. */
  sub_words: string;
  sub_grams: string;
  body_words: string;
  body_grams: string;
}

/** The head tokens of a search document again, narrow, for ranking (migration 0020). */
export interface ArticleSearchHeadTable {
  article_id: number;
  title_words: string;
  title_grams: string;
  sub_words: string;
  sub_grams: string;
}

/** A published article's title words, for 관련기사 (migration 0017). */
export interface ArticleTermTable {
  term: string;
  article_id: number;
}

/**
 * Published articles (scheduled ones included) per section and week of publication
 * (floor(published_at / COUNT_WEEK_MS)), kept by triggers on articles (migration 0018).
 */
export interface SectionWeekCountTable {
  section_id: number;
  week: number;
  published: number;
}

/** A key for the read-only content API; only its SHA-256 is kept. */
export interface ApiKeyTable {
  id: Generated<number>;
  name: string;
  key_hash: string;
  key_prefix: string;
  /** Requests allowed per minute. */
  rate_limit: number;
  created_by: number | null;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

/** Requests of one API key in one minute (fixed windows), for its rate limit. */
export interface ApiKeyUsageTable {
  key_id: number;
  window_start: number;
  requests: number;
}

export interface WebhookEndpointTable {
  id: Generated<number>;
  url: string;
  description: ColumnType<string, string | undefined, string>;
  /** Subscribed event types between commas: ',article.published,article.updated,'. */
  events: string;
  secret: string;
  previous_secret: string | null;
  previous_secret_until: number | null;
  enabled: ColumnType<number, number | undefined, number>;
  disabled_at: number | null;
  disabled_reason: string | null;
  consecutive_failures: ColumnType<number, number | undefined, number>;
  failing_since: number | null;
  last_success_at: number | null;
  last_failure_at: number | null;
  created_by: number | null;
  created_at: number;
}

export interface WebhookEventTable {
  id: Generated<number>;
  type: string;
  article_id: number | null;
  /** A test ping's one endpoint; null: every subscribed endpoint. */
  endpoint_id: number | null;
  /** JSON: what the change was. */
  detail: string;
  created_at: number;
  due_at: number;
  dispatched_at: number | null;
  /** The JSON body sent, fixed at dispatch. */
  payload: string | null;
}

export type WebhookDeliveryState = 'pending' | 'delivered' | 'failed';

export interface WebhookDeliveryTable {
  id: Generated<number>;
  event_id: number;
  endpoint_id: number;
  state: WebhookDeliveryState;
  attempts: ColumnType<number, number | undefined, number>;
  next_attempt_at: number;
  deadline_at: number;
  claimed_by: string | null;
  claimed_until: number | null;
  last_status: number | null;
  last_error: string | null;
  created_at: number;
  finished_at: number | null;
}

export interface WebhookAttemptTable {
  id: Generated<number>;
  delivery_id: number;
  at: number;
  status: number | null;
  latency_ms: number;
  error: string | null;
  response_excerpt: string | null;
}

export type CdnPurgeKind = 'tag' | 'url';
export type CdnPurgeState = 'pending' | 'sent' | 'failed';

/** One purge for the CDN: a cache tag or an address (domains/cdn owns these rows). */
export interface CdnPurgeTable {
  id: Generated<number>;
  kind: CdnPurgeKind;
  target: string;
  state: CdnPurgeState;
  attempts: ColumnType<number, number | undefined, number>;
  created_at: number;
  due_at: number;
  deadline_at: number;
  claimed_by: string | null;
  claimed_until: number | null;
  last_attempt_at: number | null;
  last_status: number | null;
  last_error: string | null;
  sent_at: number | null;
}

export interface Database {
  sections: SectionTable;
  authors: AuthorTable;
  photos: PhotoTable;
  articles: ArticleTable;
  article_authors: ArticleAuthorTable;
  article_photos: ArticlePhotoTable;
  tags: TagTable;
  article_tags: ArticleTagTable;
  banners: BannerTable;
  weather_observations: WeatherObservationTable;
  users: UserTable;
  sessions: SessionTable;
  login_throttle: LoginThrottleTable;
  user_tokens: UserTokenTable;
  article_events: ArticleEventTable;
  article_revisions: ArticleRevisionTable;
  article_edit_locks: ArticleEditLockTable;
  article_notices: ArticleNoticeTable;
  article_notice_versions: ArticleNoticeVersionTable;
  article_previews: ArticlePreviewTable;
  staff_notifications: StaffNotificationTable;
  front_slots: FrontSlotTable;
  front_history: FrontHistoryTable;
  change_feed: ChangeFeedTable;
  weather_places: WeatherPlaceTable;
  weather_source_status: WeatherSourceStatusTable;
  weather_forecasts: WeatherForecastTable;
  job_claims: JobClaimTable;
  banner_slots: BannerSlotTable;
  banner_daily: BannerDailyTable;
  article_views: ArticleViewTable;
  reader_salts: ReaderSaltTable;
  reader_fingerprints: ReaderFingerprintTable;
  series: SeriesTable;
  series_parts: SeriesPartTable;
  article_search: ArticleSearchTable;
  article_terms: ArticleTermTable;
  article_search_heads: ArticleSearchHeadTable;
  section_week_counts: SectionWeekCountTable;
  article_change_counter: ArticleChangeCounterTable;
  api_keys: ApiKeyTable;
  api_key_usage: ApiKeyUsageTable;
  webhook_endpoints: WebhookEndpointTable;
  webhook_events: WebhookEventTable;
  webhook_deliveries: WebhookDeliveryTable;
  webhook_attempts: WebhookAttemptTable;
  policy_versions: PolicyVersionTable;
  tips: TipTable;
  tip_files: TipFileTable;
  tip_limits: TipLimitTable;
  site_secrets: SiteSecretTable;
  cdn_purges: CdnPurgeTable;
}
