/// <reference lib="dom" />
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../testing/app.ts';
import { launchChromium } from '../../../testing/browser.ts';
import { seedFixture, type Fixture } from '../../../testing/fixtures.ts';

const SCREENSHOTS = path.resolve(import.meta.dirname, '../../../../test-artifacts/screenshots');
const PASSWORD = '한라산-백록담-2025';

describe('첫 화면 편집 in Chromium', () => {
  let app: TestApp;
  let fx: Fixture;
  let browser: Browser;
  let base: string;
  let lead: number;

  beforeAll(async () => {
    app = await createTestApp({ now: Date.now() });
    fx = await seedFixture(app, { articlesPerSection: 2 });
    lead = await app.services.writer.createArticle({
      sectionId: fx.sections.society,
      title: '서귀포 해안도로 낙석… 차량 통제',
      bodyHtml: '<p>오늘 오후 서귀포 해안도로에 낙석이 떨어져 차량 통행이 통제됐다.</p>',
      status: 'published',
      publishedAt: app.clock.now() - 30 * 60_000,
      authorIds: [fx.authorId],
    });
    await app.services.accounts.createUser({
      email: 'desk@tamnailbo.example',
      name: '오데스크',
      role: 'desk',
      password: PASSWORD,
    });
    await app.http.listen({ host: '127.0.0.1', port: 0 });
    const address = app.http.server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    base = `http://127.0.0.1:${address.port}`;
    mkdirSync(SCREENSHOTS, { recursive: true });
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  beforeEach(async () => {
    await app.database.db.deleteFrom('front_slots').execute();
  });

  async function open(width: number): Promise<{ page: Page; errors: string[] }> {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error' && !m.text().includes('404')) errors.push(m.text());
    });
    page.on('response', (r) => {
      // The fixture's articles point at an image file that the fixture does not write.
      if (r.status() >= 400 && !r.url().includes('/media/fixture/'))
        errors.push(`HTTP ${r.status()} ${r.url()}`);
    });
    await page.goto(`${base}/admin`);
    await page.fill('input[name=email]', 'desk@tamnailbo.example');
    await page.fill('input[name=password]', PASSWORD);
    await Promise.all([page.waitForURL(`${base}/admin`), page.click('button[type=submit]')]);
    await page.goto(`${base}/admin/front`);
    await page.waitForSelector('body.front-js');
    return { page, errors };
  }

  const place = (area: string, index: number) =>
    `.front-place[data-area="${area}"][data-place="${index}"]`;
  const valueOf = (page: Page, area: string, index: number) =>
    page.inputValue(`${place(area, index)} .front-place-input`);
  const status = (page: Page) => page.textContent('[data-front-status]');

  it('moves articles by keyboard, announcing each step, and saves', async () => {
    const { page, errors } = await open(1280);
    // Find the piece, choose the headline place, put it there.
    await page.fill('[data-front-search] input[name=q]', '낙석');
    await page.waitForFunction(() => document.querySelectorAll('.front-result').length === 1);
    await page.waitForSelector(`.front-result[data-id="${lead}"] button`);
    await page.click(`${place('headline', 0)} .front-place-number`);
    await page.click(`.front-result[data-id="${lead}"] button`);
    expect(await valueOf(page, 'headline', 0)).toBe(String(lead));
    expect(await status(page)).toContain(`${lead}번 기사를 머리기사 1번째 자리에 놓았습니다.`);

    // Space picks it up, the arrows carry it into 주요 기사, Space puts it down.
    await page.focus(place('headline', 0));
    await page.keyboard.press('Space');
    expect(await status(page)).toContain(`${lead}번 기사를 들었습니다.`);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    expect(await status(page)).toContain('주요 기사 2번째 자리로 옮겼습니다');
    await page.keyboard.press('Space');
    expect(await status(page)).toContain(`${lead}번 기사를 주요 기사 2번째 자리에 내려놓았습니다.`);
    expect(await valueOf(page, 'headline', 0)).toBe('');
    expect(await valueOf(page, 'top', 1)).toBe(String(lead));
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-place'))).toBe('1');

    // Esc carries it back where it was.
    await page.keyboard.press('Enter');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    expect(await valueOf(page, 'top', 3)).toBe(String(lead));
    await page.keyboard.press('Escape');
    expect(await valueOf(page, 'top', 1)).toBe(String(lead));
    expect(await valueOf(page, 'top', 3)).toBe('');
    expect(await status(page)).toContain('옮기기를 취소했습니다.');

    await page.screenshot({ path: path.join(SCREENSHOTS, 'front-desk-arranging-desktop.png') });
    await Promise.all([
      page.waitForURL(/ok=arranged/),
      page.click('button:has-text("첫 화면 저장")'),
    ]);
    expect(await app.services.front.arrangement()).toEqual({ top: [null, lead] });
    expect(await page.textContent('.flash')).toContain('첫 화면 편집을 저장했습니다.');
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  it('drags with the mouse from the search and between places', async () => {
    const { page, errors } = await open(1280);
    const [first] = fx.published as [number];
    await page.fill('[data-front-search] input[name=q]', '낙석');
    await page.waitForSelector(`.front-result[data-id="${lead}"]`);
    await page.dragAndDrop(`.front-result[data-id="${lead}"]`, place('headline', 0));
    expect(await valueOf(page, 'headline', 0)).toBe(String(lead));
    await page.fill('[data-front-search] input[name=q]', String(first));
    await page.waitForSelector(`.front-result[data-id="${first}"]`);
    await page.dragAndDrop(`.front-result[data-id="${first}"]`, place('top', 0));
    // Dropping a pinned card on another pinned place trades the two.
    await page.dragAndDrop(`${place('top', 0)} .front-card`, place('headline', 0));
    expect(await valueOf(page, 'headline', 0)).toBe(String(first));
    expect(await valueOf(page, 'top', 0)).toBe(String(lead));
    expect(await page.textContent(`${place('top', 0)} .front-card`)).toContain('낙석');
    await page.click(`${place('top', 0)} .front-unpin`);
    expect(await valueOf(page, 'top', 0)).toBe('');
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  it('shows the unsaved arrangement in phone and desktop frames', async () => {
    const { page, errors } = await open(1280);
    await page.fill('[data-front-search] input[name=q]', '낙석');
    await page.waitForSelector(`.front-result[data-id="${lead}"]`);
    await page.dragAndDrop(`.front-result[data-id="${lead}"]`, place('headline', 0));
    for (const name of ['front-preview-phone', 'front-preview-desktop']) {
      const frame = page.frame({ name });
      expect(frame).not.toBeNull();
      await frame?.waitForFunction(
        () => document.querySelector('.headline-title')?.textContent?.includes('낙석') === true,
        undefined,
        { timeout: 15_000 },
      );
    }
    const widths = await Promise.all(
      ['front-preview-phone', 'front-preview-desktop'].map((name) =>
        page.frame({ name })?.evaluate(() => document.documentElement.clientWidth),
      ),
    );
    expect(widths[0]).toBeLessThanOrEqual(390);
    expect(widths[0]).toBeGreaterThan(370);
    expect(widths[1]).toBeGreaterThan(1260);
    // Readers still see the saved front page.
    expect(await app.services.front.arrangement()).toEqual({});
    const publicFront = await (await fetch(`${base}/`)).text();
    expect(/<article class="headline">[\s\S]*?<\/article>/.exec(publicFront)?.[0]).not.toContain(
      '낙석',
    );
    await page.locator('.front-preview').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'front-desk-preview-desktop.png') });
    expect(errors).toEqual([]);
    await page.close();

    const phone = await open(390);
    await phone.page.screenshot({
      path: path.join(SCREENSHOTS, 'front-desk-phone.png'),
      fullPage: true,
    });
    expect(phone.errors).toEqual([]);
    await phone.page.close();
  }, 90_000);
});
