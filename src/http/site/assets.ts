import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { transformSync } from 'esbuild';
import { pickEncoding } from '../cache/serve.ts';

export interface Asset {
  path: string;
  contentType: string;
  body: Buffer;
  gzip: Buffer;
  brotli: Buffer;
  etag: string;
}

/**
 * Loads a static asset once at start-up under a content-hashed path, so it can be cached
 * by browsers and CDNs for a year and still change the moment the file does.
 */
export function loadAsset(file: URL, name: string, ext: string, contentType: string): Asset {
  return assetFromBytes(readFileSync(file), name, ext, contentType);
}

/**
 * The browsers the stylesheets are written for (`:has()` is the newest thing they use),
 * so minifying never rewrites a rule into syntax one of them lacks.
 */
const CSS_TARGETS = ['chrome105', 'edge105', 'firefox121', 'safari15.4'];

const minified = new Map<string, Buffer>();

/**
 * A stylesheet, minified once per process: the sources keep their comments, and readers
 * download and parse a quarter less (Lighthouse's unminified-css).
 */
export function loadStylesheet(file: URL, name: string): Asset {
  let body = minified.get(file.href);
  if (body === undefined) {
    const { code } = transformSync(readFileSync(file, 'utf8'), {
      loader: 'css',
      minify: true,
      target: CSS_TARGETS,
      charset: 'utf8',
      legalComments: 'none',
      logLevel: 'silent',
    });
    body = Buffer.from(code);
    minified.set(file.href, body);
  }
  return assetFromBytes(body, name, 'css', 'text/css; charset=utf-8');
}

/** The same for bytes built in memory (the bundled admin editor). */
export function assetFromBytes(
  body: Buffer,
  name: string,
  ext: string,
  contentType: string,
): Asset {
  const hash = createHash('sha256').update(body).digest('hex').slice(0, 12);
  return {
    path: `/assets/${name}.${hash}.${ext}`,
    contentType,
    body,
    gzip: gzipSync(body, { level: 9 }),
    brotli: brotliCompressSync(body),
    etag: `"${hash}"`,
  };
}

export const IMMUTABLE_ASSET = 'public, max-age=31536000, immutable';

/** Serves an asset with its ETag (304) and its precompressed brotli or gzip bytes. */
export function sendAsset(
  asset: Asset,
  cacheControl: string,
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  reply.header('content-type', asset.contentType);
  reply.header('cache-control', cacheControl);
  reply.header('etag', asset.etag);
  reply.header('vary', 'Accept-Encoding');
  reply.header('x-content-type-options', 'nosniff');
  if (request.headers['if-none-match'] === asset.etag) return reply.code(304).send();
  const encoding = pickEncoding(request.headers['accept-encoding']);
  if (encoding === 'br') return reply.header('content-encoding', 'br').send(asset.brotli);
  if (encoding === 'gzip') return reply.header('content-encoding', 'gzip').send(asset.gzip);
  return reply.send(asset.body);
}
