import { describe, expect, it } from 'vitest';
import { cutText, htmlToText, splitAfterParagraph, stripTags } from './text.ts';

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

describe('cutText fast path', () => {
  const bySegmenter = (text: string, max: number) => {
    const segmenter = new Intl.Segmenter('ko', { granularity: 'grapheme' });
    return [...segmenter.segment(text)].slice(0, max).map((s) => s.segment);
  };

  it('cuts ordinary news text exactly where the grapheme segmenter would', () => {
    const text =
      '서귀포항 남쪽 약 48㎞ 해상서 ‘화재’… 선원 9명 구조→치료 중 · 道 “원인 조사” (1,142억 원) ①번 ■ ＡＢ';
    for (let max = 1; max < text.length; max++) {
      const cut = cutText(text, max, '');
      const expected = bySegmenter(text, max).join('');
      // cutText may step back to a space and trims trailing punctuation; it never goes past.
      expect(expected.startsWith(cut)).toBe(true);
    }
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

describe('stripTags', () => {
  it('removes markup and script content from plain-text fields, keeping the words', () => {
    expect(stripTags('<script>alert("t")</script>제목')).toBe('제목');
    expect(stripTags('<img src=x onerror=alert(1)>부제 <b>굵게</b>')).toBe('부제 굵게');
    expect(stripTags('3 < 5 그리고 AT&T')).toBe('3 < 5 그리고 AT&T');
    expect(stripTags('<svg><script>x</script></svg>남음')).toBe('남음');
  });
});

describe('splitAfterParagraph', () => {
  it('splits after the n-th top-level paragraph', () => {
    const html = '<p>하나</p><h2>소제목</h2><p>둘</p><p>셋</p>';
    expect(splitAfterParagraph(html, 2)).toEqual([
      '<p>하나</p><h2>소제목</h2><p>둘</p>',
      '<p>셋</p>',
    ]);
  });

  it('does not count paragraphs inside quotes, lists and figures', () => {
    const html =
      '<p>하나</p><blockquote><p>인용</p><p>인용 둘</p></blockquote><ul><li><p>항목</p></li></ul><figure class="photo"><img src="a.jpg"><figcaption>사진</figcaption></figure><p>둘</p><p>셋</p>';
    const split = splitAfterParagraph(html, 2);
    expect(split?.[0].endsWith('<p>둘</p>')).toBe(true);
    expect(split?.[1]).toBe('<p>셋</p>');
  });

  it('gives null when the body is too short, or n is not a paragraph count', () => {
    expect(splitAfterParagraph('<p>하나</p><p>둘</p>', 2)).toBeNull();
    expect(splitAfterParagraph('<p>하나</p><p>둘</p>', 3)).toBeNull();
    expect(splitAfterParagraph('<p>하나</p><p>둘</p>', 0)).toBeNull();
    expect(splitAfterParagraph('', 1)).toBeNull();
  });
});
