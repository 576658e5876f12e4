import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  contentTypeOf,
  isSafeKey,
  MEDIA_CACHE_CONTROL,
  MEDIA_PATH_PREFIX,
  type MediaStorage,
} from '../domains/media/index.ts';

/**
 * `/media/*` answered from a storage that is not this server's disk (a bucket): the
 * fallback when no CDN base URL is set, and for article bodies that name `/media/` paths.
 * Headers match what @fastify/static sends for the local disk: the type from the name, the
 * store's ETag and Last-Modified, one byte range, and a year of caching.
 */
export function registerMediaRoutes(app: FastifyInstance, storage: MediaStorage): void {
  const keyOf = (request: FastifyRequest) => {
    const key = (request.params as { '*'?: string })['*'] ?? '';
    return isSafeKey(key) ? key : null;
  };

  const head = (reply: FastifyReply, etag: string | null, lastModified: number | null) => {
    reply.header('cache-control', MEDIA_CACHE_CONTROL);
    if (etag !== null) reply.header('etag', etag);
    if (lastModified !== null && lastModified > 0)
      reply.header('last-modified', new Date(lastModified).toUTCString());
  };

  app.get(`${MEDIA_PATH_PREFIX}*`, { exposeHeadRoute: false }, async (request, reply) => {
    const key = keyOf(request);
    if (key === null) return reply.callNotFound();
    const header = (name: string) => {
      const value = request.headers[name];
      return typeof value === 'string' ? value : undefined;
    };
    const answer = await storage.open(key, {
      range: header('range'),
      ifNoneMatch: header('if-none-match'),
      ifModifiedSince: header('if-modified-since'),
    });
    if (answer === null) return reply.callNotFound();
    if (answer.status === 304) {
      head(reply, answer.etag, answer.lastModified);
      return reply.code(304).send();
    }
    if (answer.status === 416) {
      reply.header('content-range', `bytes */${answer.size ?? '*'}`);
      return reply.code(416).send();
    }
    head(reply, answer.info.etag, answer.info.lastModified);
    reply.header('accept-ranges', 'bytes').type(answer.contentType);
    if (answer.range !== null) {
      const { start, end } = answer.range;
      reply
        .code(206)
        .header('content-range', `bytes ${start}-${end}/${answer.info.size}`)
        .header('content-length', end - start + 1);
    } else {
      reply.header('content-length', answer.info.size);
    }
    return reply.send(answer.body);
  });

  // HEAD asks the store for the headers only, never for the bytes.
  app.head(`${MEDIA_PATH_PREFIX}*`, async (request, reply) => {
    const key = keyOf(request);
    const info = key === null ? null : await storage.stat(key);
    if (key === null || info === null) return reply.code(404).send();
    head(reply, info.etag, info.lastModified);
    return reply
      .header('accept-ranges', 'bytes')
      .header('content-length', info.size)
      .type(contentTypeOf(key))
      .send();
  });
}
