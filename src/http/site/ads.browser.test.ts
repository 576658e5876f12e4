/// <reference lib="dom" />
import http from 'node:http';
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/app.ts';
import { launchChromium } from '../../testing/browser.ts';
import { seedFixture } from '../../testing/fixtures.ts';
import { DESKTOP_BROWSER as LAPTOP, PHONE_BROWSER as PHONE } from '../../testing/user-agents.ts';

const SCREENSHOTS = path.resolve(import.meta.dirname, '../../../test-artifacts/screenshots');
const HOUR = 3_600_000;

describe('a banner in Chromium', () => {
  let app: TestApp;
  let browser: Browser;
  let base: string;
  let advertiser: http.Server;
  let landing: string;
  let bannerId: number;

  beforeAll(async () => {
    // The advertiser's site: a local page, since these machines have no internet.
    advertiser = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<!doctype html><title>광고주</title><h1>감귤 축제에 오신 것을 환영합니다</h1>');
    });
    await new Promise<void>((resolve) => advertiser.listen(0, '127.0.0.1', resolve));
    landing = `http://127.0.0.1:${(advertiser.address() as AddressInfo).port}/festival?from=tamna`;

    app = await createTestApp({ now: Date.now() });
    await seedFixture(app, { articlesPerSection: 2 });
    const art = await sharp({
      create: { width: 600, height: 500, channels: 3, background: '#f28c28' },
    })
      .png()
      .toBuffer();
    await app.services.media.put('ads/festival.png', art);
    const now = app.clock.now();
    bannerId = await app.services.banners.create({
      slot: 'rail-1',
      title: '감귤 축제 광고',
      advertiser: '제주감귤농협',
      imageKey: 'ads/festival.png',
      width: 300,
      height: 250,
      linkUrl: landing,
      startsAt: now - HOUR,
      endsAt: now + 24 * HOUR,
      device: 'desktop',
    });
    await app.http.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(app.http.server.address() as AddressInfo).port}`;
    browser = await launchChromium();
    mkdirSync(SCREENSHOTS, { recursive: true });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await new Promise<void>((resolve) => advertiser.close(() => resolve()));
  });

  const stats = async () => {
    await app.services.adStats.flush();
    const [today] = await app.services.adStats.daily(bannerId, app.clock.now(), app.clock.now());
    return today;
  };

  it('shows on a desktop, counts the impression, and a click lands on the advertiser', async () => {
    // Headless Chromium says "HeadlessChrome", which the counters rightly take for a bot.
    const page = await browser.newPage({
      viewport: { width: 1280, height: 900 },
      userAgent: LAPTOP,
    });
    await page.goto(`${base}/`);
    const banner = page.locator(`.banner-rail-1 [data-banner-id="${bannerId}"]:not([hidden]) img`);
    await expect.poll(() => banner.isVisible()).toBe(true);
    await banner.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'banner-desktop.png') });
    await expect.poll(async () => (await stats())?.impressions ?? 0).toBeGreaterThanOrEqual(1);
    await Promise.all([page.waitForURL(landing), banner.click()]);
    expect(await page.locator('h1').textContent()).toBe('감귤 축제에 오신 것을 환영합니다');
    expect((await stats())?.clicks).toBe(1);
    await page.close();
  });

  it('keeps a phone’s sticky bottom banner on screen, and off desktops', async () => {
    const art = await sharp({
      create: { width: 640, height: 100, channels: 3, background: '#1d4f91' },
    })
      .png()
      .toBuffer();
    await app.services.media.put('ads/sticky.png', art);
    const now = app.clock.now();
    const sticky = await app.services.banners.create({
      slot: 'mobile-sticky',
      title: '탐나일보 속보 알림',
      imageKey: 'ads/sticky.png',
      width: 320,
      height: 50,
      linkUrl: '/section/society',
      startsAt: now - HOUR,
      endsAt: now + HOUR,
    });
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      userAgent: PHONE,
      isMobile: true,
    });
    const page = await context.newPage();
    await page.goto(`${base}/`);
    const bar = page.locator(`.banner-mobile-sticky [data-banner-id="${sticky}"]`);
    await expect.poll(() => bar.isVisible()).toBe(true);
    const box = await page.locator('.banner-mobile-sticky').boundingBox();
    expect(box !== null && Math.round(box.y + box.height)).toBe(844);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'banner-mobile-sticky.png') });
    await context.close();
    const desktop = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await desktop.goto(`${base}/`);
    expect(await desktop.locator('.banner-mobile-sticky').count()).toBe(0);
    await desktop.close();
  });

  it('does not show on a phone when targeted at desktops', async () => {
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      userAgent: PHONE,
      isMobile: true,
    });
    const page = await context.newPage();
    await page.goto(`${base}/`);
    expect(await page.locator(`[data-banner-id="${bannerId}"]`).count()).toBe(0);
    expect(await page.locator('.banner-rail-1').count()).toBe(0);
    await context.close();
  });
});
