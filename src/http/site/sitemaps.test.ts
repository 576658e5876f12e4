import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toKstIso } from '../../shared/kst.ts';
import { createTestApp, type TestApp } from '../../testing/app.ts';
import { seedFixture, type Fixture } from '../../testing/fixtures.ts';
import { readSitemap, SITEMAP_NS, type ParsedSitemap } from '../../testing/feed-readers.ts';
import { parseSitemapFile, sitemapIndexEntries } from './sitemaps.ts';

const HOUR = 60 * 60 * 1000;
const KST = 9 * HOUR;
const SITE = 'https://news.example.kr';
const HOSTILE = '제어\u0001문자 ]]> <script>alert(1)</script> & “따옴표” 🍊 \ud800끝';
/** HOSTILE as a reader gets it: no control character, the lone surrogate gone or U+FFFD. */
const HOSTILE_READ = '제어문자 ]]> <script>alert(1)</script> & “따옴표” 🍊 끝';
/** A tag name with what a URL path and XML both need escaped. */
const TAG = `a/b & "c" <d> 100%?#🍊`;

const locs = (xml: string) => [...xml.matchAll(/<loc>([^<]*)<\/loc>/g)].map((m) => m[1] ?? '');
const path = (loc: string) => loc.replace(SITE, '');

describe('sitemaps over HTTP', () => {
  let app: TestApp;
  let fx: Fixture;
  let edited: number;

  beforeAll(async () => {
    app = await createTestApp();
    fx = await seedFixture(app);
    edited = await app.services.writer.createArticle({
      sectionId: fx.sections.politics,
      title: '11월에 나와 고친 기사',
      status: 'published',
      publishedAt: Date.UTC(2025, 10, 1, 3) - KST,
      updatedAt: Date.UTC(2025, 10, 20, 9) - KST,
      authorIds: [fx.authorId],
      tags: ["a/b & c's", '100%', '제주 여행'],
    });
  });
  afterAll(async () => {
    await app?.close();
  });

  const get = (url: string, headers: Record<string, string> = {}) =>
    app.http.inject({ method: 'GET', url, headers });

  it('robots.txt names the sitemap index and the news sitemap', async () => {
    const res = await get('/robots.txt');
    expect(res.body).toContain(`Sitemap: ${SITE}/sitemap.xml\n`);
    expect(res.body).toContain(`Sitemap: ${SITE}/sitemap-news.xml\n`);
    expect(res.body).toContain('Disallow: /admin/\n');
  });

  it('indexes sections, reporters, tags and every month, newest month first', async () => {
    const res = await get('/sitemap.xml');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/xml; charset=utf-8');
    expect(res.body).toContain(
      '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    );
    expect(locs(res.body).map(path)).toEqual([
      '/sitemaps/sections.xml',
      '/sitemaps/reporters.xml',
      '/sitemaps/tags.xml',
      '/sitemaps/articles-2025-12.xml',
      '/sitemaps/articles-2025-11.xml',
    ]);
    expect(res.body).toContain(
      `<sitemap><loc>${SITE}/sitemaps/articles-2025-11.xml</loc><lastmod>2025-11-20T09:00:00+09:00</lastmod></sitemap>`,
    );
    for (const loc of locs(res.body)) {
      const file = await get(path(loc));
      expect(file.statusCode, loc).toBe(200);
      expect(file.body, loc).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<urlset /);
      expect(file.body.trimEnd().endsWith('</urlset>'), loc).toBe(true);
    }
  });

  it('lists a month’s articles oldest first, lastmod the later of publishing and the last edit', async () => {
    const nov = (await get('/sitemaps/articles-2025-11.xml')).body;
    expect(nov).toContain(
      `<url><loc>${SITE}/news/${edited}</loc><lastmod>2025-11-20T09:00:00+09:00</lastmod></url>`,
    );
    const dec = (await get('/sitemaps/articles-2025-12.xml')).body;
    const ids = locs(dec).map((l) => Number(l.replace(`${SITE}/news/`, '')));
    // Every readable article of the month, the hidden section's too (its page answers).
    expect(ids).toHaveLength(fx.published.length + 1);
    expect(ids).toEqual(expect.arrayContaining(fx.published));
    const article = await app.services.content.article(fx.published[0] ?? 0);
    expect(dec).toContain(
      `<url><loc>${SITE}/news/${article?.id}</loc><lastmod>${toKstIso(Math.max(article?.updatedAt ?? 0, article?.publishedAt ?? 0))}</lastmod></url>`,
    );
  });

  it('streams compressed, answers 304 until an article of the month changes', async () => {
    const plain = await get('/sitemaps/articles-2025-11.xml');
    const etag = String(plain.headers.etag);
    expect(etag).toMatch(/^W\/"/);
    expect(plain.headers.vary).toBe('Accept-Encoding');
    const gz = await get('/sitemaps/articles-2025-11.xml', { 'accept-encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.rawPayload).toString()).toBe(plain.body);
    const br = await get('/sitemaps/articles-2025-11.xml', { 'accept-encoding': 'br, gzip' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(br.rawPayload).toString()).toBe(plain.body);
    expect(
      (await get('/sitemaps/articles-2025-11.xml', { 'if-none-match': etag })).statusCode,
    ).toBe(304);
    app.clock.advance(60_000);
    await app.services.writer.updateArticleText(edited, { title: '11월에 나와 다시 고친 기사' });
    const after = await get('/sitemaps/articles-2025-11.xml', { 'if-none-match': etag });
    expect(after.statusCode).toBe(200);
    expect(after.body).toContain(`<lastmod>${toKstIso(app.clock.now())}</lastmod>`);
  });

  it('refuses what is not a sitemap', async () => {
    for (const url of [
      '/sitemaps/articles-2025-10.xml',
      '/sitemaps/articles-2025-11-2.xml',
      '/sitemaps/articles-2025-11-1.xml',
      '/sitemaps/articles-2025-13.xml',
      '/sitemaps/articles-2099-01.xml',
      '/sitemaps/tags-2.xml',
      '/sitemaps/other.xml',
      '/sitemaps/%2E%2E%2Fetc.xml',
    ]) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(404);
      expect(res.headers['content-type'], url).toBe('text/html; charset=utf-8');
    }
  });

  it('lists the front page and visible sections, bylines and tags with an article out', async () => {
    const sections = locs((await get('/sitemaps/sections.xml')).body).map(path);
    expect(sections).toEqual([
      '/',
      '/section/politics',
      '/section/society',
      '/section/jeju-city',
      '/section/incidents',
      '/section/photo',
    ]);
    const reporters = locs((await get('/sitemaps/reporters.xml')).body).map(path);
    expect(reporters).toEqual([`/reporter/${fx.authorId}`]);
    const tags = (await get('/sitemaps/tags.xml')).body;
    // Percent-encoded as one path segment, then `&` and `'` as entities.
    expect(tags).toContain(`<loc>${SITE}/tag/a%2Fb%20%26%20c&apos;s</loc>`);
    expect(tags).toContain(`<loc>${SITE}/tag/100%25</loc>`);
    expect(tags).toContain(`<loc>${SITE}/tag/%EC%A0%9C%EC%A3%BC%20%EC%97%AC%ED%96%89</loc>`);
    for (const loc of locs(tags)) {
      const page = await get(path(loc).replace(/&apos;/g, "'"));
      expect(page.statusCode, loc).toBe(200);
    }
  });

  it('keeps a Google News sitemap of the last two days, current as articles come and go', async () => {
    const first = await get('/sitemap-news.xml');
    expect(first.headers['content-type']).toBe('application/xml; charset=utf-8');
    const xml = first.body;
    expect(xml).toContain('xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"');
    const now = app.clock.now();
    const dates = [...xml.matchAll(/<news:publication_date>([^<]+)<\/news:publication_date>/g)];
    // The fixture's articles came out 85 to 99 hours ago: none is news any more.
    expect(dates.length).toBeGreaterThan(0);
    for (const id of fx.published) expect(xml).not.toContain(`/news/${id}<`);
    for (const m of dates) {
      const at = Date.parse(m[1] ?? '');
      expect(at).toBeGreaterThan(now - 48 * HOUR);
      expect(at).toBeLessThanOrEqual(now);
    }
    expect(xml).toContain(
      '<news:publication><news:name>탐나일보</news:name><news:language>ko</news:language></news:publication>',
    );
    expect(xml).not.toContain(`/news/${edited}<`);
    // A new article shows at once; an old one leaves when it passes two days.
    const older = await app.services.writer.createArticle({
      sectionId: fx.sections.politics,
      title: '이틀이 다 되어 가는 기사',
      status: 'published',
      publishedAt: now - 40 * HOUR,
    });
    const fresh = await app.services.writer.createArticle({
      sectionId: fx.sections.politics,
      title: '속보 & <따끈한> 기사',
      status: 'published',
      publishedAt: now,
    });
    const withFresh = (await get('/sitemap-news.xml')).body;
    expect(withFresh).toContain(`<loc>${SITE}/news/${fresh}</loc>`);
    expect(withFresh).toContain('<news:title>속보 &amp; &lt;따끈한&gt; 기사</news:title>');
    expect(withFresh).toContain(`<loc>${SITE}/news/${older}</loc>`);
    app.clock.advance(24 * HOUR);
    const later = (await get('/sitemap-news.xml')).body;
    expect(later).not.toContain(`<loc>${SITE}/news/${older}</loc>`);
    expect(later).toContain(`<loc>${SITE}/news/${fresh}</loc>`);
    app.clock.advance(-24 * HOUR);
  });

  it('reads every sitemap robots.txt leads to with fast-xml-parser, by the protocol’s rules', async () => {
    const hostile = await app.services.writer.createArticle({
      sectionId: fx.sections.society,
      title: HOSTILE,
      status: 'published',
      publishedAt: app.clock.now() - 60_000,
      authorIds: [fx.authorId],
      tags: [TAG],
    });
    const robots = (await get('/robots.txt')).body;
    const queue = [...robots.matchAll(/^Sitemap: (.+)$/gm)].map((m) => m[1] ?? '');
    expect(queue).toEqual([`${SITE}/sitemap.xml`, `${SITE}/sitemap-news.xml`]);
    const read = new Map<string, ParsedSitemap>();
    for (let i = 0; i < queue.length; i++) {
      const url = path(queue[i] ?? '');
      const res = await get(url);
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type'], url).toBe('application/xml; charset=utf-8');
      const sitemap = readSitemap(res.body, url);
      read.set(url, sitemap);
      expect(sitemap.entries.length, url).toBeGreaterThan(0);
      expect(sitemap.entries.length, url).toBeLessThanOrEqual(50_000);
      expect(sitemap.bytes, url).toBeLessThanOrEqual(50 * 1024 * 1024);
      // Every address on this site, each once.
      const locs = sitemap.entries.map((e) => e.loc);
      expect(new Set(locs).size, url).toBe(locs.length);
      for (const loc of locs) expect(loc.startsWith(`${SITE}/`), loc).toBe(true);
      if (sitemap.root === 'sitemapindex') {
        // An index lists sitemaps only, never another index.
        expect(url).toBe('/sitemap.xml');
        queue.push(...locs);
      } else
        for (const e of sitemap.entries) {
          // A listed page answers; an article's lastmod is never before it came out.
          const page = await get(path(e.loc));
          expect(page.statusCode, e.loc).toBe(200);
          if (e.lastmod !== null && url.startsWith('/sitemaps/articles-')) {
            const article = await app.services.content.article(Number(e.loc.split('/').pop()));
            expect(Date.parse(e.lastmod), e.loc).toBeGreaterThanOrEqual(
              Math.floor((article?.publishedAt ?? 0) / 1000) * 1000,
            );
          }
        }
    }
    expect([...read.keys()].sort()).toEqual(
      [
        '/sitemap.xml',
        '/sitemap-news.xml',
        '/sitemaps/sections.xml',
        '/sitemaps/reporters.xml',
        '/sitemaps/tags.xml',
        '/sitemaps/articles-2025-12.xml',
        '/sitemaps/articles-2025-11.xml',
      ].sort(),
    );
    // Plain sitemaps declare no extension they do not use.
    for (const [url, sitemap] of read)
      if (url !== '/sitemap-news.xml') expect(sitemap.namespaces, url).toEqual({ '': SITEMAP_NS });

    const news = read.get('/sitemap-news.xml');
    expect(news?.entries.length).toBeLessThanOrEqual(1000);
    const now = app.clock.now();
    for (const e of news?.entries ?? []) {
      expect(e.news?.name, e.loc).toBe('탐나일보');
      expect(e.news?.language, e.loc).toBe('ko');
      const at = Date.parse(e.news?.publicationDate ?? '');
      expect(at, e.loc).toBeGreaterThan(now - 48 * HOUR);
      expect(at, e.loc).toBeLessThanOrEqual(now);
      const article = await app.services.content.article(Number(e.loc.split('/').pop()));
      // The title as stored, less the control characters XML cannot carry.
      // eslint-disable-next-line no-control-regex
      expect(e.news?.title, e.loc).toBe(article?.title.replace(/[\u0000-\u001f]/g, ''));
    }
    const entry = news?.entries.find((e) => e.loc === `${SITE}/news/${hostile}`);
    expect(entry?.news?.title.replace('\ufffd', '')).toBe(HOSTILE_READ);
    const tags = read
      .get('/sitemaps/tags.xml')
      ?.entries.map((e) => decodeURIComponent(e.loc.slice(`${SITE}/tag/`.length)));
    expect(tags).toContain(TAG);
  });
});

describe('sitemap files', () => {
  it('reads file names, one name per file', () => {
    expect(parseSitemapFile('articles-2025-12.xml')).toEqual({
      kind: 'articles',
      year: 2025,
      month: 12,
      part: 1,
    });
    expect(parseSitemapFile('articles-2025-12-3.xml')).toMatchObject({ part: 3 });
    expect(parseSitemapFile('tags-12.xml')).toEqual({ kind: 'tags', part: 12 });
    expect(parseSitemapFile('reporters.xml')).toEqual({ kind: 'reporters', part: 1 });
    for (const bad of [
      'articles-2025-12-1.xml',
      'articles-2025-00.xml',
      'tags-0.xml',
      'tags-01.xml',
    ])
      expect(parseSitemapFile(bad), bad).toBeNull();
  });

  it('splits long months and long lists into numbered parts', () => {
    const month = (key: string, count: number) => ({
      key,
      from: 0,
      to: 1,
      count,
      lastmod: Date.UTC(2025, 0, 1),
    });
    const entries = sitemapIndexEntries(
      SITE,
      {
        months: [month('2025-11', 5), month('2025-12', 7)],
        sections: [{ latest: null }, { latest: 5 }],
        reporters: 0,
        tags: 4,
      },
      { articles: 3, reporters: 3, tags: 3 },
    );
    expect(entries.map((e) => path(e.loc))).toEqual([
      '/sitemaps/sections.xml',
      '/sitemaps/tags.xml',
      '/sitemaps/tags-2.xml',
      '/sitemaps/articles-2025-12.xml',
      '/sitemaps/articles-2025-12-2.xml',
      '/sitemaps/articles-2025-12-3.xml',
      '/sitemaps/articles-2025-11.xml',
      '/sitemaps/articles-2025-11-2.xml',
    ]);
    expect(entries[0]?.lastmod).toBe(5);
  });
});
