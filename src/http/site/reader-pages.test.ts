import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/app.ts';
import { seedFixture, type Fixture } from '../../testing/fixtures.ts';

const HOUR = 60 * 60 * 1000;

/** 기자, tag and series pages, their feed and links, as readers reach them (issue 16). */
describe('reader pages over HTTP', () => {
  let app: TestApp;
  let fx: Fixture;
  let hostile: number;

  beforeAll(async () => {
    app = await createTestApp();
    fx = await seedFixture(app);
    await app.services.weather.storeSample();
    hostile = await app.services.writer.createArticle({
      sectionId: fx.sections.politics,
      title: '제어\u0001문자 ]]> <script>alert(1)</script> & “따옴표”',
      bodyHtml: '<p>요약에도 ]]&gt; 가 들어 있습니다.</p>',
      status: 'published',
      publishedAt: app.clock.now() - 10 * 60_000,
      authorIds: [fx.authorId],
      tags: ['a/b', '100%', '띄어 쓴 태그', '🍊감귤', '<b>굵게</b>'],
    });
  });
  afterAll(async () => {
    await app?.close();
  });

  const get = (url: string) => app.http.inject({ method: 'GET', url });

  it('links bylines and tags on the article page', async () => {
    const html = (await get(`/news/${hostile}`)).body;
    expect(html).toContain(`<a class="reporter" href="/reporter/${fx.authorId}">김탐나 기자</a>`);
    expect(html).toContain(`<a href="/reporter/${fx.authorId}"><strong>김탐나 기자</strong></a>`);
    expect(html).toContain('<a href="/tag/a%2Fb">#a/b</a>');
    expect(html).toContain('<a href="/tag/100%25">#100%</a>');
    expect(html).toContain('<a href="/tag/%EB%9D%84%EC%96%B4%20%EC%93%B4%20%ED%83%9C%EA%B7%B8">');
    expect(html).toContain('<a href="/tag/%3Cb%3E%EA%B5%B5%EA%B2%8C%3C%2Fb%3E">#&lt;b&gt;굵게');
  });

  it('shows a 기자 페이지 with profile, time and section of each article, pages and feed', async () => {
    await app.services.writer.updateAuthorProfile(fx.authorId, {
      beat: '사회부 · 교육 담당',
      intro: '제주의 학교를 취재합니다.\n제보 환영.',
    });
    const res = await get(`/reporter/${fx.authorId}`);
    expect(res.statusCode).toBe(200);
    const html = res.body;
    expect(html).toContain(
      '<h1 class="profile-name">김탐나 <span class="profile-title">기자</span>',
    );
    expect(html).toContain('<p class="profile-beat">사회부 · 교육 담당</p>');
    expect(html).toContain('<a href="mailto:kim@tamnailbo.example">kim@tamnailbo.example</a>');
    expect(html).toContain('<p class="profile-intro">제주의 학교를 취재합니다.\n제보 환영.</p>');
    expect(html).toContain(
      `<link rel="alternate" type="application/rss+xml" title="김탐나 기자 기사 RSS" href="https://news.example.kr/reporter/${fx.authorId}/rss">`,
    );
    // Newest first, with section, byline and time (not only the date).
    expect(html).toMatch(
      /<span class="teaser-section">정치<\/span><span class="teaser-byline"><a href="\/reporter\/\d+">김탐나 기자<\/a><\/span><time datetime="2025-12-09T13:50:00\+09:00">2025\.12\.09 13:50<\/time>/,
    );
    expect(html).not.toContain('숨긴 섹션 기사');
    expect(html.indexOf('제어')).toBeLessThan(html.indexOf('포토 기사 3'));
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    // 16 articles at 20 a page: one page, no pager.
    expect(html).not.toContain('class="pager"');
  });

  it('answers bad reporter addresses and page numbers with a page, never a 500', async () => {
    for (const url of [
      '/reporter/0',
      '/reporter/abc',
      '/reporter/99999999999999999999',
      '/reporter/999999',
      '/reporter/1.5',
      `/reporter/${fx.authorId}?page=2`,
      '/reporter/999999/rss',
    ])
      expect((await get(url)).statusCode, url).toBe(404);
    for (const url of [
      `/reporter/${fx.authorId}?page=0`,
      `/reporter/${fx.authorId}?page=abc`,
      `/reporter/${fx.authorId}?page=1&page=2`,
      `/tag/a?page=-1`,
    ]) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(400);
      expect(res.body).toContain('페이지 번호는 1 이상의 숫자여야 합니다.');
    }
  });

  it('serves the byline’s articles as RSS 2.0 that stays XML whatever the titles hold', async () => {
    const res = await get(`/reporter/${fx.authorId}/rss`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/rss+xml; charset=utf-8');
    const xml = res.body;
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"')).toBe(true);
    expect(xml).toContain('<title>김탐나 기자 - 탐나일보</title>');
    expect(xml).toContain(
      `<atom:link href="https://news.example.kr/reporter/${fx.authorId}/rss" rel="self" type="application/rss+xml"/>`,
    );
    expect(xml).toContain(
      '<title>제어문자 ]]&gt; &lt;script&gt;alert(1)&lt;/script&gt; &amp; “따옴표”</title>',
    );
    expect(xml).toContain(
      `<guid isPermaLink="true">https://news.example.kr/news/${hostile}</guid>`,
    );
    expect(xml).toContain('<pubDate>Tue, 09 Dec 2025 13:50:00 +0900</pubDate>');
    expect(xml).toContain('<dc:creator>김탐나 기자</dc:creator>');
    expect(xml).toContain('<category>정치</category>');
    // eslint-disable-next-line no-control-regex
    expect(xml).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/);
    expect(xml).not.toContain(']]>');
    expect(xml.match(/<item>/g)).toHaveLength(16);
    expect(xml).not.toContain('숨긴 섹션 기사');
  });

  it('lists a tag’s articles by any name, and turns every odd name into a page', async () => {
    const slash = await get('/tag/a%2Fb');
    expect(slash.statusCode).toBe(200);
    expect(slash.body).toContain('<link rel="canonical" href="https://news.example.kr/tag/a%2Fb">');
    expect(slash.body).toContain('제어');
    for (const url of [
      '/tag/100%25',
      '/tag/%EB%9D%84%EC%96%B4%20%EC%93%B4%20%ED%83%9C%EA%B7%B8',
      `/tag/${encodeURIComponent('🍊감귤')}`,
      `/tag/${encodeURIComponent('<b>굵게</b>')}`,
      // Decomposed Hangul (as macOS types it) finds the same tag.
      `/tag/${encodeURIComponent('제주'.normalize('NFD'))}`,
    ]) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(200);
      expect(res.body).toContain('class="section-list"');
    }
    const jeju = (await get('/tag/%EC%A0%9C%EC%A3%BC')).body;
    expect(jeju).toContain('<h1><span class="tag-mark" aria-hidden="true">#</span>제주</h1>');
    expect(jeju).toContain('태그 기사 전체 15건');
    expect(jeju).not.toContain('숨긴 섹션 기사');
    expect(jeju).toMatch(/<span class="teaser-byline"><a href="\/reporter\/\d+">김탐나 기자<\/a>/);

    for (const url of [
      '/tag/%EC%97%86%EB%8A%94',
      `/tag/${'가'.repeat(1000)}`,
      `/tag/${encodeURIComponent('가'.repeat(1000))}`,
      '/tag/%25',
      '/tag/%20',
      '/tag/%00',
      '/tag/%E0%A4%A',
      '/tag/%ZZ',
      '/tag/..%2F..%2Fetc%2Fpasswd',
      `/tag/a%2Fb?page=${'9'.repeat(30)}`,
      '/tag/a%2Fb?page=2',
    ]) {
      const res = await get(url);
      expect([400, 404], url).toContain(res.statusCode);
      expect(res.headers['content-type'], url).toBe('text/html; charset=utf-8');
      expect(res.body, url).toContain('첫 화면으로');
    }
    expect((await get('/tag/%EC%97%86%EB%8A%94')).body).toContain(
      '‘없는’ 태그가 붙은 기사가 없습니다.',
    );
  });

  it('shows a series in order, and 연재 n회 with the previous and next parts on each', async () => {
    const { series, writer } = app.services;
    const [a, b, c] = fx.published as [number, number, number];
    const draft = await writer.createArticle({ sectionId: fx.sections.politics, title: '넷째 회' });
    const id = await series.create(
      { title: '섬의 물', description: '세 차례에 걸쳐 짚습니다.', photoId: fx.photoId },
      null,
    );
    await series.setParts(id, [a, b, draft, c]);
    const page = await get(`/series/${id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<h1 class="series-title">섬의 물</h1>');
    expect(page.body).toContain('총 3회');
    const order = ['정치 기사 1', '정치 기사 2', '정치 기사 3'].map((t) => page.body.indexOf(t));
    expect(order).toEqual([...order].sort((x, y) => x - y));
    expect(page.body).not.toContain('넷째 회');

    const middle = (await get(`/news/${b}`)).body;
    expect(middle).toContain(`<a href="/series/${id}"><strong>연재 2회</strong> 섬의 물</a>`);
    expect(middle).toContain(`<a class="series-prev" href="/news/${a}" rel="prev">`);
    expect(middle).toContain(`<a class="series-next" href="/news/${c}" rel="next">`);
    expect(middle).toContain('<strong aria-current="page">정치 기사 2</strong>');
    expect((await get(`/news/${a}`)).body).toContain('첫 회입니다');

    // A part coming out shows on the series page and on the others' boxes at once.
    await writer.setStatus(draft, 'published', app.clock.now() - 60_000);
    expect((await get(`/series/${id}`)).body).toContain('총 4회');
    expect((await get(`/news/${b}`)).body).toContain(`href="/news/${draft}" rel="next"`);

    for (const url of ['/series/0', '/series/x', '/series/999999', `/series/${id}9999`])
      expect((await get(url)).statusCode, url).toBe(404);
  });

  it('drops a cached list when one of its articles, its byline or its tag changes', async () => {
    const { writer } = app.services;
    const reporter = `/reporter/${fx.authorId}`;
    const tagged = '/tag/a%2Fb';
    const section = '/section/politics';
    for (const url of [reporter, tagged, section]) await get(url);
    const before = (await get(reporter)).headers.etag;
    expect((await get(reporter)).headers.etag).toBe(before);

    const id = await writer.createArticle({
      sectionId: fx.sections.politics,
      title: '방금 나온 기사',
      status: 'published',
      publishedAt: app.clock.now() - 1_000,
      authorIds: [fx.authorId],
      tags: ['a/b'],
    });
    for (const url of [reporter, tagged, section])
      expect((await get(url)).body, url).toContain('방금 나온 기사');
    await writer.updateArticleText(id, { title: '고친 제목' });
    for (const url of [reporter, tagged, `/reporter/${fx.authorId}/rss`])
      expect((await get(url)).body, url).toContain('고친 제목');
    await writer.setStatus(id, 'unpublished');
    for (const url of [reporter, tagged])
      expect((await get(url)).body, url).not.toContain('고친 제목');

    await writer.updateAuthorProfile(fx.authorId, {
      beat: '',
      intro: '',
      identity: { name: '김탐라', title: '객원 기자', email: 'kim@tamnailbo.example' },
    });
    expect((await get(reporter)).body).toContain('김탐라 <span class="profile-title">객원 기자');
    expect((await get(section)).body).toContain('김탐라 객원 기자');
    expect((await get(`/news/${fx.published[0]}`)).body).toContain('김탐라 객원 기자');
  });

  it('redirects old AMP links to the article', async () => {
    const res = await get(`/news/${hostile}/amp`);
    expect(res.statusCode).toBe(301);
    expect(res.headers.location).toBe(`/news/${hostile}`);
    expect((await get('/news/abc/amp')).statusCode).toBe(404);
  });

  it('shows time and reporter in section lists', async () => {
    const html = (await get('/section/society')).body;
    expect(html).toMatch(
      /<span class="teaser-byline"><a href="\/reporter\/\d+">[^<]+<\/a><\/span><time datetime="[^"]+">2025\.12\.0\d \d\d:\d\d<\/time>/,
    );
  });

  it('fills the front page’s rail with 많이 본 뉴스 and 포토뉴스', async () => {
    const now = app.clock.now();
    await app.services.readers.addReadings(
      fx.published.map((id, i) => ({ articleId: id, at: now - HOUR, views: 10 + i })),
    );
    for (let i = 0; i < 6; i++)
      await app.services.writer.createArticle({
        sectionId: fx.sections.politics,
        title: `지난주 사진 기사 ${i + 1}`,
        status: 'published',
        publishedAt: now - (300 + i) * HOUR,
        photoIds: [fx.photoId],
      });
    app.cache.clear();
    const html = (await get('/')).body;
    const rail = html.slice(html.indexOf('<div class="rail">'));
    expect(rail).toContain('많이 본 뉴스');
    expect(rail).toContain('<h2 class="box-title" id="photo-news-title">포토뉴스</h2>');
    expect(rail).toContain('지난주 사진 기사 1');
  });
});
