import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './index.ts';

describe('loadConfig', () => {
  it('defaults to 127.0.0.1:3000 and SQLite under ./data', () => {
    const c = loadConfig({}, '/srv/tamna');
    expect(c.host).toBe('127.0.0.1');
    expect(c.port).toBe(3000);
    expect(c.database).toEqual({
      kind: 'sqlite',
      file: path.join('/srv/tamna/data', 'tamna.sqlite'),
    });
    expect(c.siteUrl).toBe('http://127.0.0.1:3000');
  });

  it('accepts PostgreSQL URLs and a site URL', () => {
    const c = loadConfig({
      DATABASE_URL: 'postgres://u@db:5432/news',
      TAMNA_SITE_URL: 'https://news.example.kr/',
    });
    expect(c.database).toEqual({ kind: 'postgres', url: 'postgres://u@db:5432/news' });
    expect(c.siteUrl).toBe('https://news.example.kr');
  });

  it('trusts no proxy unless told which', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TAMNA_TRUST_PROXY: 'none' }).trustProxy).toBe(false);
    expect(loadConfig({ TAMNA_TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(
      loadConfig({ TAMNA_TRUST_PROXY: '127.0.0.1, 10.0.0.0/8,loopback,::1,fd00::/8' }).trustProxy,
    ).toEqual(['127.0.0.1', '10.0.0.0/8', 'loopback', '::1', 'fd00::/8']);
  });

  it('shares to KakaoTalk only with a key, and keeps tips 90 days unless told', () => {
    expect(loadConfig({}).share.kakaoJsKey).toBeNull();
    expect(loadConfig({}).tips.retentionDays).toBe(90);
    const c = loadConfig({
      TAMNA_KAKAO_JS_KEY: ' 0123456789abcdef0123456789ABCDEF ',
      TAMNA_TIP_RETENTION_DAYS: '30',
    });
    expect(c.share.kakaoJsKey).toBe('0123456789abcdef0123456789ABCDEF');
    expect(c.tips.retentionDays).toBe(30);
  });

  it.each([
    [{ TAMNA_KAKAO_JS_KEY: 'my-key' }, /TAMNA_KAKAO_JS_KEY="my-key" must be the 32-character/],
    [{ TAMNA_TIP_RETENTION_DAYS: '0' }, /TAMNA_TIP_RETENTION_DAYS="0" must be between 1 and 365/],
    [{ TAMNA_TIP_RETENTION_DAYS: '1.5' }, /must be a whole number of days/],
    [{ PORT: 'abc' }, /^PORT="abc" must be a number\.$/],
    [{ PORT: '70000' }, /PORT="70000" must be between 1 and 65535/],
    [
      { DATABASE_URL: 'mysql://x' },
      /DATABASE_URL="mysql:\/\/x" is not supported; use postgres:\/\//,
    ],
    [
      { TAMNA_SITE_URL: 'news.example.kr' },
      /TAMNA_SITE_URL="news.example.kr" must be an absolute URL/,
    ],
    [{ TAMNA_LOG_LEVEL: 'loud' }, /TAMNA_LOG_LEVEL="loud"/],
    [{ TAMNA_TRUST_PROXY: 'true' }, /TAMNA_TRUST_PROXY has "true", which is not an address/],
    [{ TAMNA_TRUST_PROXY: '0' }, /TAMNA_TRUST_PROXY="0": use none, a hop count/],
    [{ TAMNA_TRUST_PROXY: '10.0.0.0/33' }, /TAMNA_TRUST_PROXY has "10.0.0.0\/33"/],
    [{ TAMNA_TRUST_PROXY: '127.0.0.1,proxy.example' }, /has "proxy.example"/],
  ])('explains bad configuration %j in one line', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });
});

describe('TAMNA_PARTNER_TOKEN', () => {
  it('is off when unset, and takes one token per partner', () => {
    expect(loadConfig({}).partners.tokens).toEqual([]);
    const a = 'a'.repeat(24);
    const b = 'B1-_'.repeat(8);
    expect(loadConfig({ TAMNA_PARTNER_TOKEN: ` ${a}, ${b} ` }).partners.tokens).toEqual([a, b]);
  });

  it('refuses a short or spaced token without repeating it', () => {
    for (const bad of [
      'short-token',
      `${'x'.repeat(24)} ${'y'.repeat(24)}`,
      `${'x'.repeat(24)},`,
    ]) {
      let message = '';
      try {
        loadConfig({ TAMNA_PARTNER_TOKEN: bad });
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toMatch(/^TAMNA_PARTNER_TOKEN must be one or more comma-separated tokens/);
      expect(message).not.toContain(bad);
    }
  });
});

describe('TAMNA_MEDIA_S3_*', () => {
  const bucket = {
    TAMNA_MEDIA_S3_ENDPOINT: 'https://kr.object.ncloudstorage.com/',
    TAMNA_MEDIA_S3_BUCKET: 'tamnailbo-media',
    TAMNA_MEDIA_S3_ACCESS_KEY_ID: 'AKIA0000',
    TAMNA_MEDIA_S3_SECRET_ACCESS_KEY: 'secret-0000',
  };

  it('keeps media on the local disk when none is set', () => {
    expect(loadConfig({}).media).toEqual({ s3: null });
    expect(loadConfig({ TAMNA_MEDIA_S3_TIMEOUT_MS: '5000' }).media).toEqual({ s3: null });
  });

  it('reads a bucket on an S3-compatible service, with defaults that suit one', () => {
    expect(
      loadConfig({
        ...bucket,
        TAMNA_SITE_URL: 'https://news.example.kr',
        TAMNA_MEDIA_S3_PUBLIC_BASE_URL: 'https://cdn.example.kr/',
        TAMNA_MEDIA_S3_PREFIX: 'tamnailbo',
      }).media.s3,
    ).toEqual({
      endpoint: 'https://kr.object.ncloudstorage.com',
      region: 'us-east-1',
      bucket: 'tamnailbo-media',
      credentials: { accessKeyId: 'AKIA0000', secretAccessKey: 'secret-0000' },
      publicBaseUrl: 'https://cdn.example.kr',
      forcePathStyle: true,
      prefix: 'tamnailbo/',
      timeoutMs: 15_000,
    });
  });

  it('reads a bucket on AWS S3: its region, virtual-hosted names, the SDK’s own credentials', () => {
    const aws = loadConfig({
      TAMNA_MEDIA_S3_BUCKET: 'tamnailbo-media',
      TAMNA_MEDIA_S3_REGION: 'ap-northeast-2',
    }).media.s3;
    expect(aws).toMatchObject({
      endpoint: null,
      region: 'ap-northeast-2',
      credentials: null,
      forcePathStyle: false,
      prefix: '',
      publicBaseUrl: null,
    });
    expect(
      loadConfig({ TAMNA_MEDIA_S3_BUCKET: 'b-1', AWS_REGION: 'ap-northeast-2' }).media.s3?.region,
    ).toBe('ap-northeast-2');
    expect(
      loadConfig({ ...bucket, TAMNA_MEDIA_S3_FORCE_PATH_STYLE: '0' }).media.s3?.forcePathStyle,
    ).toBe(false);
  });

  it.each([
    [
      { TAMNA_MEDIA_S3_ENDPOINT: 'http://minio:9000', TAMNA_MEDIA_S3_REGION: 'us-east-1' },
      /^TAMNA_MEDIA_S3_ENDPOINT, TAMNA_MEDIA_S3_REGION are set but TAMNA_MEDIA_S3_BUCKET is not: name the bucket that holds the media, or unset every TAMNA_MEDIA_S3_\* setting to keep media in .*media\.$/,
    ],
    [
      { ...bucket, TAMNA_MEDIA_S3_SECRET_ACCESS_KEY: '' },
      /^TAMNA_MEDIA_S3_ACCESS_KEY_ID is set without TAMNA_MEDIA_S3_SECRET_ACCESS_KEY: set both, or neither/,
    ],
    [
      { ...bucket, TAMNA_MEDIA_S3_ACCESS_KEY_ID: '' },
      /^TAMNA_MEDIA_S3_SECRET_ACCESS_KEY is set without TAMNA_MEDIA_S3_ACCESS_KEY_ID/,
    ],
    [
      { TAMNA_MEDIA_S3_BUCKET: 'tamnailbo-media' },
      /^TAMNA_MEDIA_S3_REGION is not set: AWS S3 needs the bucket’s region, e.g. ap-northeast-2/,
    ],
    [{ ...bucket, TAMNA_MEDIA_S3_BUCKET: 'a' }, /^TAMNA_MEDIA_S3_BUCKET="a" must be a bucket name/],
    [
      { ...bucket, TAMNA_MEDIA_S3_ENDPOINT: 'minio:9000' },
      /^TAMNA_MEDIA_S3_ENDPOINT="minio:9000" must start with http:\/\/ or https:\/\//,
    ],
    [
      {
        ...bucket,
        TAMNA_SITE_URL: 'https://news.example.kr',
        TAMNA_MEDIA_S3_PUBLIC_BASE_URL: 'http://cdn.example.kr',
      },
      /^TAMNA_MEDIA_S3_PUBLIC_BASE_URL="http:\/\/cdn.example.kr" must start with https:\/\/: pages load images from other hosts only over https/,
    ],
    [
      { ...bucket, TAMNA_MEDIA_S3_PUBLIC_BASE_URL: 'https://cdn.example.kr/?v=1' },
      /^TAMNA_MEDIA_S3_PUBLIC_BASE_URL=.* must be a base URL without \? or #/,
    ],
    [
      { ...bucket, TAMNA_MEDIA_S3_PREFIX: '../x' },
      /^TAMNA_MEDIA_S3_PREFIX="..\/x" must be a folder name/,
    ],
    [
      { ...bucket, TAMNA_MEDIA_S3_TIMEOUT_MS: '10' },
      /^TAMNA_MEDIA_S3_TIMEOUT_MS="10" must be between 200 and 120000/,
    ],
  ])('explains an incomplete or wrong setting %j', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('never repeats the secret key in a message', () => {
    const secret = 'x'.repeat(300);
    let message = '';
    try {
      loadConfig({ ...bucket, TAMNA_MEDIA_S3_SECRET_ACCESS_KEY: secret });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^TAMNA_MEDIA_S3_SECRET_ACCESS_KEY /);
    expect(message).not.toContain(secret);
  });
});

describe('TAMNA_WORKERS', () => {
  it('runs one process per core by default, and as many as told', () => {
    expect(loadConfig({}).workers).toBe(Math.min(64, os.availableParallelism()));
    expect(loadConfig({ TAMNA_WORKERS: '1' }).workers).toBe(1);
    expect(loadConfig({ TAMNA_WORKERS: '3' }).workers).toBe(3);
  });

  it('keeps an in-memory SQLite database in one process', () => {
    expect(loadConfig({ DATABASE_URL: 'sqlite::memory:' }).workers).toBe(1);
    expect(() => loadConfig({ DATABASE_URL: 'sqlite::memory:', TAMNA_WORKERS: '2' })).toThrow(
      /^TAMNA_WORKERS=2 needs a database all workers share/,
    );
  });

  it.each([
    ['0', /^TAMNA_WORKERS="0" must be between 1 and 64\.$/],
    ['65', /must be between 1 and 64/],
    ['1.5', /must be a whole number of server processes/],
    ['many', /^TAMNA_WORKERS="many" must be a number of server processes\.$/],
  ])('refuses TAMNA_WORKERS=%s', (value, message) => {
    expect(() => loadConfig({ TAMNA_WORKERS: value })).toThrow(message);
  });
});
