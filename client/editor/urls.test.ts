import { describe, expect, it } from 'vitest';
import {
  checkLinkInput,
  isStoredLinkAllowed,
  parseYouTubeUrl,
  videoIdFromEmbedSrc,
  youTubeEmbedUrl,
} from './urls.ts';

describe('checkLinkInput', () => {
  it.each([
    ['https://www.jeju.go.kr/news?id=1', 'https://www.jeju.go.kr/news?id=1'],
    ['http://example.com', 'http://example.com/'],
    ['  www.jejunews.example/a  ', 'https://www.jejunews.example/a'],
    ['mailto:desk@jejunews.example', 'mailto:desk@jejunews.example'],
    [
      'https://ko.wikipedia.org/wiki/한라산',
      'https://ko.wikipedia.org/wiki/%ED%95%9C%EB%9D%BC%EC%82%B0',
    ],
  ])('accepts %s', (input, href) => {
    expect(checkLinkInput(input)).toEqual({ ok: true, href });
  });

  it.each([
    'javascript:alert(1)',
    ' JavaScript:alert(1)',
    'java\tscript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'vbscript:msgbox',
    'tel:0647001234',
    'ftp://files.example.com',
    'https://localhost',
    'mailto:',
    '',
    '   ',
  ])('refuses %j with a Korean message', (input) => {
    const result = checkLinkInput(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(/[가-힣]/);
  });
});

describe('isStoredLinkAllowed', () => {
  it('keeps what the sanitizer keeps, relative links included', () => {
    for (const href of [
      'https://a.example',
      'http://a.example',
      'mailto:a@b.kr',
      'tel:064',
      '/news/1',
      '#top',
    ]) {
      expect(isStoredLinkAllowed(href)).toBe(true);
    }
    for (const href of ['javascript:alert(1)', 'data:text/html,x', '//evil.example/x']) {
      expect(isStoredLinkAllowed(href)).toBe(false);
    }
  });
});

describe('parseYouTubeUrl', () => {
  const id = 'dQw4w9WgXcQ';
  it.each([
    `https://www.youtube.com/watch?v=${id}`,
    `https://www.youtube.com/watch?v=${id}&t=42s&list=PL1`,
    `https://m.youtube.com/watch?v=${id}`,
    `youtube.com/watch?v=${id}`,
    `https://youtu.be/${id}`,
    `https://youtu.be/${id}?si=abc`,
    `https://www.youtube.com/shorts/${id}`,
    `https://www.youtube.com/embed/${id}`,
    `http://youtube.com/embed/${id}`,
  ])('accepts %s', (input) => {
    expect(parseYouTubeUrl(input)).toEqual({ ok: true, videoId: id });
  });

  it.each([
    'https://vimeo.com/123456',
    `https://www.youtube.com.evil.example/watch?v=${id}`,
    `https://evil.example/?u=https://youtu.be/${id}`,
    `https://www.youtube.com/channel/${id}`,
    `https://www.youtube.com/watch?list=${id}`,
    'https://www.youtube.com/watch?v=short',
    `https://www.youtube.com/watch?v=${id}x`,
    'https://youtu.be/abc<def>ghi',
    `javascript:alert('${id}')`,
    `https://user@youtu.be/${id}`,
    '',
  ])('refuses %j with a Korean message', (input) => {
    const result = parseYouTubeUrl(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(/[가-힣]/);
  });

  it('builds and reads back the privacy-enhanced embed address', () => {
    expect(youTubeEmbedUrl(id)).toBe(`https://www.youtube-nocookie.com/embed/${id}`);
    expect(videoIdFromEmbedSrc(youTubeEmbedUrl(id))).toBe(id);
    expect(videoIdFromEmbedSrc(`https://www.youtube.com/embed/${id}?rel=0`)).toBe(id);
    expect(videoIdFromEmbedSrc(`https://evil.example/embed/${id}`)).toBeNull();
  });
});
