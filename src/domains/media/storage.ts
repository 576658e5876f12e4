import { accessSync, constants, mkdirSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { AppError, invalidInput } from '../../shared/errors.ts';

/**
 * Where media bytes live. Local disk by default; an S3-compatible store can implement the
 * same interface without touching the domains that use it.
 */
export interface MediaStorage {
  put(key: string, bytes: Buffer | Uint8Array): Promise<void>;
  exists(key: string): Promise<boolean>;
  /** A stored file's bytes, or null when there is none. */
  read(key: string): Promise<Buffer | null>;
  /** The public URL path of a stored key. */
  url(key: string): string;
  /** A local directory to serve from, when the storage is local disk. */
  readonly localRoot: string | null;
}

const SAFE_KEY = /^[a-z0-9][a-z0-9/_-]*\.(jpg|jpeg|png|webp|avif|svg)$/;

export function assertSafeKey(key: string): void {
  if (!SAFE_KEY.test(key) || key.includes('..') || key.includes('//')) {
    throw invalidInput(`Invalid media key: ${key}`);
  }
}

export function createLocalMediaStorage(root: string, urlPrefix = '/media/'): MediaStorage {
  // Created up front: the static file server serving it refuses a missing root.
  try {
    mkdirSync(root, { recursive: true });
    accessSync(root, constants.W_OK);
  } catch {
    throw new AppError(
      'CONFIG',
      `Cannot write to the media folder ${root}; give it write permission or set TAMNA_DATA_DIR to a writable folder.`,
    );
  }
  return {
    localRoot: root,
    async put(key, bytes) {
      assertSafeKey(key);
      const file = path.join(root, key);
      await fs.mkdir(path.dirname(file), { recursive: true });
      // Write then rename, so a reader never sees half a file.
      const tmp = `${file}.${process.pid}.tmp`;
      await fs.writeFile(tmp, bytes);
      await fs.rename(tmp, file);
    },
    async exists(key) {
      assertSafeKey(key);
      try {
        await fs.access(path.join(root, key));
        return true;
      } catch {
        return false;
      }
    },
    async read(key) {
      assertSafeKey(key);
      try {
        return await fs.readFile(path.join(root, key));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw error;
      }
    },
    url: (key) => urlPrefix + key,
  };
}
