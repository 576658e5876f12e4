/// <reference lib="dom" />
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/app.ts';
import { launchChromium } from '../../testing/browser.ts';
import { seedFixture, type Fixture } from '../../testing/fixtures.ts';

/** What XML 1.0 cannot hold, and what breaks naive writers (CDATA ends, markup, emoji). */
const HOSTILE = '속보\u0001 <b>굵게</b> ]]> & "인용" \ud800 🍊\u200d끝\u000b\ufffe';

/**
 * Feeds and sitemaps read by a browser's strict XML parser (Chromium's DOMParser), starting
 * from what a page links: every document well-formed whatever the newsroom typed, with the
 * elements and namespaces readers and crawlers look for. feeds.test.ts and sitemaps.test.ts
 * read them with rss-parser and fast-xml-parser as well.
 */
describe('feeds and sitemaps as strict XML', () => {
  let app: TestApp;
  let fx: Fixture;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    app = await createTestApp();
    fx = await seedFixture(app);
    await app.services.writer.createArticle({
      sectionId: fx.sections.society,
      title: HOSTILE,
      subtitle: HOSTILE,
      bodyHtml: `<p>${HOSTILE.replace(/[<>&]/g, ' ')}</p>`,
      status: 'published',
      publishedAt: app.clock.now() - 60_000,
      authorIds: [fx.authorId],
      featuredPhotoId: fx.photoId,
      tags: [HOSTILE.replace(/[<>]/g, ''), "it's & <b>"],
    });
    await app.http.listen({ host: '127.0.0.1', port: 0 });
    const address = app.http.server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    base = `http://127.0.0.1:${address.port}`;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('parses every feed and sitemap the site links', async () => {
    const page = await browser.newPage();
    await page.goto(`${base}/section/society`);
    const documents = await page.evaluate(async () => {
      const parse = async (url: string) => {
        const text = await (await fetch(url)).text();
        const doc = new DOMParser().parseFromString(text, 'application/xml');
        const error = doc.querySelector('parsererror')?.textContent ?? null;
        const root = doc.documentElement;
        return {
          url,
          error,
          root: root.localName,
          ns: root.namespaceURI,
          doc,
        };
      };
      const alternates = [...document.querySelectorAll('link[rel="alternate"]')].map(
        (l) => new URL(l.getAttribute('href') ?? '').pathname,
      );
      const robots = await (await fetch('/robots.txt')).text();
      const sitemaps = [...robots.matchAll(/^Sitemap: (.+)$/gm)].map(
        (m) => new URL(m[1] ?? '').pathname,
      );
      const out: {
        url: string;
        error: string | null;
        root: string;
        ns: string | null;
        count: number;
        titles: string[];
        extra: string[];
      }[] = [];
      const queue = [...alternates, ...sitemaps];
      for (let i = 0; i < queue.length; i++) {
        const url = queue[i] ?? '';
        const { doc, ...rest } = await parse(url);
        const titles = [...doc.querySelectorAll('item > title, entry > title')].map(
          (t) => t.textContent ?? '',
        );
        let count = doc.querySelectorAll('item, entry, url').length;
        const extra: string[] = [];
        if (rest.root === 'sitemapindex') {
          const locs = [...doc.getElementsByTagName('loc')].map(
            (l) => new URL(l.textContent ?? '').pathname,
          );
          count = locs.length;
          queue.push(...locs);
        }
        if (rest.root === 'rss') {
          const media = doc.getElementsByTagNameNS('http://search.yahoo.com/mrss/', 'content');
          const creators = doc.getElementsByTagNameNS(
            'http://purl.org/dc/elements/1.1/',
            'creator',
          );
          const self = doc.getElementsByTagNameNS('http://www.w3.org/2005/Atom', 'link')[0];
          extra.push(`media:${media.length}`, `creator:${creators.length}`);
          extra.push(`self:${self?.getAttribute('rel') ?? ''}`);
        }
        if (url.endsWith('sitemap-news.xml')) {
          const news = 'http://www.google.com/schemas/sitemap-news/0.9';
          extra.push(
            ...[...doc.getElementsByTagNameNS(news, 'title')].map((t) => t.textContent ?? ''),
          );
          extra.push(
            `language:${doc.getElementsByTagNameNS(news, 'language')[0]?.textContent ?? ''}`,
          );
        }
        if (url.includes('/sitemaps/tags'))
          extra.push(
            ...[...doc.getElementsByTagName('loc')].map((l) =>
              decodeURIComponent(new URL(l.textContent ?? '').pathname),
            ),
          );
        out.push({ ...rest, count, titles, extra });
      }
      return out;
    });
    await page.close();

    const clean = '속보 <b>굵게</b> ]]> & "인용" ';
    const byUrl = new Map(documents.map((d) => [d.url, d]));
    for (const d of documents) {
      expect(d.error, d.url).toBeNull();
      expect(d.count, d.url).toBeGreaterThan(0);
    }
    // The section page links its own feeds and the site's; robots.txt both sitemaps.
    expect([...byUrl.keys()].slice(0, 4)).toEqual([
      `/rss/S1N${fx.sections.society}.xml`,
      `/atom/S1N${fx.sections.society}.xml`,
      '/rss/allArticle.xml',
      '/atom/allArticle.xml',
    ]);
    for (const url of ['/rss/allArticle.xml', `/rss/S1N${fx.sections.society}.xml`]) {
      const rss = byUrl.get(url);
      expect(rss?.root).toBe('rss');
      expect(rss?.titles[0]?.startsWith(clean), url).toBe(true);
      expect(rss?.extra).toContain('self:self');
      expect(rss?.extra.some((e) => /^media:[1-9]/.test(e))).toBe(true);
    }
    const atom = byUrl.get('/atom/allArticle.xml');
    expect(atom?.ns).toBe('http://www.w3.org/2005/Atom');
    expect(atom?.titles[0]?.startsWith(clean)).toBe(true);
    expect(byUrl.get('/sitemap.xml')?.root).toBe('sitemapindex');
    const news = byUrl.get('/sitemap-news.xml');
    expect(news?.extra[0]?.startsWith(clean)).toBe(true);
    expect(news?.extra).toContain('language:ko');
    const tags = documents.find((d) => d.url === '/sitemaps/tags.xml');
    expect(tags?.extra).toContain("/tag/it's & <b>");
    const months = documents.filter((d) => d.url.startsWith('/sitemaps/articles-'));
    expect(months.length).toBeGreaterThan(0);
    for (const m of months) expect(m.root).toBe('urlset');
  });
});
