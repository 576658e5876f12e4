import { isIP } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { AppError } from '../shared/errors.ts';
import { parseCdnConfig, type CdnConfig } from './cdn.ts';

export type { CdnConfig, CdnProvider, CdnProviderName, TagHeaderName } from './cdn.ts';

export interface PublisherDetails {
  /** 제호 — the paper's registered title. */
  name: string;
  /** 등록번호, e.g. 제주 아00000. */
  registrationNumber: string;
  registrationDate: string;
  publisher: string;
  editor: string;
  youthProtectionOfficer: string;
  address: string;
  phone: string;
  email: string;
  copyrightHolder: string;
}

export interface Config {
  host: string;
  port: number;
  dataDir: string;
  database: { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string };
  siteUrl: string;
  /**
   * Which peers may tell us the client's address and protocol (X-Forwarded-For/-Proto):
   * false (nobody: the socket's address counts), a number of proxy hops in front, or a
   * list of addresses, CIDR ranges and proxy-addr's names (loopback, linklocal, uniquelocal).
   */
  trustProxy: false | number | string[];
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  pageCache: { maxEntries: number; maxBytes: number; maxAgeSeconds: number };
  publisher: PublisherDetails;
  weather: WeatherConfig;
  /** Staff e-mail (송고·반려·출고 notices, invitations, password resets); off without a URL. */
  mail: { smtpUrl: string | null; from: string | null };
  /** Sharing: the Kakao JavaScript key; without it there is no KakaoTalk button. */
  share: { kakaoJsKey: string | null };
  /** 기사제보: days a sender's name, contact and files are kept before they are deleted. */
  tips: { retentionDays: number };
  search: SearchConfig;
  /**
   * Feeds: whether items carry the whole article (`content:encoded`, Atom `content`) or
   * only its summary with a link (the default: the article is read on the paper's site).
   */
  feeds: { fullText: boolean };
  /** Bearer token for /metrics (Prometheus); null: the endpoint is off. */
  metricsToken: string | null;
  /**
   * After SIGTERM, /readyz answers 503 for this long before the server stops accepting,
   * so a load balancer that polls it sends no new readers here (0 for none in front).
   */
  shutdownDrainMs: number;
  /**
   * Portal partners (네이버·다음): the tokens that open `/partner/feed.json`, one per
   * partner; empty, the feed does not exist (404).
   */
  partners: { tokens: string[] };
  webhooks: WebhooksConfig;
  /** Where photos, renditions and banner images are kept. */
  media: MediaConfig;
  /** The CDN in front: its purge API, the device header and how long it keeps pages. */
  cdn: CdnConfig;
  /**
   * Server processes `tamna serve` runs on one port (node:cluster); 1 is a single process.
   * Defaults to the number of cores (one with an in-memory SQLite database).
   */
  workers: number;
}

export interface MediaConfig {
  /** An S3-compatible bucket; null keeps media in `<dataDir>/media` (the embedded default). */
  s3: MediaS3Config | null;
}

export interface MediaS3Config {
  /** The service's URL (MinIO, R2, NCP, …); null for AWS S3 itself. */
  endpoint: string | null;
  region: string;
  bucket: string;
  /** null: the AWS SDK's own chain (AWS_* variables, a profile, an instance or task role). */
  credentials: { accessKeyId: string; secretAccessKey: string } | null;
  /** Where readers' browsers fetch the objects (a CDN), as `<base>/<prefix><key>`; null: this server. */
  publicBaseUrl: string | null;
  forcePathStyle: boolean;
  /** Put before every object key (`tamna/`); '' for none. */
  prefix: string;
  /** The longest one storage call may take, retries included. */
  timeoutMs: number;
}

export interface WebhooksConfig {
  /**
   * Endpoints on loopback, private and link-local addresses. Off: a webhook URL must not
   * become a way to reach the paper's own network (SSRF).
   */
  allowPrivateAddresses: boolean;
  /** One delivery attempt's deadline. */
  timeoutMs: number;
}

export interface SearchConfig {
  /**
   * How much newer articles gain in search ranking: a hit published today scores up to
   * (1 + recencyWeight) times one of equal relevance from long ago (half-life 180 days).
   */
  recencyWeight: number;
  /** A search running longer than this is stopped and the reader told so. */
  timeoutMs: number;
}

export interface WeatherConfig {
  /** KMA API hub origin (https://apihub.kma.go.kr) or a proxy. */
  hubUrl: string;
  /** VilageFcstInfoService_2.0 base URL on the data portal, or a proxy. */
  portalUrl: string;
  /** API hub authKey (TAMNA_KMA_AUTH_KEY). */
  authKey: string | null;
  /** Data portal serviceKey (TAMNA_KMA_SERVICE_KEY). */
  serviceKey: string | null;
  refreshMinutes: number;
  /** The paper's region for the /weather forecast. */
  region: { name: string; lat: number; lon: number };
}

/** More server processes than this on one machine only add memory and database connections. */
const MAX_WORKERS = 64;

const portSchema = z.coerce
  .number({ message: 'must be a number' })
  .int('must be a whole number')
  .min(1, 'must be between 1 and 65535')
  .max(65535, 'must be between 1 and 65535');

const httpUrl = z
  .string()
  .trim()
  .url('must be an absolute URL')
  .refine((v) => /^https?:\/\//.test(v), 'must start with http:// or https://');

const envSchema = z.object({
  HOST: z.string().trim().min(1, 'must not be empty').default('127.0.0.1'),
  PORT: portSchema.default(3000),
  TAMNA_DATA_DIR: z.string().trim().min(1, 'must not be empty').default('./data'),
  DATABASE_URL: z.string().trim().optional(),
  TAMNA_SITE_URL: z
    .string()
    .trim()
    .url('must be an absolute URL such as https://news.example.kr')
    .refine((v) => /^https?:\/\//.test(v), 'must start with http:// or https://')
    .optional(),
  TAMNA_TRUST_PROXY: z.string().trim().optional(),
  TAMNA_SMTP_URL: z
    .string()
    .trim()
    .url('must be a URL such as smtps://user:password@mail.example.kr:465')
    .refine((v) => /^smtps?:\/\//.test(v), 'must start with smtp:// or smtps://')
    .optional(),
  TAMNA_MAIL_FROM: z.string().trim().min(3).max(200).optional(),
  TAMNA_KAKAO_JS_KEY: z
    .string()
    .trim()
    .regex(
      /^[0-9a-f]{32}$/i,
      'must be the 32-character JavaScript key of your app at developers.kakao.com (앱 키 > JavaScript 키)',
    )
    .optional(),
  TAMNA_TIP_RETENTION_DAYS: z.coerce
    .number({ message: 'must be a number of days' })
    .int('must be a whole number of days')
    .min(1, 'must be between 1 and 365')
    .max(365, 'must be between 1 and 365')
    .default(90),
  TAMNA_LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info'),
  TAMNA_PAGE_CACHE_ENTRIES: z.coerce.number().int().min(0).max(1_000_000).default(5000),
  TAMNA_PAGE_CACHE_MB: z.coerce.number().int().min(1).max(16_384).default(24),
  TAMNA_PAGE_CACHE_MAX_AGE: z.coerce.number().int().min(1).max(86_400).default(300),
  TAMNA_KMA_AUTH_KEY: z.string().trim().optional(),
  TAMNA_KMA_SERVICE_KEY: z.string().trim().optional(),
  TAMNA_KMA_HUB_URL: httpUrl.default('https://apihub.kma.go.kr'),
  TAMNA_KMA_PORTAL_URL: httpUrl.default(
    'https://apis.data.go.kr/1360000/VilageFcstInfoService_2.0',
  ),
  TAMNA_WEATHER_REFRESH_MINUTES: z.coerce
    .number({ message: 'must be a number of minutes' })
    .int('must be a whole number of minutes')
    .min(1, 'must be between 1 and 180')
    .max(180, 'must be between 1 and 180')
    .default(10),
  TAMNA_WEATHER_REGION: z.string().trim().min(1).max(20).default('제주'),
  TAMNA_WEATHER_REGION_LAT: z.coerce
    .number({ message: 'must be a latitude in degrees' })
    .min(32, 'must be a latitude in Korea (32–39)')
    .max(39, 'must be a latitude in Korea (32–39)')
    .default(33.51411),
  TAMNA_WEATHER_REGION_LON: z.coerce
    .number({ message: 'must be a longitude in degrees' })
    .min(124, 'must be a longitude in Korea (124–132)')
    .max(132, 'must be a longitude in Korea (124–132)')
    .default(126.52969),
  TAMNA_SEARCH_RECENCY: z.coerce
    .number({ message: 'must be a number such as 0.3' })
    .min(0, 'must be between 0 and 5')
    .max(5, 'must be between 0 and 5')
    .default(0.3),
  TAMNA_SEARCH_TIMEOUT_MS: z.coerce
    .number({ message: 'must be a number of milliseconds' })
    .int('must be a whole number of milliseconds')
    .min(50, 'must be between 50 and 30000')
    .max(30_000, 'must be between 50 and 30000')
    .default(2000),
  TAMNA_FEED_FULL_TEXT: z
    .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'], {
      message: 'must be true or false',
    })
    .default('false'),
  TAMNA_METRICS_TOKEN: z
    .string()
    .trim()
    .min(16, 'must be at least 16 characters (it guards /metrics)')
    .max(200)
    .optional(),
  TAMNA_SHUTDOWN_DRAIN_SECONDS: z.coerce
    .number({ message: 'must be a number of seconds' })
    .min(0, 'must be between 0 and 60')
    .max(60, 'must be between 0 and 60')
    .default(0),
  TAMNA_PARTNER_TOKEN: z
    .string()
    .trim()
    .transform((v) => v.split(',').map((t) => t.trim()))
    .refine(
      (tokens) => tokens.every((t) => /^[\x21-\x7e]{24,200}$/.test(t)),
      'must be one or more comma-separated tokens of 24 to 200 visible ASCII characters (e.g. from `openssl rand -hex 24`)',
    )
    .optional(),
  TAMNA_WEBHOOKS_ALLOW_PRIVATE: z
    .enum(['0', '1', 'true', 'false'], { message: 'must be 1 or 0' })
    .default('0'),
  TAMNA_WEBHOOK_TIMEOUT_MS: z.coerce
    .number({ message: 'must be a number of milliseconds' })
    .int('must be a whole number of milliseconds')
    .min(1000, 'must be between 1000 and 30000')
    .max(30_000, 'must be between 1000 and 30000')
    .default(10_000),
  TAMNA_MEDIA_S3_ENDPOINT: httpUrl.optional(),
  TAMNA_MEDIA_S3_REGION: z
    .string()
    .trim()
    .regex(/^[a-z0-9-]{2,40}$/, 'must be a region name such as ap-northeast-2 (or auto for R2)')
    .optional(),
  TAMNA_MEDIA_S3_BUCKET: z
    .string()
    .trim()
    .regex(
      /^[A-Za-z0-9][A-Za-z0-9._-]{1,253}[A-Za-z0-9]$/,
      'must be a bucket name: 3–255 letters, digits, dots, hyphens or underscores',
    )
    .optional(),
  TAMNA_MEDIA_S3_ACCESS_KEY_ID: z.string().trim().min(1).max(256).optional(),
  TAMNA_MEDIA_S3_SECRET_ACCESS_KEY: z.string().trim().min(1).max(256).optional(),
  TAMNA_MEDIA_S3_PUBLIC_BASE_URL: httpUrl
    .refine(
      (v) => !v.includes('?') && !v.includes('#'),
      'must be a base URL without ? or #, such as https://cdn.example.kr/media',
    )
    .optional(),
  TAMNA_MEDIA_S3_FORCE_PATH_STYLE: z
    .enum(['0', '1', 'true', 'false'], { message: 'must be 1 or 0' })
    .optional(),
  TAMNA_MEDIA_S3_PREFIX: z
    .string()
    .trim()
    .regex(
      /^([a-z0-9][a-z0-9_-]*\/)*[a-z0-9][a-z0-9_-]*\/?$/,
      'must be a folder name of lower-case letters, digits, - and _ such as tamna/ (slashes between levels)',
    )
    .optional(),
  TAMNA_MEDIA_S3_TIMEOUT_MS: z.coerce
    .number({ message: 'must be a number of milliseconds' })
    .int('must be a whole number of milliseconds')
    .min(200, 'must be between 200 and 120000')
    .max(120_000, 'must be between 200 and 120000')
    .default(15_000),
  TAMNA_WORKERS: z.coerce
    .number({ message: 'must be a number of server processes' })
    .int('must be a whole number of server processes')
    .min(1, `must be between 1 and ${MAX_WORKERS}`)
    .max(MAX_WORKERS, `must be between 1 and ${MAX_WORKERS}`)
    .optional(),
  TAMNA_PUBLISHER_NAME: z.string().default('탐나일보'),
  TAMNA_PUBLISHER_REGISTRATION: z.string().default('제주 아00000'),
  TAMNA_PUBLISHER_REGISTRATION_DATE: z.string().default('2026.01.05'),
  TAMNA_PUBLISHER: z.string().default('고한결'),
  TAMNA_EDITOR: z.string().default('문서윤'),
  TAMNA_YOUTH_OFFICER: z.string().default('강다온'),
  TAMNA_ADDRESS: z.string().default('제주특별자치도 제주시 탐나로 1, 3층'),
  TAMNA_PHONE: z.string().default('064-000-0000'),
  TAMNA_EMAIL: z.string().default('news@tamnailbo.example'),
});

type Env = Record<string, string | undefined>;

const SECRETS = new Set(['TAMNA_PARTNER_TOKEN', 'TAMNA_MEDIA_S3_SECRET_ACCESS_KEY']);

/**
 * Reads and validates configuration. Every problem becomes one AppError('CONFIG') whose
 * message names the variable, what is wrong and how to fix it.
 */
export function loadConfig(env: Env = process.env, cwd = process.cwd()): Config {
  // Empty strings in the environment mean "not set", as most shells and .env files intend.
  const cleaned: Env = {};
  for (const [key, value] of Object.entries(env)) if (value !== '') cleaned[key] = value;
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue?.path[0] ?? 'environment');
    // A secret is never repeated into a log or a terminal, even a wrong one.
    const got = SECRETS.has(name) ? undefined : cleaned[name];
    throw new AppError(
      'CONFIG',
      `${name}${got === undefined ? '' : `=${JSON.stringify(got)}`} ${issue?.message ?? 'is invalid'}.`,
    );
  }
  const e = parsed.data;
  const dataDir = path.resolve(cwd, e.TAMNA_DATA_DIR);
  const database = parseDatabaseUrl(e.DATABASE_URL, dataDir, cwd);
  return {
    host: e.HOST,
    port: e.PORT,
    dataDir,
    database,
    workers: workerCount(e.TAMNA_WORKERS, database),
    siteUrl: (e.TAMNA_SITE_URL ?? `http://${e.HOST}:${e.PORT}`).replace(/\/+$/, ''),
    trustProxy: parseTrustProxy(e.TAMNA_TRUST_PROXY),
    mail: { smtpUrl: e.TAMNA_SMTP_URL ?? null, from: e.TAMNA_MAIL_FROM ?? null },
    share: { kakaoJsKey: e.TAMNA_KAKAO_JS_KEY ?? null },
    tips: { retentionDays: e.TAMNA_TIP_RETENTION_DAYS },
    logLevel: e.TAMNA_LOG_LEVEL,
    search: { recencyWeight: e.TAMNA_SEARCH_RECENCY, timeoutMs: e.TAMNA_SEARCH_TIMEOUT_MS },
    feeds: { fullText: ['true', '1', 'yes', 'on'].includes(e.TAMNA_FEED_FULL_TEXT) },
    metricsToken: e.TAMNA_METRICS_TOKEN ?? null,
    shutdownDrainMs: e.TAMNA_SHUTDOWN_DRAIN_SECONDS * 1000,
    partners: { tokens: e.TAMNA_PARTNER_TOKEN ?? [] },
    webhooks: {
      allowPrivateAddresses: ['1', 'true'].includes(e.TAMNA_WEBHOOKS_ALLOW_PRIVATE),
      timeoutMs: e.TAMNA_WEBHOOK_TIMEOUT_MS,
    },
    media: { s3: parseMediaS3(e, cleaned, { dataDir }) },
    cdn: parseCdnConfig(cleaned),
    pageCache: {
      maxEntries: e.TAMNA_PAGE_CACHE_ENTRIES,
      maxBytes: e.TAMNA_PAGE_CACHE_MB * 1024 * 1024,
      maxAgeSeconds: e.TAMNA_PAGE_CACHE_MAX_AGE,
    },
    weather: {
      hubUrl: e.TAMNA_KMA_HUB_URL,
      portalUrl: e.TAMNA_KMA_PORTAL_URL,
      authKey: e.TAMNA_KMA_AUTH_KEY ?? null,
      serviceKey: e.TAMNA_KMA_SERVICE_KEY ?? null,
      refreshMinutes: e.TAMNA_WEATHER_REFRESH_MINUTES,
      region: {
        name: e.TAMNA_WEATHER_REGION,
        lat: e.TAMNA_WEATHER_REGION_LAT,
        lon: e.TAMNA_WEATHER_REGION_LON,
      },
    },
    publisher: {
      name: e.TAMNA_PUBLISHER_NAME,
      registrationNumber: e.TAMNA_PUBLISHER_REGISTRATION,
      registrationDate: e.TAMNA_PUBLISHER_REGISTRATION_DATE,
      publisher: e.TAMNA_PUBLISHER,
      editor: e.TAMNA_EDITOR,
      youthProtectionOfficer: e.TAMNA_YOUTH_OFFICER,
      address: e.TAMNA_ADDRESS,
      phone: e.TAMNA_PHONE,
      email: e.TAMNA_EMAIL,
      copyrightHolder: e.TAMNA_PUBLISHER_NAME,
    },
  };
}

type ParsedEnv = z.infer<typeof envSchema>;

/**
 * The TAMNA_MEDIA_S3_* settings as one bucket, or null when none is set. A partial set is
 * refused with what is missing: half a configuration must not quietly keep media on a
 * disk that the next server does not share.
 */
function parseMediaS3(e: ParsedEnv, env: Env, where: { dataDir: string }): MediaS3Config | null {
  const given = Object.keys(env).filter(
    (name) => name.startsWith('TAMNA_MEDIA_S3_') && name !== 'TAMNA_MEDIA_S3_TIMEOUT_MS',
  );
  if (given.length === 0) return null;
  const bucket = e.TAMNA_MEDIA_S3_BUCKET;
  if (bucket === undefined)
    throw new AppError(
      'CONFIG',
      `${given.sort().join(', ')} ${given.length === 1 ? 'is' : 'are'} set but TAMNA_MEDIA_S3_BUCKET is not: name the bucket that holds the media, or unset every TAMNA_MEDIA_S3_* setting to keep media in ${path.join(where.dataDir, 'media')}.`,
    );
  const keyId = e.TAMNA_MEDIA_S3_ACCESS_KEY_ID;
  const secret = e.TAMNA_MEDIA_S3_SECRET_ACCESS_KEY;
  if ((keyId === undefined) !== (secret === undefined))
    throw new AppError(
      'CONFIG',
      `${keyId === undefined ? 'TAMNA_MEDIA_S3_SECRET_ACCESS_KEY is set without TAMNA_MEDIA_S3_ACCESS_KEY_ID' : 'TAMNA_MEDIA_S3_ACCESS_KEY_ID is set without TAMNA_MEDIA_S3_SECRET_ACCESS_KEY'}: set both, or neither to use the AWS_* variables or the server's role.`,
    );
  const endpoint = e.TAMNA_MEDIA_S3_ENDPOINT?.replace(/\/+$/, '') ?? null;
  // Any region signs requests to a service of one's own; AWS S3 needs the bucket's.
  const region =
    e.TAMNA_MEDIA_S3_REGION ??
    env.AWS_REGION ??
    env.AWS_DEFAULT_REGION ??
    (endpoint === null ? undefined : 'us-east-1');
  if (region === undefined)
    throw new AppError(
      'CONFIG',
      'TAMNA_MEDIA_S3_REGION is not set: AWS S3 needs the bucket’s region, e.g. ap-northeast-2 (Seoul), or set TAMNA_MEDIA_S3_ENDPOINT for another S3-compatible service.',
    );
  const publicBaseUrl = e.TAMNA_MEDIA_S3_PUBLIC_BASE_URL?.replace(/\/+$/, '') ?? null;
  // Pages let images come from their own origin or from https: (http/site/headers.ts).
  if (publicBaseUrl !== null && !publicBaseUrl.startsWith('https://'))
    throw new AppError(
      'CONFIG',
      `TAMNA_MEDIA_S3_PUBLIC_BASE_URL=${JSON.stringify(publicBaseUrl)} must start with https://: pages load images from other hosts only over https (leave it unset and the server answers /media/ itself).`,
    );
  const pathStyle = e.TAMNA_MEDIA_S3_FORCE_PATH_STYLE;
  const prefix = e.TAMNA_MEDIA_S3_PREFIX;
  return {
    endpoint,
    region,
    bucket,
    credentials:
      keyId === undefined || secret === undefined
        ? null
        : { accessKeyId: keyId, secretAccessKey: secret },
    publicBaseUrl,
    // Services of one's own (MinIO, s3rver) rarely have a DNS name per bucket; AWS does.
    forcePathStyle: pathStyle === undefined ? endpoint !== null : ['1', 'true'].includes(pathStyle),
    prefix: prefix === undefined ? '' : prefix.endsWith('/') ? prefix : `${prefix}/`,
    timeoutMs: e.TAMNA_MEDIA_S3_TIMEOUT_MS,
  };
}

/**
 * TAMNA_WORKERS, or one per core. An in-memory SQLite database exists inside one process,
 * so several workers would each have their own: refused when asked for, 1 by default.
 */
function workerCount(given: number | undefined, database: Config['database']): number {
  const inMemory = database.kind === 'sqlite' && database.file === ':memory:';
  if (given === undefined) return inMemory ? 1 : Math.min(MAX_WORKERS, os.availableParallelism());
  if (inMemory && given > 1)
    throw new AppError(
      'CONFIG',
      `TAMNA_WORKERS=${given} needs a database all workers share: an in-memory SQLite database (sqlite::memory:) lives in one process; use a file or PostgreSQL, or TAMNA_WORKERS=1.`,
    );
  return given;
}

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/**
 * TAMNA_TRUST_PROXY: unset or `none` trusts no one; `1`…`10` trusts that many proxy hops;
 * otherwise a comma-separated list of addresses, CIDR ranges or proxy-addr's range names.
 * `true`/`all` is refused: trusting every peer lets anyone forge their address.
 */
function parseTrustProxy(value: string | undefined): Config['trustProxy'] {
  if (value === undefined || value === 'none') return false;
  const usage =
    'use none, a hop count (1–10), or addresses/CIDR ranges such as 127.0.0.1,10.0.0.0/8 (or loopback)';
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    if (hops >= 1 && hops <= 10) return hops;
    throw new AppError('CONFIG', `TAMNA_TRUST_PROXY=${JSON.stringify(value)}: ${usage}.`);
  }
  const entries = value.split(',').map((v) => v.trim());
  for (const entry of entries) {
    if (PROXY_NAMES.has(entry)) continue;
    const [address = '', prefix, extra] = entry.split('/');
    const family = isIP(address);
    const prefixOk =
      prefix === undefined ||
      (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 6 ? 128 : 32));
    if (family === 0 || !prefixOk || extra !== undefined)
      throw new AppError(
        'CONFIG',
        `TAMNA_TRUST_PROXY has ${JSON.stringify(entry)}, which is not an address or range: ${usage}.`,
      );
  }
  return entries;
}

/** DATABASE_URL (or another option, named by `name`) -> where the database is. */
export function parseDatabaseUrl(
  url: string | undefined,
  dataDir: string,
  cwd: string,
  name = 'DATABASE_URL',
): Config['database'] {
  if (url === undefined) return { kind: 'sqlite', file: path.join(dataDir, 'tamna.sqlite') };
  if (/^postgres(ql)?:\/\//.test(url)) {
    try {
      new URL(url);
    } catch {
      throw new AppError(
        'CONFIG',
        `${name} is not a valid PostgreSQL URL; use postgres://user@host:5432/dbname.`,
      );
    }
    return { kind: 'postgres', url };
  }
  if (url.startsWith('sqlite:')) {
    const file = url.slice('sqlite:'.length).replace(/^\/\//, '');
    if (file === ':memory:') return { kind: 'sqlite', file };
    if (file === '')
      throw new AppError(
        'CONFIG',
        `${name}=sqlite: needs a file path, e.g. sqlite:./data/tamna.sqlite.`,
      );
    return { kind: 'sqlite', file: path.resolve(cwd, file) };
  }
  throw new AppError(
    'CONFIG',
    `${name}=${JSON.stringify(url)} is not supported; use postgres://user@host:5432/dbname or sqlite:./path/file.sqlite${name === 'DATABASE_URL' ? ' (or leave it unset for the default SQLite file)' : ''}.`,
  );
}
