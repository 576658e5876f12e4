import { existsSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addStaff, signIn, type StaffSession } from '../testing/admin-session.ts';
import { createTestApp, type TestApp } from '../testing/app.ts';
import { testDialects } from '../testing/databases.ts';
import { seedFixture, type Fixture } from '../testing/fixtures.ts';
import { postMultipart } from '../testing/multipart.ts';
import { startS3, startSilentEndpoint, type TestS3 } from '../testing/s3.ts';

const CDN = 'https://cdn.example.kr/media';

interface UploadedPhoto {
  id: number;
  src: string;
  srcset: string;
}

/** A 1800×1200 photo: wide enough for every rendition width. */
async function photoBytes(): Promise<Buffer> {
  const seed = await sharp({
    create: {
      width: 24,
      height: 16,
      channels: 3,
      background: '#2d6a8f',
      noise: { type: 'gaussian', mean: 128, sigma: 50 },
    },
  })
    .png()
    .toBuffer();
  return sharp(seed).resize(1800, 1200, { fit: 'fill' }).jpeg({ quality: 80 }).toBuffer();
}

const jpeg = (bytes: Buffer) => ({
  field: 'file',
  filename: '한라산.jpg',
  type: 'image/jpeg',
  bytes,
});

let s3: TestS3;
let original: Buffer;
beforeAll(async () => {
  [s3, original] = await Promise.all([startS3(), photoBytes()]);
});
afterAll(async () => {
  await s3?.close();
});

describe.each(testDialects)('media in an S3 bucket, on %s', (dialect) => {
  let app: TestApp;
  /** A second app server on the same database and bucket, with a CDN in front. */
  let cdnApp: TestApp;
  let fx: Fixture;
  let desk: StaffSession;
  let photo: UploadedPhoto;
  let articleId: number;

  beforeAll(async () => {
    app = await createTestApp({ dialect, env: s3.env });
    cdnApp = await createTestApp({
      database: app.database,
      env: { ...s3.env, TAMNA_MEDIA_S3_PUBLIC_BASE_URL: CDN },
    });
    fx = await seedFixture(app, { articlesPerSection: 1 });
    desk = await signIn(app, await addStaff(app, 'desk', '데스크'));
  });
  afterAll(async () => {
    await cdnApp?.close();
    await app?.close();
  });

  it('stores an upload and its renditions in the bucket, nothing on the server’s disk', async () => {
    const res = await postMultipart(
      app,
      desk,
      '/admin/photos',
      { caption: '눈 덮인 한라산', credit: '사진=탐나일보', alt: '한라산 백록담' },
      [jpeg(original)],
    );
    expect(res.statusCode, res.body).toBe(303);
    const listed = await app.services.photos.searchPhotos({ query: '한라산' });
    const stored = listed.items[0];
    expect(stored).toBeDefined();
    photo = {
      id: stored!.id,
      src: stored!.src,
      srcset: stored!.srcset,
    };
    expect(photo.src).toMatch(/^\/media\/photos\/\d{4}\/\d{2}\/[0-9a-f]{20}\.jpg$/);
    const keys: string[] = [];
    for await (const object of app.services.media.list()) keys.push(object.key);
    const key = photo.src.slice('/media/'.length);
    const base = key.replace(/\.jpg$/, '');
    expect(keys).toEqual(
      expect.arrayContaining([key, ...[320, 640, 1024, 1600].map((w) => `${base}-${w}.webp`)]),
    );
    expect(existsSync(path.join(app.config.dataDir, 'media'))).toBe(false);
  });

  it('gives the editor /media/ paths, whichever server and CDN', async () => {
    const json = await cdnApp.http.inject({
      url: '/admin/photos.json',
      headers: { cookie: desk.cookie },
    });
    const items = (json.json() as { items: UploadedPhoto[] }).items;
    const mine = items.find((p) => p.id === photo.id);
    expect(mine?.src).toBe(photo.src);
    expect(mine?.srcset).toMatch(/^\/media\/photos\/.+-320\.webp 320w, \/media\//);
  });

  it('renders pages with the photo at /media/, or at the CDN when one is set', async () => {
    articleId = await app.services.writer.createArticle({
      sectionId: fx.sections.politics,
      title: '한라산에 첫눈',
      bodyHtml: `<p>첫 문단</p><figure class="photo" data-photo-id="${photo.id}"><img src="${photo.src}" srcset="${photo.srcset}" alt="한라산"><figcaption>눈</figcaption></figure>`,
      status: 'published',
      publishedAt: app.clock.now() - 60_000,
      featuredPhotoId: photo.id,
      photoIds: [photo.id],
      authorIds: [fx.authorId],
    });
    const base = photo.src.slice('/media/'.length).replace(/\.jpg$/, '');
    const plain = (await app.http.inject({ url: `/news/${articleId}` })).body;
    expect(plain).toContain(`/media/${base}-640.webp 640w`);
    expect(plain).not.toContain(CDN);

    const viaCdn = (await cdnApp.http.inject({ url: `/news/${articleId}` })).body;
    expect(viaCdn).toContain(`${CDN}/${base}-640.webp 640w`);
    // The body's picture too: stored as /media/, shown from the CDN.
    expect(viaCdn).toContain(`src="${CDN}/${base}.jpg"`);
    expect(viaCdn).not.toMatch(/(src|srcset)="\/media\//);
    // The same page otherwise: the body's photo is recognised as placed, not shown twice.
    const count = (html: string, text: string) => html.split(text).length - 1;
    expect(count(viaCdn, `${CDN}/${base}`)).toBe(count(plain, `/media/${base}`));
    expect(count(viaCdn, `src="${CDN}/${base}.jpg"`)).toBe(1);
  });

  it('serves the bucket’s files from every server, with the local server’s headers', async () => {
    const key = photo.src.slice('/media/'.length);
    const inBucket = await app.services.media.read(key);
    for (const server of [app, cdnApp]) {
      const res = await server.http.inject({ url: photo.src });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('image/jpeg');
      expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(res.headers['accept-ranges']).toBe('bytes');
      expect(res.headers.etag).toMatch(/^"[0-9a-f]{32}"$/);
      expect(Date.parse(String(res.headers['last-modified']))).toBeGreaterThan(0);
      expect(Number(res.headers['content-length'])).toBe(inBucket?.length);
      expect(res.rawPayload.equals(inBucket!)).toBe(true);
      expect((await sharp(res.rawPayload).metadata()).width).toBe(1600);
    }
    const webp = await app.http.inject({ url: photo.src.replace(/\.jpg$/, '-320.webp') });
    expect([webp.statusCode, webp.headers['content-type']]).toEqual([200, 'image/webp']);

    const etag = String((await app.http.inject({ url: photo.src })).headers.etag);
    const again = await app.http.inject({ url: photo.src, headers: { 'if-none-match': etag } });
    expect([again.statusCode, again.headers.etag]).toEqual([304, etag]);
    const part = await app.http.inject({ url: photo.src, headers: { range: 'bytes=0-99' } });
    expect(part.statusCode).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 0-99/${inBucket?.length}`);
    expect(part.rawPayload.equals(inBucket!.subarray(0, 100))).toBe(true);
    const past = await app.http.inject({ url: photo.src, headers: { range: 'bytes=99999999-' } });
    expect([past.statusCode, past.headers['content-range']]).toEqual([
      416,
      `bytes */${inBucket?.length}`,
    ]);
    const head = await app.http.inject({ method: 'HEAD', url: photo.src });
    expect([head.statusCode, head.headers['content-length'], head.body]).toEqual([
      200,
      String(inBucket?.length),
      '',
    ]);

    for (const missing of ['/media/photos/none.jpg', '/media/../tamna.sqlite', '/media/a.html'])
      expect((await app.http.inject({ url: missing })).statusCode, missing).toBe(404);
  });

  it('crops the share picture from the bucket’s original', async () => {
    const html = (await cdnApp.http.inject({ url: `/news/${articleId}` })).body;
    const og = /<meta property="og:image" content="https:\/\/news\.example\.kr([^"]+)">/.exec(
      html,
    )?.[1];
    expect(og).toMatch(/^\/image\/photo\/\d+\/og-/);
    const crop = await cdnApp.http.inject({ url: og! });
    expect(crop.statusCode).toBe(200);
    const info = await sharp(crop.rawPayload).metadata();
    expect([info.width, info.height, info.format]).toEqual([1200, 630, 'jpeg']);
  });
});

describe('an unreachable bucket', () => {
  // A refused connection fails faster still (storage.test.ts); a silent one is the worst case.
  it('fails an upload within its timeout when the service never answers, saying so', async () => {
    const down = await startSilentEndpoint();
    const app = await createTestApp({
      env: { ...s3.env, TAMNA_MEDIA_S3_ENDPOINT: down.endpoint, TAMNA_MEDIA_S3_TIMEOUT_MS: '500' },
    });
    try {
      const desk = await signIn(app, await addStaff(app, 'desk', '데스크'));
      const started = Date.now();
      const res = await postMultipart(app, desk, '/admin/photos', { caption: '정전' }, [
        jpeg(original),
      ]);
      // Encoding, then the writes, which end with the 500 ms timeout.
      expect(Date.now() - started).toBeLessThan(2_500);
      expect(res.statusCode).toBe(503);
      expect(res.body).toContain(
        '미디어 저장소(S3)가 응답하지 않아 파일을 저장하지 못했습니다. 잠시 후 다시 시도하세요.',
      );
      // No row points at files that were never stored.
      expect((await app.services.photos.searchPhotos({ query: '정전' })).items).toEqual([]);
    } finally {
      await app.close();
      await down.close();
    }
  });
});
