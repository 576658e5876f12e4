/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../cli/demo/seed-demo.ts';
import { createTestApp, type TestApp } from '../../testing/app.ts';
import { launchChromium } from '../../testing/browser.ts';
import { forecastAround, seedReadings } from '../../testing/site-data.ts';

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
    await seedReadings(app);
    await app.http.listen({ host: '127.0.0.1', port: 0 });
    const address = app.http.server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    base = `http://127.0.0.1:${address.port}`;
    const photoStory = await app.services.content.latestPhotoStories(1);
    const front = await app.services.content.frontPage();
    articleId = front.headline?.id ?? photoStory[0]?.id ?? 1;
    await app.services.weather.saveForecast({
      region: app.config.weather.region.name,
      nx: 53,
      ny: 38,
      ...forecastAround(app.clock.now()),
    });
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

  for (const vp of VIEWPORTS) {
    it(`weather page at ${vp.width}px`, async () => {
      const page = await browser.newPage({ viewport: { width: vp.width, height: vp.height } });
      await visit(page, '/weather');
      expect(await page.locator('.weather-place').count()).toBe(16);
      await expect(page.locator('.weather-block-head h2').first().textContent()).resolves.toBe(
        '전국 날씨',
      );
      // 오늘 and 내일, each with an hourly strip; icons resolve to a symbol of the page.
      expect(await page.locator('.weather-day').count()).toBe(2);
      const icons = await page.evaluate(() =>
        [...document.querySelectorAll('.weather-page use')].map((u) => {
          const id = (u.getAttribute('href') ?? '').slice(1);
          return document.getElementById(id)?.tagName.toLowerCase() ?? `missing ${id}`;
        }),
      );
      expect(new Set(icons)).toEqual(new Set(['symbol']));
      // Tomorrow's 24 hours scroll inside their strip, never the page.
      const strip = page.locator('.weather-hours').last();
      const { scrollWidth, clientWidth } = await strip.evaluate((el) => ({
        scrollWidth: el.scrollWidth,
        clientWidth: el.clientWidth,
      }));
      expect(scrollWidth).toBeGreaterThan(clientWidth);
      await page.screenshot({
        path: path.join(SCREENSHOTS, `weather-${vp.name}.png`),
        fullPage: true,
      });
      await page.close();
    });
  }

  // 기자, tag and series pages (issue 16): the demo's first reporter, a tag, its series.
  for (const vp of VIEWPORTS) {
    it(`reporter, tag and series pages at ${vp.width}px`, async () => {
      const pages: [string, string, string][] = [
        ['reporter', '/reporter/1', '.profile-name'],
        ['tag', `/tag/${encodeURIComponent('판결')}`, '.section-head h1'],
        ['series', '/series/1', '.series-title'],
      ];
      for (const [name, url, heading] of pages) {
        const page = await browser.newPage({ viewport: { width: vp.width, height: vp.height } });
        await visit(page, url);
        await expect(page.locator(heading).textContent(), url).resolves.not.toBe('');
        expect(await page.locator('.teaser-row').count(), url).toBeGreaterThan(0);
        await page.screenshot({
          path: path.join(SCREENSHOTS, `${name}-${vp.name}.png`),
          fullPage: true,
        });
        await page.close();
      }
    });
  }

  it('serves a 기자 feed that Chromium reads as well-formed XML, whatever the titles', async () => {
    const title = '속보\u0001 <b>굵게</b> ]]> & \u0000끝\u000b';
    await app.services.writer.createArticle({
      sectionId: (await app.services.content.navigation())[0]?.id ?? 1,
      title,
      bodyHtml: '<p>]]&gt; 요약</p>',
      status: 'published',
      authorIds: [1],
    });
    const page = await browser.newPage();
    await page.goto(`${base}/reporter/1`);
    const feed = await page.evaluate(async () => {
      const href = document.querySelector('link[rel="alternate"]')?.getAttribute('href') ?? '';
      const text = await (await fetch(new URL(href).pathname)).text();
      const doc = new DOMParser().parseFromString(text, 'application/xml');
      return {
        error: doc.querySelector('parsererror')?.textContent ?? null,
        version: doc.documentElement.getAttribute('version'),
        first: doc.querySelector('item > title')?.textContent ?? null,
        dates: [...doc.querySelectorAll('item > pubDate')].map((d) => d.textContent ?? ''),
      };
    });
    expect(feed.error).toBeNull();
    expect(feed.version).toBe('2.0');
    expect(feed.first).toBe('속보 <b>굵게</b> ]]> & 끝');
    for (const date of feed.dates)
      expect(date).toMatch(/^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} \+0900$/);
    await page.close();
  });

  for (const vp of VIEWPORTS) {
    it(`switches 많이 본 뉴스 between 24시간 and 7일 by keyboard, without JavaScript, at ${vp.width}px`, async () => {
      const context = await browser.newContext({
        javaScriptEnabled: false,
        viewport: { width: vp.width, height: vp.height },
      });
      const page = await context.newPage();
      for (const url of ['/', `/news/${articleId}`]) {
        await page.goto(base + url);
        const day = page.locator('.most-read-panel-day');
        const week = page.locator('.most-read-panel-week');
        expect(await day.locator('li').count(), url).toBe(10);
        expect(await day.isVisible()).toBe(true);
        expect(await week.isVisible()).toBe(false);
        // Tab reaches the chosen period; an arrow key chooses the other, with a visible focus.
        await page.locator('#most-read-day').focus();
        await page.keyboard.press('ArrowRight');
        expect(await page.locator('#most-read-week').isChecked()).toBe(true);
        expect(await week.isVisible()).toBe(true);
        expect(await day.isVisible()).toBe(false);
        expect(
          await page
            .locator('label[for="most-read-week"]')
            .evaluate((label) => getComputedStyle(label).outlineStyle),
        ).toBe('solid');
        const box = page.locator('.most-read');
        await box.scrollIntoViewIfNeeded();
        if (url === '/')
          await box.screenshot({ path: path.join(SCREENSHOTS, `most-read-${vp.name}.png`) });
      }
      await context.close();
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
