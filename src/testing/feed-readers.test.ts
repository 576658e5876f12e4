import { describe, expect, it } from 'vitest';
import { assertWellFormed, readFeed, readSitemap } from './feed-readers.ts';

const rss = (title: string) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>t</title><item><title>${title}</title><link>https://x.example/1</link></item></channel></rss>`;
const urlset = (entry: string, ns = 'http://www.sitemaps.org/schemas/sitemap/0.9') =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="${ns}">${entry}</urlset>`;

/** The readers the feed and sitemap tests rely on refuse what a strict reader refuses. */
describe('feed and sitemap readers', () => {
  it('refuses what XML 1.0 does not allow, though rss-parser alone would take it', async () => {
    await expect(readFeed(rss('ok'))).resolves.toMatchObject({ items: [{ title: 'ok' }] });
    for (const bad of ['a\u0001b', 'a\ud800b', 'a ]]> b', 'a & b', 'a < b', '<b>open'])
      await expect(readFeed(rss(bad)), JSON.stringify(bad)).rejects.toThrow();
    expect(() => assertWellFormed('<a><b></a></b>')).toThrow(/line 1/);
  });

  it('checks a sitemap against the protocol', () => {
    const good =
      '<url><loc>https://x.example/1</loc><lastmod>2025-12-09T14:00:00+09:00</lastmod></url>';
    expect(readSitemap(urlset(good)).entries).toHaveLength(1);
    for (const [xml, why] of [
      [urlset(good, 'http://example.com/other'), /default namespace/],
      [urlset('<url><loc>/news/1</loc></url>'), /not an absolute URL/],
      [urlset('<url><lastmod>2025-12-09</lastmod></url>'), /<loc> missing/],
      [urlset('<url><loc>https://x.example/1</loc><lastmod>09.12.2025</lastmod></url>'), /W3C/],
      [
        urlset(
          '<url><loc>https://x.example/1</loc><news:news><news:title>t</news:title></news:news></url>',
        ),
        /news: is not/,
      ],
      ['<?xml version="1.0"?>\n<rss/>', /neither urlset nor sitemapindex/],
    ] as const)
      expect(() => readSitemap(xml), xml).toThrow(why);
  });
});
