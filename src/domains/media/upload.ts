import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { Database, PhotoTable } from '../../db/index.ts';
import { tag, type CacheTag } from '../../shared/cache-tags.ts';
import type { Clock } from '../../shared/clock.ts';
import { AppError, invalidInput, notFound } from '../../shared/errors.ts';
import { kstParts } from '../../shared/kst.ts';
import { createSlots, DEFAULT_IMAGE_LIMITS, processPhoto, type ImageLimits } from './image.ts';
import {
  parseVariants,
  photoSources,
  renditionKey,
  srcsetOf,
  type PhotoSource,
} from './renditions.ts';
import { assertSafeKey, type MediaStorage } from './storage.ts';

export interface PhotoLibraryDeps {
  db: Kysely<Database>;
  storage: MediaStorage;
  clock: Clock;
  /** Called after a commit with the cache tags the change affects (a caption shown on pages). */
  onChange?: (tags: readonly CacheTag[]) => void | Promise<void>;
  /**
   * Called inside the transaction that changes a photo's caption, credit or alt: the
   * articles showing it get a new revision in the same commit (content/changes.ts).
   * Returns the tags of what else that changed (those articles), announced with the
   * photo's own after the commit.
   */
  onTextChange?: (
    trx: Transaction<Database>,
    photoId: number,
  ) => Promise<readonly CacheTag[] | void>;
}

export interface PhotoLibraryOptions extends Partial<ImageLimits> {
  /**
   * Uploads being decoded and encoded at once; the rest wait. Bounds memory: each holds
   * its file and, once decoded, about 6 MB of pixels. Default 2.
   */
  maxConcurrentIngests?: number;
  /**
   * sharp steps (decode, each encode) running at once across all uploads. Default: half
   * the cores (at least 1), so a burst of uploads leaves cores free for serving pages.
   */
  encodeConcurrency?: number;
}

/** Editor-written text about a photo. */
export interface PhotoText {
  caption: string;
  credit: string;
  alt: string;
}

export interface PhotoUploadMeta extends PhotoText {
  uploadedBy: number | null;
  /** Only for error details and logs: the type is always read from the bytes. */
  originalName?: string;
  /** Where an imported photo came from (URL or file path): a later import finds it by this. */
  source?: string | null;
}

/**
 * A photo whose files are already in storage under `storageKey` (the fallback) and its
 * WebP renditions beside it: the demo newspaper, test fixtures and the benchmark make
 * their own pictures and only need the rows.
 */
export interface StoredRenditions extends PhotoText {
  storageKey: string;
  width: number;
  height: number;
  mime: string;
  /** Widths of the WebP renditions. */
  variants: readonly number[];
  uploadedBy?: number | null;
  source?: string | null;
  /** Defaults to now. */
  createdAt?: number;
}

/** Rows per insert: well under SQLite's and PostgreSQL's bound-parameter limits. */
const REGISTER_BATCH = 1000;

/** A photo as the newsroom and the templates use it; satisfies the views' PhotoView. */
export interface StoredPhoto extends PhotoText {
  id: number;
  storageKey: string;
  /** Public URL of the fallback (JPEG, or PNG when transparent), for `<img src>`. */
  src: string;
  width: number;
  height: number;
  mime: string;
  /** WebP renditions, narrowest first. */
  sources: PhotoSource[];
  /** The WebP `srcset`: `url 320w, url 640w, …`. */
  srcset: string;
  createdAt: number;
  uploadedBy: number | null;
  /** Focal point, 0..1 from the left and from the top (0.5, 0.5 unless set). */
  focalX: number;
  focalY: number;
}

export interface PhotoSearch {
  /** Words to find in caption, credit or alt; every word must appear in one of them. */
  query?: string;
  /** Keyset cursor: only photos with an id below this (the previous page's `nextBefore`). */
  before?: number;
  /** Only this staff member's uploads. */
  uploadedBy?: number;
  /** Only photos uploaded at or after this time (ms). */
  from?: number;
  /** Only photos uploaded before this time (ms). */
  until?: number;
  limit?: number;
}

export interface PhotoPage {
  items: StoredPhoto[];
  /** Pass as `before` for the next page; null on the last page. */
  nextBefore: number | null;
}

/** Character limits; credit and alt match their varchar columns. */
export const PHOTO_TEXT_LIMITS: Readonly<Record<keyof PhotoText, number>> = {
  caption: 1000,
  credit: 120,
  alt: 300,
};

const FIELD_SUBJECT: Readonly<Record<keyof PhotoText, string>> = {
  caption: '사진 설명은',
  credit: '사진 출처는',
  alt: '대체 텍스트는',
};

const SEARCH_DEFAULT_LIMIT = 30;
const SEARCH_MAX_LIMIT = 100;
const SEARCH_MAX_WORDS = 5;

// C0/C1 controls (tab and newlines are folded to spaces first). PostgreSQL rejects NUL in
// text outright, so one stray byte from a pasted caption must not become a server error.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f]/g;

/**
 * Normalizes editor text: NFC (macOS sends decomposed Hangul, which would then not match
 * a search typed on Windows), one line, no control characters, trimmed, length-checked.
 */
function cleanText(field: keyof PhotoText, value: unknown): string {
  const text = (typeof value === 'string' ? value : '')
    .normalize('NFC')
    .replace(/\s+/g, ' ')
    .replace(CONTROL_CHARS, '')
    .trim();
  const limit = PHOTO_TEXT_LIMITS[field];
  const length = [...text].length;
  if (length > limit) {
    throw invalidInput(
      `${FIELD_SUBJECT[field]} ${limit}자까지 쓸 수 있습니다 (지금 ${length}자).`,
      { field, limit, length },
    );
  }
  return text;
}

/** A LIKE pattern matching `word` anywhere, with the wildcards in it taken literally. */
function containsPattern(word: string): string {
  return `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** A stored focal coordinate (float4 on PostgreSQL) as 0..1 to three places; centre if unset. */
function focalOf(value: number | null): number {
  if (value === null || !Number.isFinite(Number(value))) return 0.5;
  return Math.min(1, Math.max(0, Math.round(Number(value) * 1000) / 1000));
}

const isId = (id: unknown): id is number =>
  typeof id === 'number' && Number.isSafeInteger(id) && id > 0;

/**
 * The newsroom's photo library: takes uploads, stores their renditions, and lets editors
 * find and describe photos. The HTTP layer calls it; it knows nothing about requests.
 */
export function createPhotoLibrary(deps: PhotoLibraryDeps, options: PhotoLibraryOptions = {}) {
  const { db, storage, clock } = deps;
  const limits: ImageLimits = {
    maxBytes: options.maxBytes ?? DEFAULT_IMAGE_LIMITS.maxBytes,
    maxPixels: options.maxPixels ?? DEFAULT_IMAGE_LIMITS.maxPixels,
  };
  const ingestSlot = createSlots(Math.max(1, options.maxConcurrentIngests ?? 2));
  const cpu = createSlots(
    Math.max(1, options.encodeConcurrency ?? Math.floor(availableParallelism() / 2)),
  );

  function toStoredPhoto(row: Selectable<PhotoTable>): StoredPhoto {
    const sources = photoSources(row.storage_key, parseVariants(row.variants), storage.url);
    return {
      id: row.id,
      storageKey: row.storage_key,
      src: storage.url(row.storage_key),
      width: row.width,
      height: row.height,
      mime: row.mime,
      caption: row.caption,
      credit: row.credit,
      alt: row.alt,
      sources,
      srcset: srcsetOf(sources),
      createdAt: Number(row.created_at),
      uploadedBy: row.uploaded_by,
      focalX: focalOf(row.focal_x),
      focalY: focalOf(row.focal_y),
    };
  }

  /** `photos/2025/12/<random>`: the month in KST, the newsroom's calendar. */
  function newKeyBase(now: number): string {
    const { year, month } = kstParts(now);
    // Unguessable, so unpublished photos cannot be found by counting through URLs.
    return `photos/${year}/${String(month).padStart(2, '0')}/${randomBytes(10).toString('hex')}`;
  }

  async function getPhoto(id: number): Promise<StoredPhoto | null> {
    if (!isId(id)) return null;
    const row = await db.selectFrom('photos').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? null : toStoredPhoto(row);
  }

  /**
   * Adds rows for photos already in storage (see StoredRenditions) and returns their
   * ids in the order given. Text is cleaned and checked as for an upload.
   */
  async function registerPhotos(photos: readonly StoredRenditions[]): Promise<number[]> {
    if (photos.length === 0) return [];
    const now = clock.now();
    const rows = photos.map((p) => {
      assertSafeKey(p.storageKey);
      for (const n of [p.width, p.height, ...p.variants]) {
        if (!isId(n)) throw invalidInput(`사진 크기가 올바르지 않습니다: ${p.storageKey}`);
      }
      return {
        storage_key: p.storageKey,
        width: p.width,
        height: p.height,
        mime: p.mime,
        caption: cleanText('caption', p.caption),
        credit: cleanText('credit', p.credit),
        alt: cleanText('alt', p.alt),
        variants: p.variants.join(','),
        created_at: p.createdAt ?? now,
        uploaded_by: p.uploadedBy ?? null,
        source: p.source ?? null,
      };
    });
    const ids: number[] = [];
    // One transaction: a batch is stored whole or not at all, with one commit.
    await db.transaction().execute(async (trx) => {
      for (let start = 0; start < rows.length; start += REGISTER_BATCH) {
        const inserted = await trx
          .insertInto('photos')
          .values(rows.slice(start, start + REGISTER_BATCH))
          .returning('id')
          .execute();
        // One statement takes its ids in row order, but RETURNING promises no order.
        ids.push(...inserted.map((r) => r.id).sort((a, b) => a - b));
      }
    });
    return ids;
  }

  return {
    /** The limits in force; the HTTP layer sizes its upload limit from `maxBytes`. */
    limits: { ...limits } as Readonly<ImageLimits>,

    /**
     * Stores an uploaded photo: checks and encodes it, writes the files, then the row.
     * Files go first so a row never points at a missing file; if a write or the insert
     * fails, the files already written are removed.
     */
    async ingestPhoto(bytes: Buffer, meta: PhotoUploadMeta): Promise<StoredPhoto> {
      const text: PhotoText = {
        caption: cleanText('caption', meta.caption),
        credit: cleanText('credit', meta.credit),
        alt: cleanText('alt', meta.alt),
      };
      if (meta.uploadedBy !== null && !isId(meta.uploadedBy)) {
        throw invalidInput('올린 사람이 올바르지 않습니다.', { field: 'uploadedBy' });
      }
      const processed = await ingestSlot(() => processPhoto(bytes, limits, cpu)).catch(
        (error: unknown) => {
          if (error instanceof AppError && meta.originalName !== undefined) {
            throw new AppError(
              error.code,
              error.message,
              { ...error.details, originalName: meta.originalName },
              { cause: error.cause },
            );
          }
          throw error;
        },
      );

      const now = clock.now();
      const base = newKeyBase(now);
      const key = `${base}.${processed.fallback.ext}`;
      const files = [
        { key, bytes: processed.fallback.bytes },
        ...processed.webp.map((r) => ({ key: renditionKey(key, r.width), bytes: r.bytes })),
      ];
      // Nothing points at the files of a failed upload: those written go rather than fill
      // a bucket nobody lists. Only those: in an outage nothing was written, and deleting
      // would only wait out the store's timeout a second time.
      const stored = await Promise.allSettled(files.map((f) => storage.put(f.key, f.bytes)));
      const written = files.filter((_, i) => stored[i]?.status === 'fulfilled');
      const discard = () => Promise.allSettled(written.map((f) => storage.delete(f.key)));
      const failed = stored.find((r) => r.status === 'rejected');
      if (failed !== undefined) {
        await discard();
        throw failed.reason;
      }
      const row = await db
        .insertInto('photos')
        .values({
          storage_key: key,
          width: processed.fallback.width,
          height: processed.fallback.height,
          mime: processed.fallback.mime,
          ...text,
          variants: processed.webp.map((r) => r.width).join(','),
          created_at: now,
          uploaded_by: meta.uploadedBy,
          source: meta.source ?? null,
        })
        .returningAll()
        .executeTakeFirstOrThrow()
        .catch(async (error: unknown) => {
          await discard();
          throw error;
        });
      return toStoredPhoto(row);
    },

    /**
     * Checks a photo exactly as an upload is checked (format read from the bytes, size and
     * pixel limits, decodable to the end) and re-encodes it without its metadata (GPS,
     * camera serials), without storing anything: a reader's tip photo. Waits for the same
     * slots as uploads, so a burst of tips cannot take the cores from the newsroom.
     */
    async cleanPhoto(
      bytes: Buffer,
    ): Promise<{ bytes: Buffer; width: number; height: number; mime: 'image/jpeg' | 'image/png' }> {
      const processed = await ingestSlot(() => processPhoto(bytes, limits, cpu, false));
      const { fallback } = processed;
      return {
        bytes: fallback.bytes,
        width: fallback.width,
        height: fallback.height,
        mime: fallback.mime,
      };
    },

    registerPhotos,

    /** One photo already in storage (see registerPhotos); returns its id. */
    async registerPhoto(photo: StoredRenditions): Promise<number> {
      const [id] = await registerPhotos([photo]);
      if (id === undefined) throw new Error(`photo ${photo.storageKey} was not stored`);
      return id;
    },

    /**
     * The media library, newest first. Substring search cannot use an index; the scan
     * walks the primary key backwards from the cursor and stops once a page is full,
     * which stays cheap for a regional paper's library (tens of thousands of photos).
     */
    async searchPhotos(search: PhotoSearch = {}): Promise<PhotoPage> {
      const pageSize = Math.min(
        SEARCH_MAX_LIMIT,
        Math.max(1, Math.trunc(search.limit ?? SEARCH_DEFAULT_LIMIT) || SEARCH_DEFAULT_LIMIT),
      );
      // Lower-cased on both sides: PostgreSQL's LIKE is case-sensitive and SQLite's only
      // ignores ASCII case; Hangul has no case, so it matches the same on both.
      const words = (search.query ?? '')
        .normalize('NFC')
        .toLowerCase()
        .split(/\s+/)
        .filter((w) => w !== '')
        .slice(0, SEARCH_MAX_WORDS);
      let q = db.selectFrom('photos').selectAll();
      if (search.uploadedBy !== undefined) q = q.where('uploaded_by', '=', search.uploadedBy);
      if (search.from !== undefined && Number.isSafeInteger(search.from))
        q = q.where('created_at', '>=', search.from);
      if (search.until !== undefined && Number.isSafeInteger(search.until))
        q = q.where('created_at', '<', search.until);
      if (search.before !== undefined) {
        if (!isId(search.before)) return { items: [], nextBefore: null };
        q = q.where('id', '<', search.before);
      }
      for (const word of words) {
        const pattern = containsPattern(word);
        q = q.where((eb) =>
          eb.or(
            (['caption', 'credit', 'alt'] as const).map(
              (column) => sql<boolean>`lower(${eb.ref(column)}) like ${pattern} escape '\\'`,
            ),
          ),
        );
      }
      const rows = await q
        .orderBy('id', 'desc')
        .limit(pageSize + 1)
        .execute();
      const page = rows.slice(0, pageSize);
      const last = page.at(-1);
      return {
        items: page.map(toStoredPhoto),
        nextBefore: rows.length > pageSize && last !== undefined ? last.id : null,
      };
    },

    getPhoto,

    /**
     * Sets the focal point that card crops (16:9, 4:3, 1:1) keep in view: 0..1 from the
     * left and from the top. Every page showing the photo is refreshed.
     */
    async setPhotoFocus(id: number, focus: { x: number; y: number }): Promise<StoredPhoto> {
      const inRange = (n: number) => Number.isFinite(n) && n >= 0 && n <= 1;
      if (!inRange(focus.x) || !inRange(focus.y))
        throw invalidInput('초점은 사진 안의 한 점이어야 합니다 (가로·세로 0~100%).', {
          field: 'focus',
        });
      const result = isId(id)
        ? await db
            .updateTable('photos')
            .set({
              focal_x: Math.round(focus.x * 1000) / 1000,
              focal_y: Math.round(focus.y * 1000) / 1000,
            })
            .where('id', '=', id)
            .executeTakeFirst()
        : null;
      const photo = await getPhoto(id);
      if (photo === null) throw notFound('사진을 찾을 수 없습니다.');
      if (result !== null && Number(result.numUpdatedRows) > 0 && deps.onChange !== undefined)
        await deps.onChange([tag.photo(id)]);
      return photo;
    },

    /** Changes caption, credit and/or alt; fields left out keep their value. */
    async updatePhotoText(id: number, text: Partial<PhotoText>): Promise<StoredPhoto> {
      const changes: Partial<PhotoText> = {};
      for (const field of ['caption', 'credit', 'alt'] as const) {
        if (text[field] !== undefined) changes[field] = cleanText(field, text[field]);
      }
      let announce: readonly CacheTag[] | null = null;
      if (isId(id) && Object.keys(changes).length > 0) {
        announce = await db.transaction().execute(async (trx) => {
          const before = await trx
            .selectFrom('photos')
            .select(['caption', 'credit', 'alt'])
            .where('id', '=', id)
            .executeTakeFirst();
          if (before === undefined) return null;
          const different = (Object.keys(changes) as (keyof PhotoText)[]).some(
            (field) => changes[field] !== before[field],
          );
          if (!different) return null;
          await trx.updateTable('photos').set(changes).where('id', '=', id).execute();
          // Every page showing the photo carries its tag, whichever articles it is on.
          return [tag.photo(id), ...((await deps.onTextChange?.(trx, id)) ?? [])];
        });
      }
      const photo = await getPhoto(id);
      if (photo === null) throw notFound('사진을 찾을 수 없습니다.');
      if (announce !== null && deps.onChange !== undefined) await deps.onChange(announce);
      return photo;
    },
  };
}

export type PhotoLibrary = ReturnType<typeof createPhotoLibrary>;
