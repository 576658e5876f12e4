import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import pino, { type Logger } from 'pino';
import { sql } from 'kysely';
import type { Config } from './config/index.ts';
import { connectDatabase, migrateToLatest, type DatabaseHandle } from './db/index.ts';
import { createBannerStore, type BannerStore } from './domains/ads/index.ts';
import {
  createContentService,
  createWriter,
  type ContentService,
  type Writer,
} from './domains/content/index.ts';
import { createLocalMediaStorage, type MediaStorage } from './domains/media/index.ts';
import { createWeatherStore, type WeatherStore } from './domains/weather/index.ts';
import { PageCache } from './http/cache/page-cache.ts';
import { createLocalInvalidationBus, type InvalidationBus } from './http/cache/invalidation.ts';
import { buildHttpServer } from './http/server.ts';
import { loadAsset } from './http/site/assets.ts';
import { systemClock, type Clock } from './shared/clock.ts';

export interface AppOptions {
  clock?: Clock;
  logger?: Logger;
  /** Run migrations on start (the embedded default does; tests always do). */
  migrate?: boolean;
  /** An existing database handle (tests share one across apps). */
  database?: DatabaseHandle;
}

export interface Services {
  content: ContentService;
  writer: Writer;
  weather: WeatherStore;
  banners: BannerStore;
  media: MediaStorage;
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
  close(): Promise<void>;
}

const stylesheetFile = new URL('./views/assets/site.css', import.meta.url);
const iconFile = new URL('./views/assets/favicon.svg', import.meta.url);

/** The composition root: config -> database -> services -> HTTP. */
export async function createApp(config: Config, options: AppOptions = {}): Promise<App> {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? pino({ level: config.logLevel, base: { app: 'tamna' } });
  const database = options.database ?? (await connectDatabase(config.database));
  const ownsDatabase = options.database === undefined;
  let media: ReturnType<typeof createLocalMediaStorage>;
  try {
    if (options.migrate !== false) await migrateToLatest(database);
    media = createLocalMediaStorage(path.join(config.dataDir, 'media'));
  } catch (error) {
    if (ownsDatabase) await database.close();
    throw error;
  }
  const { db } = database;

  const cache = new PageCache({
    maxEntries: config.pageCache.maxEntries,
    maxBytes: config.pageCache.maxBytes,
  });
  const bus = createLocalInvalidationBus();

  const mediaUrl = (key: string) => media.url(key);
  const services: Services = {
    content: createContentService({ db, clock, mediaUrl }),
    writer: createWriter({ db, clock, onChange: (tags) => bus.publish(tags) }),
    weather: createWeatherStore({ db, clock }),
    banners: createBannerStore({ db, clock, mediaUrl }),
    media,
  };
  const unsubscribe = bus.subscribe((tags) => {
    if (tags.includes('*')) services.content.forgetSections();
    cache.invalidate(tags);
  });

  const http = await buildHttpServer({
    ...services,
    clock,
    cache,
    logger,
    publisher: config.publisher,
    siteUrl: config.siteUrl,
    stylesheet: loadAsset(stylesheetFile, 'site', 'css', 'text/css; charset=utf-8'),
    icon: loadAsset(iconFile, 'icon', 'svg', 'image/svg+xml'),
    teaserSections: ['incidents'],
    pageCacheMaxAgeMs: config.pageCache.maxAgeSeconds * 1000,
    perPage: 20,
    mediaRoot: media.localRoot,
    healthCheck: async () => {
      await sql`select 1`.execute(db);
    },
  });

  let closed = false;
  return {
    config,
    database,
    services,
    cache,
    bus,
    http,
    clock,
    logger,
    async close() {
      if (closed) return;
      closed = true;
      await http.close();
      unsubscribe();
      await bus.close();
      if (ownsDatabase) await database.close();
    },
  };
}
