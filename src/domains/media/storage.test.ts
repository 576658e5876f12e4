import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { text } from 'node:stream/consumers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors.ts';
import { closedPort, startS3, startSilentEndpoint, type TestS3 } from '../../testing/s3.ts';
import {
  createLocalMediaStorage,
  createS3MediaStorage,
  digestsOf,
  type MediaAnswer,
  type MediaStorage,
  type S3MediaOptions,
} from './index.ts';

let s3: TestS3;
beforeAll(async () => {
  s3 = await startS3();
});
afterAll(async () => {
  await s3?.close();
});

const s3Options = (overrides: Partial<S3MediaOptions> = {}): S3MediaOptions => ({
  bucket: s3.bucket,
  region: 'us-east-1',
  endpoint: s3.endpoint,
  forcePathStyle: true,
  credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  prefix: '',
  publicBaseUrl: null,
  timeoutMs: 2_000,
  ...overrides,
});

async function failure(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

async function bodyOf(answer: MediaAnswer | null): Promise<string> {
  if (answer === null || !('body' in answer)) throw new Error(`no body: ${answer?.status}`);
  return text(answer.body);
}

describe.each(['local', 's3'] as const)('media storage on %s', (kind) => {
  let storage: MediaStorage;
  let root: string;

  beforeAll(() => {
    root = mkdtempSync(path.join(os.tmpdir(), 'tamna-store-'));
    storage =
      kind === 'local'
        ? createLocalMediaStorage(root)
        : // A prefix of its own per run: the bucket is shared by both suites' keys.
          createS3MediaStorage(s3Options({ prefix: 'contract/' }));
  });
  afterAll(() => {
    storage.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('stores, reads, describes, lists and deletes files', async () => {
    const bytes = Buffer.from('사진 바이트 0123456789');
    await storage.put('photos/2025/12/abc.jpg', bytes);
    await storage.put('photos/2025/12/abc-320.webp', Buffer.from('webp'));
    expect(await storage.exists('photos/2025/12/abc.jpg')).toBe(true);
    expect(await storage.exists('photos/2025/12/none.jpg')).toBe(false);
    expect((await storage.read('photos/2025/12/abc.jpg'))?.equals(bytes)).toBe(true);
    expect(await storage.read('photos/2025/12/none.jpg')).toBeNull();

    const info = await storage.stat('photos/2025/12/abc.jpg');
    expect(info?.size).toBe(bytes.length);
    expect(info?.etag).toMatch(/^(W\/)?".+"$/);
    expect(info?.lastModified).toBeGreaterThan(Date.UTC(2020, 0, 1));
    // A bucket keeps the checksum written with the object; the disk has none to keep.
    expect(info?.sha256).toBe(kind === 's3' ? digestsOf(bytes).sha256 : null);
    expect(await storage.stat('photos/2025/12/none.jpg')).toBeNull();

    const listed: { key: string; size: number }[] = [];
    for await (const entry of storage.list()) listed.push(entry);
    expect(listed.sort((a, b) => a.key.localeCompare(b.key))).toEqual([
      { key: 'photos/2025/12/abc-320.webp', size: 4 },
      { key: 'photos/2025/12/abc.jpg', size: bytes.length },
    ]);

    await storage.delete('photos/2025/12/abc-320.webp');
    await storage.delete('photos/2025/12/never-there.jpg');
    expect(await storage.exists('photos/2025/12/abc-320.webp')).toBe(false);
  });

  it('refuses keys that could leave the media folder or bucket prefix', async () => {
    for (const key of ['../x.jpg', 'a//b.jpg', 'a/../../b.jpg', 'x.html', '/abs.jpg']) {
      expect((await failure(storage.put(key, Buffer.from('x')))).code).toBe('INVALID_INPUT');
    }
  });

  it('answers whole files, one byte range, unsatisfiable ranges and unchanged files', async () => {
    await storage.put('ranges/file.png', Buffer.from('0123456789'));
    const whole = await storage.open('ranges/file.png');
    expect(whole?.status).toBe(200);
    if (whole?.status === 200) {
      expect(whole.contentType).toBe('image/png');
      expect(whole.info.size).toBe(10);
    }
    expect(await bodyOf(whole)).toBe('0123456789');

    const part = await storage.open('ranges/file.png', { range: 'bytes=2-5' });
    expect(part).toMatchObject({ status: 206, range: { start: 2, end: 5 }, info: { size: 10 } });
    expect(await bodyOf(part)).toBe('2345');
    const tail = await storage.open('ranges/file.png', { range: 'bytes=-3' });
    expect(tail).toMatchObject({ status: 206, range: { start: 7, end: 9 } });
    expect(await bodyOf(tail)).toBe('789');

    expect(await storage.open('ranges/file.png', { range: 'bytes=20-' })).toEqual({
      status: 416,
      size: 10,
    });
    // Several ranges are answered with the whole file, as the local server does.
    const several = await storage.open('ranges/file.png', { range: 'bytes=0-1,4-5' });
    expect(several?.status).toBe(200);
    await bodyOf(several);

    const etag = (await storage.stat('ranges/file.png'))?.etag ?? '';
    expect(await storage.open('ranges/file.png', { ifNoneMatch: etag })).toMatchObject({
      status: 304,
    });
    const changed = await storage.open('ranges/file.png', { ifNoneMatch: '"other"' });
    expect(changed?.status).toBe(200);
    await bodyOf(changed);
    expect(await storage.open('ranges/none.png')).toBeNull();
  });

  it('has public URLs under /media/ and site paths the server answers', () => {
    expect(storage.url('photos/a.jpg')).toBe('/media/photos/a.jpg');
    expect(storage.sitePath('photos/a.jpg')).toBe('/media/photos/a.jpg');
  });
});

describe('media storage on S3: objects, CDN URLs and failures', () => {
  it('stores objects with their type and a year of caching, under the prefix', async () => {
    const storage = createS3MediaStorage(s3Options({ prefix: 'paper/' }));
    try {
      await storage.put('photos/x.webp', Buffer.from('RIFFxxxxWEBP'));
      // Read straight from the service, as a CDN fetching the object would.
      const direct = await fetch(`${s3.endpoint}/${s3.bucket}/paper/photos/x.webp`);
      expect(direct.status).toBe(200);
      expect(direct.headers.get('content-type')).toBe('image/webp');
      expect(direct.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(await storage.exists('photos/x.webp')).toBe(true);
    } finally {
      storage.close();
    }
  });

  it('points URLs at the public base (a CDN), prefix included', () => {
    const storage = createS3MediaStorage(
      s3Options({ prefix: 'paper/', publicBaseUrl: 'https://cdn.example.kr/m' }),
    );
    expect(storage.url('photos/a-320.webp')).toBe(
      'https://cdn.example.kr/m/paper/photos/a-320.webp',
    );
    expect(storage.sitePath('photos/a-320.webp')).toBe('/media/photos/a-320.webp');
    storage.close();
  });

  it('says what is wrong with the bucket or the keys, in Korean for staff and English for operators', async () => {
    const wrongKey = createS3MediaStorage(
      s3Options({ credentials: { accessKeyId: 'NOT-A-KEY', secretAccessKey: 'S3RVER' } }),
    );
    const denied = await failure(wrongKey.put('a.jpg', Buffer.from('x')));
    expect(denied.code).toBe('UNAVAILABLE');
    expect(denied.message).toBe(
      '미디어 저장소(S3) 설정에 문제가 있어 파일을 저장하지 못했습니다. 관리자에게 알려 주세요.',
    );
    expect(denied.details).toMatchObject({ public: true });
    expect(String(denied.details?.reason)).toContain('access key ID is not known');
    wrongKey.close();

    const noBucket = createS3MediaStorage(s3Options({ bucket: 'no-such-bucket' }));
    const missing = await failure(noBucket.check());
    expect(String(missing.details?.reason)).toContain('the bucket no-such-bucket does not exist');
    noBucket.close();

    const good = createS3MediaStorage(s3Options());
    await expect(good.check()).resolves.toBeUndefined();
    good.close();
  });

  it('fails fast when nothing listens, and within its timeout when the service hangs', async () => {
    const refused = createS3MediaStorage(
      s3Options({ endpoint: `http://127.0.0.1:${await closedPort()}`, maxAttempts: 1 }),
    );
    let started = Date.now();
    const down = await failure(refused.put('a.jpg', Buffer.from('x')));
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(down.message).toBe(
      '미디어 저장소(S3)가 응답하지 않아 파일을 저장하지 못했습니다. 잠시 후 다시 시도하세요.',
    );
    expect(String(down.details?.reason)).toContain('ECONNREFUSED');
    refused.close();

    const silent = await startSilentEndpoint();
    const hanging = createS3MediaStorage(s3Options({ endpoint: silent.endpoint, timeoutMs: 400 }));
    try {
      started = Date.now();
      const timedOut = await failure(hanging.put('a.jpg', Buffer.from('x')));
      const took = Date.now() - started;
      expect(took).toBeGreaterThanOrEqual(350);
      expect(took).toBeLessThan(2_000);
      expect(String(timedOut.details?.reason)).toContain('no answer within 400 ms');
      const readFailed = await failure(hanging.read('a.jpg'));
      expect(readFailed.message).toContain('파일을 읽지 못했습니다');
    } finally {
      hanging.close();
      await silent.close();
    }
  });
});
