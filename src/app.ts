import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import pino, { type Logger } from 'pino';
import { sql } from 'kysely';
import type { Config } from './config/index.ts';
import {
  connectDatabase,
  poolSizeFor,
  migrateToLatest,
  pendingMigrations,
  type DatabaseHandle,
  type NotificationListener,
} from './db/index.ts';
import {
  createAdStats,
  createBannerStore,
  type AdStats,
  type BannerStore,
} from './domains/ads/index.ts';
import { createReaderCounts, type ReaderCounts } from './domains/analytics/index.ts';
import {
  articlesRevisedElsewhere,
  articlesShowingPhoto,
  createContentService,
  createBodyCleaner,
  createSeriesDesk,
  createSyndication,
  createWriter,
  type ContentService,
  type SeriesDesk,
  type Syndication,
  type Writer,
} from './domains/content/index.ts';
import { createAccounts, type Accounts } from './domains/accounts/index.ts';
import {
  createLocalMediaStorage,
  createS3MediaStorage,
  createPhotoLibrary,
  createShareImages,
  type MediaStorage,
  type PhotoLibrary,
  type ShareImages,
} from './domains/media/index.ts';
import {
  CHANGE_CHANNEL,
  createChangeFeed,
  createDesk,
  createPreviews,
  type Previews,
  createImporter,
  type Importer,
  createFrontDesk,
  type ChangeFeed,
  type Desk,
  type FrontDesk,
} from './domains/newsroom/index.ts';
import {
  createWeatherRefresher,
  createWeatherStore,
  type WeatherRefresher,
  type WeatherStore,
} from './domains/weather/index.ts';
import { createSearch, type Search } from './domains/search/index.ts';
import { createMetrics, type JobStatus, type Metrics } from './http/metrics.ts';
import {
  createPartnerExport,
  createPartnerFeed,
  type PartnerExport,
  type PartnerFeed,
} from './domains/partners/index.ts';
import { createApiKeys, type ApiKeys } from './domains/apikeys/index.ts';
import { createWebhooks, type Webhooks } from './domains/webhooks/index.ts';
import type { CdnPurges } from './domains/cdn/index.ts';
import { CHANGE_FEED_POLL_MS, createCdn } from './cdn-setup.ts';
import { edgePolicyFor } from './http/cache/edge.ts';
import { API_PREFIX } from './http/api/index.ts';
import { articlePath } from './views/urls.ts';
import { createPolicies, type Policies } from './domains/policies/index.ts';
import { createTips, type Tips } from './domains/tips/index.ts';
import { PageCache } from './http/cache/page-cache.ts';
import { createLocalInvalidationBus, type InvalidationBus } from './http/cache/invalidation.ts';
import { adminAccounts, adminPhotos } from './http/admin/adapters.ts';
import {
  createMailer,
  createNotifications,
  type Notifications,
} from './domains/notifications/index.ts';
import { buildEditorAssets, type EditorAssets } from './http/admin/editor-asset.ts';
import { buildHttpServer } from './http/server.ts';
import { assetFromBytes, loadAsset, loadStylesheet } from './http/site/assets.ts';
import { buildSiteScript } from './http/site/site-script.ts';
import { revisedArticleTags, tag } from './shared/cache-tags.ts';
import { systemClock, type Clock } from './shared/clock.ts';

export interface AppOptions {
  clock?: Clock;
  logger?: Logger;
  /** Run migrations on start (the embedded default does; tests always do). */
  migrate?: boolean;
  /** An existing database handle (tests share one across apps). */
  database?: DatabaseHandle;
  /** Timers for the change feed and scheduled publishing (tests drive `watch` by hand). */
  backgroundJobs?: boolean;
  /**
   * With background jobs: also the jobs one server process does for all (pruning, cleanup,
   * webhook delivery, the weather refresh). Off in all but one worker of `tamna serve`;
   * across servers, database claims keep them single anyway.
   */
  sharedJobs?: boolean;
  /**
   * PostgreSQL: listen for the change feed's NOTIFY and read it at once (with background
   * jobs by default; tests turn it on alone).
   */
  changeNotifications?: boolean;
  /** Server processes sharing this server's database connections (`tamna serve` workers). */
  poolShare?: number;
  /** Timeouts and retries for KMA requests (tests shorten them). */
  weatherFetch?: { timeoutMs?: number; retries?: number; backoffMs?: number };
}

export interface Services {
  content: ContentService;
  writer: Writer;
  /** 연재·기획: the desk's series of articles. */
  series: SeriesDesk;
  desk: Desk;
  /** 미리보기 links of unpublished articles. */
  previews: Previews;
  /** 송고·반려·출고 notices for staff, in the admin and by e-mail. */
  notifications: Notifications;
  front: FrontDesk;
  changeFeed: ChangeFeed;
  weather: WeatherStore;
  /** KMA sources: the background refresh, the admin's "test now", `tamna weather refresh`. */
  weatherSources: WeatherRefresher;
  banners: BannerStore;
  /** Banner impressions and clicks, counted in memory and written every few seconds. */
  adStats: AdStats;
  /** Article readings, counted in memory and written every few seconds; 많이 본 뉴스. */
  readers: ReaderCounts;
  media: MediaStorage;
  accounts: Accounts;
  photos: PhotoLibrary;
  /** Korean full-text search over published articles, and 관련기사. */
  search: Search;
  /** Portal partners: the feed of changed articles, and the application's lists. */
  partnerFeed: PartnerFeed;
  partnerExport: PartnerExport;
  /** Keys of the content API (/api/v1) and their per-minute limits. */
  apiKeys: ApiKeys;
  /** Webhook endpoints, and the worker that delivers the desk's events to them. */
  webhooks: Webhooks;
  /** The CDN purge queue: every committed change's tags, sent once by one server. */
  cdn: CdnPurges;
  /** 이용약관, 개인정보처리방침, … : edited by admins, defaults naming the paper. */
  policies: Policies;
  /** 기사제보 from readers, for the desk's 제보함. */
  tips: Tips;
  /** What feeds and sitemaps list. */
  syndication: Syndication;
  /** Photo crops and cards for shares and structured data, kept under the data directory. */
  shareImages: ShareImages;
}

/**
 * The paper without its web server: configuration, database and services. What commands
 * that serve no pages (`tamna import`, `seed`, `weather refresh`) need; `createApp` adds
 * the page cache, the HTTP server and the background jobs on top.
 */
export interface Newsroom {
  config: Config;
  database: DatabaseHandle;
  services: Services;
  clock: Clock;
  logger: Logger;
  /** NDJSON archive import (`tamna import`, the admin API). */
  importer: Importer;
  /** Announces a committed change (cache tags) here and, through the change feed, elsewhere. */
  announce(tags: readonly string[]): Promise<void>;
  /** Runs `listener` with the cache tags of every change committed in this process. */
  onChange(listener: (tags: readonly string[]) => void | Promise<void>): void;
  /** True once for a change-feed entry this process wrote itself (then forgotten). */
  ownChange(id: number): boolean;
  /** Runs `listener` once a change is in the change feed (committed), with its entry id. */
  onRecorded(listener: (id: number) => void): void;
  /** Writes counts still in memory, stops the body cleaner and closes the database. */
  close(): Promise<void>;
}

export interface App {
  config: Config;
  database: DatabaseHandle;
  services: Services;
  cache: PageCache;
  bus: InvalidationBus;
  http: FastifyInstance;
  clock: Clock;
  logger: Logger;
  /** NDJSON archive import (`tamna import`, the admin API). */
  importer: Importer;
  /** Prometheus metrics (served at /metrics when TAMNA_METRICS_TOKEN is set). */
  metrics: Metrics;
  /** Runs `listener` once a change made here is in the change feed (committed). */
  onRecorded(listener: (id: number) => void): void;
  /**
   * The first step of a graceful stop: /readyz answers 503 from now on, so load balancers
   * send no new readers; close() follows.
   */
  beginShutdown(): void;
  /** Background checks, also callable directly (tests with a manual clock). */
  watch: {
    /** Reads the change feed now (one read at a time) and drops what others changed. */
    changesFromElsewhere(): Promise<number>;
    /**
     * Asks for a read of the change feed soon: a NOTIFY, a sibling worker's message. Calls
     * while one is waiting fold into it.
     */
    changesSoon(): void;
    /** PostgreSQL: the listener for the change feed's NOTIFY, when there is one. */
    readonly listener: NotificationListener | null;
    scheduledArticles(): Promise<void>;
    /** One pass of the webhook worker (joins a pass already running in this process). */
    webhooks(): Promise<{ dispatched: number; attempted: number }>;
    /** One pass of the CDN purge queue (joins a pass already running in this process). */
    cdnPurges(): Promise<{ claimed: number; sent: number }>;
  };
  close(): Promise<void>;
}

/** How often in-memory counts reach the database: at most this much is lost in a crash. */
const COUNTS_FLUSH_MS = 5_000;

const stylesheetFile = new URL('./views/assets/site.css', import.meta.url);
const adminStylesheetFile = new URL('./views/assets/admin.css', import.meta.url);

// The editor bundle depends only on the source files: build it once per process, however
// many apps (tests) are created.
let editorBuild: Promise<EditorAssets> | null = null;
const editorAssets = () => (editorBuild ??= buildEditorAssets());
let siteScriptBuild: Promise<Buffer> | null = null;
const siteScript = () => (siteScriptBuild ??= buildSiteScript());
const iconFile = new URL('./views/assets/favicon.svg', import.meta.url);

/**
 * Where media live: the bucket of TAMNA_MEDIA_S3_*, else `<dataDir>/media`. With a bucket
 * nothing reads or writes media on this server's disk, so every app server sees every upload.
 */
function createMediaStorage(config: Config): MediaStorage {
  const s3 = config.media.s3;
  if (s3 === null) return createLocalMediaStorage(path.join(config.dataDir, 'media'));
  return createS3MediaStorage(s3);
}

/** The composition root, first half: config -> database -> services. */
export async function createNewsroom(
  config: Config,
  options: Omit<AppOptions, 'backgroundJobs'> = {},
): Promise<Newsroom> {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? pino({ level: config.logLevel, base: { app: 'tamna' } });
  const database =
    options.database ??
    (await connectDatabase(config.database, { poolSize: poolSizeFor(options.poolShare ?? 1) }));
  const ownsDatabase = options.database === undefined;
  let media: MediaStorage;
  try {
    if (options.migrate !== false) await migrateToLatest(database);
    media = createMediaStorage(config);
  } catch (error) {
    if (ownsDatabase) await database.close();
    throw error;
  }
  const { db } = database;

  const mediaUrl = (key: string) => media.url(key);
  const instanceId = `${os.hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const content = createContentService({ db, clock, mediaUrl });
  const cdn = createCdn({ config, db, clock, content, instanceId });
  const changeFeed = createChangeFeed({ db, clock, dialect: database.dialect });
  const ownChanges = new Set<number>();
  const listeners: Array<(tags: readonly string[]) => void | Promise<void>> = [];
  const recorded: Array<(id: number) => void> = [];
  /**
   * A committed change: tell this process's listeners now, the other processes by the
   * feed, and the CDN through its purge queue.
   */
  const changed = async (tags: readonly string[]) => {
    for (const listener of listeners) await listener(tags);
    const id = await changeFeed.record(tags);
    ownChanges.add(id);
    for (const listener of recorded) listener(id);
    // The change stands: a purge that cannot be queued is logged, never undoes it.
    await cdn
      .enqueue(tags)
      .catch((error: unknown) => logger.error({ err: error, tags }, 'CDN purge not queued'));
  };
  const weather = createWeatherStore({ db, clock, onChange: changed });
  const bodyCleaner = createBodyCleaner();
  const mailer = createMailer({
    smtpUrl: config.mail.smtpUrl,
    from:
      config.mail.from ??
      `"${config.publisher.name} 뉴스룸" <newsroom@${new URL(config.siteUrl).hostname}>`,
  });
  const notifications = createNotifications({
    db,
    clock,
    mailer,
    siteUrl: config.siteUrl,
    siteName: config.publisher.name,
    onMailError: (error, to) => logger.warn({ err: error, to }, 'staff mail not sent'),
  });
  const photos = createPhotoLibrary({
    db,
    storage: media,
    clock,
    onChange: changed,
    // A caption is part of every article showing the photo: a new revision for partners,
    // and a new updated_at for feeds, sitemaps and the API.
    onTextChange: async (trx, photoId) =>
      revisedArticleTags(
        await articlesRevisedElsewhere(trx, await articlesShowingPhoto(trx, photoId), clock.now()),
      ),
  });
  const services: Services = {
    content,
    writer: createWriter({ db, clock, bodyCleaner, onChange: changed }),
    series: createSeriesDesk({ db, clock, onChange: changed }),
    desk: createDesk({
      db,
      dialect: database.dialect,
      clock,
      bodyCleaner,
      onChange: changed,
      // The hand-over is committed: a failed notice is logged, never undoes the desk's work.
      onHandover: (handover) =>
        notifications
          .deskHandover(handover)
          .catch((error: unknown) => logger.error({ err: error }, 'desk notice not recorded')),
    }),
    notifications,
    front: createFrontDesk({ db, clock, onChange: changed }),
    previews: createPreviews({ db, clock }),
    changeFeed,
    weather,
    weatherSources: createWeatherRefresher({
      db,
      clock,
      logger,
      store: weather,
      onChange: changed,
      config: {
        ...config.weather,
        fetch: { timeoutMs: 10_000, retries: 2, backoffMs: 2_000, ...options.weatherFetch },
      },
    }),
    banners: createBannerStore({ db, clock, mediaUrl, onChange: changed }),
    adStats: createAdStats({ db, clock }),
    readers: createReaderCounts({ db, clock, logger }),
    media,
    accounts: createAccounts({ db, clock, totpIssuer: config.publisher.name, onChange: changed }),
    photos,
    search: createSearch({
      db,
      dialect: database.dialect,
      clock,
      recencyWeight: config.search.recencyWeight,
      timeoutMs: config.search.timeoutMs,
    }),
    partnerFeed: createPartnerFeed({ db, clock, siteUrl: config.siteUrl, mediaUrl }),
    partnerExport: createPartnerExport({ db, clock, siteUrl: config.siteUrl }),
    apiKeys: createApiKeys({ db, clock }),
    webhooks: createWebhooks({
      db,
      clock,
      links: {
        article: (id) => config.siteUrl + articlePath(id),
        apiArticle: (id) => `${config.siteUrl}${API_PREFIX}/articles/${id}`,
      },
      instanceId,
      allowPrivateAddresses: config.webhooks.allowPrivateAddresses,
      timeoutMs: config.webhooks.timeoutMs,
      onDisabled: (endpoint) =>
        notifications
          .webhookDisabled(endpoint)
          .catch((error: unknown) => logger.error({ err: error }, 'webhook notice not recorded')),
      onError: (error, message) => logger.error({ err: error }, message),
    }),
    policies: createPolicies({
      db,
      clock,
      bodyCleaner,
      onChange: changed,
      context: {
        paper: config.publisher,
        siteUrl: config.siteUrl,
        tipRetentionDays: config.tips.retentionDays,
      },
    }),
    tips: createTips({
      db,
      clock,
      retentionDays: config.tips.retentionDays,
      cleanPhoto: (bytes) => photos.cleanPhoto(bytes),
      // The tip is stored: a failed notice is logged, never loses it.
      onTip: (tip) =>
        notifications
          .tipReceived(tip)
          .catch((error: unknown) => logger.error({ err: error }, 'tip notice not recorded')),
    }),
    syndication: createSyndication({
      db,
      clock,
      mediaUrl,
      sections: () => content.allSectionsForDesk(),
    }),
    cdn,
    shareImages: createShareImages({
      storage: media,
      cacheDir: path.join(config.dataDir, 'cache', 'share-images'),
    }),
  };
  const importer = createImporter({
    db,
    clock,
    bodyCleaner,
    onChange: changed,
    async storePhoto(bytes, meta) {
      return (await services.photos.ingestPhoto(bytes, { ...meta, uploadedBy: null })).id;
    },
  });
  return {
    config,
    database,
    services,
    clock,
    logger,
    importer,
    announce: changed,
    onChange: (listener) => void listeners.push(listener),
    ownChange: (id) => ownChanges.delete(id),
    onRecorded: (listener) => void recorded.push(listener),
    async close() {
      // Counts still in memory are written before the database goes (SIGTERM lands here).
      await services.adStats
        .flush()
        .catch((error: unknown) => logger.error({ err: error }, 'banner counts lost on close'));
      await services.readers
        .close()
        .catch((error: unknown) => logger.error({ err: error }, 'reader counts lost on close'));
      await bodyCleaner.close();
      await notifications.idle();
      mailer.close();
      media.close();
      if (ownsDatabase) await database.close();
    },
  };
}

/** The composition root, second half: the newsroom -> page cache -> HTTP and background jobs. */
export async function createApp(config: Config, options: AppOptions = {}): Promise<App> {
  const newsroom = await createNewsroom(config, options);
  const { database, services, clock, logger, importer } = newsroom;
  const { changeFeed } = services;
  // Readings count once across servers from the first beacon on: the day's shared salt.
  await services.readers
    .prepare()
    .catch((error: unknown) => logger.warn({ err: error }, 'reader salts not read; retried'));
  const cache = new PageCache({
    maxEntries: config.pageCache.maxEntries,
    maxBytes: config.pageCache.maxBytes,
  });
  const bus = createLocalInvalidationBus();
  // A change committed here drops this process's pages at once.
  newsroom.onChange((tags) => bus.publish(tags));
  // Kept copies of layout data go with their tag, whoever announced it (this server or,
  // through the change feed, another one).
  const unsubscribe = bus.subscribe((tags) => {
    if (tags.includes(tag.sections)) services.content.forgetSections();
    if (tags.includes(tag.banners)) services.banners.forget();
    if (tags.includes(tag.weather)) services.weather.forget();
    services.content.forgetSchedule();
    cache.invalidate(tags);
  });

  // Changes made by other processes (the import CLI, other app servers and workers) and
  // scheduled articles whose time has come: both refresh the pages they touch. A NOTIFY
  // (PostgreSQL) or a sibling worker's message starts a read at once; the poll below
  // catches whatever those missed within two seconds.
  const feed = changeFeed.reader(await changeFeed.latestId());
  let feedReads: Promise<number> = Promise.resolve(0);
  let feedReadWaiting = false;
  const readFeed = async (): Promise<number> => {
    feedReadWaiting = false;
    let seen = 0;
    for (const change of await feed.next()) {
      if (newsroom.ownChange(change.id)) continue;
      await bus.publish(change.tags);
      seen++;
    }
    return seen;
  };
  let closed = false;
  let scheduleCursor = clock.now();
  let webhookPass: Promise<{ dispatched: number; attempted: number }> | null = null;
  let cdnPass: Promise<{ claimed: number; sent: number }> | null = null;
  let listener: NotificationListener | null = null;
  const watch = {
    changesFromElsewhere(): Promise<number> {
      feedReads = feedReads.catch(() => 0).then(readFeed);
      return feedReads;
    },
    changesSoon(): void {
      if (feedReadWaiting || closed) return;
      feedReadWaiting = true;
      watch
        .changesFromElsewhere()
        .catch((error: unknown) => logger.error({ err: error }, 'change feed read failed'));
    },
    get listener(): NotificationListener | null {
      return listener;
    },
    async scheduledArticles(): Promise<void> {
      const now = clock.now();
      const tags = await services.desk.dueSince(scheduleCursor, now);
      scheduleCursor = now;
      if (tags.length > 0) await bus.publish(tags);
    },
    webhooks() {
      webhookPass ??= services.webhooks.run().finally(() => {
        webhookPass = null;
      });
      return webhookPass;
    },
    cdnPurges() {
      cdnPass ??= services.cdn.run().finally(() => {
        cdnPass = null;
      });
      return cdnPass;
    },
  };
  if (
    database.listen !== undefined &&
    (options.changeNotifications ?? options.backgroundJobs !== false)
  ) {
    let lostAt = 0;
    listener = database.listen(CHANGE_CHANNEL, () => watch.changesSoon(), {
      // Whatever was sent while it was away was missed: read now.
      onConnect: () => {
        if (lostAt !== 0) logger.info('change notifications: listening again');
        lostAt = 0;
        watch.changesSoon();
      },
      onError: (error, retryInMs) => {
        // Logged once per outage; the poll keeps pages fresh within seconds meanwhile.
        if (lostAt === 0)
          logger.warn(
            { err: error, retryInMs },
            'change notifications: listening connection lost; polling until it is back',
          );
        lostAt ||= Date.now();
      },
    });
  }

  const timers: NodeJS.Timeout[] = [];
  const jobs: JobStatus[] = [];
  const sharedJobs = options.sharedJobs !== false;
  const every = (ms: number, job: () => Promise<unknown>, name: string) => {
    let running = false;
    const status: JobStatus = {
      name,
      intervalMs: ms,
      lastStartedAt: Date.now(),
      lastSucceededAt: null,
      lastFailedAt: null,
    };
    jobs.push(status);
    const timer = setInterval(() => {
      if (running) return;
      running = true;
      status.lastStartedAt = Date.now();
      job()
        .then(() => {
          status.lastSucceededAt = Date.now();
        })
        .catch((error: unknown) => {
          status.lastFailedAt = Date.now();
          logger.error({ err: error }, `${name} failed`);
        })
        .finally(() => {
          running = false;
        });
    }, ms);
    timer.unref();
    timers.push(timer);
  };
  if (options.backgroundJobs !== false) {
    // Each process keeps its own page cache and counts in memory: these run in every one.
    every(CHANGE_FEED_POLL_MS, () => watch.changesFromElsewhere(), 'change feed');
    every(15_000, () => watch.scheduledArticles(), 'scheduled publishing');
    // Counts are added to the stored ones (never overwritten), so every process flushes.
    every(COUNTS_FLUSH_MS, () => services.adStats.flush(), 'banner count flush');
    every(COUNTS_FLUSH_MS, () => services.readers.flush(), 'reader count flush');
  }
  // The rest is the same work for every process of a server: one worker does it. Across
  // servers, claims in the database keep what must happen once (webhooks, the weather)
  // to one server, and the rest is idempotent.
  if (options.backgroundJobs !== false && sharedJobs) {
    every(60 * 60_000, () => changeFeed.prune(), 'change feed pruning');
    every(60 * 60_000, () => services.accounts.purgeExpired(), 'expired session cleanup');
    // Every server runs the worker: claims in the database send each delivery once.
    every(1_000, () => watch.webhooks(), 'webhook delivery');
    every(60 * 60_000, () => services.webhooks.prune(), 'webhook log pruning');
    if (services.cdn.configured) {
      // Every server runs the queue: claims in the database send each purge once.
      every(1_000, () => watch.cdnPurges(), 'CDN purge');
      every(60 * 60_000, () => services.cdn.prune(), 'CDN purge log pruning');
    }
    every(10 * 60_000, () => services.apiKeys.prune(), 'API rate counter pruning');
    // A tip's name, contact and files go once the retention period ends.
    every(60 * 60_000, () => services.tips.purgeExpired(), 'tip retention');
    if (services.weatherSources.configured) {
      // Pages read only stored weather; this keeps it fresh. Failures are logged inside.
      every(
        config.weather.refreshMinutes * 60_000,
        () => services.weatherSources.refresh(),
        'weather refresh',
      );
      const first = setTimeout(() => {
        services.weatherSources
          .refresh()
          .catch((error: unknown) => logger.error({ err: error }, 'weather refresh failed'));
      }, 2_000);
      first.unref();
      timers.push(first);
    }
  }

  let shuttingDown = false;
  let migrationsCurrent = false;
  const metrics = createMetrics({
    pageCache: cache,
    jobs: () => jobs,
    token: config.metricsToken,
    now: () => Date.now(),
  });
  database.onQuery((seconds, failed) => metrics.observeQuery(seconds, failed));
  const http = await buildHttpServer({
    ...services,
    clock,
    cache,
    logger,
    publisher: config.publisher,
    siteUrl: config.siteUrl,
    trustProxy: config.trustProxy,
    stylesheet: loadStylesheet(stylesheetFile, 'site'),
    icon: loadAsset(iconFile, 'icon', 'svg', 'image/svg+xml'),
    script: assetFromBytes(await siteScript(), 'site', 'js', 'text/javascript; charset=utf-8'),
    teaserSections: ['incidents'],
    feedFullText: config.feeds.fullText,
    weatherRegion: config.weather.region.name,
    previews: services.previews,
    policies: services.policies,
    tips: services.tips,
    kakaoJsKey: config.share.kakaoJsKey,
    pageCacheMaxAgeMs: config.pageCache.maxAgeSeconds * 1000,
    edge: edgePolicyFor(config.cdn),
    perPage: 20,
    adStats: services.adStats,
    partners: { feed: services.partnerFeed, tokens: config.partners.tokens },
    api: {
      content: services.content,
      search: services.search,
      apiKeys: services.apiKeys,
      clock,
      siteUrl: config.siteUrl,
      siteName: config.publisher.name,
    },
    healthCheck: async () => {
      await sql`select 1`.execute(database.db);
    },
    readiness: async () => {
      if (shuttingDown) return 'shutting down';
      try {
        await sql`select 1`.execute(database.db);
      } catch {
        return 'database unreachable';
      }
      // Once current, always current for this process (a newer server may add more).
      if (!migrationsCurrent) {
        const pending = await pendingMigrations(database);
        if (pending.length > 0) return `migrations pending: ${pending.join(', ')}`;
        migrationsCurrent = true;
      }
      return null;
    },
    metrics,
    observeRender: (kind, seconds) => metrics.observeRender(kind, seconds),
    admin: await (async () => {
      const built = await editorAssets();
      return {
        accounts: adminAccounts(services.accounts),
        photos: adminPhotos(services.photos, services.media.sitePath),
        desk: services.desk,
        previews: services.previews,
        notifications: services.notifications,
        front: services.front,
        content: services.content,
        writer: services.writer,
        series: services.series,
        policies: services.policies,
        tips: services.tips,
        clock,
        siteName: config.publisher.name,
        siteUrl: config.siteUrl,
        stylesheet: loadStylesheet(adminStylesheetFile, 'admin'),
        script: assetFromBytes(built.js, 'editor', 'js', 'text/javascript; charset=utf-8'),
        editorStylesheet: assetFromBytes(built.css, 'editor', 'css', 'text/css; charset=utf-8'),
        maxUploadBytes: services.photos.limits.maxBytes,
        partners: {
          exports: services.partnerExport,
          feedUrl: `${config.siteUrl}/partner/feed.json`,
          feedOpen: config.partners.tokens.length > 0,
        },
        importRecords: (ndjson, actor) =>
          importer.importNdjson(ndjson, { trusted: false, actorId: actor.id }),
        readers: { readers: services.readers },
        apiKeys: services.apiKeys,
        webhooks: services.webhooks,
        cdn: services.cdn,
        cdnSettings: {
          deviceHeader: config.cdn.deviceHeader,
          maxAgeSeconds: config.cdn.maxAgeSeconds,
        },
        ads: {
          banners: services.banners,
          stats: services.adStats,
          media: services.media,
          sections: async () =>
            (await services.content.navigation()).map((s) => ({ slug: s.slug, name: s.name })),
        },
        weather: {
          weather: services.weather,
          sources: services.weatherSources,
          refreshMinutes: config.weather.refreshMinutes,
          keys: {
            hub: config.weather.authKey !== null,
            portal: config.weather.serviceKey !== null,
          },
        },
      };
    })(),
  });

  return {
    config,
    database,
    services,
    cache,
    bus,
    http,
    clock,
    logger,
    watch,
    importer,
    metrics,
    onRecorded: newsroom.onRecorded,
    beginShutdown() {
      shuttingDown = true;
    },
    async close() {
      shuttingDown = true;
      if (closed) return;
      closed = true;
      for (const timer of timers) clearInterval(timer);
      await listener?.close();
      await http.close();
      // A delivery under way is finished and recorded before the database closes.
      await webhookPass?.catch(() => undefined);
      await cdnPass?.catch(() => undefined);
      unsubscribe();
      await bus.close();
      await newsroom.close();
    },
  };
}
