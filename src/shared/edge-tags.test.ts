import { describe, expect, it } from 'vitest';
import { edgeTag, kindTag, purgeTagsFor, tagHeaderValue } from './edge-tags.ts';

describe('edge tags', () => {
  it('spells tags with the prefix, hashing anything a CDN could split or fold', () => {
    expect(edgeTag('article:12')).toBe('article:12');
    expect(edgeTag('front', 'jeju-')).toBe('jeju-front');
    expect(edgeTag('Topic:제주, 바다')).toMatch(/^h:[0-9a-z]+$/);
    expect(edgeTag(`section:${'9'.repeat(80)}`)).toMatch(/^h:/);
    expect(edgeTag('Topic:제주, 바다')).toBe(edgeTag('Topic:제주, 바다'));
  });

  it('names each row kind by one tag; one-thing tags have none', () => {
    expect(kindTag('article:12')).toBe('article:any');
    expect(kindTag('topic:3k2x')).toBe('topic:any');
    expect(kindTag('front')).toBeNull();
    expect(kindTag('photo-stories')).toBeNull();
    expect(purgeTagsFor(['article:1', 'article:2', 'front'], 'p-')).toEqual([
      'p-article:1',
      'p-article:any',
      'p-article:2',
      'p-front',
    ]);
  });

  it('keeps a header within its budget and names the kinds it had to cut', () => {
    const tags = [
      'article:1',
      'sections',
      'banners',
      ...Array.from({ length: 600 }, (_, i) => `photo:${i + 1}`),
      ...Array.from({ length: 300 }, (_, i) => `byline:${i + 1}`),
    ];
    const whole = tagHeaderValue(tags.slice(0, 20), { separator: ',' });
    expect(whole.split(',')).toHaveLength(20);
    for (const max of [500, 3000, 16_000]) {
      const value = tagHeaderValue(tags, { separator: ' ', maxBytes: max });
      expect(value.length).toBeLessThanOrEqual(max);
      const kept = value.split(' ');
      expect(kept.slice(0, 3)).toEqual(['article:1', 'sections', 'banners']);
      if (max < 16_000) {
        // Photos were cut; every page with a cut photo tag carries photo:any, which every
        // photo purge names.
        expect(kept).toContain('photo:any');
        expect(kept).toContain('byline:any');
        expect(kept).not.toContain('article:any');
      } else {
        expect(kept).not.toContain('photo:any');
      }
    }
  });
});
