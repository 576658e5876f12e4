import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CachedPage, Encoding, PageCache } from './page-cache.ts';
import { encodedBody, strongEtag } from './page-cache.ts';
import { deviceVary, NO_CDN, tagHeadersOf, type EdgePolicy } from './edge.ts';

export { deviceClass, deviceOf, type DeviceClass, type EdgePolicy } from './edge.ts';

/** Picks brotli, then gzip, honouring an explicit q=0 refusal. */
export function pickEncoding(acceptEncoding: string | undefined): Encoding | null {
  if (acceptEncoding === undefined || acceptEncoding === '') return null;
  let br = false;
  let gzip = false;
  for (const part of acceptEncoding.split(',')) {
    const [name = '', ...params] = part.trim().toLowerCase().split(';');
    const refused = params.some((p) => /^\s*q=0(\.0*)?\s*$/.test(p));
    if (refused) continue;
    if (name === 'br') br = true;
    else if (name === 'gzip' || name === 'x-gzip' || name === '*') gzip = true;
  }
  return br ? 'br' : gzip ? 'gzip' : null;
}

export function etagMatches(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  if (header.trim() === '*') return true;
  for (const candidate of header.split(',')) {
    const c = candidate.trim();
    if (c === etag || c === `W/${etag}`) return true;
  }
  return false;
}

export interface SendOptions {
  /** Extra response headers shared by every page (security headers). */
  headers: Readonly<Record<string, string>>;
  now: number;
  /** Responses that must not be kept by shared caches (errors on bad input). */
  cacheable?: boolean;
  /** The cache holding `page`, so a compressed variant made now is counted there. */
  cache?: PageCache;
  /** The Vary header; pages rendered per device class vary by the device key (the default). */
  vary?: string | undefined;
  /** What a CDN is told: how long to keep the page, its device key and its tags. */
  edge?: EdgePolicy;
}

/** Writes a cached (or freshly built) page with ETag/304, compression and cache headers. */
export function sendPage(
  request: FastifyRequest,
  reply: FastifyReply,
  page: CachedPage,
  options: SendOptions,
): FastifyReply {
  const edge = options.edge ?? NO_CDN;
  reply.headers(options.headers);
  reply.header('content-type', page.contentType);
  // Pages are rendered per device class (phone-only banner slots): a shared cache must keep
  // phone and desktop copies apart, by the CDN's device header or else by User-Agent.
  reply.header('vary', options.vary ?? deviceVary(edge));
  reply.header('etag', page.etag);
  if (options.cacheable === false) {
    reply.header('cache-control', 'no-store');
  } else {
    const ttl = Math.max(
      0,
      Math.min(edge.sharedMaxAge, Math.floor((page.expiresAt - options.now) / 1000)),
    );
    reply.header(
      'cache-control',
      `public, max-age=0, s-maxage=${ttl}, stale-while-revalidate=${edge.staleWhileRevalidate}`,
    );
    const tagHeaders = tagHeadersOf(edge, page.tags);
    if (tagHeaders !== null) reply.headers(tagHeaders);
  }
  if (page.status === 200 && etagMatches(request.headers['if-none-match'], page.etag)) {
    return reply.code(304).send();
  }
  reply.code(page.status);
  const encoding = pickEncoding(request.headers['accept-encoding']);
  if (encoding !== null) {
    const encoded =
      options.cache === undefined
        ? encodedBody(page, encoding)
        : options.cache.encoded(page, encoding);
    if (encoded !== null) {
      reply.header('content-encoding', encoding);
      return reply.send(encoded);
    }
  }
  return reply.send(page.body);
}

/** A page that is not stored in the cache (e.g. an error page), compressed the same way. */
export function buildUncachedPage(status: number, html: string, now: number): CachedPage {
  const body = Buffer.from(html);
  const big = body.length >= 1024;
  return {
    status,
    body,
    gzip: big ? undefined : null,
    brotli: big ? undefined : null,
    etag: strongEtag(body),
    contentType: 'text/html; charset=utf-8',
    tags: [],
    storedAt: now,
    expiresAt: now + 30_000,
  };
}

export type { PageCache };
