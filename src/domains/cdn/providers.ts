import http from 'node:http';
import https from 'node:https';
import type { CdnProvider } from '../../config/index.ts';

/** What one purge request came to; never thrown. */
export interface PurgeResult {
  ok: boolean;
  /** The HTTP status, or null when no answer came. */
  status: number | null;
  /** Why it failed, in Korean for the admin; null when it worked. */
  error: string | null;
  /** The CDN asked us to wait (429 Retry-After) this long before the next request. */
  retryAfterMs?: number;
}

/**
 * One CDN's purge API. Tags arrive spelled for the edge (shared/edge-tags); addresses are
 * absolute. Each call is one request (or one per cache server), within the provider's
 * limits per request.
 */
export interface CdnAdapter {
  kind: CdnProvider['kind'];
  /** For the admin: Cloudflare, Fastly, Varnish/nginx. */
  label: string;
  maxTagsPerRequest: number;
  maxUrlsPerRequest: number;
  /**
   * Purges by tag are impossible (nginx): tags are turned into the addresses of the pages
   * they name before sending.
   */
  tagsAsUrls: boolean;
  /** Soft purges (mark stale, keep serving while refetching) are asked for when allowed. */
  softPurge: boolean;
  purgeTags(tags: readonly string[], options: { soft: boolean }): Promise<PurgeResult>;
  purgeUrls(urls: readonly string[]): Promise<PurgeResult>;
}

export interface AdapterOptions {
  timeoutMs: number;
  /** The header the CDN keys device classes by (cf-device-type, x-tamna-device), or null. */
  deviceHeader: string | null;
}

const EXCERPT = 200;

function retryAfterMs(header: string | null): number | undefined {
  if (header === null) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds, 3600) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.min(at - Date.now(), 3_600_000));
}

function networkError(error: unknown): PurgeResult {
  const name = (error as { name?: string }).name;
  const cause = (error as { cause?: { code?: string } }).cause?.code;
  const text =
    name === 'TimeoutError' || name === 'AbortError'
      ? '응답이 제한 시간 안에 오지 않았습니다.'
      : `연결하지 못했습니다${cause === undefined ? '' : ` (${cause})`}.`;
  return { ok: false, status: null, error: text };
}

async function postJson(
  url: string,
  headers: Record<string, string>,
  body: unknown,
  timeoutMs: number,
): Promise<{ status: number; json: unknown; text: string; retryAfter: string | null }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
    body: body === undefined ? null : JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
    redirect: 'manual',
  });
  const text = (await response.text()).slice(0, 64 * 1024);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  return { status: response.status, json, text, retryAfter: response.headers.get('retry-after') };
}

/** Cloudflare's answer: `{ success, errors: [{ code, message }] }`. */
function cloudflareResult(answer: Awaited<ReturnType<typeof postJson>>): PurgeResult {
  const body = (answer.json ?? {}) as {
    success?: unknown;
    errors?: Array<{ code?: unknown; message?: unknown }>;
  };
  if (answer.status >= 200 && answer.status < 300 && body.success === true)
    return { ok: true, status: answer.status, error: null };
  const first = body.errors?.[0];
  const detail =
    first === undefined
      ? answer.text.slice(0, EXCERPT)
      : `${String(first.code ?? '')} ${String(first.message ?? '')}`.trim();
  const wait = retryAfterMs(answer.retryAfter);
  return {
    ok: false,
    status: answer.status,
    error: `Cloudflare가 거절했습니다 (HTTP ${answer.status}${detail === '' ? '' : `: ${detail}`}).`,
    ...(answer.status === 429 ? { retryAfterMs: wait ?? 60_000 } : {}),
  };
}

/** The device classes Cloudflare keys a page by when "cache by device type" is on. */
const CLOUDFLARE_DEVICES = ['desktop', 'mobile', 'tablet'] as const;

export function cloudflareAdapter(
  provider: Extract<CdnProvider, { kind: 'cloudflare' }>,
  options: AdapterOptions,
): CdnAdapter {
  const endpoint = `${provider.apiUrl}/zones/${provider.zoneId}/purge_cache`;
  const auth = { authorization: `Bearer ${provider.apiToken}` };
  const perDevice = options.deviceHeader === 'cf-device-type';
  const send = async (body: unknown): Promise<PurgeResult> => {
    try {
      return cloudflareResult(await postJson(endpoint, auth, body, options.timeoutMs));
    } catch (error) {
      return networkError(error);
    }
  };
  return {
    kind: 'cloudflare',
    label: 'Cloudflare',
    // 100 tags or addresses per request on every plan; an address keyed by device type is
    // three entries (one per CF-Device-Type).
    maxTagsPerRequest: 100,
    maxUrlsPerRequest: perDevice ? 33 : 100,
    tagsAsUrls: false,
    softPurge: false,
    purgeTags: (tags) => send({ tags }),
    purgeUrls: (urls) =>
      send({
        files: perDevice
          ? urls.flatMap((url) =>
              CLOUDFLARE_DEVICES.map((d) => ({ url, headers: { 'CF-Device-Type': d } })),
            )
          : urls,
      }),
  };
}

/** Fastly's answer: 200 with `{ status: "ok", id }` (a key purge: `{ key: id, … }`). */
function fastlyResult(answer: Awaited<ReturnType<typeof postJson>>): PurgeResult {
  if (answer.status >= 200 && answer.status < 300)
    return { ok: true, status: answer.status, error: null };
  const body = (answer.json ?? {}) as { msg?: unknown; detail?: unknown };
  const detail = [body.msg, body.detail].filter((v) => typeof v === 'string').join(': ');
  const wait = retryAfterMs(answer.retryAfter);
  return {
    ok: false,
    status: answer.status,
    error: `Fastly가 거절했습니다 (HTTP ${answer.status}${detail === '' ? '' : `: ${detail.slice(0, EXCERPT)}`}).`,
    ...(answer.status === 429 ? { retryAfterMs: wait ?? 60_000 } : {}),
  };
}

export function fastlyAdapter(
  provider: Extract<CdnProvider, { kind: 'fastly' }>,
  options: AdapterOptions,
): CdnAdapter {
  const key = { 'fastly-key': provider.apiKey };
  const send = async (url: string, headers: Record<string, string>, body?: unknown) => {
    try {
      return fastlyResult(await postJson(url, { ...key, ...headers }, body, options.timeoutMs));
    } catch (error) {
      return networkError(error);
    }
  };
  return {
    kind: 'fastly',
    label: 'Fastly',
    // Fastly takes up to 256 surrogate keys per batch purge; an address is one request.
    maxTagsPerRequest: 256,
    maxUrlsPerRequest: 1,
    tagsAsUrls: false,
    softPurge: provider.softPurge,
    purgeTags: (tags, { soft }) =>
      send(
        `${provider.apiUrl}/service/${encodeURIComponent(provider.serviceId)}/purge`,
        soft ? { 'fastly-soft-purge': '1' } : {},
        {
          surrogate_keys: tags,
        },
      ),
    async purgeUrls(urls) {
      for (const url of urls) {
        // POST /purge/<host><path>: the address without its scheme.
        const result = await send(
          `${provider.apiUrl}/purge/${url.replace(/^https?:\/\//, '')}`,
          {},
        );
        if (!result.ok) return result;
      }
      return { ok: true, status: 200, error: null };
    },
  };
}

/** The request header a BAN carries its tags in (docs/decisions/0022-cdn-purging.md). */
export const BAN_TAGS_HEADER = 'x-purge-tags';

/** One plain HTTP request without a body (BAN and PURGE are not methods fetch likes to send). */
function bare(
  endpoint: string,
  request: { method: string; path: string; headers: Record<string, string> },
  timeoutMs: number,
): Promise<{ status: number }> {
  const base = new URL(endpoint);
  const client = base.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(
      {
        protocol: base.protocol,
        hostname: base.hostname,
        port: base.port,
        method: request.method,
        path: `${base.pathname.replace(/\/+$/, '')}${request.path}`,
        headers: { ...request.headers, 'content-length': '0' },
        agent: false,
        timeout: timeoutMs,
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0 }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () =>
      req.destroy(Object.assign(new Error('timeout'), { name: 'TimeoutError' })),
    );
    req.on('error', (error) =>
      reject(Object.assign(new Error('request failed'), { name: error.name, cause: error })),
    );
    req.end();
  });
}

/**
 * Varnish or nginx: every cache server is sent each purge. BAN `/` with the tags in
 * `X-Purge-Tags` (space-separated) for a Varnish whose VCL bans objects whose
 * Surrogate-Key holds one of them; PURGE of each address for nginx's cache_purge, once per
 * device class (the device header) and encoding (Accept-Encoding br, gzip, none), since
 * nginx keys each copy by both and purges one key at a time. 404 from a PURGE means the
 * page was not in that cache: nothing to purge, so it counts as done.
 */
export function httpAdapter(
  provider: Extract<CdnProvider, { kind: 'http' }>,
  options: AdapterOptions & { siteHost: string },
): CdnAdapter {
  const host = { host: options.siteHost };
  const each = async (
    requests: Array<{ method: string; path: string; headers: Record<string, string> }>,
    okStatus: (status: number) => boolean,
  ): Promise<PurgeResult> => {
    for (const endpoint of provider.endpoints) {
      for (const request of requests) {
        try {
          const { status } = await bare(endpoint, request, options.timeoutMs);
          if (!okStatus(status))
            return {
              ok: false,
              status,
              error: `${endpoint}이(가) ${request.method}을(를) 거절했습니다 (HTTP ${status}).`,
            };
        } catch (error) {
          const failed = networkError(error);
          return { ...failed, error: `${endpoint}: ${failed.error ?? ''}` };
        }
      }
    }
    return { ok: true, status: 200, error: null };
  };
  const devices = options.deviceHeader === null ? [null] : ['desktop', 'mobile'];
  const encodings = ['br', 'gzip', null];
  return {
    kind: 'http',
    label: provider.mode === 'ban' ? 'Varnish (BAN)' : 'nginx (PURGE)',
    // A header of up to 100 short tags stays far below Varnish's 8 KB header limit.
    maxTagsPerRequest: 100,
    // Addresses per round (each is six requests to every cache server).
    maxUrlsPerRequest: 20,
    tagsAsUrls: provider.mode === 'purge',
    softPurge: false,
    purgeTags: (tags) =>
      each(
        [{ method: 'BAN', path: '/', headers: { ...host, [BAN_TAGS_HEADER]: tags.join(' ') } }],
        (s) => s >= 200 && s < 300,
      ),
    purgeUrls: (urls) =>
      each(
        urls.flatMap((url) => {
          const target = new URL(url);
          return devices.flatMap((device) =>
            encodings.map((encoding) => ({
              method: 'PURGE',
              path: `${target.pathname}${target.search}`,
              headers: {
                host: target.host,
                ...(device === null || options.deviceHeader === null
                  ? {}
                  : { [options.deviceHeader]: device }),
                ...(encoding === null ? {} : { 'accept-encoding': encoding }),
              },
            })),
          );
        }),
        (s) => (s >= 200 && s < 300) || s === 404,
      ),
  };
}

export function createAdapter(
  provider: CdnProvider,
  options: AdapterOptions & { siteHost: string },
): CdnAdapter {
  switch (provider.kind) {
    case 'cloudflare':
      return cloudflareAdapter(provider, options);
    case 'fastly':
      return fastlyAdapter(provider, options);
    case 'http':
      return httpAdapter(provider, options);
  }
}
