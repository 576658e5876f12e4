import { describe, expect, it } from 'vitest';
import { cutText, htmlToText } from './text.ts';

describe('cutText', () => {
  it('leaves short text alone', () => {
    expect(cutText('제주 감귤 수확 시작', 20)).toBe('제주 감귤 수확 시작');
  });

  it('cuts Hangul at a syllable boundary and adds an ellipsis', () => {
    const cut = cutText('가나다라마바사아자차카타파하', 5);
    expect(cut).toBe('가나다라마…');
  });

  it('never splits an emoji or a combining sequence', () => {
    expect(cutText('👨‍👩‍👧‍👦가족 나들이 👍🏽 좋아요', 3)).toBe('👨‍👩‍👧‍👦가족…');
    // Hangul in decomposed jamo (NFD) is one grapheme per syllable.
    const nfd = '한글날'.normalize('NFD');
    expect(cutText(`${nfd}${nfd}`, 4).normalize('NFC')).toBe('한글날한…');
  });

  it('prefers to end at a space near the limit and collapses whitespace', () => {
    expect(cutText('제주도의회 임시회\n개회   예산안 심사 착수', 14)).toBe(
      '제주도의회 임시회 개회…',
    );
  });
});

describe('htmlToText', () => {
  it('drops tags and figures, decodes entities', () => {
    expect(
      htmlToText(
        '<p>첫 &amp; 문단</p><figure><img src="a"><figcaption>캡션</figcaption></figure><p>둘째&nbsp;문단</p>',
      ),
    ).toBe('첫 & 문단 둘째 문단');
  });
});
