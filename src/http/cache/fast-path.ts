import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from '../../shared/clock.ts';
import { deviceOf, type EdgePolicy } from './edge.ts';
import type { PageCache } from './page-cache.ts';
import type { PageAnswers } from './serve.ts';

/**
 * A URL that a route answered from the page cache: which cache entries it reads, and how
 * they are answered. Routes build their cache key from the URL alone (path parameters,
 * the query string), so the same URL always reads the same entries.
 */
export interface CachedRoute {
  /** Cache keys by device class; one key for pages that are the same on every device. */
  keys: { readonly mobile: string; readonly desktop: string };
  answers: PageAnswers;
  /** The route kind its requests are counted under (metrics.ts routeKind). */
  kind: string;
}

/**
 * URLs seen answered from the page cache, most recent last. Bounded: query strings make
 * URLs without end (/weather?anything is the one weather page), and a URL forgotten only
 * takes the ordinary route once more.
 */
export class CachedRoutes {
  private readonly byUrl = new Map<string, CachedRoute>();

  constructor(private readonly maxUrls: number) {}

  get size(): number {
    return this.byUrl.size;
  }

  remember(url: string, route: CachedRoute): void {
    if (this.maxUrls <= 0 || this.byUrl.has(url)) return;
    if (this.byUrl.size >= this.maxUrls) {
      const oldest = this.byUrl.keys().next().value;
      if (oldest !== undefined) this.byUrl.delete(oldest);
    }
    this.byUrl.set(url, route);
  }

  get(url: string): CachedRoute | undefined {
    return this.byUrl.get(url);
  }
}

export interface FastPathDeps {
  cache: PageCache;
  routes: CachedRoutes;
  clock: Clock;
  edge: EdgePolicy;
  /** The request id, as Fastify's genReqId makes it (server.ts). */
  requestId: (request: IncomingMessage) => string;
  /** Counts the request as Fastify's onResponse hook does (metrics.ts). */
  observe: (kind: string, status: number, seconds: number) => void;
  /** False once the server is closing: Fastify then answers 503 (return503OnClosing). */
  serving: () => boolean;
}

/**
 * Page-cache hits answered before Fastify: for a URL a route already answered from the
 * cache, the stored page is written with the headers the route would send (the same
 * PageAnswers), without Fastify's request and reply objects, hooks and routing. About a
 * quarter of a warm hit's time went there (docs/decisions/0023). Anything else (another
 * method, a body, a page not cached or expired, a server closing) returns false and goes
 * to Fastify, which answers and counts it as before.
 */
export function cacheHitFastPath(
  deps: FastPathDeps,
): (request: IncomingMessage, response: ServerResponse) => boolean {
  const { cache, routes, clock, edge } = deps;
  return (request, response) => {
    const started = performance.now();
    const method = request.method;
    if (method !== 'GET' && method !== 'HEAD') return false;
    const route = routes.get(request.url ?? '');
    if (route === undefined) return false;
    const headers = request.headers;
    // A body is Fastify's to read or refuse (its limits and errors).
    if (headers['content-length'] !== undefined || headers['transfer-encoding'] !== undefined)
      return false;
    if (!deps.serving()) return false;
    const now = clock.now();
    const page = cache.hit(route.keys[deviceOf(edge, headers)], now);
    if (page === undefined) return false;
    const answer = route.answers.answer(page, headers, now);
    response.writeHead(
      answer.status,
      answer.headers.concat(
        'cache-control',
        answer.cacheControl,
        'x-request-id',
        deps.requestId(request),
      ),
    );
    // node:http drops a HEAD response's body itself; not handing it over saves the call.
    if (answer.body === null || method === 'HEAD') response.end();
    else response.end(answer.body);
    // Fastify's onResponse waits for 'finish'; a hit's time is the time to hand the bytes
    // to the socket, which for a cached page is when end() returns.
    deps.observe(route.kind, answer.status, (performance.now() - started) / 1000);
    return true;
  };
}
