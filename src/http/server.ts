import fastifyStatic from '@fastify/static';
import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
} from 'fastify';
import { statusOf } from './errors.ts';
import { registerAdmin, type AdminDeps } from './admin/index.ts';
import { createSiteRoutes, type SiteDeps, type SiteRoutes } from './site/routes.ts';
import { registerAdRoutes } from './site/ads.ts';
import { API_PREFIX, registerContentApi, type ContentApiDeps } from './api/index.ts';
import { registerPolicyRoutes } from './site/policies.ts';
import { registerTipRoutes } from './site/tips.ts';
import type { AdStats } from '../domains/ads/index.ts';
import type { Policies } from '../domains/policies/index.ts';
import type { Tips } from '../domains/tips/index.ts';
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { everyResponseHeaders } from './site/headers.ts';
import type { PartnerFeed } from '../domains/partners/index.ts';
import { registerPartnerFeed } from './partner/feed.ts';
import type { Metrics } from './metrics.ts';
import type { MediaStorage } from '../domains/media/index.ts';
import { registerMediaRoutes } from './media.ts';

/** A proxy's request id (nginx's $request_id, a CDN's) is kept when it looks like one. */
const FORWARDED_ID = /^[A-Za-z0-9._:-]{8,64}$/;
const idPrefix = randomBytes(4).toString('hex');
let idCounter = 0;

/** Request ids: the proxy's when it sent a plausible one, else this process's prefix + count. */
function requestId(raw: { headers: Record<string, string | string[] | undefined> }): string {
  const given = raw.headers['x-request-id'];
  if (typeof given === 'string' && FORWARDED_ID.test(given)) return given;
  idCounter = (idCounter + 1) % Number.MAX_SAFE_INTEGER;
  return `${idPrefix}-${idCounter.toString(36)}`;
}

export interface HttpDeps extends SiteDeps {
  logger: FastifyBaseLogger;
  /** Where media live: served under /media/ from its disk folder, or streamed from a bucket. */
  media: MediaStorage;
  healthCheck: () => Promise<void>;
  /** Null when ready for readers, else why not (database, migrations, shutting down). */
  readiness: () => Promise<string | null>;
  metrics: Metrics;
  /** The newsroom under /admin; absent in processes that only serve readers. */
  admin?: AdminDeps;
  /** Banner impressions and clicks. */
  adStats: AdStats;
  /** Peers allowed to set X-Forwarded-For/-Proto (Config.trustProxy); false trusts none. */
  trustProxy: false | number | string[];
  /** 이용약관, 개인정보처리방침 and the other policy pages. */
  policies: Policies;
  /** 기사제보: the public form. */
  tips: Tips;
  /** The portal partners' feed and the tokens that open it (none: no feed). */
  partners: { feed: PartnerFeed; tokens: readonly string[] };
  /** The read-only content API under /api/v1; absent, there is none. */
  api?: ContentApiDeps;
}

function numberOption(options: Record<string, unknown>, name: string, otherwise: number): number {
  const value = options[name];
  return typeof value === 'number' ? value : otherwise;
}

/** Trust the nearest `hops` proxies (Fastify's types omit the number form proxy-addr takes). */
function trustHops(hops: number) {
  return (_address: string, hop: number) => hop < hops;
}

export async function buildHttpServer(deps: HttpDeps): Promise<FastifyInstance> {
  // Set once the site routes exist; Fastify needs the handler at construction time.
  let site: SiteRoutes | null = null;
  let cacheHits: ((req: IncomingMessage, res: ServerResponse) => boolean) | null = null;
  const app = Fastify({
    // Page-cache hits are answered before Fastify (cache/fast-path.ts); the rest as usual.
    serverFactory: (handler, options) => {
      const server = createServer((req, res) => {
        if (cacheHits === null || !cacheHits(req, res)) handler(req, res);
      });
      // What Fastify does to the server it makes itself (lib/server.js).
      server.keepAliveTimeout = numberOption(options, 'keepAliveTimeout', server.keepAliveTimeout);
      server.requestTimeout = numberOption(options, 'requestTimeout', server.requestTimeout);
      server.setTimeout(numberOption(options, 'connectionTimeout', 0));
      const perSocket = numberOption(options, 'maxRequestsPerSocket', 0);
      if (perSocket > 0) server.maxRequestsPerSocket = perSocket;
      return server;
    },
    // Malformed URL encoding and bad content types never reach a route: answer them with
    // the same Korean 400 page instead of Fastify's JSON.
    frameworkErrors: (_error, request, rawReply) => {
      const reply = rawReply as FastifyReply;
      if (request.url.startsWith(`${API_PREFIX}/`))
        return reply
          .code(400)
          .header('access-control-allow-origin', '*')
          .send({
            error: { code: 'bad_request', message: '잘못된 요청입니다. 주소를 확인하세요.' },
          });
      const plain = () =>
        reply
          .code(400)
          .header('content-type', 'text/plain; charset=utf-8')
          .send('잘못된 요청입니다.');
      if (site === null) return plain();
      const routes = site;
      void routes
        .chrome(request)
        .then((chrome) => routes.sendError(request, reply, 400, chrome))
        .catch(plain);
    },
    loggerInstance: deps.logger,
    // Per-request log lines cost more than serving a cached page; the error handler logs
    // failures itself.
    logController: new LogController({ disableRequestLogging: true }),
    // Forwarded headers count only from the configured proxies: anyone else could forge
    // their address (login limits, reader counts) or protocol.
    trustProxy: typeof deps.trustProxy === 'number' ? trustHops(deps.trustProxy) : deps.trustProxy,
    bodyLimit: 1024 * 1024,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
    return503OnClosing: true,
    // Every log line of a request carries its id (reqId), sent back as X-Request-Id.
    genReqId: requestId,
  });

  const everyResponse = everyResponseHeaders(deps.siteUrl);
  app.addHook('onRequest', (request, reply, done) => {
    reply.headers(everyResponse);
    reply.header('x-request-id', request.id);
    done();
  });
  deps.metrics.register(app);

  const siteRoutes = createSiteRoutes(deps);
  site = siteRoutes;
  let serving = true;
  app.addHook('preClose', (done) => {
    serving = false;
    done();
  });
  cacheHits = siteRoutes.cacheHits({
    requestId,
    observe: (kind, status, seconds) => deps.metrics.observeRequest(kind, status, seconds),
    serving: () => serving,
  });
  // Before any route: Fastify binds a route to the error handler in place when it is added,
  // so routes added earlier answered a failure with its default JSON and logged nothing.
  app.setErrorHandler(async (error, request, reply) => {
    const { status, detail: known } = statusOf(error);
    const detail = known ?? undefined;
    if (status >= 500) request.log.error({ err: error, url: request.url }, 'request failed');
    try {
      const chrome = await siteRoutes.chrome(request);
      return siteRoutes.sendError(request, reply, status, chrome, detail);
    } catch {
      // The database itself may be what failed; answer without the page chrome.
      return reply
        .code(status)
        .header('content-type', 'text/plain; charset=utf-8')
        .send('일시적인 오류가 발생했습니다.');
    }
  });

  await siteRoutes.register(app);
  if (deps.admin !== undefined)
    await registerAdmin(app, { ...deps.admin, previewFront: siteRoutes.previewFront });
  registerAdRoutes(app, { banners: deps.banners, stats: deps.adStats });
  registerPolicyRoutes(app, { ...siteRoutes, policies: deps.policies });
  await registerTipRoutes(app, {
    tips: deps.tips,
    policies: deps.policies,
    clock: deps.clock,
    siteUrl: deps.siteUrl,
    chrome: siteRoutes.chrome,
    headers: siteRoutes.headers,
  });
  registerPartnerFeed(app, {
    ...deps.partners,
    publisher: { name: deps.publisher.name, siteUrl: deps.siteUrl },
    now: () => deps.clock.now(),
  });
  if (deps.api !== undefined) await registerContentApi(app, deps.api);

  if (deps.media.localRoot === null) {
    registerMediaRoutes(app, deps.media);
  } else {
    await app.register(fastifyStatic, {
      root: deps.media.localRoot,
      prefix: '/media/',
      decorateReply: false,
      index: false,
      dotfiles: 'deny',
      immutable: true,
      maxAge: '365d',
      cacheControl: true,
    });
  }

  app.get('/healthz', async (_request, reply) => {
    try {
      await deps.healthCheck();
      return reply.header('cache-control', 'no-store').send({ status: 'ok' });
    } catch (error) {
      deps.logger.error({ err: error }, 'health check failed');
      return reply.code(503).header('cache-control', 'no-store').send({ status: 'unavailable' });
    }
  });

  // Ready for readers: the database answers, migrations are current, not shutting down.
  // /healthz stays the cheap liveness check.
  app.get('/readyz', async (_request, reply) => {
    let reason: string | null;
    try {
      reason = await deps.readiness();
    } catch {
      reason = 'readiness check failed';
    }
    return reply
      .code(reason === null ? 200 : 503)
      .header('cache-control', 'no-store')
      .send(reason === null ? { status: 'ready' } : { status: 'unavailable', reason });
  });

  app.setNotFoundHandler(async (request, reply) => {
    const chrome = await siteRoutes.chrome(request);
    return siteRoutes.sendError(request, reply, 404, chrome);
  });

  return app;
}
