import { AppError } from '../shared/errors.ts';

export type CdnProviderName = 'cloudflare' | 'fastly' | 'http';
export type TagHeaderName = 'cache-tag' | 'surrogate-key';

export type CdnProvider =
  | { kind: 'cloudflare'; zoneId: string; apiToken: string; apiUrl: string }
  | { kind: 'fastly'; serviceId: string; apiKey: string; softPurge: boolean; apiUrl: string }
  | {
      kind: 'http';
      /** The caches' own addresses (Varnish, nginx), each sent every purge. */
      endpoints: string[];
      /** ban: BAN with the tags in a header (Varnish); purge: PURGE of each page's address (nginx). */
      mode: 'ban' | 'purge';
    };

export interface CdnConfig {
  /** Null: no CDN is purged, and pages are kept by shared caches only briefly. */
  provider: CdnProvider | null;
  /**
   * The request header in which the CDN tells the app the reader's device class
   * (lower case); null: the app decides by User-Agent and varies on it.
   */
  deviceHeader: string | null;
  /** The longest a shared cache keeps a page (s-maxage), in seconds. */
  maxAgeSeconds: number;
  /** Put before every tag at the CDN: several sites sharing one CDN service stay apart. */
  tagPrefix: string;
  /** Which tag headers pages carry (the ones the CDN reads; it removes them from replies). */
  tagHeaders: TagHeaderName[];
}

type Env = Record<string, string | undefined>;

const fail = (message: string): never => {
  throw new AppError('CONFIG', message);
};

const TRUE = ['1', 'true', 'yes', 'on'];
const BOOL = [...TRUE, '0', 'false', 'no', 'off'];

function httpUrl(name: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return fail(
      `${name}=${JSON.stringify(value)} must be an absolute URL such as http://10.0.0.5:6081.`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    fail(`${name}=${JSON.stringify(value)} must start with http:// or https://.`);
  return value.replace(/\/+$/, '');
}

/** A secret is checked for its form but never repeated into a message. */
function secret(env: Env, name: string, pattern: RegExp, what: string, provider: string): string {
  const value = env[name]?.trim();
  if (value === undefined) return fail(`TAMNA_CDN_PROVIDER=${provider} needs ${name}: ${what}.`);
  if (!pattern.test(value)) fail(`${name} does not look right: ${what}.`);
  return value;
}

/**
 * The CDN settings (TAMNA_CDN_*). Without TAMNA_CDN_PROVIDER nothing is purged; with one,
 * its keys must all be there, each checked for its form, so a typo stops the server at
 * start rather than leaving pages stale at the CDN.
 */
export function parseCdnConfig(env: Env): CdnConfig {
  const raw = env.TAMNA_CDN_PROVIDER?.trim().toLowerCase();
  const providerName: CdnProviderName | null =
    raw === undefined || raw === '' || raw === 'none'
      ? null
      : raw === 'cloudflare' || raw === 'fastly' || raw === 'http'
        ? raw
        : fail(
            `TAMNA_CDN_PROVIDER=${JSON.stringify(env.TAMNA_CDN_PROVIDER)} is not supported; use cloudflare, fastly or http (Varnish, nginx), or leave it unset.`,
          );
  const apiUrl = (fallback: string) =>
    env.TAMNA_CDN_API_URL === undefined
      ? fallback
      : httpUrl('TAMNA_CDN_API_URL', env.TAMNA_CDN_API_URL.trim());

  let provider: CdnProvider | null = null;
  if (providerName === 'cloudflare') {
    provider = {
      kind: 'cloudflare',
      zoneId: secret(
        env,
        'TAMNA_CDN_CLOUDFLARE_ZONE_ID',
        /^[0-9a-f]{32}$/,
        'the Zone ID on the zone’s Overview page in the Cloudflare dashboard, 32 hexadecimal characters',
        'cloudflare',
      ),
      apiToken: secret(
        env,
        'TAMNA_CDN_CLOUDFLARE_API_TOKEN',
        /^[A-Za-z0-9_-]{20,200}$/,
        'an API token with the Zone › Cache Purge › Purge permission for this zone (My Profile › API Tokens)',
        'cloudflare',
      ),
      apiUrl: apiUrl('https://api.cloudflare.com/client/v4'),
    };
  } else if (providerName === 'fastly') {
    const soft = env.TAMNA_CDN_FASTLY_SOFT_PURGE?.trim().toLowerCase() ?? 'false';
    if (!BOOL.includes(soft))
      fail(`TAMNA_CDN_FASTLY_SOFT_PURGE=${JSON.stringify(soft)} must be true or false.`);
    provider = {
      kind: 'fastly',
      serviceId: secret(
        env,
        'TAMNA_CDN_FASTLY_SERVICE_ID',
        /^[A-Za-z0-9]{8,64}$/,
        'the service ID shown under the service’s name in the Fastly control panel',
        'fastly',
      ),
      apiKey: secret(
        env,
        'TAMNA_CDN_FASTLY_API_KEY',
        /^[A-Za-z0-9_-]{16,200}$/,
        'an API token with the purge_select scope for this service (Account › API tokens)',
        'fastly',
      ),
      softPurge: TRUE.includes(soft),
      apiUrl: apiUrl('https://api.fastly.com'),
    };
  } else if (providerName === 'http') {
    const list = env.TAMNA_CDN_HTTP_ENDPOINTS?.trim();
    if (list === undefined || list === '')
      fail(
        'TAMNA_CDN_PROVIDER=http needs TAMNA_CDN_HTTP_ENDPOINTS: the address of each cache server that takes PURGE/BAN requests, comma-separated, such as http://10.0.0.5:6081,http://10.0.0.6:6081.',
      );
    const endpoints = (list ?? '')
      .split(',')
      .map((e) => e.trim())
      .filter((e) => e !== '')
      .map((e) => httpUrl('TAMNA_CDN_HTTP_ENDPOINTS', e));
    if (endpoints.length > 20) fail('TAMNA_CDN_HTTP_ENDPOINTS lists more than 20 cache servers.');
    const mode = env.TAMNA_CDN_HTTP_MODE?.trim().toLowerCase() ?? 'ban';
    if (mode !== 'ban' && mode !== 'purge')
      fail(
        `TAMNA_CDN_HTTP_MODE=${JSON.stringify(mode)} must be ban (Varnish: BAN by cache tag) or purge (nginx: PURGE of each page's address).`,
      );
    provider = { kind: 'http', endpoints, mode: mode as 'ban' | 'purge' };
  }

  const deviceRaw = env.TAMNA_CDN_DEVICE_HEADER?.trim().toLowerCase();
  let deviceHeader: string | null;
  if (deviceRaw === undefined) {
    // What each CDN can be set to send: Cloudflare's own header (Cache Rules › Cache key ›
    // Cache by device type); Tamna's normalized one, set by Fastly's or Varnish's VCL or
    // nginx (docs/decisions/0022-cdn-purging.md).
    deviceHeader =
      provider === null
        ? null
        : provider.kind === 'cloudflare'
          ? 'cf-device-type'
          : 'x-tamna-device';
  } else if (deviceRaw === 'none' || deviceRaw === 'user-agent') {
    deviceHeader = null;
  } else if (/^[a-z0-9][a-z0-9-]{0,63}$/.test(deviceRaw)) {
    deviceHeader = deviceRaw;
  } else {
    deviceHeader = fail(
      `TAMNA_CDN_DEVICE_HEADER=${JSON.stringify(env.TAMNA_CDN_DEVICE_HEADER)} must be a header name such as X-Tamna-Device or CF-Device-Type, or none (decide by User-Agent).`,
    );
  }

  const maxAgeRaw = env.TAMNA_CDN_MAX_AGE?.trim() ?? (provider === null ? '60' : '300');
  const maxAgeSeconds = Number(maxAgeRaw);
  if (!/^\d+$/.test(maxAgeRaw) || maxAgeSeconds < 10 || maxAgeSeconds > 86_400)
    fail(
      `TAMNA_CDN_MAX_AGE=${JSON.stringify(maxAgeRaw)} must be a number of seconds from 10 to 86400.`,
    );

  const tagPrefix = env.TAMNA_CDN_TAG_PREFIX?.trim().toLowerCase() ?? '';
  if (tagPrefix !== '' && !/^[a-z0-9][a-z0-9._:-]{0,23}$/.test(tagPrefix))
    fail(
      `TAMNA_CDN_TAG_PREFIX=${JSON.stringify(env.TAMNA_CDN_TAG_PREFIX)} must be up to 24 letters, digits, '.', '_', ':' or '-', such as jeju- .`,
    );

  let tagHeaders: TagHeaderName[];
  const headersRaw = env.TAMNA_CDN_TAG_HEADERS?.trim().toLowerCase();
  if (headersRaw === undefined) {
    // Only the header the CDN reads and removes: the other would travel on to every reader.
    tagHeaders =
      provider === null ? [] : provider.kind === 'cloudflare' ? ['cache-tag'] : ['surrogate-key'];
  } else if (headersRaw === 'none') {
    tagHeaders = [];
  } else {
    const names = headersRaw.split(',').map((h) => h.trim());
    for (const name of names)
      if (name !== 'cache-tag' && name !== 'surrogate-key')
        fail(
          `TAMNA_CDN_TAG_HEADERS has ${JSON.stringify(name)}; use Cache-Tag, Surrogate-Key, both comma-separated, or none.`,
        );
    tagHeaders = [...new Set(names)] as TagHeaderName[];
  }

  return { provider, deviceHeader, maxAgeSeconds, tagPrefix, tagHeaders };
}
