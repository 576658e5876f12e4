import fs from 'node:fs/promises';
import path from 'node:path';
import { loadSharp } from './sharp.ts';
import { createSlots, type RunOnCpu } from './image.ts';
import type { MediaStorage } from './storage.ts';

/**
 * The pictures shares and search engines get (see shared/share-images.ts for their
 * addresses): a stored photo cropped around its focal point to a fixed shape, and cards
 * drawn from SVG. Made on the first request rather than at upload, because a focal point
 * can be moved at any time and most photos are never shared; each is kept on disk under
 * the data directory, and the newest few in memory, named by its version, so a crop is
 * made once per focal point and a card once per title. Making one replaces the files of
 * older versions of the same picture.
 */

export interface ShareImagesDeps {
  storage: MediaStorage;
  /** Where made pictures are kept, e.g. <data>/cache/share-images. */
  cacheDir: string;
  /** Pictures made at once (each is one sharp pipeline on the thread pool). */
  concurrency?: number;
  /** Pictures kept in memory besides the disk. */
  memoryEntries?: number;
}

export interface CropSource {
  id: number;
  storageKey: string;
  focalX: number;
  focalY: number;
}

export interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

/**
 * The largest box of the target's shape that fits in the picture, centred on the focal
 * point as far as the edges allow.
 */
export function cropBox(
  width: number,
  height: number,
  focalX: number,
  focalY: number,
  targetWidth: number,
  targetHeight: number,
): Box {
  const aspect = targetWidth / targetHeight;
  let w = width;
  let h = Math.round(width / aspect);
  if (h > height) {
    h = height;
    w = Math.min(width, Math.round(height * aspect));
  }
  const clamp = (v: number, max: number) => Math.min(Math.max(0, Math.round(v)), max);
  return {
    left: clamp(focalX * width - w / 2, width - w),
    top: clamp(focalY * height - h / 2, height - h),
    width: Math.max(1, w),
    height: Math.max(1, h),
  };
}

/**
 * Whether librsvg draws Hangul with a real font: without one, pango draws each character
 * as a box holding its code point in hex, whose ink touches all four sides of its bounds.
 */
export async function hangulRenders(): Promise<boolean> {
  const svg = Buffer.from(
    '<svg xmlns="http://www.w3.org/2000/svg" width="160" height="160"><rect width="160" height="160" fill="#fff"/>' +
      '<text x="20" y="120" font-size="100" font-family="\'Noto Sans CJK KR\', sans-serif">한</text></svg>',
  );
  const sharp = await loadSharp();
  const { data, info } = await sharp(svg).greyscale().raw().toBuffer({ resolveWithObject: true });
  const w = info.width;
  const dark = (x: number, y: number) => (data[y * w + x] ?? 255) < 128;
  let [minX, maxX, minY, maxY] = [w, -1, info.height, -1];
  for (let y = 0; y < info.height; y++)
    for (let x = 0; x < w; x++)
      if (dark(x, y)) {
        minX = Math.min(minX, x);
        maxX = Math.max(maxX, x);
        minY = Math.min(minY, y);
        maxY = Math.max(maxY, y);
      }
  if (maxX < 0) return false;
  const covered = (points: [number, number][]) =>
    points.filter(([x, y]) => dark(x, y)).length / points.length;
  const column = (x: number) =>
    Array.from({ length: maxY - minY + 1 }, (_, i): [number, number] => [x, minY + i]);
  const row = (y: number) =>
    Array.from({ length: maxX - minX + 1 }, (_, i): [number, number] => [minX + i, y]);
  const boxed = [column(minX), column(maxX), row(minY), row(maxY)].every((e) => covered(e) > 0.9);
  return !boxed;
}

export function createShareImages(deps: ShareImagesDeps) {
  const cpu: RunOnCpu = createSlots(deps.concurrency ?? 2);
  const memoryEntries = deps.memoryEntries ?? 32;
  const memory = new Map<string, Buffer>();
  const making = new Map<string, Promise<Buffer | null>>();
  let hangul: Promise<boolean> | null = null;

  function remember(file: string, bytes: Buffer): void {
    memory.delete(file);
    memory.set(file, bytes);
    while (memory.size > memoryEntries) {
      const oldest = memory.keys().next().value;
      if (oldest === undefined) break;
      memory.delete(oldest);
    }
  }

  /**
   * The picture kept as `dir/name`, else made by `make` (null: nothing to make) and kept,
   * the other versions in `dir` of the same `prefix` removed. Concurrent requests for one
   * picture share one making.
   */
  async function kept(
    dir: string,
    name: string,
    prefix: string,
    make: () => Promise<Buffer | null>,
  ): Promise<Buffer | null> {
    const folder = path.join(deps.cacheDir, dir);
    const file = path.join(folder, name);
    const inMemory = memory.get(file);
    if (inMemory !== undefined) {
      remember(file, inMemory);
      return inMemory;
    }
    const running = making.get(file);
    if (running !== undefined) return running;
    const job = (async () => {
      try {
        const bytes = await fs.readFile(file);
        remember(file, bytes);
        return bytes;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
      const bytes = await make();
      if (bytes === null) return null;
      await fs.mkdir(folder, { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      await fs.writeFile(tmp, bytes);
      await fs.rename(tmp, file);
      // Older versions (a moved focal point, an edited title) are never asked for again.
      for (const other of await fs.readdir(folder)) {
        if (other !== name && other.startsWith(prefix) && !other.endsWith('.tmp')) {
          memory.delete(path.join(folder, other));
          await fs.rm(path.join(folder, other), { force: true });
        }
      }
      remember(file, bytes);
      return bytes;
    })().finally(() => making.delete(file));
    making.set(file, job);
    return job;
  }

  return {
    /** Whether cards can print Korean (checked once; see hangulRenders). */
    hangulRenders(): Promise<boolean> {
      hangul ??= hangulRenders().catch(() => false);
      return hangul;
    },

    /**
     * The photo cropped to `width`×`height` around its focal point, as JPEG (a narrower
     * photo is enlarged: a share needs the full width); null when its file is missing.
     */
    photoCrop(
      photo: CropSource,
      size: { name: string; width: number; height: number },
      version: string,
    ): Promise<Buffer | null> {
      return kept(`photo/${photo.id}`, `${size.name}-${version}.jpg`, `${size.name}-`, async () => {
        const source = await deps.storage.read(photo.storageKey);
        if (source === null) return null;
        const sharp = await loadSharp();
        return cpu(async () => {
          const meta = await sharp(source).metadata();
          const box = cropBox(
            meta.width,
            meta.height,
            photo.focalX,
            photo.focalY,
            size.width,
            size.height,
          );
          return sharp(source)
            .extract(box)
            .resize(size.width, size.height, { fit: 'fill' })
            .flatten({ background: '#ffffff' })
            .jpeg({ quality: 82, progressive: true })
            .toBuffer();
        });
      });
    },

    /** An SVG drawn as PNG, kept under `owner` (an article id, `site`) by size and version. */
    card(
      owner: string,
      size: { name: string; width: number; height: number },
      version: string,
      svg: () => string | Promise<string>,
    ): Promise<Buffer> {
      return kept(`card/${owner}`, `${size.name}-${version}.png`, `${size.name}-`, async () => {
        const text = await svg();
        const sharp = await loadSharp();
        return cpu(() =>
          sharp(Buffer.from(text))
            .resize(size.width, size.height, { fit: 'fill' })
            .png({ compressionLevel: 9, palette: false })
            .toBuffer(),
        );
      }) as Promise<Buffer>;
    },
  };
}

export type ShareImages = ReturnType<typeof createShareImages>;
