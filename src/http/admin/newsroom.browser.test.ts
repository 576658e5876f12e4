/// <reference lib="dom" />
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/app.ts';
import { launchChromium } from '../../testing/browser.ts';
import { startFakeSmtp, type FakeSmtp } from '../../testing/fake-smtp.ts';
import { seedFixture, type Fixture } from '../../testing/fixtures.ts';

const SCREENSHOTS = path.resolve(import.meta.dirname, '../../../test-artifacts/screenshots');
const PASSWORD = '한라산-백록담-2025';
const HOUR = 60 * 60 * 1000;

describe('the newsroom in Chromium', () => {
  let app: TestApp;
  let fx: Fixture;
  let browser: Browser;
  let base: string;
  let photoFile: string;
  let adId: number;
  let smtp: FakeSmtp;

  beforeAll(async () => {
    smtp = await startFakeSmtp();
    app = await createTestApp({ now: Date.now(), env: { TAMNA_SMTP_URL: smtp.url } });
    fx = await seedFixture(app, { articlesPerSection: 2 });
    for (const [role, name] of [
      ['reporter', '강서윤'],
      ['desk', '오데스크'],
      ['admin', '고한결'],
    ] as const) {
      await app.services.accounts.createUser({
        email: `${role}@tamnailbo.example`,
        name,
        role,
        password: PASSWORD,
      });
    }
    // A campaign with a few days of counts, for the banner desk's screenshots.
    await app.services.media.put(
      'ads/snow.png',
      await sharp({ create: { width: 600, height: 500, channels: 3, background: '#dfe9f3' } })
        .png()
        .toBuffer(),
    );
    const now = app.clock.now();
    adId = await app.services.banners.create({
      slot: 'rail-1',
      title: '한라산 눈꽃 축제',
      advertiser: '제주관광공사',
      imageKey: 'ads/snow.png',
      width: 300,
      height: 250,
      linkUrl: 'https://festival.example/halla',
      startsAt: now - 10 * 86_400_000,
      endsAt: now + 20 * 86_400_000,
      weight: 3,
    });
    for (let day = 9; day >= 0; day--) {
      app.clock.set(now - day * 86_400_000);
      for (let i = 0; i < 200 + ((day * 37) % 120); i++) app.services.adStats.impression(adId);
      for (let i = 0; i < 3 + (day % 4); i++) app.services.adStats.click(adId);
      await app.services.adStats.flush();
    }
    app.clock.set(now);
    await app.http.listen({ host: '127.0.0.1', port: 0 });
    const address = app.http.server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    base = `http://127.0.0.1:${address.port}`;
    mkdirSync(SCREENSHOTS, { recursive: true });
    photoFile = path.join(SCREENSHOTS, '..', 'upload-harbour.jpg');
    await sharp({
      create: { width: 1600, height: 900, channels: 3, background: { r: 30, g: 110, b: 160 } },
    })
      .jpeg()
      .toFile(photoFile);
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await smtp?.close();
  });

  async function signIn(page: Page, role: 'reporter' | 'desk' | 'admin'): Promise<void> {
    await page.goto(`${base}/admin`);
    await expect(page.url()).toContain('/admin/login');
    await page.fill('input[name=email]', `${role}@tamnailbo.example`);
    await page.fill('input[name=password]', PASSWORD);
    await Promise.all([page.waitForURL(`${base}/admin`), page.click('button[type=submit]')]);
  }

  async function signOut(page: Page): Promise<void> {
    await Promise.all([
      page.waitForURL(/\/admin\/login/),
      page.click('.admin-user button[type=submit]'),
    ]);
  }

  it('takes an article from a reporter through the desk to the front page', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('response', (r) => {
      // The fixture's articles point at an image file that the fixture does not write.
      if (r.status() >= 400 && !r.url().includes('/media/fixture/'))
        errors.push(`HTTP ${r.status()} ${r.url()}`);
    });

    // The reporter uploads a photo to the library, then writes and submits an article.
    await signIn(page, 'reporter');
    await page.goto(`${base}/admin/photos`);
    await page.setInputFiles('.upload-form input[type=file]', photoFile);
    await page.fill('.upload-form input[name=caption]', '제주항에 들어오는 여객선');
    await page.fill('.upload-form input[name=credit]', '강서윤 기자');
    await Promise.all([page.waitForURL(/ok=uploaded/), page.click('.upload-form button')]);
    const photoId = (await page.locator('.photo-id').first().textContent())?.match(/\d+/)?.[0];
    expect(photoId).toBeDefined();

    await page.goto(`${base}/admin/articles/new`);
    await page.fill('#f-title', '제주항 여객선 증편… 주말 귀경길 숨통');
    await page.fill('#f-subtitle', '주말 사흘간 임시 증편\n매표소 혼잡 줄어');
    await page.selectOption('#f-sectionId', String(fx.sections.society));
    await page.fill('#f-tags', '여객선, 제주항');
    const editor = page.locator('.ProseMirror');
    await editor.click();
    await page.keyboard.type(
      '해운사는 이번 주말 제주와 목포를 잇는 여객선을 하루 두 차례 늘린다고 밝혔다.',
    );
    // The photo comes from 사진함 through the editor's picker, found by its caption; its
    // credit is corrected under the photo in the body.
    await page.getByRole('button', { name: '사진함', exact: true }).click();
    const picker = page.locator('.editor .photo-picker');
    await picker.getByLabel('검색어').fill('여객선');
    await picker.getByLabel('검색어').press('Enter');
    await picker.locator(`.photo-picker-tile[data-photo-id="${photoId}"]`).click();
    await page.locator('.editor-photo input[data-field="credit"]').fill('탐나일보 강서윤 기자');
    // Nothing chosen: the body's first photo is the featured one, offered by its picture.
    await expect(
      page.locator(`.featured-choice[data-photo-id="${photoId}"] img`).count(),
    ).resolves.toBe(1);
    await Promise.all([page.waitForURL(/ok=created/), page.click('.save-row button')]);
    const id = Number(/\/admin\/articles\/(\d+)/.exec(page.url())?.[1]);
    const created = await app.database.db
      .selectFrom('articles')
      .select('featured_photo_id')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(created.featured_photo_id).toBe(Number(photoId));
    // One photo, one credit: what was typed in the body is the library's now.
    expect((await app.services.photos.getPhoto(Number(photoId)))?.credit).toBe(
      '탐나일보 강서윤 기자',
    );
    // Autosave: a further sentence reaches the database without pressing 저장.
    await page.locator('.ProseMirror p').first().click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type(' 매표소도 새벽 6시부터 연다.');
    await page.waitForFunction(
      () => document.querySelector('[data-autosave-status]')?.textContent?.includes('자동 저장됨'),
      undefined,
      { timeout: 20_000 },
    );
    const autosaved = await app.database.db
      .selectFrom('articles')
      .select('body_html')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(autosaved.body_html).toContain('매표소도 새벽 6시부터 연다.');
    await page.screenshot({
      path: path.join(SCREENSHOTS, 'admin-editor-mobile.png'),
      fullPage: true,
    });
    // Typing, then 데스크로 보내기 at once: the typing is saved first and the browser never
    // asks "leave page?" (it did once, after an autosave).
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.type());
      void dialog.dismiss();
    });
    await page.locator('.ProseMirror').click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type(' 첫 배는 오전 7시에 뜬다.');
    await Promise.all([
      page.waitForURL(/ok=submitted/),
      page.click('form[action$="/submit"] button'),
    ]);
    expect(dialogs).toEqual([]);
    const submitted = await app.database.db
      .selectFrom('articles')
      .select('body_html')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(submitted.body_html).toContain('첫 배는 오전 7시에 뜬다.');
    await expect(page.locator('.status').first().textContent()).resolves.toBe('데스크 대기');
    await signOut(page);
    // The desk hears of it by mail (the local SMTP server) and by the badge.
    await app.services.notifications.idle();
    expect(
      smtp.mails.filter((m) => m.subject.includes('데스크로 보냈습니다')).map((m) => m.to.join()),
    ).toContain('desk@tamnailbo.example');

    // The desk sends it back with a comment.
    await page.setViewportSize({ width: 1280, height: 900 });
    await signIn(page, 'desk');
    await expect(page.locator('.notice-badge .count').textContent()).resolves.toBe('1');
    await expect(page.locator('.panel').first().textContent()).resolves.toContain(
      '제주항 여객선 증편',
    );
    await page.goto(`${base}/admin/articles/${id}`);
    await page.fill('form[action$="/send-back"] textarea', '해운사 이름을 밝혀 주세요.');
    await Promise.all([
      page.waitForURL(/ok=sent-back/),
      page.click('form[action$="/send-back"] button'),
    ]);
    await signOut(page);

    // The reporter sees why — by mail, on the badge, in 알림 — fixes it and submits again.
    await app.services.notifications.idle();
    const returned = smtp.mails.find(
      (m) => m.to.includes('reporter@tamnailbo.example') && m.subject.includes('반려'),
    );
    expect(returned?.text).toContain('해운사 이름을 밝혀 주세요.');
    await signIn(page, 'reporter');
    await expect(page.locator('.notice-badge .count').textContent()).resolves.toBe('1');
    await page.click('.notice-badge');
    await Promise.all([
      page.waitForURL(new RegExp(`/admin/articles/${id}$`)),
      page.click('.notifications li.unread a'),
    ]);
    await expect(page.locator('.notice-badge .count').count()).resolves.toBe(0);
    await expect(page.locator('.flash-error').first().textContent()).resolves.toContain(
      '해운사 이름을 밝혀 주세요.',
    );
    await page.fill('#f-title', '제주항 여객선 증편… 한라해운 주말 귀경길 숨통');
    await Promise.all([page.waitForURL(/ok=saved/), page.click('.save-row button')]);
    await Promise.all([
      page.waitForURL(/ok=submitted/),
      page.click('form[action$="/submit"] button'),
    ]);
    await signOut(page);

    // The desk publishes; the article is on the front page and its section page.
    await signIn(page, 'desk');
    await page.goto(`${base}/admin/articles/${id}`);
    await Promise.all([
      page.waitForURL(/ok=published/),
      page.click('form[action$="/publish"] button'),
    ]);
    await page.screenshot({
      path: path.join(SCREENSHOTS, 'admin-editor-desktop.png'),
      fullPage: true,
    });
    await page.goto(`${base}/`);
    await expect(page.content()).resolves.toContain('한라해운 주말 귀경길 숨통');
    await page.goto(`${base}/section/society`);
    await expect(page.content()).resolves.toContain('한라해운 주말 귀경길 숨통');
    await page.goto(`${base}/news/${id}`);
    await expect(page.locator('figure img').first().getAttribute('src')).resolves.toMatch(
      /^\/media\/photos\//,
    );
    // Shares get the featured photo cropped to 1200×630 around its focal point.
    await expect(
      page.locator('meta[property="og:image"]').getAttribute('content'),
    ).resolves.toMatch(/\/image\/photo\/\d+\/og-[\w-]+\.jpg$/);
    expect(errors).toEqual([]);
    await page.close();
  }, 90_000);

  it('uploads several photos into the body and picks the featured one by its picture', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await signIn(page, 'desk');
    await page.goto(`${base}/admin/articles/new`);
    await page.fill('#f-title', '오름 세 곳 가을 억새 절정');
    await page.selectOption('#f-sectionId', String(fx.sections.society));
    await page.locator('.ProseMirror').click();
    await page.keyboard.type('새별오름과 따라비오름, 아끈다랑쉬오름에 억새가 한창이다.');
    const jpeg = (background: string) =>
      sharp({ create: { width: 1200, height: 800, channels: 3, background } })
        .jpeg()
        .toBuffer();
    await page.locator('.editor-file').setInputFiles([
      { name: 'saebyeol.jpg', mimeType: 'image/jpeg', buffer: await jpeg('#c9a86a') },
      { name: 'ttarabi.jpg', mimeType: 'image/jpeg', buffer: await jpeg('#8aa36b') },
    ]);
    await expect.poll(() => page.locator('.editor-photo').count(), { timeout: 20_000 }).toBe(2);
    await expect.poll(() => page.locator('.editor-upload').count()).toBe(0);
    // Both photos are offered at once, before saving; automatic is still checked.
    const choices = page.locator('.featured-choice[data-photo-id]');
    await expect.poll(() => choices.count()).toBe(2);
    expect(await page.locator('.featured-auto input').isChecked()).toBe(true);
    const second = await choices.nth(1).getAttribute('data-photo-id');
    await choices.nth(1).click();
    // The focal point: a click on the featured photo, kept by every card crop.
    const stage = page.locator('.featured-focus-stage img');
    await stage.waitFor();
    await page.waitForFunction(() => {
      const img = document.querySelector<HTMLImageElement>('.featured-focus-stage img');
      return img !== null && img.complete && img.naturalWidth > 0;
    });
    const box = await stage.boundingBox();
    if (box === null) throw new Error('focus stage not visible');
    // Relative to the picture, scrolled into view by the click.
    await stage.click({ position: { x: box.width * 0.2, y: box.height * 0.3 } });
    await expect(page.locator('input[name=featuredFocusX]').inputValue()).resolves.toBe('20');
    await page.locator('.featured-choices').screenshot({
      path: path.join(SCREENSHOTS, 'admin-featured-choice-desktop.png'),
    });
    await Promise.all([page.waitForURL(/ok=created/), page.click('.save-row button')]);
    const id = Number(/\/admin\/articles\/(\d+)/.exec(page.url())?.[1]);
    expect(
      (
        await app.database.db
          .selectFrom('articles')
          .select('featured_photo_id')
          .where('id', '=', id)
          .executeTakeFirstOrThrow()
      ).featured_photo_id,
    ).toBe(Number(second));
    const focused = await app.services.photos.getPhoto(Number(second));
    expect([focused?.focalX, focused?.focalY]).toEqual([0.2, 0.3]);
    // The page comes back with the choice kept, by picture.
    expect(
      await page.locator(`.featured-choice[data-photo-id="${second}"] input`).isChecked(),
    ).toBe(true);
    await Promise.all([
      page.waitForURL(/ok=published/),
      page.click('form[action$="/publish"] button'),
    ]);
    const photo = await app.services.photos.getPhoto(Number(second));
    await page.goto(`${base}/news/${id}`);
    await expect(
      page.locator('meta[property="og:image"]').getAttribute('content'),
    ).resolves.toContain(`/image/photo/${photo!.id}/og-`);
    // Its card on the section page is placed on the focal point.
    await page.goto(`${base}/section/society`);
    await expect(
      page.locator(`img.fx-2.fy-3[src*="${photo!.storageKey.replace(/\.jpg$/, '')}"]`).count(),
    ).resolves.toBeGreaterThan(0);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${base}/admin/articles/${id}`);
    await page.locator('.featured-choices').screenshot({
      path: path.join(SCREENSHOTS, 'admin-featured-choice-mobile.png'),
    });
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  it('publishes a scheduled article at its time (injected clock)', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, 'desk');
    await page.goto(`${base}/admin/articles/new`);
    await page.fill('#f-title', '내일 아침 예약 기사');
    await page.selectOption('#f-sectionId', String(fx.sections.politics));
    await Promise.all([page.waitForURL(/ok=created/), page.click('.save-row button')]);
    const id = Number(/\/admin\/articles\/(\d+)/.exec(page.url())?.[1]);
    const at = new Date(app.clock.now() + 2 * HOUR + 9 * HOUR); // as KST wall-clock
    const local = at.toISOString().slice(0, 16);
    await page.fill('form[action$="/publish"] input[name=publishAt]', local);
    await Promise.all([
      page.waitForURL(/ok=scheduled/),
      page.click('form[action$="/publish"] button'),
    ]);
    await expect(page.locator('.status').first().textContent()).resolves.toBe('예약 송고');

    await page.goto(`${base}/section/politics`);
    await expect(page.content()).resolves.not.toContain('내일 아침 예약 기사');
    expect((await page.goto(`${base}/news/${id}`))?.status()).toBe(404);

    app.clock.advance(2 * HOUR + 60_000);
    await page.goto(`${base}/section/politics`);
    await expect(page.content()).resolves.toContain('내일 아침 예약 기사');
    expect((await page.goto(`${base}/news/${id}`))?.status()).toBe(200);
    await page.close();
  });

  it('keeps a reporter away from publishing and staff pages', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await signIn(page, 'reporter');
    await expect(page.locator('.admin-bar nav').textContent()).resolves.not.toContain('직원');
    const staff = await page.goto(`${base}/admin/staff`);
    expect(staff?.status()).toBe(403);
    await expect(page.locator('h1').textContent()).resolves.toBe('권한이 없습니다');
    expect((await page.goto(`${base}/admin/front`))?.status()).toBe(403);
    await page.goto(`${base}/admin/articles/new`);
    await page.fill('#f-title', '기자 초고');
    await page.selectOption('#f-sectionId', String(fx.sections.politics));
    await Promise.all([page.waitForURL(/ok=created/), page.click('.save-row button')]);
    expect(await page.locator('form[action$="/publish"]').count()).toBe(0);
    expect(await page.locator('form[action$="/submit"]').count()).toBe(1);
    await page.close();
  });

  it('picks bylines by name with the keyboard, in order, and adds an outside writer', async () => {
    await app.services.writer.createAuthor({ name: '부은별', email: 'bu@tamnailbo.example' });
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, 'desk');
    await page.goto(`${base}/admin/articles/new`);
    await page.fill('#f-title', '바이라인 고르기 시험');
    await page.selectOption('#f-sectionId', String(fx.sections.society));
    await page.fill('#f-tags', '감귤, 가파도, 농업');
    // A unique part of a name and Enter: a chip, and the box is empty for the next one.
    await page.click('[data-byline-search]');
    await page.keyboard.type('부은');
    await page.keyboard.press('Enter');
    await page.keyboard.type('김탐나');
    await page.keyboard.press('Enter');
    const chips = () => page.locator('.byline-chip .byline-name').allTextContents();
    // The desk editor's own name is there from the start.
    expect(await chips()).toEqual(['오데스크', '부은별', '김탐나']);
    expect(await page.inputValue('[data-byline-search]')).toBe('');
    // Enter in the box never submitted the article.
    expect(page.url()).toContain('/admin/articles/new');
    await page.click('button[aria-label="오데스크 빼기"]');
    // Focus moves to the next chip's ×, so a second Enter-free removal stays on the keyboard.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe(
      '부은별 빼기',
    );
    expect(await chips()).toEqual(['부은별', '김탐나']);
    await page.click('.byline-new summary');
    await page.fill('input[name=newAuthorName]', '한라산 칼럼니스트 고아무개');
    await page.fill('input[name=newAuthorTitle]', '객원 기자');
    await page.screenshot({
      path: path.join(SCREENSHOTS, 'admin-byline-picker-desktop.png'),
      fullPage: true,
    });
    await Promise.all([page.waitForURL(/ok=created/), page.click('.save-row button')]);
    expect(await chips()).toEqual(['부은별', '김탐나', '한라산 칼럼니스트 고아무개']);
    expect(await page.inputValue('#f-tags')).toBe('감귤, 가파도, 농업');
    await page.close();
  });

  it('saves a screenshot of each admin screen, on a phone and on a laptop', async () => {
    // Long Korean names everywhere a newsroom has them.
    await app.services.accounts.createUser({
      email: 'long-name-reporter@tamnailbo.example',
      name: '남궁서귀포시성산읍통신원',
      role: 'contributor',
      password: PASSWORD,
    });
    await app.services.writer.createSection({
      slug: 'jeju-special-self-governing-province-council',
      name: '제주특별자치도의회 행정사무감사 특별취재',
      position: 90,
    });
    await app.services.writer.createAuthor({
      name: '서귀포시 성산읍 명예 통신원 한라산',
      email: 'seongsan-honorary-correspondent@tamnailbo.example',
    });
    // A few readings, so 독자 통계 has bars and rows to show.
    for (const [i, articleId] of fx.published.slice(0, 4).entries()) {
      for (let n = 0; n < 8 - 2 * i; n++) {
        app.services.readers.recordView({
          articleId,
          userAgent:
            'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36',
          ip: `192.0.2.${i * 10 + n}`,
        });
      }
    }
    await app.services.readers.flush();
    for (const viewport of [
      { name: 'mobile', width: 390, height: 844 },
      { name: 'desktop', width: 1280, height: 900 },
    ]) {
      const page = await browser.newPage({ viewport });
      await page.goto(`${base}/admin/login`);
      await page.screenshot({ path: path.join(SCREENSHOTS, `admin-login-${viewport.name}.png`) });
      await signIn(page, 'admin');
      const id = fx.published[0] as number;
      const revision = (
        await app.services.desk.revisions({ id: 1, role: 'admin', name: '' }, id)
      )[0]?.id;
      const screens: [string, string][] = [
        ['dashboard', '/admin'],
        ['articles', '/admin/articles'],
        ['editor', `/admin/articles/${id}`],
        ['history', `/admin/articles/${id}/history`],
        ...(revision === undefined
          ? []
          : ([['revision', `/admin/articles/${id}/revisions/${revision}`]] as [string, string][])),
        ['photos', '/admin/photos'],
        ['sections', '/admin/sections'],
        ['bylines', '/admin/bylines'],
        ['series', '/admin/series'],
        ['front', '/admin/front'],
        ['staff', '/admin/staff'],
        ['weather', '/admin/weather'],
        ['readers', '/admin/readers'],
        ['ads', '/admin/ads'],
        ['ad-new', '/admin/ads/new'],
        ['ad-report', `/admin/ads/${adId}/report`],
        ['account', '/admin/account'],
        ['notifications', '/admin/notifications'],
      ];
      for (const [name, url] of screens) {
        const res = await page.goto(`${base}${url}`);
        expect(res?.status(), url).toBe(200);
        const overflow = await page.evaluate(
          () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
        );
        expect(overflow, `${url} scrolls sideways at ${viewport.width}px`).toBeLessThanOrEqual(0);
        // Table headers stay on one line (노출, 진행 중 broke one syllable per line).
        const wrapped = await page.evaluate(() =>
          [...document.querySelectorAll<HTMLElement>('table th')]
            .filter((th) => th.offsetParent !== null && th.textContent.trim() !== '')
            .filter((th) => {
              const range = document.createRange();
              range.selectNodeContents(th);
              const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
              return lines.size > 1;
            })
            .map((th) => th.textContent.trim()),
        );
        expect(wrapped, `${url} at ${viewport.width}px`).toEqual([]);
        await page.screenshot({
          path: path.join(SCREENSHOTS, `admin-${name}-${viewport.name}.png`),
          fullPage: true,
        });
      }
      // 미리보기 opens from the editor's button (a form post).
      await page.goto(`${base}/admin/articles/${id}`);
      await Promise.all([
        page.waitForURL(/\/preview$/),
        page.click('.page-head form[action$="/preview"] button'),
      ]);
      await page.locator('.preview-frames iframe').first().waitFor();
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow, `preview scrolls sideways at ${viewport.width}px`).toBeLessThanOrEqual(0);
      await page.screenshot({
        path: path.join(SCREENSHOTS, `admin-preview-${viewport.name}.png`),
        fullPage: true,
      });
      await page.close();
    }
    // Some thirty full-page screenshots on two shared cores.
  }, 180_000);
});
