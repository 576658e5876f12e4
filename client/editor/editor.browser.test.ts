// The admin editor in real headless Chromium: Korean IME composition (through the
// DevTools protocol, as ../shared/notes/korean-ime-in-chromium.md describes), the toolbar,
// photo upload and the hidden textarea the article form posts. Assertions read the
// document model and the textarea, not only what the page shows.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cleanBodyHtml } from '../../src/domains/content/index.ts';
import { buildEditorAssets } from '../../src/http/admin/editor-asset.ts';
import { launchChromium } from '../../src/testing/browser.ts';

const CSRF = 'test-csrf-token';
const TOO_BIG = '사진이 너무 큽니다 (최대 20MB).';
// The policy the admin page is expected to send: no inline script or style, no eval.
const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; " +
  "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
  'base64',
);
const UPLOADED = {
  id: 42,
  src: '/img/halla-800.png',
  srcset: '/img/halla-400.png 400w, /img/halla-800.png 800w',
  sizes: '(max-width: 800px) 100vw, 800px',
  width: 800,
  height: 533,
  alt: '눈 덮인 한라산',
  caption: '',
  credit: '탐나일보',
};
const PHOTO_HTML =
  '<figure class="photo"><img src="/img/halla-800.png" srcset="/img/halla-400.png 400w, /img/halla-800.png 800w" ' +
  'sizes="(max-width: 800px) 100vw, 800px" width="800" height="533" alt="눈 덮인 한라산">' +
  '<figcaption>눈 덮인 한라산 <span class="credit">탐나일보 고은별 기자</span></figcaption></figure>';

interface TestPage {
  body: string;
  uploadUrl: string;
  disabled?: boolean;
  locked?: string;
}

let browser: Browser;
let context: BrowserContext;
let server: Server;
let origin = '';
let assets: { js: Buffer; css: Buffer };
const testPages = new Map<string, TestPage>();
const posted: string[] = [];
/** The photo picker's searches, as query strings. */
const searches: string[] = [];
const LIBRARY = [
  {
    ...UPLOADED,
    id: 104,
    src: '/img/seongsan.png',
    srcset: '',
    caption: '성산일출봉 해돋이',
    credit: '탐나일보 고은별 기자',
    alt: '해 뜨는 성산일출봉',
    uploaderName: '고은별',
    uploadedAt: '2025.12.08 07:12',
  },
  {
    ...UPLOADED,
    id: 103,
    src: '/img/halla.png',
    srcset: '',
    caption: '눈 덮인 한라산',
    credit: '탐나일보',
    uploaderName: '강서윤',
    uploadedAt: '2025.12.01 09:30',
  },
];
/** While set, the fake upload endpoint waits for it before answering. */
let uploadGate: Promise<void> | null = null;
let page: Page;
let cdp: CDPSession;
let consoleErrors: string[] = [];

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function pageHtml({ body, uploadUrl, disabled = false, locked = '' }: TestPage): string {
  return `<!doctype html>
<html lang="ko"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="csrf-token" content="${CSRF}">
<title>편집기 시험</title>
<link rel="stylesheet" href="/editor.css"><script src="/editor.js" defer></script>
</head><body>
<form method="post" action="/save">
<label for="body-html">본문</label>
<div class="editor" data-editor data-upload-url="${uploadUrl}" data-media-search-url="/admin/photos.json" data-locked-photo-ids="${locked}"><textarea name="bodyHtml" id="body-html"${disabled ? ' disabled' : ''}>${escapeHtml(body)}</textarea></div>
<p><input name="title" value="제목"></p>
<button type="submit">저장</button>
</form></body></html>`;
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function send(response: ServerResponse, status: number, type: string, body: string | Buffer) {
  const cache = /^(text\/(javascript|css)|image)/.test(type) ? 'max-age=3600' : 'no-store';
  response.writeHead(status, {
    'content-type': type,
    'content-security-policy': CSP,
    'cache-control': cache,
  });
  response.end(body);
}

async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
  const url = new URL(request.url ?? '/', origin);
  if (request.method === 'GET' && url.pathname === '/page') {
    const spec = testPages.get(url.searchParams.get('id') ?? '');
    if (spec) return send(response, 200, 'text/html; charset=utf-8', pageHtml(spec));
  }
  if (url.pathname === '/editor.js') return send(response, 200, 'text/javascript', assets.js);
  if (url.pathname === '/editor.css') return send(response, 200, 'text/css', assets.css);
  if (url.pathname.startsWith('/img/')) return send(response, 200, 'image/png', PNG);
  if (request.method === 'POST' && url.pathname === '/save') {
    posted.push(new URLSearchParams((await readBody(request)).toString()).get('bodyHtml') ?? '');
    return send(response, 200, 'text/html; charset=utf-8', '<!doctype html><p>저장했습니다</p>');
  }
  if (request.method === 'GET' && url.pathname === '/admin/photos.json') {
    searches.push(url.searchParams.toString());
    const q = url.searchParams.get('q') ?? '';
    const before = Number(url.searchParams.get('before') ?? 0);
    const found = LIBRARY.filter(
      (p) => (q === '' || `${p.caption} ${p.credit}`.includes(q)) && (!before || p.id < before),
    );
    // One photo a page, so "더 보기" is exercised.
    const page = found.slice(0, 1);
    const next =
      found.length > 1
        ? `/admin/photos.json?${new URLSearchParams({ before: String(page[0]!.id) })}`
        : null;
    return send(
      response,
      200,
      'application/json; charset=utf-8',
      JSON.stringify({
        items: page,
        next,
        uploaders: [
          { id: 7, name: '고은별' },
          { id: 8, name: '강서윤' },
        ],
      }),
    );
  }
  if (request.method === 'POST' && url.pathname.startsWith('/upload')) {
    const body = await readBody(request);
    const json = 'application/json; charset=utf-8';
    if (url.pathname === '/upload-too-big')
      return send(response, 413, json, JSON.stringify({ error: TOO_BIG }));
    const multipart = /^multipart\/form-data; boundary=/.test(
      request.headers['content-type'] ?? '',
    );
    if (body.includes('filename="broken.png"'))
      return send(
        response,
        415,
        json,
        JSON.stringify({ error: '사진을 읽지 못했습니다. 손상된 파일인지 확인하세요.' }),
      );
    if (
      request.headers['x-csrf-token'] !== CSRF ||
      !multipart ||
      !body.includes('name="file"; filename=')
    ) {
      return send(response, 400, json, JSON.stringify({ error: '잘못된 요청입니다.' }));
    }
    await uploadGate;
    return send(response, 200, json, JSON.stringify(UPLOADED));
  }
  send(response, 404, 'text/plain', 'not found');
}

let pageCounter = 0;

/** Loads a fresh page whose textarea holds `body`, and waits for the editor. */
async function openEditor(
  body = '',
  uploadUrl = '/upload',
  disabled = false,
  locked = '',
): Promise<void> {
  const id = String(++pageCounter);
  testPages.set(id, { body, uploadUrl, disabled, locked });
  consoleErrors = [];
  await page.goto(`${origin}/page?id=${id}`);
  await page.waitForSelector('.ProseMirror');
}

/** Jamo steps of a Hangul syllable as a 2-set keyboard IME shows them: 한 → ㅎ, 하, 한. */
function jamoSteps(syllable: string): string[] {
  const code = syllable.charCodeAt(0) - 0xac00;
  if (code < 0 || code > 11171) return [syllable];
  const initial = 'ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ'[Math.floor(code / 588)] ?? '';
  const open = String.fromCharCode(0xac00 + code - (code % 28));
  return code % 28 === 0 ? [initial, open] : [initial, open, syllable];
}

async function compose(steps: string[]): Promise<void> {
  for (const text of steps) {
    await cdp.send('Input.imeSetComposition', {
      text,
      selectionStart: text.length,
      selectionEnd: text.length,
    });
  }
}

/** Types Korean through IME composition, committing each syllable. Spaces go in plainly. */
async function typeHangul(text: string): Promise<void> {
  for (const syllable of text) {
    const steps = jamoSteps(syllable);
    if (steps.length > 1) await compose(steps);
    await cdp.send('Input.insertText', { text: syllable });
  }
}

async function bodyHtml(): Promise<string> {
  return page.locator('#body-html').inputValue();
}

async function editorHtml(): Promise<string> {
  return page.evaluate(() => window.tamnaEditor!.getHTML());
}

/** The document as (type, text) pairs per block, from the editor's JSON. */
async function blocks(): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const walk = (node: { type?: string; text?: string; content?: unknown[] }, depth: number) => {
      if (node.type === 'text') return;
      const text = (node.content ?? [])
        .filter(
          (c): c is { type: string; text: string } => (c as { type?: string }).type === 'text',
        )
        .map((c) => c.text)
        .join('');
      if (depth > 0)
        out.push(`${'  '.repeat(depth - 1)}${node.type ?? ''}${text ? `: ${text}` : ''}`);
      for (const child of node.content ?? []) walk(child as typeof node, depth + 1);
    };
    walk(window.tamnaEditor!.getJSON(), 0);
    return out;
  });
}

/** Puts the cursor `offset` characters into the first occurrence of `text`. */
async function placeCursor(text: string, offset: number): Promise<void> {
  await page.evaluate(
    ([needle, at]) => {
      const editor = window.tamnaEditor!;
      let target = -1;
      editor.state.doc.descendants((node, pos) => {
        const index = node.isText ? (node.text ?? '').indexOf(needle) : -1;
        if (target < 0 && index >= 0) target = pos + index + at;
      });
      if (target < 0) throw new Error(`text not found: ${needle}`);
      editor.chain().focus().setTextSelection(target).run();
    },
    [text, offset] as const,
  );
  await editorFocused();
}

/**
 * TipTap's focus command focuses on the next animation frame; keys sent before that go
 * to the page body and are lost, which is a test artifact, not an editor bug.
 */
async function editorFocused(): Promise<void> {
  await page.waitForFunction(() => window.tamnaEditor!.view.hasFocus());
}

beforeAll(async () => {
  const started = performance.now();
  assets = await buildEditorAssets();
  console.info(
    `editor bundle: ${assets.js.length} B js, ${assets.css.length} B css, ` +
      `built in ${Math.round(performance.now() - started)} ms`,
  );
  server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      response.writeHead(500).end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchChromium();
  // 390 px: the narrowest phone the newsroom edits on.
  context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  // One tab for the whole file: each test navigates it to a fresh page, which is much
  // cheaper than a new tab (the bundle comes from the memory cache, compiled).
  page = await context.newPage();
  page.on('console', (message) => {
    // A 413 answer is logged by Chrome as a failed resource; that one is expected.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
      consoleErrors.push(message.text());
    }
  });
  page.on('pageerror', (error) => consoleErrors.push(error.message));
  cdp = await context.newCDPSession(page);
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
});

afterEach(() => {
  // CSP violations and script errors show up here.
  expect(consoleErrors).toEqual([]);
});

describe('Korean IME composition', () => {
  it('types at the start of an empty document', async () => {
    await openEditor('');
    await page.focus('.ProseMirror');
    await typeHangul('한글 입력');
    await expect.poll(blocks).toEqual(['paragraph: 한글 입력']);
    await expect.poll(bodyHtml).toBe('<p>한글 입력</p>');
  });

  it('types at the start of a paragraph after Enter', async () => {
    await openEditor('<p>제주</p>');
    await placeCursor('제주', 2);
    await page.keyboard.press('Enter');
    await typeHangul('날씨');
    await expect.poll(bodyHtml).toBe('<p>제주</p><p>날씨</p>');
  });

  it('types right after a photo', async () => {
    await openEditor(`<p>앞 문단</p>${PHOTO_HTML}<p>뒤 문단</p>`);
    // Select the photo with the mouse, then step past it with the keyboard.
    await page.click('.editor-photo img');
    expect(await page.evaluate(() => window.tamnaEditor!.state.selection.toJSON())).toMatchObject({
      type: 'node',
    });
    await page.keyboard.press('ArrowRight');
    await typeHangul('사진 ');
    await expect.poll(blocks).toEqual(['paragraph: 앞 문단', 'photo', 'paragraph: 사진 뒤 문단']);
    await expect.poll(bodyHtml).toBe(`<p>앞 문단</p>${PHOTO_HTML}<p>사진 뒤 문단</p>`);
  });

  it('types in the gap between two photos (gap cursor)', async () => {
    await openEditor(`<p>앞</p>${PHOTO_HTML}${PHOTO_HTML}<p>끝</p>`);
    await page.locator('.editor-photo img').first().click();
    await page.keyboard.press('ArrowRight');
    expect(await page.evaluate(() => window.tamnaEditor!.state.selection.toJSON())).toMatchObject({
      type: 'gapcursor',
    });
    await typeHangul('사이');
    await expect
      .poll(blocks)
      .toEqual(['paragraph: 앞', 'photo', 'paragraph: 사이', 'photo', 'paragraph: 끝']);
  });

  it('types inside a list item and into a new one', async () => {
    await openEditor('<ul><li><p>감귤</p></li></ul>');
    await placeCursor('감귤', 2);
    await typeHangul('농장');
    await page.keyboard.press('Enter');
    await typeHangul('한라봉');
    await expect.poll(bodyHtml).toBe('<ul><li><p>감귤농장</p></li><li><p>한라봉</p></li></ul>');
  });

  it('keeps text typed inside a link inside the link', async () => {
    await openEditor('<p><a href="https://www.tamnailbo.example/">탐나일보</a> 기사</p>');
    await placeCursor('탐나일보', 2);
    await typeHangul('특별');
    await expect
      .poll(bodyHtml)
      .toBe('<p><a href="https://www.tamnailbo.example/">탐나특별일보</a> 기사</p>');
  });

  it('types at the end of the document, with a final consonant moving on', async () => {
    await openEditor('<p>첫 문단</p><p>끝</p>');
    await page.focus('.ProseMirror');
    await page.keyboard.press('Control+End');
    // 하나 on a 2-set keyboard: ㅎ 하 한, then ㅏ makes the IME commit 하 and compose 나.
    await compose(['ㅎ', '하', '한']);
    await cdp.send('Input.insertText', { text: '하' });
    await compose(['나']);
    await cdp.send('Input.insertText', { text: '나' });
    await typeHangul('입니다');
    await expect.poll(blocks).toEqual(['paragraph: 첫 문단', 'paragraph: 끝하나입니다']);
    await expect.poll(bodyHtml).toBe('<p>첫 문단</p><p>끝하나입니다</p>');
  });

  it('keeps a composition interrupted by a click elsewhere, once, where it was typed', async () => {
    await openEditor('<p>첫째</p><p>둘째</p>');
    await placeCursor('첫째', 2);
    await compose(['ㄱ', '그', '글']);
    const second = await page.locator('.ProseMirror p').nth(1).boundingBox();
    if (second === null) throw new Error('second paragraph not visible');
    await page.mouse.click(second.x + second.width - 2, second.y + second.height / 2);
    await typeHangul('말');
    await expect.poll(blocks).toEqual(['paragraph: 첫째글', 'paragraph: 둘째말']);
    await expect.poll(bodyHtml).toBe('<p>첫째글</p><p>둘째말</p>');
  });

  it('types Korean into a photo caption field', async () => {
    await openEditor(`<p>앞</p>${PHOTO_HTML}`);
    const caption = page.locator('.editor-photo input[data-field="caption"]');
    await caption.fill('');
    await caption.focus();
    await typeHangul('성산일출봉');
    expect(await caption.inputValue()).toBe('성산일출봉');
    await expect
      .poll(bodyHtml)
      .toContain(
        '<figcaption>성산일출봉 <span class="credit">탐나일보 고은별 기자</span></figcaption>',
      );
  });
});

describe('toolbar', () => {
  it('turns a paragraph into headings and back, with aria-pressed', async () => {
    await openEditor('<p>제목 같은 줄</p>');
    await placeCursor('제목', 1);
    const h2 = page.getByRole('button', { name: '소제목', exact: true });
    await h2.click();
    await expect.poll(bodyHtml).toBe('<h2>제목 같은 줄</h2>');
    expect(await h2.getAttribute('aria-pressed')).toBe('true');
    await page.getByRole('button', { name: '작은 소제목' }).click();
    await expect.poll(bodyHtml).toBe('<h3>제목 같은 줄</h3>');
    expect(await h2.getAttribute('aria-pressed')).toBe('false');
    await page.getByRole('button', { name: '본문' }).click();
    await expect.poll(bodyHtml).toBe('<p>제목 같은 줄</p>');
  });

  it('makes the selection bold and italic, and lists', async () => {
    await openEditor('<p>중요한 소식</p>');
    await page.evaluate(() =>
      window.tamnaEditor!.chain().focus().setTextSelection({ from: 1, to: 4 }).run(),
    );
    await editorFocused();
    const bold = page.getByRole('button', { name: '굵게' });
    await bold.click();
    expect(await bold.getAttribute('aria-pressed')).toBe('true');
    await page.getByRole('button', { name: '기울임' }).click();
    await expect.poll(bodyHtml).toBe('<p><strong><em>중요한</em></strong> 소식</p>');
    await page.getByRole('button', { name: '글머리 목록' }).click();
    await expect
      .poll(bodyHtml)
      .toBe('<ul><li><p><strong><em>중요한</em></strong> 소식</p></li></ul>');
    await page.getByRole('button', { name: '번호 목록' }).click();
    await expect
      .poll(bodyHtml)
      .toBe('<ol><li><p><strong><em>중요한</em></strong> 소식</p></li></ol>');
    await page.getByRole('button', { name: '번호 목록' }).click();
    await expect.poll(bodyHtml).toBe('<p><strong><em>중요한</em></strong> 소식</p>');
    await page.getByRole('button', { name: '인용' }).click();
    await expect
      .poll(bodyHtml)
      .toBe('<blockquote><p><strong><em>중요한</em></strong> 소식</p></blockquote>');
  });

  it('refuses a javascript: link and links an https address', async () => {
    await openEditor('<p>도청 누리집 참고</p>');
    await page.evaluate(() =>
      window.tamnaEditor!.chain().focus().setTextSelection({ from: 1, to: 7 }).run(),
    );
    await editorFocused();
    await page.getByRole('button', { name: '링크', exact: true }).click();
    const input = page.getByRole('textbox', { name: '링크 주소' });
    await input.fill('javascript:alert(1)');
    await input.press('Enter');
    await expect
      .poll(() => page.locator('.editor-dialog-error').textContent())
      .toContain('http, https, mailto');
    await expect.poll(bodyHtml).toBe('<p>도청 누리집 참고</p>');
    expect(page.url()).toContain('/page?'); // Enter did not submit the form
    await input.fill('https://www.jeju.go.kr/');
    await page.getByRole('button', { name: '링크 걸기' }).click();
    expect(await page.locator('.editor-dialog').isHidden()).toBe(true);
    await expect
      .poll(bodyHtml)
      .toBe('<p><a href="https://www.jeju.go.kr/">도청 누리집</a> 참고</p>');
    await placeCursor('누리집', 1);
    await page.getByRole('button', { name: '링크 해제' }).click();
    await expect.poll(bodyHtml).toBe('<p>도청 누리집 참고</p>');
    // Ctrl+K opens the same dialog; Escape closes it and leaves the text alone.
    await page.keyboard.press('Control+k');
    await input.waitFor({ state: 'visible' });
    await input.press('Escape');
    await page.locator('.editor-dialog').waitFor({ state: 'hidden' });
    await expect.poll(bodyHtml).toBe('<p>도청 누리집 참고</p>');
  });

  it('accepts a YouTube address and refuses anything else', async () => {
    await openEditor('<p>영상 기사</p>');
    await placeCursor('기사', 2);
    await page.getByRole('button', { name: '동영상' }).click();
    const input = page.getByRole('textbox', { name: '유튜브 동영상 주소' });
    await input.fill('https://vimeo.com/123456');
    await input.press('Enter');
    await expect.poll(() => page.locator('.editor-dialog-error').textContent()).toContain('유튜브');
    await input.fill('https://www.youtube.com/watch?v=short');
    await input.press('Enter');
    await expect.poll(() => page.locator('.editor-dialog-error').textContent()).toContain('11자');
    await input.fill('https://youtu.be/dQw4w9WgXcQ?t=42');
    await input.press('Enter');
    await expect
      .poll(bodyHtml)
      .toBe(
        '<p>영상 기사</p><figure class="video"><iframe src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ" ' +
          'title="YouTube 동영상" allowfullscreen="" loading="lazy"></iframe></figure>',
      );
    // The editor shows a box, not a live iframe.
    expect(await page.locator('.ProseMirror iframe').count()).toBe(0);
  });

  it('puts a video after a selected photo instead of replacing it', async () => {
    await openEditor(`<p>앞</p>${PHOTO_HTML}<p>뒤</p>`);
    await page.click('.editor-photo img');
    await page.getByRole('button', { name: '동영상' }).click();
    await page.getByRole('textbox', { name: '유튜브 동영상 주소' }).fill('youtu.be/dQw4w9WgXcQ');
    await page.getByRole('button', { name: '동영상 넣기' }).click();
    await expect.poll(blocks).toEqual(['paragraph: 앞', 'photo', 'video', 'paragraph: 뒤']);
  });

  it('uploads a photo from the file picker with a progress bar', async () => {
    await openEditor('<p>사진 앞</p>');
    await placeCursor('사진 앞', 4);
    let release = (): void => {};
    uploadGate = new Promise((resolve) => (release = resolve));
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: '사진', exact: true }).click();
    await (
      await chooser
    ).setFiles({
      name: 'halla.png',
      mimeType: 'image/png',
      buffer: Buffer.concat([PNG, Buffer.alloc(512 * 1024)]),
    });
    // The body is sent; the server has not answered yet.
    const progress = page.locator('.editor-status progress');
    await progress.waitFor({ state: 'visible' });
    await expect.poll(() => progress.evaluate((el) => (el as HTMLProgressElement).value)).toBe(100);
    expect(await page.locator('.editor-status-text').textContent()).toBe('사진 처리 중… halla.png');
    // Saving now would post a body without the photo: the editor holds the form back.
    await page.getByRole('button', { name: '저장' }).click();
    await expect
      .poll(() => page.locator('.editor-error-text').textContent())
      .toBe('사진을 올리는 중입니다. 다 올라간 뒤에 저장하세요.');
    expect(page.url()).toContain('/page?');
    release();
    uploadGate = null;
    await page.locator('.editor-photo img').waitFor();
    expect(await progress.isHidden()).toBe(true);
    await expect
      .poll(bodyHtml)
      .toBe(
        '<p>사진 앞</p><figure class="photo" data-photo-id="42"><img src="/img/halla-800.png" ' +
          'srcset="/img/halla-400.png 400w, /img/halla-800.png 800w" sizes="(max-width: 800px) 100vw, 800px" ' +
          'width="800" height="533" alt="눈 덮인 한라산"><figcaption><span class="credit">탐나일보</span></figcaption></figure>',
      );
    // Inserting the photo focuses the editor in the next animation frame (TipTap's
    // focus()); a caption typed before that frame would follow the focus into the body.
    // Two frames later the focus has moved.
    await page.evaluate(
      () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))),
    );
    await page.locator('.editor-photo input[data-field="caption"]').fill('눈 덮인 한라산 백록담');
    await expect
      .poll(bodyHtml)
      .toContain(
        '<figcaption>눈 덮인 한라산 백록담 <span class="credit">탐나일보</span></figcaption>',
      );
  });

  it('uploads a photo dropped onto the editor', async () => {
    await openEditor('<p>첫 문단</p><p>둘째 문단</p>');
    const target = await page.locator('.ProseMirror p').first().boundingBox();
    if (target === null) throw new Error('paragraph not visible');
    await page.evaluate(
      ({ x, y, bytes }) => {
        const transfer = new DataTransfer();
        transfer.items.add(new File([new Uint8Array(bytes)], 'drop.png', { type: 'image/png' }));
        const editable = document.querySelector('.ProseMirror')!;
        editable.dispatchEvent(
          new DragEvent('drop', {
            dataTransfer: transfer,
            clientX: x,
            clientY: y,
            bubbles: true,
            cancelable: true,
          }),
        );
      },
      { x: target.x + target.width - 2, y: target.y + target.height - 2, bytes: [...PNG] },
    );
    await page.locator('.editor-photo img').waitFor();
    await expect.poll(blocks).toEqual(['paragraph: 첫 문단', 'photo', 'paragraph: 둘째 문단']);
  });

  it('uploads several photos at once, each with its own bar and its own reason on failure', async () => {
    await openEditor('<p>여러 장</p>');
    await placeCursor('여러 장', 4);
    let release = (): void => {};
    uploadGate = new Promise((resolve) => (release = resolve));
    const big = Buffer.concat([PNG, Buffer.alloc(256 * 1024)]);
    await page.locator('.editor-file').setInputFiles([
      { name: 'first.png', mimeType: 'image/png', buffer: big },
      { name: 'broken.png', mimeType: 'image/png', buffer: PNG },
      { name: 'second.png', mimeType: 'image/png', buffer: big },
    ]);
    // Every file of the batch is listed at once, each with a progress bar.
    const rows = page.locator('.editor-upload');
    await expect.poll(() => rows.count()).toBe(3);
    expect(await rows.locator('progress').count()).toBe(3);
    await expect
      .poll(() => page.locator('.editor-status-text').textContent())
      .toBe('사진 처리 중… first.png (1/3)');
    expect(await rows.nth(1).locator('.editor-upload-state').textContent()).toBe('기다리는 중');
    await page.screenshot({ path: 'test-artifacts/screenshots/editor-multi-upload-390.png' });
    release();
    uploadGate = null;
    await expect.poll(() => page.locator('.editor-photo').count()).toBe(2);
    // The broken file stays listed with the server's reason; the others are in the body.
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain('broken.png');
    expect(await rows.first().textContent()).toContain('손상된 파일');
    expect(await page.locator('.editor-error-text').textContent()).toBe(
      '사진 3장 가운데 1장을 올리지 못했습니다. 아래 목록에서 사유를 확인하세요.',
    );
    expect(await page.locator('.editor-status').isHidden()).toBe(true);
    await expect.poll(blocks).toEqual(['paragraph: 여러 장', 'photo', 'photo', 'paragraph']);
    await page.getByRole('button', { name: '알림 닫기' }).click();
    expect(await rows.count()).toBe(0);
  });

  it('finds a photo in the library by words and uploader, and inserts it with its caption', async () => {
    await openEditor('<p>사진함 시험</p>');
    await placeCursor('사진함 시험', 6);
    await page.getByRole('button', { name: '사진함', exact: true }).click();
    const picker = page.locator('.editor .photo-picker');
    await picker.waitFor({ state: 'visible' });
    // The first page shows the newest photo, with "더 보기" for the next.
    await picker.locator('.photo-picker-tile').first().waitFor();
    expect(await picker.locator('.photo-picker-tile').count()).toBe(1);
    await picker.getByRole('button', { name: '더 보기' }).click();
    await expect.poll(() => picker.locator('.photo-picker-tile').count()).toBe(2);
    expect(searches.at(-1)).toBe('before=104');
    // Uploaders come from the server; choosing one searches again.
    await picker.getByLabel('올린 사람').selectOption({ label: '고은별' });
    await expect.poll(() => searches.at(-1)).toBe('uploader=7');
    await picker.getByLabel('올린 날 (부터)').fill('2025-12-01');
    await expect.poll(() => searches.at(-1)).toBe('from=2025-12-01&uploader=7');
    await picker.getByLabel('검색어').fill('성산');
    // Enter searches; it must not submit the article form.
    await picker.getByLabel('검색어').press('Enter');
    await expect
      .poll(() => searches.at(-1))
      .toBe('q=%EC%84%B1%EC%82%B0&from=2025-12-01&uploader=7');
    expect(page.url()).toContain('/page?');
    const tile = picker.locator('.photo-picker-tile');
    await expect.poll(() => tile.count()).toBe(1);
    expect(await tile.first().textContent()).toContain('고은별 · 2025.12.08');
    await page.screenshot({ path: 'test-artifacts/screenshots/editor-picker-390.png' });
    await tile.first().click();
    expect(await picker.isHidden()).toBe(true);
    await expect
      .poll(bodyHtml)
      .toContain(
        '<figure class="photo" data-photo-id="104"><img src="/img/seongsan.png" ' +
          'sizes="(max-width: 800px) 100vw, 800px" width="800" height="533" ' +
          'alt="해 뜨는 성산일출봉"><figcaption>성산일출봉 해돋이 <span class="credit">탐나일보 고은별 기자</span></figcaption></figure>',
      );
    await expect.poll(blocks).toEqual(['paragraph: 사진함 시험', 'photo', 'paragraph']);
  });

  it("locks the caption and credit of a photo whose library text is not the writer's", async () => {
    const mine = PHOTO_HTML.replace(
      '<figure class="photo">',
      '<figure class="photo" data-photo-id="7">',
    );
    const theirs = PHOTO_HTML.replace(
      '<figure class="photo">',
      '<figure class="photo" data-photo-id="9">',
    );
    await openEditor(`<p>본문</p>${mine}${theirs}`, '/upload', false, '9');
    const captions = page.locator('.editor-photo input[data-field="caption"]');
    await expect.poll(() => captions.count()).toBe(2);
    expect(await captions.nth(0).isDisabled()).toBe(false);
    expect(await captions.nth(1).isDisabled()).toBe(true);
    expect(await page.locator('.editor-photo input[data-field="alt"]').nth(1).isDisabled()).toBe(
      false,
    );
    expect(await page.locator('.editor-photo-note').textContent()).toBe(
      '이 사진의 설명·출처는 데스크가 사진함에서 고칩니다.',
    );
  });

  it('shows the server message when the photo is too big', async () => {
    await openEditor('<p>본문</p>', '/upload-too-big');
    await page
      .locator('.editor-file')
      .setInputFiles({ name: 'huge.jpg', mimeType: 'image/jpeg', buffer: PNG });
    const alert = page.locator('.editor-error');
    await alert.waitFor({ state: 'visible' });
    expect(await page.locator('.editor-error-text').textContent()).toBe(TOO_BIG);
    expect(await page.locator('.editor-status').isHidden()).toBe(true);
    await expect.poll(bodyHtml).toBe('<p>본문</p>');
    await page.getByRole('button', { name: '알림 닫기' }).click();
    expect(await alert.isHidden()).toBe(true);
  });

  it('undoes and redoes', async () => {
    await openEditor('<p>처음</p>');
    await placeCursor('처음', 2);
    await typeHangul('부터');
    const undo = page.getByRole('button', { name: '되돌리기' });
    const redo = page.getByRole('button', { name: '다시하기' });
    expect(await redo.isDisabled()).toBe(true);
    await undo.click();
    await expect.poll(bodyHtml).toBe('<p>처음</p>');
    await redo.click();
    await expect.poll(bodyHtml).toBe('<p>처음부터</p>');
  });
});

describe('form contract', () => {
  const STORED =
    '<h2>소제목</h2><p>첫 문단에 <strong>굵은 글씨</strong>와 <em>기울인 글씨</em>, ' +
    '<a href="https://www.jeju.go.kr/" rel="noopener noreferrer">링크</a>가 있다.</p>' +
    `<h3>작은 소제목</h3>${PHOTO_HTML}<blockquote><p>인용한 말</p></blockquote>` +
    '<ul><li><p>하나</p></li><li><p>둘</p></li></ul><ol><li><p>첫째</p></li></ol>' +
    '<figure class="video"><iframe src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ" ' +
    'title="YouTube 동영상" allowfullscreen="" loading="lazy"></iframe></figure><p>끝.</p>';

  it('round-trips stored HTML and leaves the textarea untouched until an edit', async () => {
    await openEditor(STORED);
    expect(await editorHtml()).toBe(STORED);
    await expect.poll(bodyHtml).toBe(STORED);
    expect(await page.locator('#body-html').isHidden()).toBe(true);
    // An edit and its undo write the same body back through the editor's serializer.
    await placeCursor('소제목', 3);
    await typeHangul('들');
    await expect.poll(bodyHtml).toBe(STORED.replace('<h2>소제목</h2>', '<h2>소제목들</h2>'));
    await page.keyboard.press('Control+z');
    await expect.poll(bodyHtml).toBe(STORED);
  });

  it('agrees with the server sanitizer in both directions', async () => {
    const stored = cleanBodyHtml(STORED);
    expect(stored).toContain('<figure class="video"><iframe');
    // sanitize-html writes `<img … />` and a bare `allowfullscreen`; the browser writes
    // `<img …>` and `allowfullscreen=""`. Same HTML either way.
    const normalize = (html: string) =>
      html.replace(/ \/>/g, '>').replace(/ allowfullscreen(?!=)/g, ' allowfullscreen=""');
    await openEditor(stored);
    const html = await editorHtml();
    expect(html).toBe(normalize(stored));
    expect(normalize(cleanBodyHtml(html))).toBe(html);
  });

  it('keeps an imported bare image and other figures as photos', async () => {
    await openEditor(
      '<p>글 <img src="/img/a.png" alt="옛 사진"> 계속</p><figure><img src="/img/b.png" alt=""></figure>',
    );
    await expect.poll(blocks).toEqual(['paragraph: 글', 'photo', 'paragraph:  계속', 'photo']);
    expect(await editorHtml()).toContain(
      '<figure class="photo"><img src="/img/a.png" alt="옛 사진"></figure>',
    );
  });

  it('keeps the textarea current, fires tamna:editor-change, and posts the HTML', async () => {
    await openEditor(STORED);
    await page.evaluate(() => {
      document.querySelector('form')!.addEventListener('tamna:editor-change', (event) => {
        const target = document.body as HTMLElement & { changes?: string[] };
        target.changes = [
          ...(target.changes ?? []),
          (event as CustomEvent<{ html: string }>).detail.html,
        ];
      });
    });
    await placeCursor('끝.', 2);
    await typeHangul(' 마침');
    const html = STORED.replace('<p>끝.</p>', '<p>끝. 마침</p>');
    await expect.poll(bodyHtml).toBe(html);
    const changes = await page.evaluate(
      () => (document.body as HTMLElement & { changes?: string[] }).changes ?? [],
    );
    expect(changes.at(-1)).toBe(html);
    await Promise.all([
      page.waitForURL(/\/save$/),
      page.getByRole('button', { name: '저장' }).click(),
    ]);
    expect(posted.at(-1)).toBe(html);
  });

  it('shows a disabled body read-only, without a toolbar', async () => {
    await openEditor(`<p>잠긴 기사</p>${PHOTO_HTML}`, '/upload', true);
    expect(await page.locator('.ProseMirror').getAttribute('contenteditable')).toBe('false');
    expect(await page.locator('.editor-toolbar').isHidden()).toBe(true);
    expect(await page.locator('.editor-photo input[data-field="caption"]').isDisabled()).toBe(true);
    await page.locator('.ProseMirror p').click();
    await page.keyboard.type('x');
    await typeHangul('글');
    expect(await page.evaluate(() => window.tamnaEditor!.state.doc.textContent)).toBe('잠긴 기사');
    await expect.poll(bodyHtml).toBe(`<p>잠긴 기사</p>${PHOTO_HTML}`);
  });

  it('posts an empty body when the writer clears everything', async () => {
    await openEditor('<p>지울 글</p>');
    await page.focus('.ProseMirror');
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Backspace');
    await expect.poll(bodyHtml).toBe('');
  });
});
