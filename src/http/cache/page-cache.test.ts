import { gunzipSync, brotliDecompressSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { LAYOUT_TAGS, tag } from '../../shared/cache-tags.ts';
import { PageCache } from './page-cache.ts';
import { pickEncoding } from './serve.ts';

const page = (body: string, tags: string[], expiresAt = 1_000_000) => ({
  status: 200,
  body,
  contentType: 'text/html',
  tags,
  expiresAt,
});

describe('PageCache', () => {
  it('stores precompressed bodies with a strong ETag', () => {
    const cache = new PageCache({ maxEntries: 10 });
    const body = '<p>안녕하세요</p>'.repeat(200);
    const entry = cache.set('/', page(body, ['front']), 0, cache.currentGeneration);
    const plain = cache.byteSize;
    expect(entry.gzip).toBeUndefined(); // made when a reader first asks for it
    expect(gunzipSync(cache.encoded(entry, 'gzip') as Buffer).toString()).toBe(body);
    expect(brotliDecompressSync(cache.encoded(entry, 'br') as Buffer).toString()).toBe(body);
    expect(cache.encoded(entry, 'br')).toBe(entry.brotli); // made once
    expect(cache.byteSize).toBe(plain + (entry.gzip?.length ?? 0) + (entry.brotli?.length ?? 0));
    expect(entry.etag).toMatch(/^"[\w-]+"$/);
    expect(cache.get('/', 1)).toBe(entry);
  });

  it('drops entries by tag and leaves others', () => {
    const cache = new PageCache({ maxEntries: 10 });
    cache.set('/news/1', page('a', ['article:1', 'section:2']), 0, cache.currentGeneration);
    cache.set('/news/2', page('b', ['article:2', 'section:3']), 0, cache.currentGeneration);
    cache.set('/', page('c', ['front']), 0, cache.currentGeneration);
    expect(cache.invalidate(['section:2', 'front'])).toBe(2);
    expect(cache.get('/news/1', 1)).toBeUndefined();
    expect(cache.get('/', 1)).toBeUndefined();
    expect(cache.get('/news/2', 1)).toBeDefined();
  });

  it('drops every page by a layout tag, and nothing by an unknown tag such as *', () => {
    const cache = new PageCache({ maxEntries: 10 });
    const pageTags = (...own: string[]) => [...LAYOUT_TAGS, ...own];
    cache.set('/', page('a', pageTags(tag.front)), 0, cache.currentGeneration);
    cache.set('/news/1', page('b', pageTags(tag.article(1))), 0, cache.currentGeneration);
    cache.set('/weather', page('c', pageTags()), 0, cache.currentGeneration);
    expect(cache.invalidate(['*'])).toBe(0);
    expect(cache.size).toBe(3);
    expect(cache.invalidate([tag.banners])).toBe(3);
    expect(cache.size).toBe(0);
    expect(cache.byteSize).toBe(0);
    cache.set('/news/1', page('b', pageTags(tag.article(1))), 0, cache.currentGeneration);
    expect(cache.invalidate([tag.sections, tag.weather])).toBe(1);
    expect(cache.get('/news/1', 1)).toBeUndefined();
  });

  it('expires entries at their expiry time', () => {
    const cache = new PageCache({ maxEntries: 10 });
    cache.set('/', page('a', [], 100), 0, cache.currentGeneration);
    expect(cache.get('/', 99)).toBeDefined();
    expect(cache.get('/', 100)).toBeUndefined();
  });

  it('evicts the least recently used entry beyond its size', () => {
    const cache = new PageCache({ maxEntries: 2 });
    cache.set('a', page('a', []), 0, cache.currentGeneration);
    cache.set('b', page('b', []), 0, cache.currentGeneration);
    cache.get('a', 1);
    cache.set('c', page('c', []), 0, cache.currentGeneration);
    expect(cache.get('b', 1)).toBeUndefined();
    expect(cache.get('a', 1)).toBeDefined();
  });

  it('does not store a page rendered before an invalidation (no stale resurrection)', () => {
    const cache = new PageCache({ maxEntries: 10 });
    const generation = cache.currentGeneration;
    cache.invalidate(['article:1']); // a write lands while the page was rendering
    cache.set('/news/1', page('old', ['article:1']), 0, generation);
    expect(cache.get('/news/1', 1)).toBeUndefined();
  });
});

describe('PageCache brotli', () => {
  it('answers a miss with quick brotli, then keeps a smaller copy', async () => {
    const cache = new PageCache({ maxEntries: 10 });
    const body = Array.from({ length: 400 }, (_, i) => `<p>제주 소식 ${i % 37} 탐나일보</p>`).join(
      '',
    );
    const entry = cache.set('/', page(body, ['front']), 0, cache.currentGeneration);
    const quick = cache.encoded(entry, 'br') as Buffer;
    await new Promise((resolve) => setImmediate(resolve));
    const kept = entry.brotli as Buffer;
    expect(kept).not.toBe(quick);
    expect(kept.length).toBeLessThanOrEqual(quick.length);
    expect(brotliDecompressSync(kept).toString()).toBe(body);
    expect(cache.byteSize).toBe(entry.body.length + kept.length);
  });
});

describe('PageCache memory', () => {
  it('evicts least recently used pages to stay within its byte budget', () => {
    const cache = new PageCache({ maxEntries: 100, maxBytes: 3000, compressMinBytes: 10_000 });
    for (const n of [1, 2, 3]) {
      cache.set(`/news/${n}`, page('가'.repeat(300), []), 0, cache.currentGeneration); // 900 B
    }
    cache.get('/news/1', 1); // now the most recently used
    cache.set('/news/4', page('나'.repeat(300), []), 0, cache.currentGeneration);
    expect(cache.byteSize).toBeLessThanOrEqual(3000);
    expect(cache.get('/news/2', 1)).toBeUndefined();
    expect(cache.get('/news/1', 1)).toBeDefined();
    expect(cache.get('/news/4', 1)).toBeDefined();
    cache.clear();
    expect(cache.byteSize).toBe(0);
  });

  it('keeps each buffer in its own exactly sized block', () => {
    const cache = new PageCache({ maxEntries: 10 });
    const entry = cache.set('/', page('<p>탐나</p>'.repeat(500), []), 0, cache.currentGeneration);
    for (const buf of [entry.body, cache.encoded(entry, 'gzip'), cache.encoded(entry, 'br')]) {
      expect(buf?.buffer.byteLength).toBe(buf?.length);
    }
  });
});

describe('pickEncoding', () => {
  it.each([
    ['gzip, deflate, br', 'br'],
    ['gzip', 'gzip'],
    ['br;q=0, gzip', 'gzip'],
    ['identity', null],
    ['', null],
    [undefined, null],
    ['*', 'gzip'],
  ])('%s -> %s', (header, expected) => {
    expect(pickEncoding(header)).toBe(expected);
  });
});
