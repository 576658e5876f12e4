import { describe, expect, it } from 'vitest';
import { asciiSlug, romanize, uniqueSlug } from './romanize.ts';

describe('romanize (Revised Romanization)', () => {
  it.each([
    ['정치', 'jeongchi'],
    ['제주', 'jeju'],
    ['경제', 'gyeongje'],
    ['사회', 'sahoe'],
    ['문화', 'munhwa'],
    ['스포츠', 'seupocheu'],
    ['오피니언', 'opinieon'],
    ['지역', 'jiyeok'],
    ['한국어', 'hangugeo'],
    ['신라', 'silla'],
    ['종로', 'jongno'],
    ['국민', 'gungmin'],
    ['읽어', 'ilgeo'],
    ['사건사고', 'sageonsago'],
    ['의회', 'uihoe'],
    ['교육', 'gyoyuk'],
  ])('%s → %s', (hangul, latin) => {
    expect(romanize(hangul)).toBe(latin);
  });

  it('keeps other characters as they are', () => {
    expect(romanize('AI 시대')).toBe('AI sidae');
  });
});

describe('asciiSlug', () => {
  it('makes an address of a Korean name with punctuation', () => {
    expect(asciiSlug('사건/사고/판결')).toBe('sageon-sago-pangyeol');
    expect(asciiSlug('제주 4·3')).toBe('jeju-4-3');
    expect(asciiSlug('K-팝 & 한류')).toBe('k-pap-hallyu');
  });

  it('is empty when nothing readable is left', () => {
    expect(asciiSlug('★☆')).toBe('');
  });

  it('never ends in a hyphen after cutting', () => {
    expect(asciiSlug('가 '.repeat(40), 5)).toBe('ga-ga');
  });
});

describe('uniqueSlug', () => {
  it('adds -2, -3 to a taken address', () => {
    const taken = new Set(['jeju', 'jeju-2']);
    expect(uniqueSlug('jeju', (s) => taken.has(s))).toBe('jeju-3');
    expect(uniqueSlug('jeongchi', (s) => taken.has(s))).toBe('jeongchi');
  });
});
