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
    expect(report.failed[0]?.reason).toMatch(/^JSON으로 읽을 수 없습니다/);
    expect(report.failed[1]?.reason).toBe('제목(title)이 없습니다.');
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
    expect(article?.bylines).toMatchObject([
      { name: '고한결', email: 'ko@archive.example', title: '' },
    ]);
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
    // The search index follows the import in the same write.
    const hits = await app.services.search.rank('고친 제목');
    expect(hits.map((h) => h.externalId)).toContain('b-1');
    const photos = await app.database.db.selectFrom('photos').select('id').execute();
    expect(photos).toHaveLength(1);
  });

  // A line whose author had a name and no email failed: "authors.0.email: Invalid input".
  it('accepts bylines without an email, once per name, with a title', async () => {
    const text = [
      good('n-1', { authors: [{ name: '한라산 칼럼니스트' }], tags: ['제주', '가나다', '4·3'] }),
      good('n-2', {
        authors: [
          { name: '한라산 칼럼니스트', email: '' },
          { name: '부은별', email: null, title: '객원 기자' },
        ],
      }),
    ].join('\n');
    const report = await app.importer.importNdjson(text, { baseDir: dir });
    expect(report.failed).toEqual([]);
    expect(report.created).toBe(2);
    const rows = await app.database.db
      .selectFrom('articles')
      .select('id')
      .where('external_id', 'in', ['n-1', 'n-2'])
      .orderBy('external_id')
      .execute();
    const first = await app.services.content.article(rows[0]!.id);
    // Tags in the order the archive lists them, not by name.
    expect(first?.tags).toEqual(['제주', '가나다', '4·3']);
    const second = await app.services.content.article(rows[1]!.id);
    expect(second?.bylines).toMatchObject([
      { name: '한라산 칼럼니스트', email: null, title: '' },
      { name: '부은별', email: null, title: '객원 기자' },
    ]);
    const columnists = await app.database.db
      .selectFrom('authors')
      .select('id')
      .where('name', '=', '한라산 칼럼니스트')
      .execute();
    expect(columnists).toHaveLength(1);
    const page = await app.http.inject({ url: `/news/${rows[1]!.id}` });
    expect(page.body).toContain('부은별 객원 기자');
    expect(page.body).not.toContain('mailto:null');
  });

  it("names the line's problem in Korean, with the field in plain words", async () => {
    const text = [
      good('m-1', { authors: [{ email: 'a@b.example' }] }),
      good('m-2', {
        authors: [
          { name: '고', email: 'a@b.example' },
          { name: '부', email: '메일' },
        ],
      }),
      good('m-3', { section: '' }),
      good('m-4', { status: 'live' }),
      good('m-5', { tags: '제주' }),
      line({ title: '번호 없음', section: '사회' }),
      good('m-7', { photos: [{ caption: '주소 없는 사진' }] }),
    ].join('\n');
    const report = await app.importer.importNdjson(text, { baseDir: dir });
    expect(report.failed).toEqual([
      { line: 1, reason: '1번째 필자의 이름이 없습니다.' },
      { line: 2, reason: '2번째 필자의 이메일이 올바른 이메일 주소가 아닙니다: 메일' },
      { line: 3, reason: '섹션 이름(section)이 비어 있습니다.' },
      {
        line: 4,
        reason:
          '상태(status)는 draft(작성 중), submitted(출고 요청), published(게재), unpublished(게재 중지), trashed(휴지통) 중 하나여야 합니다: live',
      },
      { line: 5, reason: '태그 목록(tags)은 목록([...])으로 적어야 합니다.' },
      { line: 6, reason: '기사 식별자(externalId)는 글자나 숫자로 적어야 합니다.' },
      { line: 7, reason: '1번째 사진의 주소가 없습니다.' },
    ]);
    expect(report.failed.map((f) => f.reason).join('\n')).not.toMatch(/Invalid|expected|received/);
  });

  // An imported 정치 section got the address /section/section and went straight into the menu.
  it('gives new sections a romanized, unique address and keeps them out of the menu', async () => {
    await app.services.writer.createSection({ slug: 'jeju', name: '제주 소식', position: 2 });
    const text = [
      good('s-1', { section: '정치' }),
      good('s-2', { section: '제주' }),
      good('s-3', { section: '★' }),
    ].join('\n');
    const report = await app.importer.importNdjson(text, { baseDir: dir });
    expect(report.sectionsCreated).toEqual(['정치', '제주', '★']);
    const sections = await app.database.db
      .selectFrom('sections')
      .select(['name', 'slug', 'hidden'])
      .where('name', 'in', ['정치', '제주', '★'])
      .orderBy('id')
      .execute();
    expect(sections).toEqual([
      { name: '정치', slug: 'jeongchi', hidden: 1 },
      { name: '제주', slug: 'jeju-2', hidden: 1 },
      { name: '★', slug: 'section', hidden: 1 },
    ]);
    const front = await app.http.inject({ url: '/' });
    expect(front.body).not.toContain('/section/jeongchi');
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

/** Issue 11: an archive says where each article came from, by key or in Korean. */
describe('the origin of imported articles', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  const origin = async (externalId: string) =>
    (
      await app.database.db
        .selectFrom('articles')
        .select('origin')
        .where('external_id', '=', externalId)
        .executeTakeFirstOrThrow()
    ).origin;

  it('takes a key or a label, defaults to 자체기사, and keeps the origin when left out later', async () => {
    const record = (externalId: string, extra: Record<string, unknown> = {}) =>
      line({ externalId, section: '사회', title: `기사 ${externalId}`, ...extra });
    const report = await app.importer.importNdjson(
      [
        record('a', { origin: 'wire' }),
        record('b', { origin: '보도자료' }),
        record('c'),
        record('d', { origin: 'sponsored' }),
        record('e', { origin: 3 }),
      ].join('\n'),
    );
    expect(report.failed).toEqual([
      {
        line: 4,
        reason:
          '기사 구분(origin): own(자체기사), wire(통신), press_release(보도자료), contribution(기고), advertorial(광고성 기사) 중 하나여야 합니다: sponsored',
      },
      { line: 5, reason: '기사 구분(origin)은 글자로 적어야 합니다.' },
    ]);
    expect([await origin('a'), await origin('b'), await origin('c')]).toEqual([
      'wire',
      'press_release',
      'own',
    ]);
    // The desk reclassified one; a later run of the old file without origins leaves it be.
    await app.importer.importNdjson(
      [record('a'), record('c', { origin: 'contribution' })].join('\n'),
    );
    expect([await origin('a'), await origin('c')]).toEqual(['wire', 'contribution']);
  });
});
