import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, REFERENCE_NOW, type TestApp } from '../../testing/app.ts';
import { testDialects } from '../../testing/databases.ts';

const DAY = 86_400_000;

describe.each(testDialects)('search page and 관련기사 on %s', (dialect) => {
  let app: TestApp;
  const ids: Record<string, number> = {};
  let reporterId = 0;

  const get = (url: string) => app.http.inject({ method: 'GET', url });
  const q = (text: string) => encodeURIComponent(text);

  beforeAll(async () => {
    app = await createTestApp({ dialect });
    const { writer } = app.services;
    const society = await writer.createSection({ slug: 'society', name: '사회' });
    const culture = await writer.createSection({ slug: 'culture', name: '문화' });
    reporterId = await writer.createAuthor({ name: '강서윤', email: 'kang@example.kr' });
    const other = await writer.createAuthor({ name: '오민재', email: 'oh@example.kr' });
    const add = async (
      key: string,
      sectionId: number,
      title: string,
      body: string,
      tags: string[],
      authorId: number,
      daysAgo: number,
    ) => {
      ids[key] = await writer.createArticle({
        sectionId,
        title,
        bodyHtml: `<p>${body}</p>`,
        tags,
        authorIds: [authorId],
        status: 'published',
        publishedAt: REFERENCE_NOW - daysAgo * DAY,
      });
    };
    await add(
      'festival',
      culture,
      '구좌읍 해녀 축제 개막',
      '해녀들이 물질 시연을 선보였다.',
      ['해녀'],
      reporterId,
      1,
    );
    await add(
      'school',
      society,
      '해녀학교 졸업생 30명 배출',
      '올해 해녀학교가 졸업식을 열었다.',
      ['해녀'],
      other,
      40,
    );
    await add(
      'tangerine',
      society,
      '감귤 가격 폭락',
      '감귤 농가의 시름이 깊다.',
      ['감귤'],
      other,
      2,
    );
  });
  afterAll(async () => {
    await app.close();
  });

  it('has a search box in the masthead of every page, working without JavaScript', async () => {
    for (const url of ['/', `/news/${ids.festival}`, '/section/society', '/search']) {
      const html = (await get(url)).body;
      expect(html).toMatch(
        /<form class="masthead-search" action="\/search" method="get" role="search" aria-label="사이트 검색">/,
      );
      expect(html).toContain('name="q"');
    }
  });

  it('lists hits with section, time, reporter and the matched words marked', async () => {
    const res = await get(`/search?q=${q('해녀들이')}`);
    expect(res.statusCode).toBe(200);
    const html = res.body;
    expect(html).toContain('검색 결과 2건');
    expect(html.indexOf(`/news/${ids.festival}`)).toBeLessThan(html.indexOf(`/news/${ids.school}`));
    expect(html).toContain('<mark>해녀</mark>');
    expect(html).toContain('강서윤 기자');
    expect(html).toContain('2025.12.08 14:00');
    expect(html).toContain('문화');
  });

  it('filters by section, reporter and dates, and sorts by newest', async () => {
    const bySection = (await get(`/search?q=${q('해녀')}&section=society`)).body;
    expect(bySection).toContain('검색 결과 1건');
    expect(bySection).toContain(`/news/${ids.school}`);
    const byReporter = (await get(`/search?q=${q('해녀')}&reporter=${reporterId}`)).body;
    expect(byReporter).toContain(`/news/${ids.festival}`);
    expect(byReporter).not.toContain(`/news/${ids.school}"`);
    const byDate = (await get(`/search?q=${q('해녀')}&from=2025-10-01&to=2025-11-01`)).body;
    expect(byDate).toContain('검색 결과 1건');
    expect(byDate).toContain(`/news/${ids.school}`);
    const newest = (await get(`/search?q=${q('해녀')}&sort=newest`)).body;
    expect(newest).toContain('<strong>최신순</strong>');
  });

  it('says clearly when nothing is found, and when nothing was typed', async () => {
    const none = (await get(`/search?q=${q('잠수함')}`)).body;
    expect(none).toContain('검색 결과가 없습니다');
    const empty = (await get('/search')).body;
    expect(empty).toContain('찾을 낱말을 입력하세요');
  });

  it('never fails on hostile query strings', async () => {
    const urls = [
      '/search?q=%00',
      '/search?q=%22',
      '/search?q=*',
      '/search?q=NEAR(a%20b)',
      '/search?q=a%20AND%20b',
      '/search?q=%5E',
      '/search?q=%3A',
      '/search?q=((((',
      `/search?q=${'%ED%95%B4'.repeat(1000)}`,
      '/search?q=%F0%9F%8D%8A',
      '/search?q=%ED%A0%80',
      '/search?q=%27%3B%20drop%20table%20articles%3B--',
      '/search?q=a&q=b',
      '/search?q[a]=1',
      '/search?q=해녀&page=-1',
      '/search?q=해녀&page=abc',
      '/search?q=해녀&page=99999999999',
      '/search?q=해녀&from=2025-13-45&to=yesterday',
      '/search?q=해녀&from=2025-12-01&to=2025-01-01',
      '/search?q=해녀&section=..%2F..%2Fetc',
      '/search?q=해녀&section=nope',
      '/search?q=해녀&reporter=0',
      '/search?q=해녀&reporter=1%20or%201%3D1',
      '/search?q=해녀&sort=%3Cscript%3E',
    ];
    for (const url of urls) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(200);
      expect(res.body, url).not.toContain('<script>alert');
    }
    const swapped = (await get(`/search?q=${q('해녀')}&from=2025-12-01&to=2025-01-01`)).body;
    expect(swapped).toContain('두 날짜를 바꿔');
    const badDate = (await get(`/search?q=${q('해녀')}&from=2025-13-45`)).body;
    expect(badDate).toContain('시작일은 2026-12-06 형식으로');
  });

  it('escapes what the reader typed', async () => {
    const html = (await get(`/search?q=${q('<img src=x onerror=alert(1)>')}`)).body;
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('shows 관련기사 on the article page and drops them with the related article', async () => {
    const page = (await get(`/news/${ids.festival}`)).body;
    expect(page).toContain('관련기사');
    expect(page).toContain(`href="/news/${ids.school}"`);
    expect(page).not.toContain(`href="/news/${ids.tangerine}"`);
    await app.services.writer.setStatus(ids.school as number, 'unpublished');
    const after = (await get(`/news/${ids.festival}`)).body;
    expect(after).not.toContain(`href="/news/${ids.school}"`);
    await app.services.writer.setStatus(ids.school as number, 'published');
  });
});
