import type { FastifyRequest } from 'fastify';
import type { ReaderCounts } from '../../domains/analytics/index.ts';
import type { AdStats, BannerStore } from '../../domains/ads/index.ts';
import type { ContentService, SeriesDesk, Writer } from '../../domains/content/index.ts';
import type { MediaStorage } from '../../domains/media/index.ts';
import type { Actor, Desk, FrontDesk, Previews } from '../../domains/newsroom/index.ts';
import type { WeatherRefresher, WeatherStore } from '../../domains/weather/index.ts';
import type { Notifications } from '../../domains/notifications/index.ts';
import type { PartnerExport } from '../../domains/partners/index.ts';
import type { ApiKeys } from '../../domains/apikeys/index.ts';
import type { Webhooks } from '../../domains/webhooks/index.ts';
import type { CdnPurges } from '../../domains/cdn/index.ts';
import type { Policies } from '../../domains/policies/index.ts';
import type { Tips } from '../../domains/tips/index.ts';
import type { Clock } from '../../shared/clock.ts';
import type { Asset } from '../site/assets.ts';
import type { AdminAccounts, AdminPhotos } from './ports.ts';

/** Everything the newsroom's screens use, handed over by the composition root. */
export interface AdminDeps {
  accounts: AdminAccounts;
  photos: AdminPhotos;
  desk: Desk;
  previews: Previews;
  notifications: Notifications;
  front: FrontDesk;
  content: ContentService;
  writer: Writer;
  /** 연재·기획. */
  series: SeriesDesk;
  /** 이용약관, 개인정보처리방침 and the other policy pages (admins edit them). */
  policies: Policies;
  /** 기사제보: the desk's 제보함. */
  tips: Tips;
  clock: Clock;
  siteName: string;
  /** The public URL (TAMNA_SITE_URL): every absolute link and the cookies' Secure flag. */
  siteUrl: string;
  stylesheet: Asset;
  script: Asset;
  editorStylesheet: Asset;
  /**
   * The public front page rendered with an unsaved arrangement (the front desk's preview);
   * the HTTP server supplies it from the site's own routes.
   */
  previewFront?: (
    request: FastifyRequest,
    pins: Readonly<Record<string, readonly (number | null)[]>>,
  ) => Promise<string>;
  /** Largest photo upload in bytes. */
  maxUploadBytes: number;
  /** Imports NDJSON records sent to the admin API (the same code as `tamna import`). */
  importRecords?: (ndjson: string, actor: Actor) => Promise<unknown>;
  /** The banner desk; absent, the admin has none. */
  ads?: AdsDeps;
  /** The weather settings screen; absent, the admin has none. */
  weather?: WeatherDeps;
  /** 독자 통계 (reader counts); absent, the admin has none. */
  readers?: { readers: ReaderCounts };
  /** 포털 제휴: the partner application's lists; absent, the admin has none. */
  partners?: PartnersDeps;
  /** Keys of the content API; absent, the admin has no API key screen. */
  apiKeys?: ApiKeys;
  /** Webhook endpoints and their delivery logs; absent, no webhook screen. */
  webhooks?: Webhooks;
  /** The CDN purge queue; absent, no CDN screen. */
  cdn?: CdnPurges;
  /** What the CDN screen tells about the pages' headers. */
  cdnSettings?: { deviceHeader: string | null; maxAgeSeconds: number };
}

export interface PartnersDeps {
  exports: PartnerExport;
  /** The absolute address of the partners' feed. */
  feedUrl: string;
  /** A partner token is set (TAMNA_PARTNER_TOKEN): the feed answers. */
  feedOpen: boolean;
}

export interface AdsDeps {
  banners: BannerStore;
  stats: AdStats;
  media: MediaStorage;
  /** Top-level sections a campaign can target. */
  sections: () => Promise<Array<{ slug: string; name: string }>>;
}

export interface WeatherDeps {
  weather: WeatherStore;
  sources: WeatherRefresher;
  refreshMinutes: number;
  keys: { hub: boolean; portal: boolean };
}
