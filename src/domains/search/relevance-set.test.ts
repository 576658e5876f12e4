import { describe, expect, it } from 'vitest';
import {
  loadRelevanceSet,
  queryKinds,
  type RelevanceArticle,
} from '../../testing/relevance-set.ts';

const set = loadRelevanceSet();
const byKey = new Map(set.articles.map((a) => [a.key, a]));
const hangul = /[\uac00-\ud7a3]/;

/** What a search indexes, NFKC-folded and without whitespace, so split and joined forms match. */
function squeezed(article: RelevanceArticle): string {
  return [article.title, article.subtitle, article.body, ...article.tags]
    .join('')
    .normalize('NFKC')
    .replace(/\s+/g, '');
}

describe('search relevance set', () => {
  it('has at least 220 articles with unique keys and Korean titles and bodies', () => {
    expect(set.articles.length).toBeGreaterThanOrEqual(220);
    expect(byKey.size).toBe(set.articles.length);
    for (const a of set.articles) {
      expect(a.title.trim(), a.key).not.toBe('');
      expect(a.title, a.key).toMatch(hangul);
      expect(a.body, a.key).toMatch(hangul);
      const paragraphs = a.body.split('\n\n');
      expect(paragraphs.length, a.key).toBeGreaterThanOrEqual(2);
      expect(paragraphs.length, a.key).toBeLessThanOrEqual(3);
      for (const p of paragraphs) expect(p.trim(), a.key).not.toBe('');
    }
  });

  it('dates every article in KST between 2024 and 2026', () => {
    const kst = /^(2024|2025|2026)-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+09:00$/;
    const years = new Set<string>();
    for (const a of set.articles) {
      expect(a.publishedAt, a.key).toMatch(kst);
      const time = Date.parse(a.publishedAt);
      expect(Number.isNaN(time), a.key).toBe(false);
      // Round-trip through the KST wall clock so 2025-02-30 and 25:00 are rejected.
      const wall = new Date(time + 9 * 3600 * 1000).toISOString().slice(0, 19);
      expect(`${wall}+09:00`, a.key).toBe(a.publishedAt);
      years.add(a.publishedAt.slice(0, 4));
    }
    expect([...years].sort()).toEqual(['2024', '2025', '2026']);
  });

  it('uses every section', () => {
    expect(new Set(set.articles.map((a) => a.section)).size).toBe(10);
  });

  it('has at least 50 queries, 40 distinct strings, and every kind', () => {
    expect(set.queries.length).toBeGreaterThanOrEqual(50);
    expect(new Set(set.queries.map((q) => q.q)).size).toBeGreaterThanOrEqual(40);
    expect(new Set(set.queries.map((q) => q.kind))).toEqual(new Set(queryKinds));
  });

  it('points every query at existing articles, each listed once', () => {
    for (const q of set.queries) {
      expect(new Set(q.relevant).size, q.q).toBe(q.relevant.length);
      for (const key of q.relevant) expect(byKey.has(key), `${q.q}: ${key}`).toBe(true);
    }
  });

  it('gives every query a relevant article that contains its words', () => {
    // Particles and endings vary, so compare each query word by its stem: the whole of a
    // Latin or numeric word, else its first two syllables (one for one-syllable queries).
    // Both sides are NFKC-folded first, as the analyzer does (㎏ -> kg, Ｕ -> U).
    for (const q of set.queries) {
      const stems = q.q
        .normalize('NFKC')
        .split(/\s+/)
        .map((word) => (/^[\p{L}]*[A-Za-z0-9]/u.test(word) ? word : word.slice(0, 2)));
      const found = q.relevant.some((key) => {
        const text = squeezed(byKey.get(key)!);
        return stems.every((stem) => text.includes(stem));
      });
      expect(found, q.q).toBe(true);
    }
  });
});
