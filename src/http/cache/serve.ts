import type { IncomingHttpHeaders } from 'node:http';
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

/**
 * The answer to one request for a page. Fastify's reply (sendPage) and the cache-hit fast
 * path (fast-path.ts) both write exactly this, so the two cannot drift apart.
 */
export interface PageAnswer {
  status: number;
  /**
   * Every header but cache-control, as lower-case name, value, name, value (the form
   * `res.writeHead` takes). Shared by every request for the page: never modified.
   */
  headers: readonly string[];
  cacheControl: string;
  /** Null: no body (304 Not Modified). */
  body: Buffer | null;
}

type AnswerOptions = Omit<SendOptions, 'now'>;

/** One form of a page (plain, an encoding, or 304) with the headers that go with it. */
interface Block {
  /** The bytes the headers describe: a variant replaced later needs a new block. */
  body: Buffer | null;
  headers: readonly string[];
}

/** What every form of one page shares, and the forms built so far. */
interface Blocks {
  common: Record<string, string>;
  plain?: Block;
  br?: Block;
  gzip?: Block;
  notModified?: Block;
  /** cache-control for the last TTL asked: it changes at most once a second. */
  ttl: number;
  cacheControl: string;
}

function blocksOf(page: CachedPage, options: AnswerOptions): Blocks {
  const edge = options.edge ?? NO_CDN;
  // Later wins, as with reply.header: a caller's own cache-control gives way to ours.
  const common: Record<string, string> = {
    ...options.headers,
    'content-type': page.contentType,
    // Pages are rendered per device class (phone-only banner slots): a shared cache must
    // keep phone and desktop copies apart, by the CDN's device header or else by User-Agent.
    vary: options.vary ?? deviceVary(edge),
    etag: page.etag,
  };
  delete common['cache-control'];
  if (options.cacheable !== false) {
    const tagHeaders = tagHeadersOf(edge, page.tags);
    if (tagHeaders !== null) Object.assign(common, tagHeaders);
  }
  return { common, ttl: NaN, cacheControl: '' };
}

function block(
  blocks: Blocks,
  body: Buffer | null,
  encoding: Encoding | null,
  status: number,
): Block {
  const headers: string[] = [];
  for (const name in blocks.common) headers.push(name, blocks.common[name] as string);
  if (encoding !== null) headers.push('content-encoding', encoding);
  // Fastify sets it from the body too; the fast path states it so node:http need not chunk.
  if (body !== null && status !== 304) headers.push('content-length', String(body.length));
  return { body, headers };
}

function cacheControl(blocks: Blocks, page: CachedPage, options: AnswerOptions, now: number) {
  if (options.cacheable === false) return 'no-store';
  const edge = options.edge ?? NO_CDN;
  const ttl = Math.max(0, Math.min(edge.sharedMaxAge, Math.floor((page.expiresAt - now) / 1000)));
  if (ttl !== blocks.ttl) {
    blocks.ttl = ttl;
    blocks.cacheControl = `public, max-age=0, s-maxage=${ttl}, stale-while-revalidate=${edge.staleWhileRevalidate}`;
  }
  return blocks.cacheControl;
}

/**
 * Decides the answer for a page: ETag/304, the encoding, the headers. `memo` keeps each
 * page's header blocks between requests (valid for one `options` only).
 */
function answer(
  page: CachedPage,
  request: IncomingHttpHeaders,
  options: AnswerOptions,
  now: number,
  memo: WeakMap<CachedPage, Blocks> | null,
): PageAnswer {
  let blocks = memo?.get(page);
  if (blocks === undefined) {
    blocks = blocksOf(page, options);
    memo?.set(page, blocks);
  }
  const cc = cacheControl(blocks, page, options, now);
  if (page.status === 200 && etagMatches(request['if-none-match'], page.etag)) {
    blocks.notModified ??= block(blocks, null, null, 304);
    return { status: 304, headers: blocks.notModified.headers, cacheControl: cc, body: null };
  }
  const encoding = pickEncoding(request['accept-encoding']);
  if (encoding !== null) {
    const encoded =
      options.cache === undefined
        ? encodedBody(page, encoding)
        : options.cache.encoded(page, encoding);
    if (encoded !== null) {
      let known = blocks[encoding];
      if (known?.body !== encoded) blocks[encoding] = known = block(blocks, encoded, encoding, 200);
      return { status: page.status, headers: known.headers, cacheControl: cc, body: encoded };
    }
  }
  blocks.plain ??= block(blocks, page.body, null, page.status);
  return { status: page.status, headers: blocks.plain.headers, cacheControl: cc, body: page.body };
}

/** The answer for a page sent once (an error page, a search): nothing is kept. */
export function answerPage(
  page: CachedPage,
  request: IncomingHttpHeaders,
  options: SendOptions,
): PageAnswer {
  return answer(page, request, options, options.now, null);
}

/**
 * Answers for the pages of one kind (same security headers, Vary and CDN policy), keeping
 * each cached page's header blocks: on a hit only cache-control and the request id are
 * new, and nothing about the page is worked out again.
 */
export class PageAnswers {
  private readonly memo = new WeakMap<CachedPage, Blocks>();

  constructor(readonly options: AnswerOptions) {}

  answer(page: CachedPage, request: IncomingHttpHeaders, now: number): PageAnswer {
    return answer(page, request, this.options, now, this.memo);
  }
}

/** Writes an answer through Fastify (its hooks, its request id, its HEAD handling). */
export function replyWith(reply: FastifyReply, answer: PageAnswer): FastifyReply {
  const headers = answer.headers;
  for (let i = 0; i < headers.length; i += 2)
    reply.header(headers[i] as string, headers[i + 1] as string);
  reply.header('cache-control', answer.cacheControl);
  reply.code(answer.status);
  return answer.body === null ? reply.send() : reply.send(answer.body);
}

/** Writes a cached (or freshly built) page with ETag/304, compression and cache headers. */
export function sendPage(
  request: FastifyRequest,
  reply: FastifyReply,
  page: CachedPage,
  options: SendOptions,
): FastifyReply {
  return replyWith(reply, answerPage(page, request.headers, options));
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
