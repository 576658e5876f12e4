import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** What a background job reports: the server's timers (app.ts) keep one per job. */
export interface JobStatus {
  name: string;
  intervalMs: number;
  lastStartedAt: number | null;
  lastSucceededAt: number | null;
  lastFailedAt: number | null;
}

export interface MetricsDeps {
  /** The page cache's counters and size. */
  pageCache: {
    stats: { hits: number; misses: number; stores: number; invalidations: number };
    size: number;
    byteSize: number;
  };
  jobs: () => readonly JobStatus[];
  /** Bearer token for /metrics; null turns the endpoint off (404). */
  token: string | null;
  now: () => number;
}

/** Route kinds, so labels stay few whatever URLs readers type. */
export function routeKind(request: FastifyRequest): string {
  const route = request.routeOptions.url ?? '';
  if (route === '/') return 'front';
  // Feeds, a section's and a byline's included: checked before the pages they hang off.
  if (/^\/(rss|atom)\/|\/(feed|rss)$/.test(route)) return 'feed';
  if (route.startsWith('/news/')) return 'article';
  if (route.startsWith('/section/')) return 'section';
  if (route === '/search') return 'search';
  if (route.startsWith('/reporter/')) return 'reporter';
  if (route.startsWith('/tag/')) return 'tag';
  if (route.startsWith('/series/')) return 'series';
  if (route === '/weather') return 'weather';
  if (route.startsWith('/policy/')) return 'policy';
  if (route.startsWith('/jebo')) return 'tip';
  if (route.startsWith('/preview/')) return 'preview';
  if (route.startsWith('/admin')) return 'admin';
  if (route.startsWith('/api/')) return 'api';
  if (route.startsWith('/partner/')) return 'partner';
  if (route.startsWith('/media/')) return 'media';
  if (route.startsWith('/beacon/')) return 'beacon';
  if (route.startsWith('/ad/')) return 'ad';
  if (route.startsWith('/sitemap') || route === '/robots.txt') return 'sitemap';
  if (route.startsWith('/image/')) return 'image';
  if (route.startsWith('/assets/')) return 'asset';
  if (route === '/healthz' || route === '/readyz' || route === '/metrics') return 'ops';
  return route === '' ? 'not_found' : 'other';
}

export interface Metrics {
  registry: Registry;
  /** Time to build an uncached page (data and rendering), by route kind. */
  observeRender(kind: string, seconds: number): void;
  /** One database query's time (Kysely's log event). */
  observeQuery(seconds: number, failed: boolean): void;
  /** One answered request (Fastify's onResponse hook, and the cache-hit fast path). */
  observeRequest(kind: string, status: number, seconds: number): void;
  register(app: FastifyInstance): void;
}

/**
 * Prometheus metrics on a registry of our own: requests and latency by route kind, page
 * cache hits, misses and bytes, render and query time, background job lag, and the
 * process's own (memory, event loop lag, GC) from prom-client's defaults.
 */
export function createMetrics(deps: MetricsDeps): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'tamna_' });
  const requests = new Counter({
    name: 'tamna_http_requests_total',
    help: 'HTTP requests answered, by route kind and status class',
    labelNames: ['kind', 'status'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'tamna_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by route kind',
    labelNames: ['kind'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const render = new Histogram({
    name: 'tamna_page_render_seconds',
    help: 'Time to build a page the cache did not have, by route kind',
    labelNames: ['kind'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    registers: [registry],
  });
  const queries = new Histogram({
    name: 'tamna_db_query_duration_seconds',
    help: 'Database query time',
    labelNames: ['outcome'] as const,
    buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1],
    registers: [registry],
  });
  const cache = deps.pageCache;
  new Counter({
    name: 'tamna_page_cache_hits_total',
    help: 'Pages served from the page cache',
    registers: [registry],
    collect() {
      this.reset();
      this.inc(cache.stats.hits);
    },
  });
  new Counter({
    name: 'tamna_page_cache_misses_total',
    help: 'Pages the page cache did not have',
    registers: [registry],
    collect() {
      this.reset();
      this.inc(cache.stats.misses);
    },
  });
  new Counter({
    name: 'tamna_page_cache_invalidations_total',
    help: 'Invalidations by cache tag',
    registers: [registry],
    collect() {
      this.reset();
      this.inc(cache.stats.invalidations);
    },
  });
  new Gauge({
    name: 'tamna_page_cache_bytes',
    help: 'Bytes held by cached pages and their compressed copies',
    registers: [registry],
    collect() {
      this.set(cache.byteSize);
    },
  });
  new Gauge({
    name: 'tamna_page_cache_entries',
    help: 'Pages in the page cache',
    registers: [registry],
    collect() {
      this.set(cache.size);
    },
  });
  new Gauge({
    name: 'tamna_job_lag_seconds',
    help: 'How long past its interval a background job is since it last succeeded (0 = on time)',
    labelNames: ['job'] as const,
    registers: [registry],
    collect() {
      this.reset();
      const now = deps.now();
      for (const job of deps.jobs()) {
        const since = now - (job.lastSucceededAt ?? job.lastStartedAt ?? now);
        this.set({ job: job.name }, Math.max(0, since - job.intervalMs) / 1000);
      }
    },
  });
  new Gauge({
    name: 'tamna_job_last_success_timestamp_seconds',
    help: 'When a background job last succeeded (Unix time; 0 = not yet)',
    labelNames: ['job'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const job of deps.jobs()) this.set({ job: job.name }, (job.lastSucceededAt ?? 0) / 1000);
    },
  });

  const expected = deps.token === null ? null : Buffer.from(`Bearer ${deps.token}`);
  const authorized = (header: string | undefined): boolean => {
    if (expected === null || header === undefined) return false;
    const given = Buffer.from(header);
    return given.length === expected.length && timingSafeEqual(given, expected);
  };

  const statusClasses = ['0xx', '1xx', '2xx', '3xx', '4xx', '5xx'];
  function observeRequest(kind: string, status: number, seconds: number): void {
    const statusClass = statusClasses[Math.floor(status / 100)] ?? `${Math.floor(status / 100)}xx`;
    requests.inc({ kind, status: statusClass });
    latency.observe({ kind }, seconds);
  }

  return {
    registry,
    observeRender(kind, seconds) {
      render.observe({ kind }, seconds);
    },
    observeQuery(seconds, failed) {
      queries.observe({ outcome: failed ? 'error' : 'ok' }, seconds);
    },
    observeRequest,
    register(app) {
      app.addHook('onResponse', (request, reply, done) => {
        observeRequest(routeKind(request), reply.statusCode, reply.elapsedTime / 1000);
        done();
      });
      // Off the public site: without a token the endpoint does not exist.
      app.get('/metrics', async (request, reply) => {
        reply.header('cache-control', 'no-store');
        if (expected === null) return reply.code(404).type('text/plain').send('Not Found');
        if (!authorized(request.headers.authorization))
          return reply
            .code(401)
            .header('www-authenticate', 'Bearer realm="metrics"')
            .type('text/plain')
            .send('Unauthorized');
        return reply.type(registry.contentType).send(await registry.metrics());
      });
    },
  };
}
