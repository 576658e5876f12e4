import { describe, expect, it } from 'vitest';
import { withMediaUrls } from './media-urls.ts';

const cdn = (key: string) => `https://cdn.example.kr/m/${key}`;
const local = (key: string) => `/media/${key}`;

describe('withMediaUrls', () => {
  const body =
    '<p>/media/photos/a.jpg in text stays</p><figure class="photo" data-photo-id="3"><img src="/media/photos/a.jpg" srcset="/media/photos/a-320.webp 320w, /media/photos/a-640.webp 640w" alt="/media/x.jpg"></figure>' +
    '<p><a href="/media/photos/a.jpg">원본</a><img src="https://elsewhere.example/media/b.jpg"><img src="/media/../secret.jpg"></p>';

  it('points body pictures at the public base, leaving text, links and foreign images', () => {
    expect(withMediaUrls(body, cdn)).toBe(
      '<p>/media/photos/a.jpg in text stays</p><figure class="photo" data-photo-id="3"><img src="https://cdn.example.kr/m/photos/a.jpg" srcset="https://cdn.example.kr/m/photos/a-320.webp 320w, https://cdn.example.kr/m/photos/a-640.webp 640w" alt="/media/x.jpg"></figure>' +
        '<p><a href="/media/photos/a.jpg">원본</a><img src="https://elsewhere.example/media/b.jpg"><img src="/media/../secret.jpg"></p>',
    );
  });

  it('changes nothing when media are served at /media/', () => {
    expect(withMediaUrls(body, local)).toBe(body);
    expect(withMediaUrls('<p>없음</p>', cdn)).toBe('<p>없음</p>');
  });
});
