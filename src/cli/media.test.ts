import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  copyMediaLibrary,
  createLocalMediaStorage,
  createS3MediaStorage,
  type MediaStorage,
  type S3MediaStorage,
} from '../domains/media/index.ts';
import { closedPort, startS3, type TestS3 } from '../testing/s3.ts';
import { runCli, type CliIo } from './run.ts';

function capture(env: Record<string, string>) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    env: { TAMNA_LOG_LEVEL: 'silent', ...env },
  };
  return { io, out, err, text: () => [...out, ...err].join('\n') };
}

/** 12 photos of 1 original + 2 renditions each, a banner and a demo picture: 38 files. */
async function fillLibrary(local: MediaStorage): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  for (let i = 0; i < 12; i++) {
    const base = `photos/2025/${String((i % 3) + 10)}/${i.toString(16).padStart(20, '0')}`;
    files.set(`${base}.jpg`, Buffer.from(`original ${i} `.repeat(50 + i)));
    for (const w of [320, 640]) files.set(`${base}-${w}.webp`, Buffer.from(`webp ${w} ${i}`));
  }
  files.set('ads/0123456789abcdef01234567.png', Buffer.from('banner'));
  files.set('demo/0001.jpg', Buffer.from('demo picture'));
  for (const [key, bytes] of files) await local.put(key, bytes);
  return files;
}

describe('tamna media copy --to s3', () => {
  let s3: TestS3;
  let dataDir: string;
  let files: Map<string, Buffer>;
  let env: Record<string, string>;
  let bucket: S3MediaStorage;

  beforeAll(async () => {
    s3 = await startS3();
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'tamna-copy-'));
    files = await fillLibrary(createLocalMediaStorage(path.join(dataDir, 'media')));
    // A write cut off by a crash, and a stray: neither is a media file.
    writeFileSync(path.join(dataDir, 'media', 'demo', '0002.jpg.4242.tmp'), 'half');
    env = { TAMNA_DATA_DIR: dataDir, ...s3.env, TAMNA_MEDIA_S3_PREFIX: 'tamnailbo' };
    bucket = createS3MediaStorage({
      bucket: s3.bucket,
      region: 'us-east-1',
      endpoint: s3.endpoint,
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      prefix: 'tamnailbo/',
      publicBaseUrl: null,
      timeoutMs: 2_000,
    });
  });
  afterAll(async () => {
    bucket?.close();
    await s3?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function bucketKeys(): Promise<string[]> {
    const keys: string[] = [];
    for await (const object of bucket.list()) keys.push(object.key);
    return keys.sort();
  }

  it('reports what it would copy on a dry run, and writes nothing', async () => {
    const c = capture(env);
    expect(await runCli(['media', 'copy', '--to', 's3', '--dry-run'], c.io)).toBe(0);
    expect(c.text()).toContain('(dry run: nothing is written)');
    expect(c.text()).toMatch(
      /Dry run in [\d.]+ s: 38 of 38 files would be copied \([\d.]+ KB\), 0 are already in the bucket\./,
    );
    expect(c.text()).toContain(
      'Left out 1 file(s) whose names are not media keys (e.g. demo/0002.jpg.4242.tmp)',
    );
    expect(await bucketKeys()).toEqual([]);
  });

  it('resumes a copy cut short, copying only what is missing or different', async () => {
    // The first run dies after 10 files (a killed process, a lost network).
    let writes = 0;
    const dying: MediaStorage = {
      ...bucket,
      async put(key, bytes) {
        if (++writes > 10) throw new Error('killed');
        await bucket.put(key, bytes);
      },
    };
    const first = await copyMediaLibrary({
      from: createLocalMediaStorage(path.join(dataDir, 'media'), undefined, { create: false }),
      to: dying,
      concurrency: 1,
      maxConsecutiveFailures: 1,
    });
    expect([first.copied, first.stopped]).toEqual([10, true]);
    // One object left damaged with the right size: the checksum, not the size, finds it.
    const damagedKey = [...files.keys()].sort()[3] ?? '';
    const damaged = Buffer.from(files.get(damagedKey) ?? '');
    damaged[0] = damaged[0] === 0x41 ? 0x42 : 0x41;
    await bucket.put(damagedKey, damaged);

    const c = capture(env);
    expect(await runCli(['media', 'copy', '--to', 's3'], c.io)).toBe(0);
    expect(c.err).toEqual([]);
    expect(c.out[0]).toContain(
      `Copying ${path.join(dataDir, 'media')} with the bucket tamna-media (prefix tamnailbo/) at ${s3.endpoint}...`,
    );
    expect(c.out).toContainEqual(
      expect.stringMatching(/^38 of 38 files \(100%\): 29 copied, 9 already there$/),
    );
    expect(c.text()).toMatch(
      /Done in [\d.]+ s: 29 copied \([\d.]+ KB\), 9 already in the bucket, 0 failed, of 38 files/,
    );
    expect(c.text()).toContain('Restart the servers with these TAMNA_MEDIA_S3_* settings');

    expect(await bucketKeys()).toEqual([...files.keys()].sort());
    for (const [key, bytes] of files)
      expect((await bucket.read(key))?.equals(bytes), key).toBe(true);
    // Tamna's objects carry their type and a year of caching, as if uploaded here.
    const direct = await fetch(`${s3.endpoint}/${s3.bucket}/tamnailbo/${damagedKey}`);
    expect(direct.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  });

  it('copies nothing the second time', async () => {
    const c = capture(env);
    expect(await runCli(['media', 'copy', '--to', 's3'], c.io)).toBe(0);
    expect(c.text()).toMatch(
      /Done in [\d.]+ s: 0 copied \(0\.0 KB\), 38 already in the bucket, 0 failed/,
    );
  });

  it('skips objects another tool uploaded, by their MD5 ETag', async () => {
    const key = 'photos/2025/10/00000000000000000000.jpg';
    // No sha256 metadata: what `aws s3 sync` or a provider's console leaves.
    const other = new S3Client({
      endpoint: s3.endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    });
    await other.send(
      new PutObjectCommand({ Bucket: s3.bucket, Key: `tamnailbo/${key}`, Body: files.get(key) }),
    );
    other.destroy();
    expect((await bucket.stat(key))?.sha256).toBeNull();
    const c = capture(env);
    expect(await runCli(['media', 'copy', '--to', 's3'], c.io)).toBe(0);
    expect(c.text()).toMatch(/0 copied .*38 already in the bucket/);
  });

  it('explains bad settings, a missing bucket and an unreachable endpoint', async () => {
    const cases: [Record<string, string>, string[], RegExp, number][] = [
      [
        { TAMNA_DATA_DIR: dataDir },
        ['--to', 's3'],
        /needs the bucket to copy into: set TAMNA_MEDIA_S3_BUCKET/,
        1,
      ],
      [
        env,
        ['--to', 'gcs'],
        /media copy --to "gcs": the only target is s3\. Run "tamna --help"/,
        2,
      ],
      [env, [], /media copy needs --to s3/, 2],
      [
        { ...env, TAMNA_MEDIA_S3_BUCKET: 'no-such-bucket' },
        ['--to', 's3'],
        /Cannot use the bucket no-such-bucket \(prefix tamnailbo\/\) at http:\/\/127\.0\.0\.1:\d+: the bucket no-such-bucket does not exist/,
        1,
      ],
      [
        { ...env, TAMNA_MEDIA_S3_ENDPOINT: `http://127.0.0.1:${await closedPort()}` },
        ['--to', 's3'],
        /Cannot use the bucket tamna-media .*: ECONNREFUSED/,
        1,
      ],
      [
        { ...env, TAMNA_DATA_DIR: path.join(dataDir, 'elsewhere') },
        ['--to', 's3'],
        /There is no media folder at .*elsewhere\/media: nothing to copy/,
        1,
      ],
      [
        { ...env, TAMNA_MEDIA_S3_ACCESS_KEY_ID: 'WRONG' },
        ['--to', 's3'],
        /Cannot use the bucket tamna-media .*: access denied: check the keys/,
        1,
      ],
    ];
    for (const [caseEnv, args, message, code] of cases) {
      const c = capture(caseEnv);
      const started = Date.now();
      expect(await runCli(['media', 'copy', ...args], c.io), message.source).toBe(code);
      expect(Date.now() - started).toBeLessThan(3_000);
      expect(c.err).toHaveLength(1);
      expect(c.err[0]).toMatch(message);
    }
  });
});
