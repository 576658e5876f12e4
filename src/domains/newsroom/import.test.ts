import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../app.ts';
import { loadConfig } from '../../config/index.ts';
import { createTestApp, type TestApp } from '../../testing/app.ts';
import { testDialects } from '../../testing/databases.ts';

let jpeg: Buffer;
let server: http.Server;
let base: string;
let dir: string;

beforeAll(async () => {
  jpeg = await sharp({
    create: { width: 800, height: 450, channels: 3, background: { r: 20, g: 90, b: 140 } },
  })
    .jpeg()
    .toBuffer();
  dir = mkdtempSync(path.join(os.tmpdir(), 'tamna-import-'));
  writeFileSync(path.join(dir, 'local.jpg'), jpeg);
  writeFileSync(path.join(dir, 'not-a-photo.jpg'), 'hello');
  // A stand-in for an archive's image host, speaking real HTTP.
  server = http.createServer((request, response) => {
    if (request.url === '/photo.jpg') {
      response.writeHead(200, { 'content-type': 'image/jpeg' });
      response.end(jpeg);
    } else {
      response.writeHead(404);
      response.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

const line = (record: Record<string, unknown>) => JSON.stringify(record);

describe.each(testDialects)('NDJSON import on %s', (dialect) => {
  let app: TestApp;

  beforeEach(async () => {
    app = await createTestApp({ dialect });
    await app.services.writer.createSection({ slug: 'society', name: '사회', position: 1 });
  });
  afterEach(async () => {
    await app.close();
  });

  const good = (externalId: string, overrides: Record<string, unknown> = {}) =>
    line({
      externalId,
      section: '사회',
      title: `가져온 기사 ${externalId}`,
      subtitle: '부제 한 줄\n부제 두 줄',
      bodyHtml: '<p>본문입니다.</p><script>alert(1)</script>',
      authors: [{ name: '고한결', email: 'KO@archive.example' }],
      tags: ['아카이브'],
      publishedAt: '2024-03-01T09:30:00+09:00',
      updatedAt: '2024-03-02 10:00',
      status: 'published',
      photos: [],
      ...overrides,
    });

  it('keeps good lines, reports bad ones by number and reason, and creates new sections', async () => {
    const text = [
      good('a-1', {
        photos: [{ url: `${base}/photo.jpg`, caption: '원격 사진', credit: '아카이브' }],
      }),
      '{"externalId": "broken"',
      line({ externalId: 'a-3', section: '사회' }),
      good('a-4', {
        section: '지난 기사',
        photos: [{ url: 'local.jpg', caption: '파일 사진', credit: '' }],
      }),
      good('a-5', { photos: [{ url: `${base}/missing.jpg`, caption: '', credit: '' }] }),
      good('a-6', { photos: [{ url: 'not-a-photo.jpg', caption: '', credit: '' }] }),
      good('a-7', { publishedAt: '어제' }),
      '',
      good('a-9'),
    ].join('\n');
    const report = await app.importer.importNdjson(text, { baseDir: dir });
    expect(report.created).toBe(3);
    expect(report.updated).toBe(0);
    expect(report.photosStored).toBe(2);
    expect(report.sectionsCreated).toEqual(['지난 기사']);
    expect(report.failed.map((f) => f.line)).toEqual([2, 3, 5, 6, 7]);
    expect(report.failed[0]?.reason).toMatch(/^JSON이 아닙니다/);
    expect(report.failed[1]?.reason).toContain('title');
    expect(report.failed[2]?.reason).toContain('HTTP 404');
    expect(report.failed[3]?.reason).toContain('사진');
    expect(report.failed[4]?.reason).toContain('시각을 읽을 수 없습니다');

    const rows = await app.database.db
      .selectFrom('articles')
      .select(['id', 'external_id', 'body_html', 'published_at', 'featured_photo_id'])
      .where('external_id', 'is not', null)
      .orderBy('id')
      .execute();
    expect(rows.map((r) => r.external_id)).toEqual(['a-1', 'a-4', 'a-9']);
    expect(rows[0]?.body_html).toBe('<p>본문입니다.</p>');
    expect(rows[0]?.published_at).toBe(Date.UTC(2024, 2, 1, 0, 30));
    expect(rows[0]?.featured_photo_id).not.toBeNull();
    const article = await app.services.content.article(rows[0]!.id);
    expect(article?.bylines).toEqual([{ name: '고한결', email: 'ko@archive.example' }]);
    expect(article?.subtitleLines).toEqual(['부제 한 줄', '부제 두 줄']);
    expect(article?.photos[0]?.caption).toBe('원격 사진');
  });

  // An import renamed the admin's byline: authors were upserted by email, name included.
  it('never renames an existing byline, says so, and records who imported', async () => {
    const admin = await app.services.accounts.createUser({
      email: 'chief@tamnailbo.example',
      name: '문서윤',
      role: 'admin',
      password: '제주바다-2025-desk!',
    });
    const report = await app.importer.importNdjson(
      good('b-1', { authors: [{ name: '가짜 이름', email: 'CHIEF@tamnailbo.example' }] }),
      { actorId: admin.user.id },
    );
    expect(report.failed).toEqual([]);
    expect(report.notes).toEqual([
      {
        line: 1,
        note: "chief@tamnailbo.example의 바이라인은 이미 '문서윤'(으)로 있어 이름을 바꾸지 않았습니다.",
      },
    ]);
    const author = await app.database.db
      .selectFrom('authors')
      .select('name')
      .where('email', '=', 'chief@tamnailbo.example')
      .executeTakeFirstOrThrow();
    expect(author.name).toBe('문서윤');
    const event = await app.database.db
      .selectFrom('article_events')
      .select(['user_id', 'kind'])
      .where('kind', '=', 'imported')
      .executeTakeFirstOrThrow();
    expect(event.user_id).toBe(admin.user.id);
  });

  it('updates on a second run instead of duplicating, and reuses photos', async () => {
    const first = good('b-1', {
      photos: [{ url: `${base}/photo.jpg`, caption: '사진', credit: '' }],
    });
    await app.importer.importNdjson(first, { baseDir: dir });
    const second = good('b-1', {
      title: '고친 제목',
      photos: [{ url: `${base}/photo.jpg`, caption: '사진', credit: '' }],
    });
    const report = await app.importer.importNdjson(second, { baseDir: dir });
    expect(report).toMatchObject({ created: 0, updated: 1, photosStored: 0, failed: [] });
    const rows = await app.database.db
      .selectFrom('articles')
      .select('title')
      .where('external_id', '=', 'b-1')
      .execute();
    expect(rows).toEqual([{ title: '고친 제목' }]);
    const photos = await app.database.db.selectFrom('photos').select('id').execute();
    expect(photos).toHaveLength(1);
  });

  it('keeps API imports away from the internal network and the server files', async () => {
    const text = [
      good('d-1', { photos: [{ url: `${base}/photo.jpg`, caption: '', credit: '' }] }),
      good('d-2', { photos: [{ url: 'http://[::1]:9/a.jpg', caption: '', credit: '' }] }),
      good('d-3', { photos: [{ url: 'http://10.0.0.8/a.jpg', caption: '', credit: '' }] }),
      good('d-4', { photos: [{ url: 'local.jpg', caption: '', credit: '' }] }),
      good('d-5', { photos: [{ url: '/etc/passwd', caption: '', credit: '' }] }),
    ].join('\n');
    const report = await app.importer.importNdjson(text, { baseDir: dir, trusted: false });
    expect(report.created).toBe(0);
    expect(report.failed.map((f) => f.reason)).toEqual([
      '내부망 주소의 사진은 가져올 수 없습니다: 127.0.0.1',
      '내부망 주소의 사진은 가져올 수 없습니다: ::1',
      '내부망 주소의 사진은 가져올 수 없습니다: 10.0.0.8',
      '파일 경로 사진은 명령줄 가져오기(tamna import)에서만 쓸 수 있습니다: local.jpg',
      '파일 경로 사진은 명령줄 가져오기(tamna import)에서만 쓸 수 있습니다: /etc/passwd',
    ]);
  });

  it('shows imported articles on a running server within its change-feed poll', async () => {
    // The "running server" and the "import CLI" are two apps on one database.
    const importer: App = await createApp(
      loadConfig({ TAMNA_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'tamna-cli-')) }),
      {
        database: app.database,
        clock: app.clock,
        logger: pino({ level: 'silent' }),
        backgroundJobs: false,
        migrate: false,
      },
    );
    try {
      expect((await app.http.inject({ url: '/section/society' })).body).not.toContain('c-1 제목');
      await importer.importer.importNdjson(good('c-1', { title: 'c-1 제목' }));
      // Cached until the server reads the change feed (every 2 s in production).
      expect((await app.http.inject({ url: '/section/society' })).body).not.toContain('c-1 제목');
      expect(await app.watch.changesFromElsewhere()).toBe(1);
      expect((await app.http.inject({ url: '/section/society' })).body).toContain('c-1 제목');
    } finally {
      await importer.close();
    }
  });
});
