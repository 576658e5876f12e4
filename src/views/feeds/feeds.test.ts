import { describe, expect, it } from 'vitest';
import { readFeed, readSitemap } from '../../testing/feed-readers.ts';
import { renderAtom } from './atom.ts';
import type { FeedChannel, FeedItem } from './model.ts';
import { renderRss } from './rss.ts';
import {
  renderNewsSitemap,
  renderSitemap,
  renderSitemapIndex,
  SITEMAP_MAX_BYTES,
  SITEMAP_MAX_URLS,
  sitemapUrl,
  sitemapUrlMaxBytes,
  urlsPerSitemap,
} from './sitemap.ts';
import { rfc822Kst, xmlText } from './xml.ts';

const T = Date.UTC(2025, 11, 9, 5); // 2025-12-09 14:00 KST

/** Every text a newsroom could type or import that XML cannot hold as it is. */
const HOSTILE =
  '속보\u0001 <b>굵게</b> ]]> & "인용" \'따옴\' \u0000끝\u000b 🍊 \ud800 \udc00 \ufffe';
const HOSTILE_CLEAN = '속보 <b>굵게</b> ]]> & "인용" \'따옴\' 끝 🍊   ';

function item(overrides: Partial<FeedItem> = {}): FeedItem {
  return {
    title: 'A & B',
    link: 'https://news.example.kr/news/3',
    summary: '요약',
    publishedAt: T,
    updatedAt: T + 3_600_000,
    category: '정치',
    authors: [
      { label: '김탐나 기자', url: 'https://news.example.kr/reporter/1' },
      { label: '이한라 객원 기자', url: 'https://news.example.kr/reporter/2' },
    ],
    ...overrides,
  };
}

function channel(items: FeedItem[]): FeedChannel {
  return {
    title: '탐나일보',
    link: 'https://news.example.kr/',
    self: 'https://news.example.kr/rss/allArticle.xml',
    description: '탐나일보 전체기사',
    updatedAt: T,
    publisher: '탐나일보',
    logo: 'https://news.example.kr/image/logo.png',
    items,
  };
}

/** Text and attribute values of the document, with entities read back. */
function unescape(xml: string): string {
  return xml
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

/** Nothing XML 1.0 refuses: no raw `<`/`&` in text, no forbidden characters. */
function expectWellFormedText(xml: string): void {
  // eslint-disable-next-line no-control-regex
  expect(xml).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/);
  expect(xml).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/);
  expect(xml).not.toMatch(/&(?!(amp|lt|gt|quot|apos);)/);
  expect(xml).not.toContain('<b>');
  expect(xml).not.toContain(']]>');
}

describe('XML text', () => {
  it('keeps only characters XML 1.0 allows, escaped', () => {
    expect(xmlText('a\u0000b\u0008c\u000bd\u001fe\ufffef\uffff')).toBe('abcdef');
    expect(xmlText('줄\n바꿈\t탭\r')).toBe('줄\n바꿈\t탭\r');
    // A lone half of a surrogate pair goes; a whole pair (an emoji) stays.
    expect(xmlText('x\ud800y\udc00z🍊')).toBe('xyz🍊');
    expect(xmlText(`]]> <a href="x">'&amp;'</a>`)).toBe(
      ']]&gt; &lt;a href=&quot;x&quot;&gt;&apos;&amp;amp;&apos;&lt;/a&gt;',
    );
  });

  it('dates RSS items in RFC 822 with the Korean offset', () => {
    // 2025-12-09 05:00:07 UTC is 14:00:07 on Tuesday in Korea.
    expect(rfc822Kst(Date.UTC(2025, 11, 9, 5, 0, 7))).toBe('Tue, 09 Dec 2025 14:00:07 +0900');
    // 23:30 UTC on Dec 31 is already New Year's Day, a Thursday, in Korea.
    expect(rfc822Kst(Date.UTC(2025, 11, 31, 23, 30))).toBe('Thu, 01 Jan 2026 08:30:00 +0900');
  });
});

describe('RSS 2.0', () => {
  it('writes the channel with its namespaces, self link, logo and items', () => {
    const xml = renderRss(channel([item()]));
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<rss version="2.0" /);
    for (const ns of [
      'xmlns:atom="http://www.w3.org/2005/Atom"',
      'xmlns:dc="http://purl.org/dc/elements/1.1/"',
      'xmlns:content="http://purl.org/rss/1.0/modules/content/"',
      'xmlns:media="http://search.yahoo.com/mrss/"',
    ])
      expect(xml).toContain(ns);
    expect(xml).toContain(
      '<atom:link href="https://news.example.kr/rss/allArticle.xml" rel="self" type="application/rss+xml"/>',
    );
    expect(xml).toContain('<language>ko</language>');
    expect(xml).toContain('<lastBuildDate>Tue, 09 Dec 2025 14:00:00 +0900</lastBuildDate>');
    expect(xml).toContain('<image><url>https://news.example.kr/image/logo.png</url>');
    expect(xml).toContain(
      '<item><title>A &amp; B</title><link>https://news.example.kr/news/3</link><guid isPermaLink="true">https://news.example.kr/news/3</guid><pubDate>Tue, 09 Dec 2025 14:00:00 +0900</pubDate><dc:creator>김탐나 기자</dc:creator><dc:creator>이한라 객원 기자</dc:creator><category>정치</category><description>요약</description></item>',
    );
  });

  it('carries the featured photo as enclosure and media:content, and full text when given', () => {
    const xml = renderRss(
      channel([
        item({
          contentHtml: '<p>본문 <a href="https://news.example.kr/tag/x">링크</a></p>',
          photo: {
            url: 'https://news.example.kr/media/a.jpg',
            type: 'image/jpeg',
            width: 1600,
            height: 900,
            caption: '제주항 & 배',
            credit: '사진=탐나일보',
          },
        }),
      ]),
    );
    expect(xml).toContain(
      '<enclosure url="https://news.example.kr/media/a.jpg" length="0" type="image/jpeg"/>',
    );
    expect(xml).toContain(
      '<media:content url="https://news.example.kr/media/a.jpg" type="image/jpeg" medium="image" width="1600" height="900"><media:description type="plain">제주항 &amp; 배</media:description><media:credit>사진=탐나일보</media:credit></media:content>',
    );
    expect(xml).toContain(
      '<content:encoded>&lt;p&gt;본문 &lt;a href=&quot;https://news.example.kr/tag/x&quot;&gt;링크&lt;/a&gt;&lt;/p&gt;</content:encoded>',
    );
  });

  it('puts corrections ahead of the summary and the full text', () => {
    const xml = renderRss(
      channel([
        item({
          contentHtml: '<p>본문</p>',
          notices: [{ label: '정정보도', body: '제목의 <숫자>를 바로잡습니다.', at: T }],
        }),
      ]),
    );
    expect(xml).toContain(
      '<description>[정정보도 2025.12.09 14:00] 제목의 &lt;숫자&gt;를 바로잡습니다.\n\n요약</description>',
    );
    expect(unescape(xml)).toContain(
      '<aside class="notices"><p class="notice"><strong>정정보도</strong> (2025.12.09 14:00) 제목의 &lt;숫자&gt;를 바로잡습니다.</p></aside><p>본문</p>',
    );
  });

  it('stays well-formed whatever the title, summary, body, caption or byline holds', async () => {
    const xml = renderRss(
      channel([
        item({
          title: HOSTILE,
          summary: HOSTILE,
          contentHtml: `<p>${HOSTILE}</p>`,
          category: HOSTILE,
          authors: [{ label: HOSTILE, url: 'https://news.example.kr/reporter/1?a=1&b=2' }],
          photo: {
            url: 'https://news.example.kr/media/a.jpg?x=1&y="2"',
            type: 'image/png',
            width: 10,
            height: 10,
            caption: HOSTILE,
            credit: HOSTILE,
          },
          notices: [{ label: '정정보도', body: HOSTILE, at: T }],
        }),
      ]),
    );
    expectWellFormedText(xml);
    expect(unescape(xml)).toContain(`<title>${HOSTILE_CLEAN}</title>`);
    expect(xml).toContain('url="https://news.example.kr/media/a.jpg?x=1&amp;y=&quot;2&quot;"');
    // And as a feed reader reads it: every text back as written, less what XML cannot hold.
    const read = (await readFeed(xml)).items[0];
    expect(read?.title).toBe(HOSTILE_CLEAN);
    expect(read?.authors).toEqual([HOSTILE_CLEAN]);
    expect(read?.categories).toEqual([HOSTILE_CLEAN]);
    expect(read?.summary).toBe(`[정정보도 2025.12.09 14:00] ${HOSTILE_CLEAN}\n\n${HOSTILE_CLEAN}`);
    expect(read?.contentHtml).toContain(`<p>${HOSTILE_CLEAN}</p>`);
    expect(read?.media).toEqual([
      {
        url: 'https://news.example.kr/media/a.jpg?x=1&y="2"',
        type: 'image/png',
        medium: 'image',
        width: 10,
        height: 10,
        description: HOSTILE_CLEAN,
        credit: HOSTILE_CLEAN,
      },
    ]);
  });
});

describe('Atom', () => {
  it('writes a feed with ids, both times, every author and the enclosure', () => {
    const xml = renderAtom(
      channel([
        item({
          photo: {
            url: 'https://news.example.kr/media/a.png',
            type: 'image/png',
            width: 10,
            height: 10,
            caption: '',
            credit: '',
          },
        }),
      ]),
    );
    expect(xml).toContain('<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="ko">');
    expect(xml).toContain('<id>https://news.example.kr/rss/allArticle.xml</id>');
    expect(xml).toContain('<updated>2025-12-09T14:00:00+09:00</updated>');
    expect(xml).toContain('<author><name>탐나일보</name></author>');
    expect(xml).toContain(
      '<entry><id>https://news.example.kr/news/3</id><title type="text">A &amp; B</title><link rel="alternate" type="text/html" href="https://news.example.kr/news/3"/><published>2025-12-09T14:00:00+09:00</published><updated>2025-12-09T15:00:00+09:00</updated><author><name>김탐나 기자</name><uri>https://news.example.kr/reporter/1</uri></author><author><name>이한라 객원 기자</name><uri>https://news.example.kr/reporter/2</uri></author>',
    );
    expect(xml).toContain(
      '<link rel="enclosure" type="image/png" href="https://news.example.kr/media/a.png"/>',
    );
    expect(xml).not.toContain('<content');
  });

  it('never dates an entry updated before it was published', () => {
    const xml = renderAtom(channel([item({ updatedAt: T - 86_400_000 })]));
    expect(xml).toContain(
      '<published>2025-12-09T14:00:00+09:00</published><updated>2025-12-09T14:00:00+09:00</updated>',
    );
  });

  it('stays well-formed whatever the texts hold', async () => {
    const xml = renderAtom(
      channel([
        item({
          title: HOSTILE,
          summary: HOSTILE,
          contentHtml: `<p>${HOSTILE}</p>`,
          authors: [{ label: HOSTILE, url: 'https://news.example.kr/reporter/1?a=1&b=2' }],
        }),
      ]),
    );
    expectWellFormedText(xml);
    const read = (await readFeed(xml)).items[0];
    expect(read?.title).toBe(HOSTILE_CLEAN);
    expect(read?.summary).toBe(HOSTILE_CLEAN);
    expect(read?.contentHtml).toBe(`<p>${HOSTILE_CLEAN}</p>`);
    expect(read?.authors).toEqual([HOSTILE_CLEAN]);
    expect(read?.authorUris).toEqual(['https://news.example.kr/reporter/1?a=1&b=2']);
  });
});

describe('sitemaps', () => {
  it('escapes locations and dates lastmod with +09:00', () => {
    expect(sitemapUrl("https://news.example.kr/tag/%EC%A0%9C%EC%A3%BC?a=1&b='2'", T)).toBe(
      '<url><loc>https://news.example.kr/tag/%EC%A0%9C%EC%A3%BC?a=1&amp;b=&apos;2&apos;</loc><lastmod>2025-12-09T14:00:00+09:00</lastmod></url>\n',
    );
    expect(sitemapUrl('https://news.example.kr/reporter/1')).toBe(
      '<url><loc>https://news.example.kr/reporter/1</loc></url>\n',
    );
  });

  it('fits at most 50,000 URLs and 50 MB in a file, fewer when entries are long', () => {
    const short = sitemapUrlMaxBytes('https://news.example.kr/news/9999999999999999');
    expect(urlsPerSitemap(short)).toBe(SITEMAP_MAX_URLS);
    const long = sitemapUrlMaxBytes(`https://news.example.kr/tag/${'%F0%9F%98%80'.repeat(60)}`);
    const per = urlsPerSitemap(long * 2);
    expect(per).toBeLessThan(SITEMAP_MAX_URLS);
    // The worst case: every entry as long as it can be, every character escaped.
    expect(per * long * 2).toBeLessThanOrEqual(SITEMAP_MAX_BYTES);
    const full = renderSitemap(
      Array.from({ length: 3 }, (_, i) => ({ loc: `https://news.example.kr/news/${i}` })),
    );
    expect(full.match(/<url>/g)).toHaveLength(3);
    expect(full).toContain('<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">');
    const read = readSitemap(
      renderSitemap([{ loc: "https://news.example.kr/tag/a?b=1&c='2'", lastmod: T }]),
    );
    expect(read.root).toBe('urlset');
    expect(read.entries).toEqual([
      {
        loc: "https://news.example.kr/tag/a?b=1&c='2'",
        lastmod: '2025-12-09T14:00:00+09:00',
        news: null,
        images: [],
      },
    ]);
  });

  it('writes an index of sitemaps', () => {
    const xml = renderSitemapIndex([
      { loc: 'https://news.example.kr/sitemaps/articles-2025-12.xml', lastmod: T },
      { loc: 'https://news.example.kr/sitemaps/tags.xml' },
    ]);
    expect(xml).toContain('<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">');
    expect(xml).toContain(
      '<sitemap><loc>https://news.example.kr/sitemaps/articles-2025-12.xml</loc><lastmod>2025-12-09T14:00:00+09:00</lastmod></sitemap>',
    );
    expect(xml).toContain(
      '<sitemap><loc>https://news.example.kr/sitemaps/tags.xml</loc></sitemap>',
    );
    expect(readSitemap(xml)).toMatchObject({
      root: 'sitemapindex',
      entries: [
        {
          loc: 'https://news.example.kr/sitemaps/articles-2025-12.xml',
          lastmod: '2025-12-09T14:00:00+09:00',
        },
        { loc: 'https://news.example.kr/sitemaps/tags.xml', lastmod: null },
      ],
    });
  });

  it('writes the Google News sitemap with publication, language, date and title', () => {
    const xml = renderNewsSitemap('탐나 & 일보', [
      { loc: 'https://news.example.kr/news/7', title: HOSTILE, publishedAt: T, updatedAt: T - 1 },
    ]);
    expect(xml).toContain('xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"');
    expect(xml).toContain(
      '<url><loc>https://news.example.kr/news/7</loc><lastmod>2025-12-09T14:00:00+09:00</lastmod><news:news><news:publication><news:name>탐나 &amp; 일보</news:name><news:language>ko</news:language></news:publication><news:publication_date>2025-12-09T14:00:00+09:00</news:publication_date><news:title>',
    );
    expectWellFormedText(xml);
    const read = readSitemap(xml);
    expect(read.namespaces.news).toBe('http://www.google.com/schemas/sitemap-news/0.9');
    expect(read.entries).toEqual([
      {
        loc: 'https://news.example.kr/news/7',
        lastmod: '2025-12-09T14:00:00+09:00',
        news: {
          name: '탐나 & 일보',
          language: 'ko',
          publicationDate: '2025-12-09T14:00:00+09:00',
          title: HOSTILE_CLEAN,
        },
        images: [],
      },
    ]);
  });
});
