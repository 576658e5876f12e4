import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { brotliCompressSync, gzipSync } from 'node:zlib';

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
