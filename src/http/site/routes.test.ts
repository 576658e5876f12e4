import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../app.ts';
import { loadConfig } from '../../config/index.ts';
import { createTestApp, REFERENCE_NOW, type TestApp } from '../../testing/app.ts';
import { testDialects } from '../../testing/databases.ts';
import { seedFixture, type Fixture } from '../../testing/fixtures.ts';

const HOUR = 60 * 60 * 1000;

describe.each(testDialects)('public site on %s', (dialect) => {
  let app: TestApp;
  let fx: Fixture;

  beforeEach(async () => {
    app = await createTestApp({ dialect });
    fx = await seedFixture(app);
    await app.services.weather.storeSample();
  });
  afterEach(async () => {
    await app.close();
  });

  const get = (url: string, headers: Record<string, string> = {}) =>
    app.http.inject({ method: 'GET', url, headers });

  it('renders the front page with masthead date, ticker, section boxes and footer', async () => {
    const res = await get('/');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    const html = res.body;
    expect(html).toContain('2025.12.09 (화)');
    expect(html).toContain('기상청 제공');
    expect(html).toContain('예시');
    expect(html).toMatch(
      /<span class="wx-sky">맑음<\/span> <span class="wx-place">서울<\/span> <span class="wx-temp">2\.4℃<\/span>/,
    );
    expect(html).toContain('와이드포토');
    expect(html).toContain('더보기');
    expect(html).toContain('href="/section/politics"');
    expect(html).toContain('청소년보호책임자');
    expect(html).toContain('인터넷신문 등록번호');
    expect(html).toMatch(/Copyright © 2025 탐나일보/);
    expect(html).toContain('<link rel="canonical" href="https://news.example.kr/">');
    expect(html).toContain('<meta property="og:title"');
    expect(html).toContain('<meta name="description"');
  });

  it('shows the KST date, not the UTC date, across the UTC day boundary', async () => {
    // 2025-12-09 15:30 UTC is already Wednesday the 10th in Korea.
    app.clock.set(Date.UTC(2025, 11, 9, 15, 30));
    app.cache.clear();
    expect((await get('/')).body).toContain('2025.12.10 (수)');
    // 2025-12-09 14:59 UTC is still Tuesday the 9th, 23:59 KST.
    app.clock.set(Date.UTC(2025, 11, 9, 14, 59));
    app.cache.clear();
    expect((await get('/')).body).toContain('2025.12.09 (화)');
  });

  it('renders an article with section path, lede, byline, times and body', async () => {
    const id = fx.published[0] as number;
    const res = await get(`/news/${id}`);
    expect(res.statusCode).toBe(200);
    const html = res.body;
    expect(html).toContain('<h1 class="article-title">정치 기사 1</h1>');
    expect(html).toContain('<p>정치 부제 첫 줄</p><p>정치 부제 둘째 줄</p>');
    expect(html).toContain('김탐나 기자');
    expect(html).toContain('kim@tamnailbo.example');
    expect(html).toMatch(
      /입력 <time datetime="2025-12-0\dT\d\d:00:00\+09:00">2025\.12\.0\d \d\d:00<\/time>/,
    );
    expect(html).toContain('정치 기사 1의 첫 문단입니다.');
    expect(html).toContain(
      '<figcaption>제주항 전경<span class="credit"> 사진=탐나일보</span></figcaption>',
    );
    expect(html).toContain('사건/사고/판결');
    expect(html).toContain(`<link rel="canonical" href="https://news.example.kr/news/${id}">`);
    expect(html).toContain('<meta property="og:type" content="article">');
  });

  it('serves the same article at /news/<id>/<any slug>', async () => {
    const id = fx.published[0] as number;
    const res = await get(`/news/${id}/%EC%A0%9C%EB%AA%A9`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain(`href="https://news.example.kr/news/${id}"`);
  });

  it('redirects the old articleView.html URL to the stable article URL', async () => {
    const res = await get(`/news/articleView.html?idxno=${fx.published[0]}`);
    expect(res.statusCode).toBe(301);
    expect(res.headers.location).toBe(`/news/${fx.published[0]}`);
    expect((await get('/news/articleView.html?idxno=abc')).statusCode).toBe(404);
  });

  it('never shows unpublished, draft or future-scheduled articles', async () => {
    const { writer } = app.services;
    const draft = await writer.createArticle({
      sectionId: fx.sections.politics,
      title: '초고 기사 비공개',
      status: 'draft',
    });
    const future = await writer.createArticle({
      sectionId: fx.sections.politics,
      title: '예약 기사 비공개',
      status: 'published',
      publishedAt: REFERENCE_NOW + 2 * HOUR,
    });
    for (const id of [draft, future]) expect((await get(`/news/${id}`)).statusCode).toBe(404);
    expect((await get('/')).body).not.toContain('비공개');
    expect((await get('/section/politics')).body).not.toContain('비공개');

    // The cached front page must not outlive the scheduled time.
    app.clock.set(REFERENCE_NOW + 2 * HOUR + 1);
    expect((await get('/')).body).toContain('예약 기사 비공개');
    expect((await get(`/news/${future}`)).statusCode).toBe(200);

    await writer.setStatus(future, 'unpublished');
    expect((await get(`/news/${future}`)).statusCode).toBe(404);
    expect((await get('/')).body).not.toContain('예약 기사 비공개');
  });

  it('hides articles of hidden sections and the hidden section itself', async () => {
    expect((await get('/section/archive')).statusCode).toBe(404);
    expect((await get('/')).body).not.toContain('숨긴 섹션 기사');
  });

  it('escapes hostile strings in titles and cleans hostile bodies', async () => {
    const id = await app.services.writer.createArticle({
      sectionId: fx.sections.politics,
      title: '<script>alert("t")</script> 제목 & "따옴표"',
      subtitle: '<img src=x onerror=alert(1)>',
      bodyHtml:
        '<p onclick="alert(1)">본문</p><script>alert(2)</script><a href="javascript:alert(3)">링크</a><img src="x" onerror="alert(4)"><svg><script>alert(5)</script></svg><p style="background:url(javascript:alert(6))">스타일</p>',
      status: 'published',
      publishedAt: REFERENCE_NOW - 1000,
    });
    for (const url of [`/news/${id}`, '/', '/section/politics']) {
      const html = (await get(url)).body;
      expect(html).not.toMatch(/<script>alert/);
      expect(html).not.toMatch(/<[a-z][^>]*\son(error|click)\s*=\s*["']/i);
      expect(html).not.toContain('javascript:');
      expect(html).not.toContain('style="');
    }
    const html = (await get(`/news/${id}`)).body;
    expect(html).toContain(
      '&lt;script&gt;alert(&quot;t&quot;)&lt;/script&gt; 제목 &amp; &quot;따옴표&quot;',
    );
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('lists a section with its sub-sections, page numbers, and a photo grid for photo sections', async () => {
    for (let i = 0; i < 25; i++) {
      await app.services.writer.createArticle({
        sectionId: fx.sections.society,
        title: `페이지 기사 ${i}`,
        status: 'published',
        publishedAt: REFERENCE_NOW - 200 * HOUR + i,
      });
    }
    const first = await get('/section/society');
    expect(first.statusCode).toBe(200);
    expect(first.body).toContain('제주시 기사 3'); // child section articles are listed in the parent
    expect(first.body).toContain('href="/section/society?page=2"');
    expect(first.body).toContain('<strong aria-current="page">1</strong>');
    const second = await get('/section/society?page=2');
    expect(second.statusCode).toBe(200);
    expect(second.body).toContain('<strong aria-current="page">2</strong>');
    expect(second.body).toContain(
      '<link rel="canonical" href="https://news.example.kr/section/society?page=2">',
    );
    expect((await get('/section/society?page=3')).statusCode).toBe(404);

    const photo = await get('/section/photo');
    expect(photo.body).toContain('class="photo-grid"');
  });

  it.each([
    ['/news/abc', 404],
    ['/news/0', 404],
    ['/news/-1', 404],
    ['/news/1e3', 404],
    ['/news/99999999999999999999999', 404],
    ['/news/999999', 404],
    ['/section/nope', 404],
    ['/section/NOPE!', 404],
    ['/section/society?page=0', 400],
    ['/section/society?page=abc', 400],
    ['/section/society?page=1&page=2', 400],
    ['/section/society?page=%FF', 400],
    ['/no/such/page', 404],
    ['/news/%E0%A4%A', 400],
  ])('answers %s with %i and a Korean error page, never a 500', async (url, status) => {
    const res = await get(url);
    expect(res.statusCode).toBe(status);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toContain(status === 404 ? '페이지를 찾을 수 없습니다' : '잘못된 요청입니다');
  });

  it('caches pages with strong ETags, answers 304, and compresses', async () => {
    const first = await get('/');
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    expect(first.headers['cache-control']).toMatch(
      /public, max-age=0, s-maxage=\d+, stale-while-revalidate=30$/,
    );
    // The HTML differs by device (phone-only banners): a CDN must not mix the two.
    expect(first.headers.vary).toBe('Accept-Encoding, User-Agent');
    expect((await get('/', { 'if-none-match': etag })).statusCode).toBe(304);
    const br = await get('/', { 'accept-encoding': 'gzip, deflate, br' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.etag).toBe(etag);
    const gz = await get('/', { 'accept-encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(app.cache.stats.hits).toBeGreaterThanOrEqual(3);
  });

  it('refreshes cached pages at once when an article changes', async () => {
    const id = fx.published[0] as number;
    expect((await get(`/news/${id}`)).body).toContain('정치 기사 1');
    await get('/');
    await get('/section/politics');
    await app.services.writer.updateArticleText(id, { title: '고친 제목' });
    expect((await get(`/news/${id}`)).body).toContain('고친 제목');
    expect((await get('/')).body).toContain('고친 제목');
    expect((await get('/section/politics')).body).toContain('고친 제목');
  });

  it('shows a new section in the navigation at once, although sections are kept in memory', async () => {
    expect((await get('/')).body).not.toContain('/section/weather-desk');
    await app.services.writer.createSection({
      slug: 'weather-desk',
      name: '날씨',
      layout: 'list',
      parentId: null,
      position: 50,
      hidden: false,
    });
    expect((await get('/')).body).toContain('href="/section/weather-desk"');
    expect((await get('/section/weather-desk')).statusCode).toBe(200);
  });

  it('drops every cached page when the banners, the sections or the weather change', async () => {
    const id = fx.published[0] as number;
    const cacheAll = async () => {
      for (const url of ['/', `/news/${id}`, '/section/politics', '/weather']) await get(url);
      expect(app.cache.size).toBe(4);
    };
    await cacheAll();
    await app.services.banners.create({
      slot: 'rail-1',
      title: '감귤 축제 광고',
      imageKey: 'ads/tangerine.png',
      width: 300,
      height: 250,
      linkUrl: 'https://example.com/festival',
      startsAt: REFERENCE_NOW - HOUR,
      endsAt: REFERENCE_NOW + HOUR,
    });
    expect(app.cache.size).toBe(0);
    expect((await get(`/news/${id}`)).body).toContain('alt="감귤 축제 광고"');
    await cacheAll();
    await app.services.writer.updateSection(fx.sections.incidents, {
      name: '사건·사고',
      position: 4,
      hidden: false,
    });
    expect(app.cache.size).toBe(0);
    expect((await get('/')).body).toContain('사건·사고');
    await cacheAll();
    const places = await app.services.weather.places();
    await app.services.weather.movePlace(places[1]?.id ?? '', -1);
    expect(app.cache.size).toBe(0);
  });

  it('refreshes the pages showing a photo when its caption changes', async () => {
    const id = fx.published[0] as number;
    await get(`/news/${id}`);
    await get('/section/politics');
    await get('/weather');
    await app.services.photos.updatePhotoText(fx.photoId, { caption: '새로 쓴 설명' });
    expect((await get(`/news/${id}`)).body).toContain('<figcaption>새로 쓴 설명');
    // The weather page shows no photo and stays cached.
    expect(app.cache.size).toBe(2);
  });

  it('hears banner and section changes made on another server through the change feed', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tamna-other-'));
    const other: App = await createApp(loadConfig({ TAMNA_DATA_DIR: dataDir }), {
      database: app.database,
      clock: app.clock,
      logger: pino({ level: 'silent' }),
      backgroundJobs: false,
      migrate: false,
    });
    try {
      expect((await get('/')).body).not.toContain('다른 서버 광고');
      await other.services.banners.create({
        slot: 'rail-1',
        title: '다른 서버 광고',
        imageKey: 'ads/other.png',
        width: 300,
        height: 250,
        linkUrl: 'https://example.com/other',
        startsAt: REFERENCE_NOW - HOUR,
        endsAt: REFERENCE_NOW + HOUR,
      });
      await other.services.writer.createSection({ slug: 'from-other', name: '다른 서버 섹션' });
      // This server keeps its pages, banners and sections until it reads the feed.
      expect((await get('/')).body).not.toContain('다른 서버 광고');
      expect(await app.watch.changesFromElsewhere()).toBe(2);
      const html = (await get('/')).body;
      expect(html).toContain('다른 서버 광고');
      expect(html).toContain('href="/section/from-other"');
    } finally {
      await other.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('serves the stylesheet under a hashed, immutable URL', async () => {
    const href = /<link rel="stylesheet" href="([^"]+)">/.exec(
      (await get('/')).body,
    )?.[1] as string;
    expect(href).toMatch(/^\/assets\/site\.[0-9a-f]{12}\.css$/);
    const css = await get(href);
    expect(css.statusCode).toBe(200);
    expect(css.headers['cache-control']).toContain('immutable');
    expect(css.body).toContain('word-break:keep-all');
  });

  it('serves the site icon linked from every page and at /favicon.ico', async () => {
    const href = /<link rel="icon" type="image\/svg\+xml" href="([^"]+)">/.exec(
      (await get('/')).body,
    )?.[1] as string;
    expect(href).toMatch(/^\/assets\/icon\.[0-9a-f]{12}\.svg$/);
    for (const url of [href, '/favicon.ico']) {
      const icon = await get(url);
      expect(icon.statusCode).toBe(200);
      expect(icon.headers['content-type']).toBe('image/svg+xml');
      expect(icon.body).toContain('<svg');
    }
  });

  it('reports health', async () => {
    const res = await get('/healthz');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });

  it('renders banner slots that have a campaign and no box for empty slots', async () => {
    await app.services.banners.create({
      slot: 'rail-1',
      title: '감귤 축제 광고',
      imageKey: 'ads/tangerine.png',
      width: 300,
      height: 250,
      linkUrl: 'https://example.com/festival',
      startsAt: REFERENCE_NOW - HOUR,
      endsAt: REFERENCE_NOW + HOUR,
    });
    app.cache.clear();
    const html = (await get('/')).body;
    expect(html).toContain('class="banner banner-rail-1"');
    expect(html).toContain('alt="감귤 축제 광고"');
    expect(html).not.toContain('banner-header-top');
    // The campaign's end is a change of the page: the cached copy must not outlive it.
    app.clock.set(REFERENCE_NOW + HOUR);
    expect((await get('/')).body).not.toContain('감귤 축제 광고');
  });

  it('shows the above-footer banner once on section pages (the footer already carries it)', async () => {
    await app.services.banners.create({
      slot: 'above-footer',
      title: '하단 배너 광고',
      imageKey: 'ads/footer.png',
      width: 970,
      height: 90,
      linkUrl: 'https://example.com/footer',
      startsAt: REFERENCE_NOW - HOUR,
      endsAt: REFERENCE_NOW + HOUR,
    });
    app.cache.clear();
    const html = (await get('/section/society')).body;
    expect(html.split('class="banner banner-above-footer"')).toHaveLength(2);
  });
});
