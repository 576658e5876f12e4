import { describe, expect, it } from 'vitest';
import { renderRss, rfc822Kst, xmlText } from './rss.ts';

describe('RSS 2.0', () => {
  it('keeps only characters XML 1.0 allows, escaped', () => {
    expect(xmlText('a\u0000b\u0008c\u000bd\u001fe\ufffef\uffff')).toBe('abcdef');
    expect(xmlText('줄\n바꿈\t탭\r')).toBe('줄\n바꿈\t탭\r');
    // A lone half of a surrogate pair goes; a whole pair (an emoji) stays.
    expect(xmlText('x\ud800y\udc00z🍊')).toBe('xyz🍊');
    expect(xmlText(`]]> <a href="x">'&amp;'</a>`)).toBe(
      ']]&gt; &lt;a href=&quot;x&quot;&gt;&apos;&amp;amp;&apos;&lt;/a&gt;',
    );
  });

  it('dates items in RFC 822 with the Korean offset', () => {
    // 2025-12-09 05:00:07 UTC is 14:00:07 on Tuesday in Korea.
    expect(rfc822Kst(Date.UTC(2025, 11, 9, 5, 0, 7))).toBe('Tue, 09 Dec 2025 14:00:07 +0900');
    // 23:30 UTC on Dec 31 is already New Year's Day, a Thursday, in Korea.
    expect(rfc822Kst(Date.UTC(2025, 11, 31, 23, 30))).toBe('Thu, 01 Jan 2026 08:30:00 +0900');
  });

  it('writes a channel with its self link and items', () => {
    const xml = renderRss({
      title: '김탐나 기자 - 탐나일보',
      link: 'https://news.example.kr/reporter/1',
      self: 'https://news.example.kr/reporter/1/rss',
      description: '소개',
      updatedAt: Date.UTC(2025, 11, 9, 5),
      items: [
        {
          title: 'A & B',
          link: 'https://news.example.kr/news/3',
          description: '요약',
          publishedAt: Date.UTC(2025, 11, 9, 5),
          category: '정치',
          authors: ['김탐나 기자'],
        },
      ],
    });
    expect(xml).toContain('<lastBuildDate>Tue, 09 Dec 2025 14:00:00 +0900</lastBuildDate>');
    expect(xml).toContain(
      '<item><title>A &amp; B</title><link>https://news.example.kr/news/3</link><guid isPermaLink="true">https://news.example.kr/news/3</guid><pubDate>Tue, 09 Dec 2025 14:00:00 +0900</pubDate><description>요약</description><category>정치</category><dc:creator>김탐나 기자</dc:creator></item>',
    );
  });
});
