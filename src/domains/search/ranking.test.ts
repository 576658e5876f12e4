import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest, type DatabaseHandle } from '../../db/index.ts';
import { ManualClock } from '../../shared/clock.ts';
import { freshDatabase, testDialects } from '../../testing/databases.ts';
import { createWriter } from '../content/index.ts';
import { analyzeField, analyzeQuery } from './analyzer.ts';
import { countPhrase, FULL_RANK, rankMatches, termFrequency } from './ranking.ts';

const NOW = Date.parse('2026-12-01T09:00:00+09:00');
const HOUR = 3_600_000;

describe('term frequency, as the index matches', () => {
  const streams = (text: string) => {
    const f = analyzeField(text);
    return { words: f.words, grams: f.grams };
  };

  it('counts consecutive tokens only', () => {
    expect(countPhrase('a b a b c', ['a', 'b'])).toBe(2);
    expect(countPhrase('a c b', ['a', 'b'])).toBe(0);
    // Overlapping occurrences count, and a token is never part of a longer one.
    expect(countPhrase('a a a', ['a', 'a'])).toBe(2);
    expect(countPhrase('ab b ba b', ['b'])).toBe(2);
    expect(countPhrase('해녀들 해녀', ['해녀'])).toBe(1);
    expect(countPhrase('a', [])).toBe(0);
  });

  it('finds a word with its particles, inside compounds by bigrams, and a syllable by prefix', () => {
    const [haenyeo] = analyzeQuery('해녀').terms;
    const text = streams('해녀들이 물질을 했다. 제주해녀축제에는 해녀가 왔다.');
    // 해녀들이 and 해녀가 as words; all three as the bigram 해녀.
    expect(termFrequency(haenyeo!, text)).toEqual({ words: 2, grams: 3 });
    const [island] = analyzeQuery('섬').terms;
    // 섬에 and 섬사(람) as bigrams starting with 섬; only 섬에 as the word 섬.
    expect(termFrequency(island!, streams('섬에 사는 섬사람')).grams).toBe(2);
    expect(termFrequency(island!, streams('섬에 사는 섬사람')).words).toBe(1);
  });
});

describe.each(testDialects)('ranking matches on %s', (dialect) => {
  let handle: DatabaseHandle;
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    handle = await freshDatabase(dialect);
    await migrateToLatest(handle);
    const writer = createWriter({ db: handle.db, clock: new ManualClock(NOW) });
    const section = await writer.createSection({ slug: 'society', name: '사회' });
    const write = async (key: string, title: string, body: string, subtitle = '') => {
      ids[key] = await writer.createArticle({
        sectionId: section,
        title,
        subtitle,
        bodyHtml: `<p>${body}</p>`,
        status: 'published',
        publishedAt: NOW - HOUR,
      });
    };
    await write('title', '해녀 학교 졸업식', '올해 졸업생은 열두 명이다.');
    await write('subtitle', '바다 학교 졸업식', '올해 졸업생은 열두 명이다.', '해녀 학교의 겨울');
    await write('bodyOnce', '마을 소식', '어촌계 총회에서 해녀 이야기가 나왔다.');
    await write('bodyOften', '마을 소식', '해녀 해녀 해녀. 해녀들이 모였다. 해녀가 말했다.');
    await write('neither', '감귤 수확', '감귤 이야기');
  });
  afterAll(async () => {
    await handle.close();
  });

  const rank = async (q: string, keys: string[], terms: number[] | null = null) => {
    const ranked = await rankMatches(
      handle.db,
      analyzeQuery(q),
      keys.map((k) => ({ id: ids[k]!, publishedAt: NOW - HOUR, terms })),
    );
    const keyOf = new Map(keys.map((k) => [ids[k], k]));
    return ranked.sort((a, b) => b.relevance - a.relevance).map((r) => keyOf.get(r.id));
  };

  it('puts the title above the subtitle, and the subtitle above the body', async () => {
    expect(await rank('해녀', ['bodyOnce', 'subtitle', 'title'])).toEqual([
      'title',
      'subtitle',
      'bodyOnce',
    ]);
  });

  it('reads the body of the best matches: more mentions rank higher', async () => {
    expect(await rank('해녀', ['bodyOnce', 'bodyOften'])).toEqual(['bodyOften', 'bodyOnce']);
    expect(FULL_RANK).toBeGreaterThanOrEqual(20);
  });

  it('ranks hits with some of the words by the words they hold', async () => {
    const ranked = await rankMatches(handle.db, analyzeQuery('해녀 감귤'), [
      { id: ids.title!, publishedAt: NOW - HOUR, terms: [0] },
      { id: ids.neither!, publishedAt: NOW - HOUR, terms: [1] },
    ]);
    expect(ranked.map((r) => r.id)).toEqual([ids.title, ids.neither]);
    expect(ranked.every((r) => r.relevance > 0)).toBe(true);
  });
});
