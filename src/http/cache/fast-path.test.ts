import {
  request as httpRequest,
  type IncomingHttpHeaders,
  type OutgoingHttpHeaders,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { siteFeedPath } from '../../views/urls.ts';
import { createTestApp, type TestApp } from '../../testing/app.ts';
import { testDialects } from '../../testing/databases.ts';
import { seedFixture, type Fixture } from '../../testing/fixtures.ts';
import { DESKTOP_BROWSER, PHONE_BROWSER } from '../../testing/user-agents.ts';
import { ManualClock } from '../../shared/clock.ts';
import { NO_CDN } from './edge.ts';
import { cacheHitFastPath, CachedRoutes } from './fast-path.ts';
import { PageCache } from './page-cache.ts';
import { PageAnswers } from './serve.ts';

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  /** Header names as sent, in order (duplicates show here). */
  names: string[];
  body: Buffer;
}

function overHttp(
  port: number,
  method: string,
  path: string,
  headers: Record<string, string>,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          names: res.rawHeaders.filter((_, i) => i % 2 === 0).map((n) => n.toLowerCase()),
          body: Buffer.concat(chunks),
        }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

/** Headers that differ between any two responses (time, connection, the request's id). */
const PER_CONNECTION = new Set(['date', 'connection', 'keep-alive', 'x-request-id']);

function comparable(headers: IncomingHttpHeaders | OutgoingHttpHeaders): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(headers)
      .filter(([name]) => !PER_CONNECTION.has(name))
      .sort(([a], [b]) => a.localeCompare(b)),
  );
}

const CDN_ENV = {
  TAMNA_CDN_PROVIDER: 'http',
  // Never called: these apps run no background jobs, so no purge is sent.
  TAMNA_CDN_HTTP_ENDPOINTS: 'http://127.0.0.1:9',
  TAMNA_CDN_TAG_HEADERS: 'cache-tag,surrogate-key',
};

describe.each(testDialects)('page-cache hits before Fastify on %s', (dialect) => {
  const setups = [
    { name: 'without a CDN', env: {} as Record<string, string> },
    { name: 'behind a purged CDN', env: CDN_ENV },
  ];
  const apps: { app: TestApp; fx: Fixture; port: number; routed: string[] }[] = [];

  beforeAll(async () => {
    for (const setup of setups) {
      const app = await createTestApp({ dialect, env: setup.env });
      const fx = await seedFixture(app);
      // What reaches Fastify at all: a request answered by the fast path never shows here.
      const routed: string[] = [];
      app.http.addHook('onRequest', (request, _reply, done) => {
        routed.push(`${request.method} ${request.url}`);
        done();
      });
      await app.http.listen({ host: '127.0.0.1', port: 0 });
      const port = (app.http.server.address() as AddressInfo).port;
      // The server is made by serverFactory now: Fastify's timeouts must still be set.
      expect(app.http.server.keepAliveTimeout).toBe(72_000);
      apps.push({ app, fx, port, routed });
    }
  });
  afterAll(async () => {
    for (const { app } of apps) await app.close();
  });

  it.each([0, 1])(
    'answers with the headers and bytes the route sends (setup %i: no CDN, then a CDN)',
    async (which) => {
      const setup = apps[which];
      if (setup === undefined) throw new Error('app not started');
      const { app, fx, port, routed } = setup;
      const article = `/news/${fx.published[0]}`;
      const device: Record<string, string> = which === 1 ? { 'x-tamna-device': 'mobile' } : {};
      const variants: { method: string; headers: Record<string, string> }[] = [
        { method: 'GET', headers: { 'user-agent': DESKTOP_BROWSER } },
        { method: 'GET', headers: { 'user-agent': PHONE_BROWSER, ...device } },
        { method: 'GET', headers: { 'user-agent': DESKTOP_BROWSER, 'accept-encoding': 'br' } },
        {
          method: 'GET',
          headers: { 'user-agent': DESKTOP_BROWSER, 'accept-encoding': 'gzip, deflate, br, zstd' },
        },
        {
          method: 'GET',
          headers: { 'user-agent': PHONE_BROWSER, 'accept-encoding': 'br;q=0, gzip', ...device },
        },
        { method: 'GET', headers: { 'user-agent': DESKTOP_BROWSER, 'accept-encoding': 'br;q=0' } },
        { method: 'HEAD', headers: { 'user-agent': DESKTOP_BROWSER, 'accept-encoding': 'gzip' } },
      ];
      for (const url of ['/', article, `${article}/`, siteFeedPath]) {
        // The first requests take the route, which renders, stores and remembers the URL,
        // and compresses; the kept brotli copy replaces the quick one just after.
        for (const variant of variants) await overHttp(port, 'GET', url, variant.headers);
        await new Promise((resolve) => setImmediate(resolve));
        for (const variant of variants) {
          const before = routed.length;
          const hits = app.cache.stats.hits;
          const fast = await overHttp(port, variant.method, url, variant.headers);
          expect(routed.length, `${variant.method} ${url} went through Fastify`).toBe(before);
          expect(app.cache.stats.hits).toBe(hits + 1);
          const viaRoute = await app.http.inject({
            method: variant.method as 'GET' | 'HEAD',
            url,
            headers: variant.headers,
          });
          expect(routed.length).toBe(before + 1);
          expect(fast.status).toBe(viaRoute.statusCode);
          expect(comparable(fast.headers)).toEqual(comparable(viaRoute.headers));
          expect(new Set(fast.names).size, 'a header sent twice').toBe(fast.names.length);
          expect(fast.body.equals(viaRoute.rawPayload)).toBe(true);
          expect(fast.headers['x-request-id']).toMatch(/^[0-9a-f]{8}-[0-9a-z]+$/);

          // The ETag it gave is answered with 304, as the route answers it.
          const etag = fast.headers.etag;
          if (etag === undefined) throw new Error(`no ETag for ${url}`);
          const conditional = { ...variant.headers, 'if-none-match': `W/${etag}, "other"` };
          const fast304 = await overHttp(port, 'GET', url, conditional);
          const route304 = await app.http.inject({ method: 'GET', url, headers: conditional });
          expect(fast304.status).toBe(304);
          expect(route304.statusCode).toBe(304);
          expect(comparable(fast304.headers)).toEqual(comparable(route304.headers));
          expect(fast304.body.length).toBe(0);
        }
      }
      const html = await overHttp(port, 'GET', article, { 'user-agent': DESKTOP_BROWSER });
      expect(html.headers['strict-transport-security']).toBe('max-age=31536000');
      expect(html.headers['content-security-policy']).toContain("default-src 'self'");
      expect(html.headers.vary).toBe(
        which === 1 ? 'Accept-Encoding, X-Tamna-Device' : 'Accept-Encoding, User-Agent',
      );
      if (which === 1) {
        expect(html.headers['surrogate-key']).toContain(`article:${fx.published[0]}`);
        expect(html.headers['cache-tag']).toContain(`article:${fx.published[0]}`);
      }
      const br = await overHttp(port, 'GET', article, {
        'user-agent': DESKTOP_BROWSER,
        'accept-encoding': 'br',
      });
      expect(br.headers['content-encoding']).toBe('br');
      expect(brotliDecompressSync(br.body).equals(html.body)).toBe(true);
      const gz = await overHttp(port, 'GET', article, {
        'user-agent': DESKTOP_BROWSER,
        'accept-encoding': 'gzip',
      });
      expect(gunzipSync(gz.body).equals(html.body)).toBe(true);
    },
  );

  it('keeps phone and desktop pages apart', async () => {
    const { app, fx, port, routed } = apps[0] ?? {};
    if (app === undefined || fx === undefined || port === undefined || routed === undefined)
      throw new Error('app not started');
    const url = `/news/${fx.published[1]}`;
    await overHttp(port, 'GET', url, { 'user-agent': DESKTOP_BROWSER });
    const before = routed.length;
    const pages = app.cache.size;
    // The phone page is not cached yet: the route renders it, not the desktop copy.
    const phone = await overHttp(port, 'GET', url, { 'user-agent': PHONE_BROWSER });
    expect(routed.length).toBe(before + 1);
    expect(app.cache.size).toBe(pages + 1);
    const desktop = await overHttp(port, 'GET', url, { 'user-agent': DESKTOP_BROWSER });
    const phoneAgain = await overHttp(port, 'GET', url, { 'user-agent': PHONE_BROWSER });
    expect(routed.length).toBe(before + 1);
    expect(phoneAgain.body.equals(phone.body)).toBe(true);
    expect(desktop.status).toBe(200);
  });

  it('leaves changed and expired pages, other methods and request ids to the route', async () => {
    const { app, fx, port, routed } = apps[0] ?? {};
    if (app === undefined || fx === undefined || port === undefined || routed === undefined)
      throw new Error('app not started');
    const id = fx.published[2] as number;
    const url = `/news/${id}`;
    const desktop = { 'user-agent': DESKTOP_BROWSER };
    await overHttp(port, 'GET', url, desktop);

    // A forwarded request id is kept, as Fastify's genReqId keeps it.
    const forwarded = await overHttp(port, 'GET', url, {
      ...desktop,
      'x-request-id': 'nginx-1234abcd',
    });
    expect(forwarded.headers['x-request-id']).toBe('nginx-1234abcd');

    // An edit drops the page: the next request is the route's, with the new title.
    let before = routed.length;
    await app.services.writer.updateArticleText(id, { title: '고친 제목 빠른 길' });
    const edited = await overHttp(port, 'GET', url, desktop);
    expect(routed.length).toBe(before + 1);
    expect(edited.body.toString()).toContain('고친 제목 빠른 길');

    // An expired page is one miss, counted once (by the route), and rendered again.
    const misses = app.cache.stats.misses;
    app.clock.set(app.clock.now() + 24 * 60 * 60 * 1000);
    before = routed.length;
    expect((await overHttp(port, 'GET', url, desktop)).status).toBe(200);
    expect(routed.length).toBe(before + 1);
    expect(app.cache.stats.misses).toBe(misses + 1);

    // POST, and a GET with a body, are Fastify's.
    before = routed.length;
    expect((await overHttp(port, 'POST', url, desktop)).status).toBe(404);
    const withBody = await overHttp(port, 'GET', url, { ...desktop, 'content-length': '0' });
    expect(withBody.status).toBe(200);
    expect(routed.length).toBe(before + 2);

    // Fast-path answers are counted like the route's.
    const text = await app.metrics.registry.metrics();
    expect(text).toMatch(/tamna_http_requests_total\{kind="article",status="2xx"\} \d+/);
    const count = (t: string) =>
      Number(/tamna_http_requests_total\{kind="article",status="2xx"\} (\d+)/.exec(t)?.[1]);
    await overHttp(port, 'GET', url, desktop);
    expect(count(await app.metrics.registry.metrics())).toBe(count(text) + 1);
  });
});

describe('cacheHitFastPath', () => {
  it('hands everything to Fastify once the server is closing', () => {
    const clock = new ManualClock(0);
    const cache = new PageCache({ maxEntries: 10 });
    const routes = new CachedRoutes(10);
    const answers = new PageAnswers({ headers: {}, cache });
    cache.set(
      'desktop|/',
      { status: 200, body: 'x', contentType: 'text/html', tags: [], expiresAt: 1000 },
      0,
      cache.currentGeneration,
    );
    routes.remember('/', {
      keys: { mobile: 'mobile|/', desktop: 'desktop|/' },
      answers,
      kind: 'front',
    });
    let serving = true;
    const fast = cacheHitFastPath({
      cache,
      routes,
      clock,
      edge: NO_CDN,
      requestId: () => 'id',
      observe: () => undefined,
      serving: () => serving,
    });
    const written: unknown[] = [];
    const response = {
      writeHead: (...args: unknown[]) => written.push(args),
      end: () => written.push('end'),
    } as unknown as Parameters<typeof fast>[1];
    const request = { method: 'GET', url: '/', headers: {} } as Parameters<typeof fast>[0];
    expect(fast(request, response)).toBe(true);
    expect(written).toHaveLength(2);
    serving = false;
    expect(fast(request, response)).toBe(false);
    expect(written).toHaveLength(2);
  });

  it('forgets the oldest URL past its bound', () => {
    const routes = new CachedRoutes(2);
    const answers = new PageAnswers({ headers: {} });
    const route = { keys: { mobile: 'm', desktop: 'd' }, answers, kind: 'front' };
    routes.remember('/a', route);
    routes.remember('/b', route);
    routes.remember('/c', route);
    expect(routes.size).toBe(2);
    expect(routes.get('/a')).toBeUndefined();
    expect(routes.get('/c')).toBe(route);
  });
});
