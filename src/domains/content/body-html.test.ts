import { describe, expect, it } from 'vitest';
import { bodyPhotos, cleanBodyHtml, withPhotoText } from './body-html.ts';

describe('cleanBodyHtml', () => {
  it('keeps what the editor writes: text, headings, lists, links, photos with captions', () => {
    const html =
      '<h2>소제목</h2><p><strong>굵게</strong> <em>기울임</em> <a href="https://example.kr">링크</a></p>' +
      '<ul><li>하나</li></ul><blockquote><p>인용</p></blockquote>' +
      '<figure class="photo"><img src="/media/a.jpg" srcset="/media/a-320.webp 320w" sizes="100vw" width="800" height="450" alt="설명"><figcaption>사진 설명 <span class="credit">홍길동 기자</span></figcaption></figure>';
    expect(cleanBodyHtml(html)).toBe(
      html
        .replace('href="https://example.kr"', 'href="https://example.kr" rel="noopener noreferrer"')
        .replace('alt="설명">', 'alt="설명" />'),
    );
  });

  it('keeps YouTube privacy-mode embeds and nothing else that frames', () => {
    const video =
      '<figure class="video"><iframe src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ" title="YouTube 동영상" allowfullscreen loading="lazy"></iframe></figure>';
    expect(cleanBodyHtml(video)).toBe(video);
    for (const src of [
      'https://evil.example/embed/dQw4w9WgXcQ',
      'https://www.youtube-nocookie.com/watch?v=dQw4w9WgXcQ',
      'javascript:alert(1)',
      '//www.youtube-nocookie.com/embed/dQw4w9WgXcQ',
    ]) {
      expect(cleanBodyHtml(`<figure class="video"><iframe src="${src}"></iframe></figure>`)).toBe(
        '<figure class="video"></figure>',
      );
    }
    expect(
      cleanBodyHtml(
        '<iframe src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ" srcdoc="<script>x</script>" onload="x()"></iframe>',
      ),
    ).not.toMatch(/srcdoc|onload/);
  });

  it('removes scripts, handlers, javascript: links, styles and SVG', () => {
    const out = cleanBodyHtml(
      '<p onclick="x()" style="background:url(javascript:alert(1))">a<script>alert(1)</script></p>' +
        '<a href="javascript:alert(1)">b</a><svg onload="x()"><script>1</script></svg>' +
        '<img src="javascript:alert(1)"><object data="x"></object><style>p{}</style>',
    );
    expect(out).not.toMatch(/script|onclick|onload|style|javascript:|object|svg/i);
    expect(out).toContain('<p>a</p>');
  });
});

describe('bodyPhotos', () => {
  it('reads library ids, captions and credits from stored figures, each photo once', () => {
    const html = cleanBodyHtml(
      '<figure class="photo" data-photo-id="104"><img src="https://x.example/a.jpg" alt="">' +
        '<figcaption>한라산 &amp; 백록담 <span class="credit">탐나일보 고하늘 기자</span></figcaption></figure>' +
        '<figure class="photo"><img src="https://x.example/b.jpg" alt=""></figure>' +
        '<figure class="photo" data-photo-id="7"><img src="https://x.example/c.jpg" alt=""></figure>' +
        '<figure class="photo" data-photo-id="104"><img src="https://x.example/a.jpg" alt=""></figure>' +
        '<figure class="photo" data-photo-id="abc"><img src="https://x.example/d.jpg" alt=""></figure>',
    );
    expect(html).not.toContain('data-photo-id="abc"');
    expect(bodyPhotos(html)).toEqual([
      { id: 104, caption: '한라산 & 백록담', credit: '탐나일보 고하늘 기자' },
      { id: 7, caption: '', credit: '' },
    ]);
  });
});

describe('withPhotoText', () => {
  it("shows the library's caption and credit under each library photo, escaped", () => {
    const html = cleanBodyHtml(
      '<figure class="photo" data-photo-id="104"><img src="https://x.example/a.jpg" alt="">' +
        '<figcaption>옛 설명 <span class="credit">옛 출처</span></figcaption></figure>' +
        '<figure class="photo" data-photo-id="5"><img src="https://x.example/b.jpg" alt=""></figure>' +
        '<figure class="photo"><img src="https://x.example/c.jpg" alt=""><figcaption>그대로</figcaption></figure>',
    );
    const out = withPhotoText(
      html,
      new Map([
        [104, { caption: '새 설명 <b>', credit: '탐나일보' }],
        [5, { caption: '', credit: '' }],
      ]),
    );
    expect(out).toContain(
      '<figcaption>새 설명 &lt;b&gt; <span class="credit">탐나일보</span></figcaption>',
    );
    expect(out).not.toContain('옛 설명');
    expect(out).toContain('<figcaption>그대로</figcaption>');
    expect(bodyPhotos(out)).toEqual([
      { id: 104, caption: '새 설명 <b>', credit: '탐나일보' },
      { id: 5, caption: '', credit: '' },
    ]);
  });
});
