import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toKstIso } from '../../shared/kst.ts';
import { createTestApp, type TestApp } from '../../testing/app.ts';
import { readFeed, type ParsedFeed } from '../../testing/feed-readers.ts';
import { seedFixture, type Fixture } from '../../testing/fixtures.ts';
import { absoluteLinks } from './feeds.ts';

const HOUR = 60 * 60 * 1000;
const SITE = 'https://news.example.kr';
const HOSTILE = '제어\u0001문자 ]]> <script>alert(1)</script> & “따옴표” 🍊 \ud800끝';
/** HOSTILE as a reader gets it: no control character, the lone surrogate gone or U+FFFD. */
const readTitle = (title: string) => title.replace('\ufffd', '');
const HOSTILE_READ = '제어문자 ]]> <script>alert(1)</script> & “따옴표” 🍊 끝';
const RFC822_KST = /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} \+0900$/;

const items = (xml: string) => xml.match(/<item>[\s\S]*?<\/item>/g) ?? [];
const entries = (xml: string) => xml.match(/<entry>[\s\S]*?<\/entry>/g) ?? [];

/** RSS 2.0 and Atom over HTTP: addresses, contents, caching, autodiscovery. */
describe('feeds over HTTP', () => {
  let app: TestApp;
  let fx: Fixture;
  let hostile: number;
  let hostileAt: number;
  let guest: number;

  beforeAll(async () => {
    app = await createTestApp();
    fx = await seedFixture(app);
    // A second byline: an outside writer whose name is hostile too.
    guest = await app.services.writer.createAuthor({
      name: '이한라',
      email: 'lee@tamnailbo.example',
    });
    await app.services.writer.updateAuthorProfile(guest, {
      beat: '',
      intro: '',
      identity: { name: '이"한라 & <b>', title: '객원 기자', email: '' },
    });
    hostileAt = app.clock.now() - 10 * 60_000;
    hostile = await app.services.writer.createArticle({
      sectionId: fx.sections.jejuCity,
      title: HOSTILE,
      bodyHtml: `<p>${HOSTILE.replace(/[<>&]/g, ' ')} <a href="/tag/x">태그</a></p>`,
      status: 'published',
      publishedAt: hostileAt,
      authorIds: [fx.authorId, guest],
      featuredPhotoId: fx.photoId,
    });
  });
  afterAll(async () => {
    await app?.close();
  });

  const get = (url: string, headers: Record<string, string> = {}) =>
    app.http.inject({ method: 'GET', url, headers });

  it('serves the site feed at the address hosted Korean CMSs use, newest first', async () => {
    const res = await get('/rss/allArticle.xml');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/rss+xml; charset=utf-8');
    // One copy for every device: no User-Agent in Vary, so a CDN keeps one.
    expect(res.headers.vary).toBe('Accept-Encoding');
    const xml = res.body;
    expect(xml).toContain(
      `<atom:link href="${SITE}/rss/allArticle.xml" rel="self" type="application/rss+xml"/>`,
    );
    const list = items(xml);
    // Visible sections only: the hidden section's article is not listed.
    expect(list).toHaveLength(fx.published.length + 1);
    expect(xml).not.toContain('숨긴 섹션 기사');
    const first = list[0] ?? '';
    expect(first).toContain(`<link>${SITE}/news/${hostile}</link>`);
    // The database may already have stored the lone surrogate as U+FFFD, which XML allows.
    expect(first).toMatch(
      /<title>제어문자 \]\]&gt; &lt;script&gt;alert\(1\)&lt;\/script&gt; &amp; “따옴표” 🍊 \ufffd?끝<\/title>/u,
    );
    expect(first).toContain('<dc:creator>김탐나 기자</dc:creator>');
    expect(first).toContain('<category>제주시</category>');
    expect(first).toMatch(
      /<pubDate>[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} \+0900<\/pubDate>/,
    );
    expect(first).toContain(
      `<enclosure url="${SITE}/media/fixture/photo.jpg" length="0" type="image/jpeg"/>`,
    );
    expect(first).toContain(
      `<media:content url="${SITE}/media/fixture/photo.jpg" type="image/jpeg" medium="image" width="1200" height="675"><media:description type="plain">제주항 전경</media:description><media:credit>사진=탐나일보</media:credit></media:content>`,
    );
    // Summaries by default: the article is read on the paper's site.
    expect(xml).not.toContain('<content:encoded>');
  });

  it('answers 304 to its ETag and compresses', async () => {
    const first = await get('/rss/allArticle.xml');
    const again = await get('/rss/allArticle.xml', { 'if-none-match': String(first.headers.etag) });
    expect(again.statusCode).toBe(304);
    const gz = await get('/rss/allArticle.xml', { 'accept-encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.rawPayload).toString()).toBe(first.body);
  });

  it('serves Atom with the same items', async () => {
    const res = await get('/atom/allArticle.xml');
    expect(res.headers['content-type']).toBe('application/atom+xml; charset=utf-8');
    const list = entries(res.body);
    expect(list).toHaveLength(fx.published.length + 1);
    expect(list[0]).toContain(`<id>${SITE}/news/${hostile}</id>`);
    expect(list[0]).toContain(
      `<author><name>김탐나 기자</name><uri>${SITE}/reporter/${fx.authorId}</uri></author>`,
    );
    expect(res.body).toContain(
      `<link rel="self" type="application/atom+xml" href="${SITE}/atom/allArticle.xml"/>`,
    );
  });

  it('reads every feed with rss-parser: titles, links, dates, every byline, photo and caption', async () => {
    const read = async (url: string): Promise<ParsedFeed> => {
      const res = await get(url);
      expect(res.statusCode, url).toBe(200);
      return readFeed(res.body, url);
    };
    // Every visible section with the names its feed may carry (its own, its sub-sections').
    const { politics, society, jejuCity, incidents, photo } = fx.sections;
    const sections = [
      { id: politics, names: ['정치'] },
      { id: society, names: ['사회', '제주시'] },
      { id: jejuCity, names: ['제주시'] },
      { id: incidents, names: ['사건/사고/판결'] },
      { id: photo, names: ['와이드포토'] },
    ];
    const urls = [
      '/rss/allArticle.xml',
      '/atom/allArticle.xml',
      ...sections.flatMap((s) => [`/rss/S1N${s.id}.xml`, `/atom/S1N${s.id}.xml`]),
      `/reporter/${fx.authorId}/rss`,
      `/reporter/${guest}/rss`,
    ];
    const feeds = new Map<string, ParsedFeed>();
    for (const url of urls) feeds.set(url, await read(url));
    const articleLink = new RegExp(`^${SITE}/news/\\d+$`);
    for (const [url, feed] of feeds) {
      expect(feed.self, url).toBe(SITE + url);
      expect(feed.format, url).toBe(url.startsWith('/atom/') ? 'atom' : 'rss');
      expect(feed.title, url).toMatch(/^탐나일보|탐나일보$/);
      expect(feed.link, url).toMatch(new RegExp(`^${SITE}/`));
      expect(feed.items.length, url).toBeGreaterThan(0);
      if (feed.format === 'rss') {
        expect(feed.language, url).toBe('ko');
        expect(feed.updated, url).toMatch(RFC822_KST);
      } else expect(feed.updated, url).toMatch(/\+09:00$/);
      let previous = Infinity;
      for (const item of feed.items) {
        const where = `${url} ${item.link}`;
        expect(item.link, where).toMatch(articleLink);
        expect(item.id, where).toBe(item.link);
        expect(item.title, where).not.toBe('');
        expect(item.summary, where).not.toBe('');
        expect(item.authors.length, where).toBeGreaterThan(0);
        expect(item.categories, where).toHaveLength(1);
        if (feed.format === 'rss') expect(item.published, where).toMatch(RFC822_KST);
        else {
          expect(item.published, where).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+09:00$/);
          expect(Date.parse(item.updated ?? ''), where).toBeGreaterThanOrEqual(
            Date.parse(item.published),
          );
          expect(
            item.authorUris.every((u) => u.startsWith(`${SITE}/reporter/`)),
            where,
          ).toBe(true);
        }
        // Newest first.
        const at = Date.parse(item.isoDate);
        expect(at, where).toBeLessThanOrEqual(previous);
        previous = at;
      }
    }

    const guestLabel = '이"한라 & <b> 객원 기자';
    for (const url of ['/rss/allArticle.xml', `/rss/S1N${fx.sections.society}.xml`]) {
      const first = feeds.get(url)?.items[0];
      expect(first?.link, url).toBe(`${SITE}/news/${hostile}`);
      expect(readTitle(first?.title ?? ''), url).toBe(HOSTILE_READ);
      expect(first?.isoDate, url).toBe(new Date(Math.floor(hostileAt / 1000) * 1000).toISOString());
      expect(first?.authors, url).toEqual(['김탐나 기자', guestLabel]);
      expect(first?.categories, url).toEqual(['제주시']);
      expect(first?.enclosure, url).toEqual({
        url: `${SITE}/media/fixture/photo.jpg`,
        type: 'image/jpeg',
        length: '0',
      });
      expect(first?.media, url).toEqual([
        {
          url: `${SITE}/media/fixture/photo.jpg`,
          type: 'image/jpeg',
          medium: 'image',
          width: 1200,
          height: 675,
          description: '제주항 전경',
          credit: '사진=탐나일보',
        },
      ]);
      // Summaries by default.
      expect(first?.contentHtml, url).toBeNull();
    }
    const atom = feeds.get('/atom/allArticle.xml')?.items ?? [];
    const rss = feeds.get('/rss/allArticle.xml')?.items ?? [];
    expect(atom.map((i) => i.link)).toEqual(rss.map((i) => i.link));
    expect(readTitle(atom[0]?.title ?? '')).toBe(HOSTILE_READ);
    expect(atom[0]?.published).toBe(toKstIso(hostileAt));
    expect(atom[0]?.authors).toEqual(['김탐나 기자', guestLabel]);
    expect(atom[0]?.authorUris).toEqual([
      `${SITE}/reporter/${fx.authorId}`,
      `${SITE}/reporter/${guest}`,
    ]);
    expect(atom[0]?.enclosure).toEqual({
      url: `${SITE}/media/fixture/photo.jpg`,
      type: 'image/jpeg',
      length: null,
    });

    // A section feed holds the section and its sub-sections only; a 기자 feed that byline's.
    for (const s of sections) {
      const items = feeds.get(`/rss/S1N${s.id}.xml`)?.items ?? [];
      expect(new Set(items.map((i) => i.categories[0])), s.names[0]).toEqual(new Set(s.names));
    }
    expect(feeds.get(`/reporter/${guest}/rss`)?.items.map((i) => i.link)).toEqual([
      `${SITE}/news/${hostile}`,
    ]);
    for (const item of feeds.get(`/reporter/${fx.authorId}/rss`)?.items ?? [])
      expect(item.authors).toContain('김탐나 기자');
  });

  it('serves each section with its sub-sections by number, and redirects readable aliases', async () => {
    const society = await get(`/rss/S1N${fx.sections.society}.xml`);
    expect(society.statusCode).toBe(200);
    const list = items(society.body);
    expect(list.some((i) => i.includes('<category>제주시</category>'))).toBe(true);
    expect(list.every((i) => /<category>(사회|제주시)<\/category>/.test(i))).toBe(true);
    expect(society.body).toContain(`<link>${SITE}/section/society</link>`);
    expect((await get(`/atom/S1N${fx.sections.society}.xml`)).statusCode).toBe(200);
    for (const [from, to] of [
      ['/feed', '/rss/allArticle.xml'],
      ['/section/society/feed', `/rss/S1N${fx.sections.society}.xml`],
      ['/rss/society.xml', `/rss/S1N${fx.sections.society}.xml`],
      ['/atom/jeju-city.xml', `/atom/S1N${fx.sections.jejuCity}.xml`],
    ] as const) {
      const res = await get(from);
      expect(res.statusCode, from).toBe(301);
      expect(res.headers.location, from).toBe(to);
    }
    for (const url of [
      `/rss/S1N${fx.sections.hidden}.xml`,
      '/rss/S1N999999.xml',
      '/rss/archive.xml',
      '/rss/nope.xml',
      '/rss/S1N0.xml',
      '/atom/..%2Fetc.xml',
      '/section/archive/feed',
    ]) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(404);
      expect(res.headers['content-type'], url).toBe('text/html; charset=utf-8');
    }
  });

  it('puts a correction in the item and refreshes the cached feeds when it is added', async () => {
    const editor = await app.database.db
      .insertInto('users')
      .values({
        email: 'desk@tamnailbo.example',
        name: '오데스크',
        role: 'desk',
        password_hash: 'x',
        must_change_password: 0,
        totp_enabled: 0,
        disabled: 0,
        created_at: app.clock.now(),
        updated_at: app.clock.now(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const site = await get('/rss/allArticle.xml');
    const section = await get(`/rss/S1N${fx.sections.society}.xml`);
    await app.services.desk.addNotice(
      { id: editor.id, role: 'desk', name: '오데스크' },
      hostile,
      'correction',
      '기사 제목의 <숫자>를 바로잡습니다.',
    );
    for (const [url, before] of [
      ['/rss/allArticle.xml', site],
      [`/rss/S1N${fx.sections.society}.xml`, section],
    ] as const) {
      const after = await get(url);
      expect(after.headers.etag).not.toBe(before.headers.etag);
      expect(items(after.body)[0]).toMatch(
        /<description>\[정정보도 \d{4}\.\d{2}\.\d{2} \d{2}:\d{2}\] 기사 제목의 &lt;숫자&gt;를 바로잡습니다\.\n\n/,
      );
    }
  });

  it('lists a newly published article at once', async () => {
    await get('/rss/allArticle.xml');
    const id = await app.services.writer.createArticle({
      sectionId: fx.sections.politics,
      title: '방금 나온 기사',
      status: 'published',
      publishedAt: app.clock.now(),
      authorIds: [fx.authorId],
    });
    expect(items((await get('/rss/allArticle.xml')).body)[0]).toContain(`/news/${id}</link>`);
  });

  it('links the site feed from every page, and the section feed from section and article pages', async () => {
    const siteLinks = [
      `<link rel="alternate" type="application/rss+xml" title="탐나일보 전체기사" href="${SITE}/rss/allArticle.xml">`,
      `<link rel="alternate" type="application/atom+xml" title="탐나일보 전체기사 (Atom)" href="${SITE}/atom/allArticle.xml">`,
    ];
    for (const url of ['/', '/section/society', `/news/${hostile}`, `/tag/제주`, '/weather']) {
      const html = (await get(encodeURI(url))).body;
      for (const link of siteLinks) expect(html, url).toContain(link);
    }
    expect((await get('/section/society')).body).toContain(
      `<link rel="alternate" type="application/rss+xml" title="탐나일보 사회" href="${SITE}/rss/S1N${fx.sections.society}.xml">`,
    );
    expect((await get(`/news/${hostile}`)).body).toContain(
      `<link rel="alternate" type="application/rss+xml" title="탐나일보 제주시" href="${SITE}/rss/S1N${fx.sections.jejuCity}.xml">`,
    );
  });

  it('keeps the 기자 feed on the same writer, with photos and every byline', async () => {
    const res = await get(`/reporter/${fx.authorId}/rss`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('xmlns:media="http://search.yahoo.com/mrss/"');
    expect(items(res.body)[0]).toContain('<dc:creator>김탐나 기자</dc:creator>');
  });

  it('makes links in full text absolute', () => {
    expect(
      absoluteLinks(
        '<p><a href="/tag/x">x</a> <a href="//cdn.example/y">y</a> <img src="/media/a.jpg" srcset="/media/a-320.webp 320w, /media/a-640.webp 640w"></p>',
        SITE,
      ),
    ).toBe(
      `<p><a href="${SITE}/tag/x">x</a> <a href="//cdn.example/y">y</a> <img src="${SITE}/media/a.jpg" srcset="${SITE}/media/a-320.webp 320w, ${SITE}/media/a-640.webp 640w"></p>`,
    );
  });
});

describe('full-text feeds (TAMNA_FEED_FULL_TEXT=true)', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await createTestApp({ env: { TAMNA_FEED_FULL_TEXT: 'true' } });
    await seedFixture(app, { articlesPerSection: 1 });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('carries the whole body, with absolute links, in RSS and Atom', async () => {
    const id = await app.services.writer.createArticle({
      sectionId: (await app.services.content.navigation())[0]?.id ?? 1,
      title: '전문 기사',
      bodyHtml: '<p>첫 문단 <a href="/tag/제주">제주</a></p><p>둘째 문단 ]]&gt;</p>',
      status: 'published',
      publishedAt: app.clock.now() - HOUR / 2,
    });
    const rss = (await app.http.inject({ url: '/rss/allArticle.xml' })).body;
    const item = items(rss)[0] ?? '';
    expect(item).toContain(`<link>${SITE}/news/${id}</link>`);
    expect(item).toContain(
      `<content:encoded>&lt;p&gt;첫 문단 &lt;a href=&quot;${SITE}/tag/제주&quot;&gt;제주&lt;/a&gt;&lt;/p&gt;&lt;p&gt;둘째 문단 ]]&amp;gt;&lt;/p&gt;</content:encoded>`,
    );
    const atom = (await app.http.inject({ url: '/atom/allArticle.xml' })).body;
    expect(entries(atom)[0]).toContain('<content type="html">&lt;p&gt;첫 문단');
    // What a feed reader gets: the same HTML from both, the `]]>` in the text intact.
    const html = `<p>첫 문단 <a href="${SITE}/tag/제주">제주</a></p><p>둘째 문단 ]]&gt;</p>`;
    for (const [xml, what] of [
      [rss, 'rss'],
      [atom, 'atom'],
    ] as const) {
      const first = (await readFeed(xml, what)).items[0];
      expect(first?.link, what).toBe(`${SITE}/news/${id}`);
      expect(first?.contentHtml, what).toBe(html);
      expect(first?.summary, what).toBe('첫 문단 제주 둘째 문단 ]]>');
    }
  });
});
