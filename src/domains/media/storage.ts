import { createHash } from 'node:crypto';
import { accessSync, constants, createReadStream, mkdirSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { AppError, invalidInput } from '../../shared/errors.ts';

/**
 * Where media bytes live: local disk (the embedded default) or an S3-compatible bucket
 * (s3-storage.ts). Domains and routes see only this interface, so an upload, a rendition,
 * a share crop or a banner works the same on either.
 */
export interface MediaStorage {
  /** Which store this is (`local` or `s3`). */
  readonly kind: 'local' | 's3';
  /** `folder /srv/tamna/data/media`, `bucket media at https://…`: for messages and logs. */
  readonly where: string;
  /**
   * Whether the store can be used (the folder writable, the bucket there and the keys
   * accepted); throws an AppError whose `details.reason` says in English what is wrong.
   */
  check(): Promise<void>;
  /** Stores bytes under a key, with the type read from its extension; replaces any there. */
  put(key: string, bytes: Buffer | Uint8Array): Promise<void>;
  exists(key: string): Promise<boolean>;
  /** A stored file's bytes, or null when there is none. */
  read(key: string): Promise<Buffer | null>;
  /** Size, entity tag and time of a stored file, or null when there is none. */
  stat(key: string): Promise<MediaObjectInfo | null>;
  /**
   * A stored file for an HTTP answer, honouring Range and If-None-Match/If-Modified-Since;
   * null when there is none. The caller must consume or destroy a returned body.
   */
  open(key: string, request?: MediaRequest): Promise<MediaAnswer | null>;
  /** Removes a stored file; removing one that is not there is not an error. */
  delete(key: string): Promise<void>;
  /** Every stored file, in no particular order (the copy command walks it). */
  list(): AsyncIterable<{ key: string; size: number }>;
  /** The public URL of a stored key: `/media/<key>`, or under the CDN's base URL. */
  url(key: string): string;
  /**
   * The site-relative path of a stored key, which this server always answers. What the
   * editor writes into article bodies, so a body never depends on a CDN's host name.
   */
  sitePath(key: string): string;
  /** A local directory to serve from, when the storage is local disk. */
  readonly localRoot: string | null;
  /** Releases connections (a bucket's pool); the storage is not used afterwards. */
  close(): void;
}

export interface MediaObjectInfo {
  size: number;
  /** The entity tag as HTTP sends it, quotes included. */
  etag: string;
  /** Milliseconds since the epoch. */
  lastModified: number;
  /** Hex SHA-256 of the bytes, when the store keeps it (objects Tamna wrote to a bucket). */
  sha256: string | null;
}

export interface MediaRequest {
  /** The request's Range header; only one `bytes=` range is honoured, like the local server. */
  range?: string | undefined;
  ifNoneMatch?: string | undefined;
  ifModifiedSince?: string | undefined;
}

export type MediaAnswer =
  | {
      status: 200 | 206;
      info: MediaObjectInfo;
      contentType: string;
      body: Readable;
      /** For 206: the bytes sent, inclusive. */
      range: { start: number; end: number } | null;
    }
  | { status: 304; etag: string | null; lastModified: number | null }
  /** The range starts past the end; `size` is the file's length when known. */
  | { status: 416; size: number | null };

/** The path under which this server answers media, and its default public URL. */
export const MEDIA_PATH_PREFIX = '/media/';

/**
 * Every stored name is new (random, or a rendition of a random one, or a fixed demo
 * picture with fixed bytes), so browsers and CDNs may keep a file for a year unasked.
 */
export const MEDIA_CACHE_CONTROL = 'public, max-age=31536000, immutable';

const SAFE_KEY = /^[a-z0-9][a-z0-9/_-]*\.(jpg|jpeg|png|webp|avif|svg)$/;

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  avif: 'image/avif',
  svg: 'image/svg+xml',
};

export function isSafeKey(key: string): boolean {
  return SAFE_KEY.test(key) && !key.includes('..') && !key.includes('//');
}

export function assertSafeKey(key: string): void {
  if (!isSafeKey(key)) throw invalidInput(`Invalid media key: ${key}`);
}

/** The Content-Type of a stored key, from its extension (every safe key has a known one). */
export function contentTypeOf(key: string): string {
  return CONTENT_TYPES[key.slice(key.lastIndexOf('.') + 1)] ?? 'application/octet-stream';
}

/** A single `bytes=a-b`, `bytes=a-` or `bytes=-n` range; null for anything else. */
export function parseRange(header: string | undefined, size: number): RangeOutcome {
  if (header === undefined) return null;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (match === null || (match[1] === '' && match[2] === '')) return null;
  const [, from = '', to = ''] = match;
  let start: number;
  let end: number;
  if (from === '') {
    const suffix = Number(to);
    if (suffix === 0) return 'unsatisfiable';
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(from);
    end = to === '' ? size - 1 : Math.min(Number(to), size - 1);
    if (to !== '' && Number(to) < start) return null;
  }
  if (start >= size) return 'unsatisfiable';
  return { start, end };
}

type RangeOutcome = { start: number; end: number } | 'unsatisfiable' | null;

/** Hex MD5 and SHA-256 of bytes: what a bucket's ETag and Tamna's checksum metadata hold. */
export function digestsOf(bytes: Buffer | Uint8Array): { md5: string; sha256: string } {
  return {
    md5: createHash('md5').update(bytes).digest('hex'),
    sha256: createHash('sha256').update(bytes).digest('hex'),
  };
}

/** Whether an If-None-Match header names this entity tag (weak comparison, as for GET). */
function matchesEtag(header: string, etag: string): boolean {
  const bare = (t: string) => t.trim().replace(/^W\//, '');
  return header.trim() === '*' || header.split(',').some((t) => bare(t) === bare(etag));
}

export function createLocalMediaStorage(
  root: string,
  urlPrefix = MEDIA_PATH_PREFIX,
  options: { create?: boolean } = {},
): MediaStorage {
  // Created up front: the static file server serving it refuses a missing root.
  if (options.create !== false) {
    try {
      mkdirSync(root, { recursive: true });
      accessSync(root, constants.W_OK);
    } catch {
      throw new AppError(
        'CONFIG',
        `Cannot write to the media folder ${root}; give it write permission or set TAMNA_DATA_DIR to a writable folder.`,
      );
    }
  }
  const fileOf = (key: string) => {
    assertSafeKey(key);
    return path.join(root, key);
  };
  async function stat(key: string): Promise<MediaObjectInfo | null> {
    const file = fileOf(key);
    try {
      const s = await fs.stat(file);
      if (!s.isFile()) return null;
      // The same shape of tag as @fastify/static's, which serves these files.
      return {
        size: s.size,
        etag: `W/"${s.size.toString(16)}-${s.mtimeMs.toString(16)}"`,
        lastModified: Math.floor(s.mtimeMs / 1000) * 1000,
        sha256: null,
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  return {
    kind: 'local',
    where: `folder ${root}`,
    localRoot: root,
    async check() {
      try {
        await fs.access(root, constants.W_OK);
      } catch (error) {
        throw new AppError(
          'CONFIG',
          `Cannot write to the media folder ${root}.`,
          { reason: `cannot write to ${root}` },
          { cause: error },
        );
      }
    },
    async put(key, bytes) {
      const file = fileOf(key);
      await fs.mkdir(path.dirname(file), { recursive: true });
      // Write then rename, so a reader never sees half a file.
      const tmp = `${file}.${process.pid}.tmp`;
      await fs.writeFile(tmp, bytes);
      await fs.rename(tmp, file);
    },
    async exists(key) {
      const file = fileOf(key);
      try {
        await fs.access(file);
        return true;
      } catch {
        return false;
      }
    },
    async read(key) {
      const file = fileOf(key);
      try {
        return await fs.readFile(file);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw error;
      }
    },
    stat,
    async open(key, request = {}) {
      const info = await stat(key);
      if (info === null) return null;
      const notModified =
        request.ifNoneMatch !== undefined
          ? matchesEtag(request.ifNoneMatch, info.etag)
          : request.ifModifiedSince !== undefined &&
            Date.parse(request.ifModifiedSince) >= info.lastModified;
      if (notModified) return { status: 304, etag: info.etag, lastModified: info.lastModified };
      const range = parseRange(request.range, info.size);
      if (range === 'unsatisfiable') return { status: 416, size: info.size };
      return {
        status: range === null ? 200 : 206,
        info,
        contentType: contentTypeOf(key),
        body: createReadStream(fileOf(key), range ?? {}),
        range,
      };
    },
    async delete(key) {
      await fs.rm(fileOf(key), { force: true });
    },
    async *list() {
      let entries: string[];
      try {
        entries = await fs.readdir(root, { recursive: true });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
        throw error;
      }
      for (const entry of entries) {
        const s = await fs.stat(path.join(root, entry)).catch(() => null);
        if (s === null || !s.isFile()) continue;
        yield { key: entry.split(path.sep).join('/'), size: s.size };
      }
    },
    url: (key) => urlPrefix + key,
    sitePath: (key) => MEDIA_PATH_PREFIX + key,
    close() {},
  };
}
