/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../cli/demo/seed-demo.ts';
import { createTestApp, type TestApp } from '../../testing/app.ts';
import { launchChromium } from '../../testing/browser.ts';

const SCREENSHOTS = path.resolve(import.meta.dirname, '../../../test-artifacts/screenshots');

const VIEWPORTS = [
  { name: 'mobile', width: 390, height: 844 },
  { name: 'desktop', width: 1280, height: 900 },
] as const;

describe('public site in Chromium', () => {
  let app: TestApp;
  let browser: Browser;
  let base: string;
  let articleId: number;

  beforeAll(async () => {
    app = await createTestApp({ now: Date.now() });
    await seedDemo(app);
    await app.http.listen({ host: '127.0.0.1', port: 0 });
    const address = app.http.server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    base = `http://127.0.0.1:${address.port}`;
    const photoStory = await app.services.content.latestPhotoStories(1);
    const front = await app.services.content.frontPage();
    articleId = front.headline?.id ?? photoStory[0]?.id ?? 1;
    browser = await launchChromium();
    mkdirSync(SCREENSHOTS, { recursive: true });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  /** Opens a page, failing on console errors, failed requests and horizontal overflow. */
  async function visit(page: Page, url: string): Promise<void> {
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning')
        problems.push(`console ${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('requestfailed', (r) =>
      problems.push(`request failed: ${r.url()} ${r.failure()?.errorText ?? ''}`),
    );
    page.on('response', (r) => {
      if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
    });
    await page.goto(base + url, { waitUntil: 'load' });
    // Lazy images below the fold must load too: scroll through the page.
    await page.evaluate(async () => {
      for (let y = 0; y < document.body.scrollHeight; y += 600) {
        window.scrollTo(0, y);
        await new Promise((r) => setTimeout(r, 20));
      }
      window.scrollTo(0, 0);
    });
    await page.waitForLoadState('networkidle');
    const overflow = await page.evaluate(() => {
      const width = document.documentElement.clientWidth;
      const wide = [...document.querySelectorAll<HTMLElement>('body *')]
        .filter((el) => {
          const r = el.getBoundingClientRect();
          if (r.width === 0 || r.right <= width + 1) return false;
          // Content clipped by a scrolling or hidden-overflow ancestor (the ticker) is fine.
          for (let p = el.parentElement; p; p = p.parentElement) {
            const o = getComputedStyle(p).overflowX;
            if (o === 'hidden' || o === 'auto' || o === 'scroll' || o === 'clip') return false;
          }
          return true;
        })
        .slice(0, 5)
        .map((el) => `${el.tagName.toLowerCase()}.${el.className}`);
      return { scrollWidth: document.documentElement.scrollWidth, width, wide };
    });
    expect(overflow.wide, `elements wider than the viewport on ${url}`).toEqual([]);
    expect(overflow.scrollWidth).toBeLessThanOrEqual(overflow.width);
    const broken = await page.evaluate(() =>
      [...document.images]
        .filter((img) => img.complete && img.naturalWidth === 0)
        .map((img) => img.currentSrc || img.src),
    );
    expect(broken, `broken images on ${url}`).toEqual([]);
    expect(problems).toEqual([]);
  }

  for (const vp of VIEWPORTS) {
    it(`front page at ${vp.width}px`, async () => {
      const page = await browser.newPage({ viewport: { width: vp.width, height: vp.height } });
      await visit(page, '/');
      await expect(page.locator('.today').textContent()).resolves.toMatch(
        /^\d{4}\.\d{2}\.\d{2} \([일월화수목금토]\)$/,
      );
      expect(await page.locator('.ticker-list').first().locator('li').count()).toBe(16);
      await expect(page.locator('.ticker-source').textContent()).resolves.toContain('기상청 제공');
      expect(await page.locator('.section-box, .teaser-box').count()).toBeGreaterThanOrEqual(6);
      expect(await page.locator('.wide-photo-grid li').count()).toBeGreaterThanOrEqual(5);
      const fontFamily = await page.locator('body').evaluate((b) => getComputedStyle(b).wordBreak);
      expect(fontFamily).toBe('keep-all');
      await page.screenshot({
        path: path.join(SCREENSHOTS, `front-${vp.name}.png`),
        fullPage: true,
      });
      await page.close();
    });

    it(`article page at ${vp.width}px`, async () => {
      const page = await browser.newPage({ viewport: { width: vp.width, height: vp.height } });
      await visit(page, `/news/${articleId}`);
      await expect(page.locator('h1.article-title').textContent()).resolves.not.toBe('');
      await expect(page.locator('.article-times').textContent()).resolves.toMatch(
        /입력 \d{4}\.\d{2}\.\d{2} \d{2}:\d{2}/,
      );
      expect(await page.locator('.article-body figure img').count()).toBeGreaterThanOrEqual(1);
      await expect(page.locator('.site-footer').textContent()).resolves.toContain(
        '청소년보호책임자',
      );
      await page.screenshot({
        path: path.join(SCREENSHOTS, `article-${vp.name}.png`),
        fullPage: true,
      });
      await page.close();
    });

    it(`photo section and 404 at ${vp.width}px`, async () => {
      const page = await browser.newPage({ viewport: { width: vp.width, height: vp.height } });
      await visit(page, '/section/photo');
      expect(await page.locator('.photo-grid li').count()).toBeGreaterThanOrEqual(6);
      await page.screenshot({
        path: path.join(SCREENSHOTS, `photo-section-${vp.name}.png`),
        fullPage: true,
      });
      const res = await page.goto(`${base}/news/99999999`);
      expect(res?.status()).toBe(404);
      await page.screenshot({ path: path.join(SCREENSHOTS, `not-found-${vp.name}.png`) });
      await page.close();
    });
  }

  it('reads fully without JavaScript', async () => {
    const context = await browser.newContext({
      javaScriptEnabled: false,
      viewport: { width: 390, height: 844 },
    });
    const page = await context.newPage();
    await page.goto(`${base}/news/${articleId}`);
    expect((await page.locator('.article-body').innerText()).length).toBeGreaterThan(200);
    await context.close();
  });
});
