import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../shared/weighted.ts';
import { compareBodyHtml, compareText, WORD_DIFF_MAX_CHARS } from './revision-diff.ts';

function randomWords(count: number, seed: number): string {
  const random = seededRandom(seed);
  const syllables = '가나다라마바사아자차카타파하제주한라산바다감귤해녀';
  const words: string[] = [];
  for (let i = 0; i < count; i++) {
    let word = '';
    const length = 2 + Math.floor(random() * 3);
    for (let j = 0; j < length; j++)
      word += syllables[Math.floor(random() * syllables.length)] ?? '';
    words.push(word);
  }
  return words.join(' ');
}

describe('revision comparison', () => {
  it('marks changed words in a short text', () => {
    const diff = compareText('제목', '제주 감귤 첫 출하', '제주 한라봉 첫 출하');
    expect(diff.granularity).toBe('words');
    expect(diff.parts.filter((p) => p.kind === 'removed').map((p) => p.text)).toEqual(['감귤']);
    expect(diff.parts.filter((p) => p.kind === 'added').map((p) => p.text)).toEqual(['한라봉']);
  });

  it('keeps paragraphs apart in a body and shows an unchanged body as unchanged', () => {
    const html = '<p>첫 문단입니다.</p><p>둘째 문단입니다.</p>';
    const diff = compareBodyHtml('본문', html, html);
    expect(diff.parts).toEqual([{ kind: 'same', text: '첫 문단입니다.\n\n둘째 문단입니다.' }]);
    const edited = compareBodyHtml('본문', html, `${html}<p>셋째 문단.</p>`);
    const added = edited.parts.filter((p) => p.kind === 'added');
    expect(added.map((p) => p.text)).toEqual(['\n\n셋째 문단.']);
  });

  // Two unrelated 8,000-word bodies took 22.6 s to compare word by word, blocking every
  // reader's page meanwhile.
  it('gives up word by word on two unrelated long bodies and compares paragraphs instead', () => {
    const paragraphs = (seed: number) =>
      Array.from({ length: 80 }, (_, i) => `<p>${randomWords(100, seed * 1000 + i)}</p>`).join('');
    const diff = compareBodyHtml('본문', paragraphs(1), paragraphs(2));
    expect(diff.granularity).not.toBe('words');
    if (diff.granularity === 'paragraphs') {
      expect(diff.parts.some((p) => p.kind === 'removed')).toBe(true);
      expect(diff.parts.some((p) => p.kind === 'added')).toBe(true);
    }
  });

  it('does not compare word by word beyond the size limit, but still finds the edited paragraph', () => {
    const long = Array.from({ length: 400 }, (_, i) => `<p>${i}번 문단 ${randomWords(60, i)}</p>`);
    expect(long.join('').length).toBeGreaterThan(WORD_DIFF_MAX_CHARS);
    const edited = [...long];
    edited[200] = '<p>고친 문단입니다.</p>';
    const diff = compareBodyHtml('본문', long.join(''), edited.join(''));
    expect(diff.granularity).toBe('paragraphs');
    expect(diff.parts.filter((p) => p.kind === 'added')).toEqual([
      { kind: 'added', text: '고친 문단입니다.' },
    ]);
    expect(diff.parts.filter((p) => p.kind === 'removed')).toHaveLength(1);
  });

  it('reports a comparison too large to make instead of making it', () => {
    // Two bodies of 20,001 different one-word paragraphs: more than the paragraph limit.
    const many = (prefix: string) =>
      Array.from({ length: 20_001 }, (_, i) => `<p>${prefix}${i}</p>`).join('');
    const diff = compareBodyHtml('본문', many('가'), many('나'));
    expect(diff.granularity).toBe('too-large');
    expect(diff.parts).toEqual([]);
    expect(diff.afterChars).toBeGreaterThan(100_000);
  });
});
