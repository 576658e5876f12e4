/// <reference lib="dom" />
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KAKAO_SDK } from '../../../client/site/tools.ts';
import { createTestApp, type TestApp } from '../../testing/app.ts';
import { launchChromium } from '../../testing/browser.ts';
import { seedFixture } from '../../testing/fixtures.ts';
import { DESKTOP_BROWSER, PHONE_BROWSER } from '../../testing/user-agents.ts';

const SCREENSHOTS = path.resolve(import.meta.dirname, '../../../test-artifacts/screenshots');
const HOUR = 3_600_000;
const KAKAO_KEY = '0123456789abcdef0123456789abcdef';

/** Stands in for Kakao's SDK (these machines have no internet): records what the page asks. */
const FAKE_KAKAO_SDK = `
  window.__kakao = { inits: [], shares: [] };
  window.Kakao = {
    ready: false,
    isInitialized() { return this.ready; },
    init(key) { this.ready = true; window.__kakao.inits.push(key); },
    Share: { sendDefault(settings) { window.__kakao.shares.push(settings); } },
  };`;

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };

describe('reading an article in Chromium: sharing, font size, print, ticker, bottom banner', () => {
  let app: TestApp;
  let browser: Browser;
  let base: string;
  let articleId: number;
  let title: string;

  beforeAll(async () => {
    app = await createTestApp({ now: Date.now(), env: { TAMNA_KAKAO_JS_KEY: KAKAO_KEY } });
    const fx = await seedFixture(app, { articlesPerSection: 1 });
    // The fixture's photo and its renditions, so the page has no broken image.
    const picture = (width: number) =>
      sharp({
        create: { width, height: Math.round((width * 9) / 16), channels: 3, background: '#3a6f9c' },
      });
    await app.services.media.put('fixture/photo.jpg', await picture(1200).jpeg().toBuffer());
    for (const w of [480, 960])
      await app.services.media.put(`fixture/photo-${w}.webp`, await picture(w).webp().toBuffer());
    await app.services.media.put(
      'ads/sticky.png',
      await sharp({ create: { width: 320, height: 50, channels: 3, background: '#1f4e8c' } })
        .png()
        .toBuffer(),
    );
    const now = app.clock.now();
    await app.services.banners.create({
      slot: 'mobile-sticky',
      title: '속보 알림 광고',
      imageKey: 'ads/sticky.png',
      width: 320,
      height: 50,
      linkUrl: '/section/society',
      startsAt: now - HOUR,
      endsAt: now + 24 * HOUR,
      isSample: true,
    });
    await app.services.weather.storeSample();
    articleId = fx.published[0]!;
    title = (await app.services.content.article(articleId))!.title;
    await app.http.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(app.http.server.address() as AddressInfo).port}`;
    browser = await launchChromium();
    mkdirSync(SCREENSHOTS, { recursive: true });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  /** A context as a phone or a desktop browser; fails the test on console errors. */
  async function open(
    kind: 'phone' | 'desktop',
    url: string,
    setup: (context: BrowserContext, page: Page) => Promise<void> = async () => {},
  ) {
    const context = await browser.newContext({
      viewport: kind === 'phone' ? PHONE : DESKTOP,
      userAgent: kind === 'phone' ? PHONE_BROWSER : DESKTOP_BROWSER,
      ...(kind === 'phone' ? { isMobile: true, hasTouch: true } : {}),
    });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    await setup(context, page);
    await page.goto(base + url, { waitUntil: 'load' });
    return { context, page, problems };
  }

  it('loads nothing from Kakao until KakaoTalk is pressed, then its SDK once, with the article', async () => {
    const { context, page, problems } = await open(
      'desktop',
      `/news/${articleId}`,
      async (_c, p) => {
        // The SDK's integrity hash cannot match the stand-in: record it instead of enforcing it.
        await p.addInitScript(() => {
          Object.defineProperty(HTMLScriptElement.prototype, 'integrity', {
            configurable: true,
            get(this: HTMLScriptElement) {
              return this.dataset.sri ?? '';
            },
            set(this: HTMLScriptElement, value: string) {
              this.dataset.sri = value;
            },
          });
        });
        await p.route('https://t1.kakaocdn.net/**', (route) =>
          route.fulfill({
            status: 200,
            contentType: 'text/javascript',
            headers: { 'access-control-allow-origin': '*' },
            body: FAKE_KAKAO_SDK,
          }),
        );
      },
    );
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.waitForLoadState('networkidle');
    const foreign = (urls: string[]) =>
      urls.filter((u) => !u.startsWith(base) && !u.startsWith('data:'));
    expect(foreign(requests)).toEqual([]);
    expect(await page.evaluate(() => 'Kakao' in window)).toBe(false);

    await page.locator('[data-share="kakao"]').click();
    await page.waitForFunction(
      () => (window as { __kakao?: { shares: unknown[] } }).__kakao?.shares.length === 1,
    );
    await page.locator('[data-share="kakao"]').click();
    await page.waitForFunction(
      () => (window as { __kakao?: { shares: unknown[] } }).__kakao?.shares.length === 2,
    );
    expect(foreign(requests)).toEqual([KAKAO_SDK.src]);
    const loaded = await page.evaluate(() => {
      const script = document.querySelector<HTMLScriptElement>(
        'script[src^="https://t1.kakaocdn.net/"]',
      );
      return {
        integrity: script?.dataset.sri,
        crossOrigin: script?.crossOrigin,
        calls: (window as unknown as { __kakao: { inits: string[]; shares: unknown[] } }).__kakao,
      };
    });
    expect(loaded.integrity).toBe(KAKAO_SDK.integrity);
    expect(loaded.crossOrigin).toBe('anonymous');
    expect(loaded.calls.inits).toEqual([KAKAO_KEY]);
    const url = `https://news.example.kr/news/${articleId}`;
    const link = { mobileWebUrl: url, webUrl: url };
    expect(loaded.calls.shares[0]).toEqual({
      objectType: 'feed',
      content: {
        title,
        description: '정치 부제 첫 줄 정치 부제 둘째 줄',
        imageUrl: 'https://news.example.kr/media/fixture/photo.jpg',
        link,
      },
      buttons: [{ title: '기사 보기', link }],
    });
    expect(problems).toEqual([]);
    await context.close();
  });

  it('copies the address with a visible confirmation, and links to Facebook, X and 밴드 in new tabs', async () => {
    const { context, page, problems } = await open('desktop', `/news/${articleId}`, async (c) => {
      await c.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
    });
    await page.locator('[data-share="copy"]').click();
    const status = page.locator('[data-tools-status]');
    await expect.poll(() => status.textContent()).toBe('기사 주소를 복사했습니다.');
    expect(await status.isVisible()).toBe(true);
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(
      `https://news.example.kr/news/${articleId}`,
    );
    await page
      .locator('.article-tools')
      .screenshot({ path: path.join(SCREENSHOTS, 'article-tools-desktop.png') });
    for (const cls of ['share-facebook', 'share-x', 'share-band']) {
      const link = page.locator(`a.${cls}`);
      expect(await link.getAttribute('target'), cls).toBe('_blank');
      expect(await link.getAttribute('rel'), cls).toBe('noopener noreferrer');
    }
    // Desktops keep their buttons; the phone's share sheet is for phones.
    expect(await page.locator('.share-native').isVisible()).toBe(false);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('offers the phone’s own share sheet on a phone', async () => {
    const { context, page, problems } = await open('phone', `/news/${articleId}`, async (_c, p) => {
      await p.addInitScript(() => {
        Object.defineProperty(Navigator.prototype, 'share', {
          configurable: true,
          value(data: ShareData) {
            (window as unknown as { __shared: ShareData }).__shared = data;
            return Promise.resolve();
          },
        });
      });
    });
    await page.locator('[data-share="native"]').click();
    expect(
      await page.evaluate(() => (window as unknown as { __shared: ShareData }).__shared),
    ).toEqual({
      title,
      text: '정치 부제 첫 줄 정치 부제 둘째 줄',
      url: `https://news.example.kr/news/${articleId}`,
    });
    await page
      .locator('.article-tools')
      .screenshot({ path: path.join(SCREENSHOTS, 'article-tools-phone.png') });
    expect(problems).toEqual([]);
    await context.close();
  });

  it('sets the font size in five steps, remembers it, and applies it before the first paint', async () => {
    const { context, page, problems } = await open('phone', `/news/${articleId}`);
    const size = () =>
      page.locator('.article-body').evaluate((el) => getComputedStyle(el).fontSize);
    expect(await size()).toBe('18px');
    const bigger = page.locator('[data-font-step="1"]');
    await bigger.click();
    await bigger.click();
    expect(await size()).toBe('22px');
    await bigger.click();
    expect(await size()).toBe('25px');
    expect(await bigger.getAttribute('aria-disabled')).toBe('true');
    await expect
      .poll(() => page.locator('[data-tools-status]').textContent())
      .toBe('글자 크기 5단계 (5단계 중)');
    await page.locator('[data-font-step="-1"]').click();

    // A new page of the site opens at the chosen size with nothing moving as it appears.
    await page.addInitScript(() => {
      (window as unknown as { __shifts: number }).__shifts = 0;
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries())
          (window as unknown as { __shifts: number }).__shifts += (
            entry as unknown as { value: number }
          ).value;
      }).observe({ type: 'layout-shift', buffered: true });
    });
    await page.goto(`${base}/news/${articleId}`, { waitUntil: 'load' });
    expect(await size()).toBe('22px');
    expect(await page.evaluate(() => document.documentElement.dataset.fontSize)).toBe('4');
    await page.waitForTimeout(300);
    expect(await page.evaluate(() => (window as unknown as { __shifts: number }).__shifts)).toBe(0);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('prints the article, its photo, caption, byline and address, without navigation or banners', async () => {
    const { context, page } = await open('desktop', `/news/${articleId}`);
    await page.emulateMedia({ media: 'print' });
    for (const hidden of [
      '.site-nav',
      '.ticker',
      '.banner',
      '.article-tools',
      '.article-rail',
      '.footer-links',
    ])
      expect(await page.locator(hidden).first().isVisible(), hidden).toBe(false);
    for (const shown of [
      '.article-title',
      '.article-body figure img',
      '.article-body figcaption',
      '.byline',
      '.print-url',
    ])
      expect(await page.locator(shown).first().isVisible(), shown).toBe(true);
    expect(await page.locator('.print-url').textContent()).toBe(
      `https://news.example.kr/news/${articleId}`,
    );
    await page.screenshot({ path: path.join(SCREENSHOTS, 'article-print.png'), fullPage: true });
    await context.close();
  });

  for (const kind of ['phone', 'desktop'] as const) {
    it(`turns the weather ticker by whole places, never cutting one, on a ${kind}`, async () => {
      const { context, page, problems } = await open(kind, '/', async (_c, p) => {
        await p.clock.install();
      });
      const seen = new Set<string>();
      for (let turn = 0; turn < 4; turn++) {
        const lines = await page.evaluate(() => {
          const viewport = document.querySelector('.ticker-viewport')!.getBoundingClientRect();
          return [...document.querySelectorAll<HTMLElement>('.ticker-list li')].map((li) => {
            const r = li.getBoundingClientRect();
            const inside =
              r.left >= viewport.left - 0.5 &&
              r.right <= viewport.right + 0.5 &&
              r.top >= viewport.top - 0.5 &&
              r.bottom <= viewport.bottom + 0.5;
            const outside =
              r.bottom <= viewport.top + 0.5 ||
              r.top >= viewport.bottom - 0.5 ||
              r.right <= viewport.left + 0.5 ||
              r.left >= viewport.right - 0.5;
            return { text: li.textContent ?? '', inside, outside };
          });
        });
        expect(
          lines.filter((l) => !l.inside && !l.outside),
          `turn ${turn}`,
        ).toEqual([]);
        const shown = lines.filter((l) => l.inside).map((l) => l.text);
        expect(shown.length, `turn ${turn}`).toBeGreaterThan(0);
        for (const text of shown) seen.add(text);
        if (turn === 0)
          await page
            .locator('.ticker')
            .screenshot({ path: path.join(SCREENSHOTS, `ticker-${kind}.png`) });
        await page.clock.runFor(4_100);
        // The roll itself is a short CSS transition, in real time.
        await page.waitForTimeout(600);
      }
      // Turning showed more places than one line holds.
      expect(seen.size).toBeGreaterThan(kind === 'phone' ? 3 : 7);
      expect(problems).toEqual([]);
      await context.close();
    });
  }

  it('lets a phone reader close the bottom banner for the day, its label clear of the creative', async () => {
    const { context, page, problems } = await open('phone', `/news/${articleId}`);
    const bar = page.locator('.banner-mobile-sticky');
    await page.waitForLoadState('networkidle');
    expect(await bar.isVisible()).toBe(true);
    const [label, close, creative] = await Promise.all([
      page.locator('.banner-mobile-sticky .banner-label').boundingBox(),
      page.locator('.banner-close').boundingBox(),
      page.locator('.banner-mobile-sticky .banner-item:not([hidden]) img').boundingBox(),
    ]);
    expect(label!.y + label!.height).toBeLessThanOrEqual(creative!.y);
    expect(close!.y + close!.height).toBeLessThanOrEqual(creative!.y);
    expect(close!.height).toBeGreaterThanOrEqual(24);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'sticky-banner-phone.png') });

    await page.locator('.banner-close').click();
    expect(await bar.isVisible()).toBe(false);
    await page.goto(`${base}/`, { waitUntil: 'domcontentloaded' });
    expect(await page.locator('.banner-mobile-sticky').isVisible()).toBe(false);
    const kstToday = await page.evaluate(() => localStorage.getItem('tamna:sticky-closed'));
    expect(kstToday).toBe(new Date(Date.now() + 9 * HOUR).toISOString().slice(0, 10));
    // The next day it is back.
    await page.evaluate(() => localStorage.setItem('tamna:sticky-closed', '2000-01-01'));
    await page.reload({ waitUntil: 'load' });
    expect(await page.locator('.banner-mobile-sticky').isVisible()).toBe(true);
    expect(problems).toEqual([]);
    await context.close();
  });
});
