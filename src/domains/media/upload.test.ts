import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest, type DatabaseHandle } from '../../db/index.ts';
import { tag } from '../../shared/cache-tags.ts';
import { ManualClock } from '../../shared/clock.ts';
import { AppError } from '../../shared/errors.ts';
import { freshDatabase, testDialects } from '../../testing/databases.ts';
import { createContentService, createWriter } from '../content/index.ts';
import {
  createLocalMediaStorage,
  createPhotoLibrary,
  type MediaStorage,
  type PhotoLibrary,
  type StoredPhoto,
} from './index.ts';

/** 2025-12-09 14:00 KST. */
const NOW = Date.UTC(2025, 11, 9, 5, 0, 0);

const text = { caption: '', credit: '', alt: '' };

/**
 * A photo-like picture: coarse noise scaled up into smooth tones, cheap to make and with
 * enough detail that the encoders do real work. Half-transparent when asked for 4 channels.
 */
async function picture(width: number, height: number, channels: 3 | 4 = 3) {
  const seed = await sharp({
    create: {
      width: 32,
      height: 24,
      channels: 3,
      background: '#3a6f9c',
      noise: { type: 'gaussian', mean: 128, sigma: 60 },
    },
  })
    .png()
    .toBuffer();
  const scaled = sharp(seed).resize(width, height, { fit: 'fill' });
  return channels === 4 ? sharp(await scaled.ensureAlpha(0.5).png().toBuffer()) : scaled;
}

/** True when raw EXIF holds a GPS IFD pointer (tag 0x8825), in either byte order. */
function hasGpsPointer(exif: Buffer): boolean {
  return exif.includes(Buffer.from([0x88, 0x25])) || exif.includes(Buffer.from([0x25, 0x88]));
}

/**
 * A decompression bomb: a PNG of a few hundred bytes whose header declares 30000×30000
 * (900 megapixels, 2.7 GB decoded). Only a row of pixels is really there.
 */
function pngBomb(width = 30_000, height = 30_000): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, deflate, no filter, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.alloc(1 + width * 3))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

function storedKeys(photo: StoredPhoto): string[] {
  const base = photo.storageKey.replace(/\.[a-z]+$/, '');
  return [photo.storageKey, ...photo.sources.map((s) => `${base}-${s.width}.webp`)];
}

describe.each(testDialects)('photo library on %s', (dialect) => {
  let handle: DatabaseHandle;
  let root: string;
  let storage: MediaStorage;
  let library: PhotoLibrary;
  let userId: number;
  const read = (key: string) => readFileSync(path.join(root, key));
  const fileCount = () => readdirSync(root, { recursive: true }).length;

  beforeAll(async () => {
    handle = await freshDatabase(dialect);
    await migrateToLatest(handle);
    root = mkdtempSync(path.join(os.tmpdir(), 'tamna-media-'));
    storage = createLocalMediaStorage(root);
    library = createPhotoLibrary({ db: handle.db, storage, clock: new ManualClock(NOW) });
    const user = await handle.db
      .insertInto('users')
      .values({
        email: 'photo@example.kr',
        name: '사진부 기자',
        role: 'reporter',
        password_hash: 'x',
        must_change_password: 0,
        totp_secret: null,
        totp_enabled: 0,
        author_id: null,
        disabled: 0,
        created_at: NOW,
        updated_at: NOW,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    userId = user.id;
  });
  afterAll(async () => {
    await handle?.close();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('stores an upright, metadata-free JPEG with GPS EXIF as JPEG + WebP renditions', async () => {
    // Landscape pixels with orientation 6: the camera was held upright, so the photo is
    // portrait once oriented.
    const input = await (
      await picture(2400, 1600)
    )
      .jpeg({ quality: 90 })
      .withMetadata({ orientation: 6 })
      .withExif({
        IFD0: { Make: 'TamnaCam', Model: 'Field 1' },
        IFD3: {
          GPSLatitudeRef: 'N',
          GPSLatitude: '33/1 29/1 5/1',
          GPSLongitudeRef: 'E',
          GPSLongitude: '126/1 31/1 52/1',
        },
      })
      .toBuffer();
    const inputMeta = await sharp(input).metadata();
    expect(inputMeta.orientation).toBe(6);
    expect(inputMeta.exif && hasGpsPointer(inputMeta.exif)).toBe(true);

    const photo = await library.ingestPhoto(input, {
      caption: '  제주항에 들어오는 여객선  ',
      credit: '탐나일보 사진부',
      alt: '항구로 들어오는 흰 여객선',
      uploadedBy: userId,
      originalName: 'DSC_0001.JPG',
    });

    expect(photo.storageKey).toMatch(/^photos\/2025\/12\/[0-9a-f]{20}\.jpg$/);
    expect(photo).toMatchObject({
      mime: 'image/jpeg',
      width: 1600,
      height: 2400,
      caption: '제주항에 들어오는 여객선',
      uploadedBy: userId,
      createdAt: NOW,
    });
    expect(photo.src).toBe(`/media/${photo.storageKey}`);
    expect(photo.sources.map((s) => s.width)).toEqual([320, 640, 1024, 1600]);
    expect(photo.srcset).toBe(photo.sources.map((s) => `${s.src} ${s.width}w`).join(', '));

    for (const key of storedKeys(photo)) {
      const bytes = read(key);
      const meta = await sharp(bytes).metadata();
      expect(meta.format).toBe(key.endsWith('.webp') ? 'webp' : 'jpeg');
      expect(meta.exif).toBeUndefined();
      expect(meta.xmp).toBeUndefined();
      expect(meta.iptc).toBeUndefined();
      expect(meta.orientation).toBeUndefined();
      expect(meta.height).toBeGreaterThan(meta.width); // upright
      expect(bytes.includes('Exif')).toBe(false);
      expect(bytes.includes('TamnaCam')).toBe(false);
    }

    const row = await handle.db
      .selectFrom('photos')
      .selectAll()
      .where('id', '=', photo.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      storage_key: photo.storageKey,
      variants: '320,640,1024,1600',
      width: 1600,
      height: 2400,
      mime: 'image/jpeg',
      uploaded_by: userId,
    });
  });

  it('checks and cleans a photo without storing it (a reader’s tip): no GPS, upright, refused like an upload', async () => {
    const input = await (
      await picture(2400, 1600)
    )
      .jpeg({ quality: 90 })
      .withMetadata({ orientation: 6 })
      .withExif({ IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '33/1 29/1 5/1' } })
      .toBuffer();
    const before = fileCount();
    const cleaned = await library.cleanPhoto(input);
    expect(cleaned).toMatchObject({ mime: 'image/jpeg', width: 1600, height: 2400 });
    const meta = await sharp(cleaned.bytes).metadata();
    expect(meta.exif).toBeUndefined();
    expect(meta.height).toBeGreaterThan(meta.width);
    expect(fileCount()).toBe(before);
    expect((await refusal(library.cleanPhoto(pngBomb()))).message).toContain('사진이 너무 큽니다');
    expect((await refusal(library.cleanPhoto(Buffer.from('%PDF-1.7 not a photo')))).message).toBe(
      '지원하지 않는 사진 형식입니다. JPEG, PNG, WebP 파일을 올려 주세요.',
    );
  });

  it('converts a wide-gamut (Display P3) photo to sRGB and drops the profile', async () => {
    // sharp converts the sRGB colour to P3 numbers on write: stored, they read 80,158,74.
    const input = await sharp({
      create: { width: 400, height: 300, channels: 3, background: { r: 40, g: 160, b: 60 } },
    })
      .jpeg({ quality: 95 })
      .withIccProfile('p3')
      .toBuffer();
    const stored = await sharp(input, { ignoreIcc: true }).stats();
    expect(stored.channels.map((c) => Math.round(c.mean))).toEqual([80, 158, 74]);

    const photo = await library.ingestPhoto(input, { ...text, uploadedBy: null });
    for (const key of storedKeys(photo)) {
      const bytes = read(key);
      expect((await sharp(bytes).metadata()).hasProfile).toBe(false);
      const [r, g, b] = (await sharp(bytes).stats()).channels.map((c) => c.mean);
      expect(Math.abs((r ?? 0) - 40)).toBeLessThan(4);
      expect(Math.abs((g ?? 0) - 160)).toBeLessThan(4);
      expect(Math.abs((b ?? 0) - 60)).toBeLessThan(4);
    }
  });

  it('keeps transparency: a PNG with alpha is stored as PNG and WebP with alpha', async () => {
    const input = await (await picture(800, 500, 4)).png().toBuffer();
    const photo = await library.ingestPhoto(input, { ...text, uploadedBy: null });
    expect(photo.mime).toBe('image/png');
    expect(photo.storageKey).toMatch(/\.png$/);
    expect(photo.sources.map((s) => s.width)).toEqual([320, 640]);
    expect(photo.uploadedBy).toBeNull();
    for (const key of storedKeys(photo)) {
      expect((await sharp(read(key)).metadata()).hasAlpha).toBe(true);
    }
  });

  it('stores a PNG whose alpha channel is fully opaque as JPEG', async () => {
    const input = await sharp({
      create: { width: 500, height: 300, channels: 4, background: '#3a6f9c' },
    })
      .png()
      .toBuffer();
    const photo = await library.ingestPhoto(input, { ...text, uploadedBy: null });
    expect(photo.mime).toBe('image/jpeg');
  });

  it('accepts WebP, and AVIF when this sharp build reads it', async () => {
    const webp = await (await picture(1200, 800)).webp().toBuffer();
    const fromWebp = await library.ingestPhoto(webp, { ...text, uploadedBy: null });
    expect(fromWebp.sources.map((s) => s.width)).toEqual([320, 640, 1024]);
    expect(fromWebp.width).toBe(1200);

    if (sharp.format.heif?.input.fileSuffix?.includes('.avif')) {
      const avif = await (await picture(400, 300)).avif({ effort: 0 }).toBuffer();
      const fromAvif = await library.ingestPhoto(avif, { ...text, uploadedBy: null });
      expect(fromAvif.mime).toBe('image/jpeg');
      expect(fromAvif.sources.map((s) => s.width)).toEqual([320]);
    }
  });

  it('reads the type from the bytes, not the name', async () => {
    const png = await (await picture(300, 200, 4)).png().toBuffer();
    const photo = await library.ingestPhoto(png, {
      ...text,
      uploadedBy: null,
      originalName: 'photo.jpg',
    });
    expect(photo.mime).toBe('image/png');

    const before = fileCount();
    const error = await refusal(
      library.ingestPhoto(Buffer.from('이것은 사진이 아닙니다\n'.repeat(20)), {
        ...text,
        uploadedBy: null,
        originalName: 'photo.jpg',
      }),
    );
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toBe(
      '지원하지 않는 사진 형식입니다. JPEG, PNG, WebP 파일을 올려 주세요.',
    );
    expect(error.details).toMatchObject({ originalName: 'photo.jpg' });

    const gif = await sharp({ create: { width: 10, height: 10, channels: 3, background: '#000' } })
      .gif()
      .toBuffer();
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>');
    for (const bytes of [gif, svg]) {
      expect(
        (await refusal(library.ingestPhoto(bytes, { ...text, uploadedBy: null }))).message,
      ).toContain('지원하지 않는 사진 형식');
    }
    expect(fileCount()).toBe(before);
  });

  it('refuses a truncated JPEG clearly and stores nothing', async () => {
    const jpeg = await (await picture(1000, 800)).jpeg().toBuffer();
    const before = fileCount();
    const error = await refusal(
      library.ingestPhoto(jpeg.subarray(0, Math.floor(jpeg.length / 2)), {
        ...text,
        uploadedBy: null,
      }),
    );
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toContain('손상되었거나');
    expect(fileCount()).toBe(before);
  });

  it('removes the files already written when one write fails, and stores no row', async () => {
    const failing: MediaStorage = {
      ...storage,
      async put(key, bytes) {
        if (key.endsWith('-640.webp')) throw new Error('disk full');
        await storage.put(key, bytes);
      },
    };
    const shaky = createPhotoLibrary({
      db: handle.db,
      storage: failing,
      clock: new ManualClock(NOW),
    });
    const files = async () => {
      const keys: string[] = [];
      for await (const f of storage.list()) keys.push(f.key);
      return keys.sort();
    };
    const before = await files();
    const rows = await handle.db.selectFrom('photos').select('id').execute();
    const jpeg = await (await picture(1000, 800)).jpeg().toBuffer();
    await expect(shaky.ingestPhoto(jpeg, { ...text, uploadedBy: null })).rejects.toThrow(
      'disk full',
    );
    expect(await files()).toEqual(before);
    expect(await handle.db.selectFrom('photos').select('id').execute()).toEqual(rows);
  });

  it('refuses a decompression bomb before decoding it', async () => {
    const bomb = pngBomb();
    expect(bomb.length).toBeLessThan(2000);
    const started = performance.now();
    const error = await refusal(library.ingestPhoto(bomb, { ...text, uploadedBy: null }));
    expect(performance.now() - started).toBeLessThan(1000);
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toBe(
      '사진이 너무 큽니다 (30000×30000). 50메가픽셀 이하로 줄여서 올려 주세요.',
    );
  });

  it('refuses files over the byte limit and empty files', async () => {
    const small = createPhotoLibrary(
      { db: handle.db, storage, clock: new ManualClock(NOW) },
      { maxBytes: 1024 * 1024 },
    );
    const big = Buffer.alloc(1024 * 1024 + 1);
    expect((await refusal(small.ingestPhoto(big, { ...text, uploadedBy: null }))).message).toBe(
      '사진 파일이 너무 큽니다 (1MB). 1MB 이하로 올려 주세요.',
    );
    expect(
      (await refusal(small.ingestPhoto(Buffer.alloc(0), { ...text, uploadedBy: null }))).message,
    ).toContain('빈 파일');
  });

  it('makes renditions only up to the source width, and at least one', async () => {
    const cases: [number, number[], number][] = [
      [2000, [320, 640, 1024, 1600], 1600],
      [1600, [320, 640, 1024, 1600], 1600],
      [1023, [320, 640], 1023],
      [320, [320], 320],
      [200, [200], 200],
    ];
    // At once, as a burst of uploads would come: more than the ingest limit may run.
    await Promise.all(
      cases.map(async ([width, widths, fallbackWidth]) => {
        const input = await (await picture(width, 100)).jpeg().toBuffer();
        const photo = await library.ingestPhoto(input, { ...text, uploadedBy: null });
        expect(photo.sources.map((s) => s.width)).toEqual(widths);
        expect(photo.width).toBe(fallbackWidth);
        for (const s of photo.sources) {
          const key = s.src.replace(/^\/media\//, '');
          expect((await sharp(read(key)).metadata()).width).toBe(s.width);
        }
      }),
    );
  });

  it('gives a long vertical infographic only the WebP widths that fit, and refuses a strip', async () => {
    const tall = await (await picture(1024, 16_400)).jpeg({ quality: 50 }).toBuffer();
    const photo = await library.ingestPhoto(tall, { ...text, uploadedBy: null });
    expect(photo.sources.map((s) => s.width)).toEqual([320, 640]);
    expect([photo.width, photo.height]).toEqual([1024, 16_400]);

    const strip = await (await picture(100, 17_000)).png().toBuffer();
    expect((await refusal(library.ingestPhoto(strip, { ...text, uploadedBy: null }))).message).toBe(
      '사진이 너무 깁니다 (100×17000). 세로가 가로의 50배를 넘지 않게 나눠서 올려 주세요.',
    );
  });

  it('cleans and limits the text', async () => {
    const input = await (await picture(100, 100)).jpeg().toBuffer();
    const nfd = '한라산 설경'.normalize('NFD');
    const photo = await library.ingestPhoto(input, {
      caption: `${nfd}\n\t두 줄\u0000`,
      credit: ' 탐나일보 ',
      alt: 'a'.repeat(300),
      uploadedBy: null,
    });
    expect(photo.caption).toBe('한라산 설경 두 줄');
    expect(photo.credit).toBe('탐나일보');
    const error = await refusal(
      library.ingestPhoto(input, { ...text, credit: '가'.repeat(121), uploadedBy: null }),
    );
    expect(error.message).toBe('사진 출처는 120자까지 쓸 수 있습니다 (지금 121자).');
    expect(
      (await refusal(library.ingestPhoto(input, { ...text, uploadedBy: 0 }))).details,
    ).toMatchObject({ field: 'uploadedBy' });
  });

  it('finds photos by Hangul text, newest first, page by page', async () => {
    const input = await (await picture(64, 48)).jpeg().toBuffer();
    const ids: number[] = [];
    for (let i = 1; i <= 5; i++) {
      const photo = await library.ingestPhoto(input, {
        caption: `성산일출봉 해돋이 ${i}`,
        credit: i === 5 ? 'JEJU Photo' : '탐나일보',
        alt: '',
        uploadedBy: userId,
      });
      ids.push(photo.id);
    }
    await library.ingestPhoto(input, { ...text, caption: '한림항 풍경 100%', uploadedBy: null });

    const first = await library.searchPhotos({ query: '일출봉', limit: 2 });
    expect(first.items.map((p) => p.id)).toEqual([ids[4], ids[3]]);
    expect(first.nextBefore).toBe(ids[3]);
    const second = await library.searchPhotos({
      query: '일출봉',
      limit: 2,
      before: first.nextBefore ?? 0,
    });
    expect(second.items.map((p) => p.id)).toEqual([ids[2], ids[1]]);
    const third = await library.searchPhotos({
      query: '일출봉',
      limit: 2,
      before: second.nextBefore ?? 0,
    });
    expect(third.items.map((p) => p.id)).toEqual([ids[0]]);
    expect(third.nextBefore).toBeNull();

    // Every word must match somewhere; credit counts; ASCII case is ignored.
    expect((await library.searchPhotos({ query: '해돋이 jeju' })).items.map((p) => p.id)).toEqual([
      ids[4],
    ]);
    expect((await library.searchPhotos({ query: '탐나일보 해돋이' })).items).toHaveLength(4);
    // LIKE wildcards in the query are literal.
    expect((await library.searchPhotos({ query: '100%' })).items).toHaveLength(1);
    expect((await library.searchPhotos({ query: '%' })).items).toHaveLength(1);
    expect((await library.searchPhotos({ query: '_' })).items).toHaveLength(0);

    const all = await library.searchPhotos({ limit: 3 });
    expect(all.items).toHaveLength(3);
    expect(all.items[0]?.caption).toBe('한림항 풍경 100%');
    expect(all.items[0]?.srcset).toContain('-64.webp 64w');
  });

  it('gets and updates a photo’s text', async () => {
    const input = await (await picture(64, 48)).jpeg().toBuffer();
    const photo = await library.ingestPhoto(input, {
      caption: '초안',
      credit: '탐나일보',
      alt: '',
      uploadedBy: userId,
    });
    const updated = await library.updatePhotoText(photo.id, {
      caption: ' 고친 설명 ',
      alt: '바다 위 등대',
    });
    expect(updated).toMatchObject({
      caption: '고친 설명',
      credit: '탐나일보',
      alt: '바다 위 등대',
    });
    expect(await library.getPhoto(photo.id)).toEqual(updated);
    expect(await library.getPhoto(999_999)).toBeNull();
    expect((await refusal(library.updatePhotoText(999_999, { caption: 'x' }))).code).toBe(
      'NOT_FOUND',
    );
  });

  it('announces a changed text as the photo’s cache tag, and nothing when nothing changed', async () => {
    const heard: (readonly string[])[] = [];
    const announcing = createPhotoLibrary({
      db: handle.db,
      storage,
      clock: new ManualClock(NOW),
      onChange: (tags) => void heard.push(tags),
    });
    const photo = await announcing.ingestPhoto(await (await picture(64, 48)).jpeg().toBuffer(), {
      ...text,
      uploadedBy: userId,
    });
    expect(heard).toEqual([]);
    await announcing.updatePhotoText(photo.id, { caption: '새 설명' });
    await announcing.updatePhotoText(photo.id, {});
    expect(heard).toEqual([[tag.photo(photo.id)]]);
  });

  it('keeps a focal point for card crops, centred until set, and announces it', async () => {
    const heard: (readonly string[])[] = [];
    const announcing = createPhotoLibrary({
      db: handle.db,
      storage,
      clock: new ManualClock(NOW),
      onChange: (tags) => void heard.push(tags),
    });
    const photo = await announcing.ingestPhoto(await (await picture(64, 48)).jpeg().toBuffer(), {
      ...text,
      uploadedBy: userId,
    });
    expect([photo.focalX, photo.focalY]).toEqual([0.5, 0.5]);
    const moved = await announcing.setPhotoFocus(photo.id, { x: 0.2, y: 0.35 });
    expect([moved.focalX, moved.focalY]).toEqual([0.2, 0.35]);
    expect(heard).toEqual([[tag.photo(photo.id)]]);
    for (const bad of [
      { x: -0.1, y: 0.5 },
      { x: 0.5, y: 1.5 },
      { x: Number.NaN, y: 0 },
    ])
      expect((await refusal(announcing.setPhotoFocus(photo.id, bad))).code).toBe('INVALID_INPUT');
    expect((await refusal(announcing.setPhotoFocus(999_999, { x: 0, y: 0 }))).code).toBe(
      'NOT_FOUND',
    );
  });

  it('keeps where an imported photo came from', async () => {
    const photo = await library.ingestPhoto(await (await picture(64, 48)).jpeg().toBuffer(), {
      ...text,
      uploadedBy: null,
      source: 'https://archive.example/1.jpg',
    });
    const row = await handle.db
      .selectFrom('photos')
      .select('source')
      .where('id', '=', photo.id)
      .executeTakeFirstOrThrow();
    expect(row.source).toBe('https://archive.example/1.jpg');
  });

  it('registers photos whose files are already stored, ids in the order given', async () => {
    const renditions = (n: number) => ({
      storageKey: `seed/${n}.jpg`,
      width: 1200,
      height: 675,
      mime: 'image/jpeg',
      caption: ` 씨앗 사진 ${n} `,
      credit: '사진=탐나일보',
      alt: '',
      variants: [480, 960],
    });
    const ids = await library.registerPhotos([1, 2, 3].map(renditions));
    expect(ids).toHaveLength(3);
    const found = await Promise.all(ids.map((id) => library.getPhoto(id)));
    expect(found.map((p) => p?.storageKey)).toEqual(['seed/1.jpg', 'seed/2.jpg', 'seed/3.jpg']);
    expect(found[0]?.caption).toBe('씨앗 사진 1');
    expect(found[0]?.sources.map((s) => s.width)).toEqual([480, 960]);
    expect(await library.registerPhotos([])).toEqual([]);
    expect(
      (await refusal(library.registerPhoto({ ...renditions(4), storageKey: '../etc/x.jpg' }))).code,
    ).toBe('INVALID_INPUT');
    expect((await refusal(library.registerPhoto({ ...renditions(5), width: 0 }))).code).toBe(
      'INVALID_INPUT',
    );
  });

  it('renders through the content reader with the files it stored', async () => {
    const input = await (await picture(1300, 700)).jpeg().toBuffer();
    const photo = await library.ingestPhoto(input, {
      caption: '읽기 화면 확인',
      credit: '',
      alt: '확인용 사진',
      uploadedBy: userId,
    });
    const clock = new ManualClock(NOW);
    const writer = createWriter({ db: handle.db, clock });
    const content = createContentService({ db: handle.db, clock, mediaUrl: storage.url });
    const sectionId = await writer.createSection({ slug: 'photo-check', name: '사진 확인' });
    const articleId = await writer.createArticle({
      sectionId,
      title: '사진 확인 기사',
      status: 'published',
      publishedAt: NOW - 1000,
      photoIds: [photo.id],
    });
    const article = await content.article(articleId);
    const shown = article?.photos[0];
    expect(shown?.src).toBe(photo.src);
    expect(shown?.sources).toEqual(photo.sources);
    for (const s of shown?.sources ?? []) {
      expect(await storage.exists(s.src.replace(/^\/media\//, ''))).toBe(true);
    }
  });
});
