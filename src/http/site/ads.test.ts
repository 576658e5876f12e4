import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../app.ts';
import { loadConfig } from '../../config/index.ts';
import { migrateToLatest } from '../../db/index.ts';
import type { BannerInput } from '../../domains/ads/index.ts';
import { kstDayNumber } from '../../domains/ads/index.ts';
import { ManualClock } from '../../shared/clock.ts';
import { createTestApp, REFERENCE_NOW, type TestApp } from '../../testing/app.ts';
import { freshDatabase, testDialects } from '../../testing/databases.ts';
import { seedFixture, type Fixture } from '../../testing/fixtures.ts';
import {
  DESKTOP_BROWSER as LAPTOP,
  GOOGLEBOT,
  PHONE_BROWSER as PHONE,
} from '../../testing/user-agents.ts';

const HOUR = 3_600_000;

const campaign = (overrides: Partial<BannerInput> = {}): BannerInput => ({
  slot: 'rail-1',
  title: '감귤 축제 광고',
  advertiser: '제주감귤농협',
  imageKey: 'ads/tangerine.png',
  width: 300,
  height: 250,
  linkUrl: 'https://festival.example/jeju?from=tamna',
  startsAt: REFERENCE_NOW - HOUR,
  endsAt: REFERENCE_NOW + 24 * HOUR,
  ...overrides,
});

describe.each(testDialects)('banners on the public site (%s)', (dialect) => {
  let app: TestApp;
  let fx: Fixture;

  beforeEach(async () => {
    app = await createTestApp({ dialect });
    fx = await seedFixture(app);
  });
  afterEach(async () => {
    await app.close();
  });

  const get = (url: string, ua = LAPTOP) =>
    app.http.inject({ method: 'GET', url, headers: { 'user-agent': ua } });
  const stored = async (id: number) =>
    (await app.services.adStats.daily(id, REFERENCE_NOW, REFERENCE_NOW))[0];

  it('shows a banner targeted at phones on phones only', async () => {
    const id = await app.services.banners.create(campaign({ device: 'mobile' }));
    expect((await get('/', PHONE)).body).toContain(`data-banner-id="${id}"`);
    expect((await get('/', LAPTOP)).body).not.toContain(`data-banner-id="${id}"`);
    expect((await get('/', LAPTOP)).body).not.toContain('banner-rail-1');
  });

  it('serves phones the footer slot’s phone-sized campaign, never the 970×90 strip shrunk to a line', async () => {
    const strip = await app.services.banners.create(
      campaign({ slot: 'above-footer', width: 970, height: 90 }),
    );
    const phoneHtml = (await get('/', PHONE)).body;
    expect(phoneHtml).not.toContain(`data-banner-id="${strip}"`);
    expect(phoneHtml).not.toContain('banner-above-footer');
    expect((await get('/', LAPTOP)).body).toContain(`data-banner-id="${strip}"`);
    const phoneSized = await app.services.banners.create(
      campaign({ slot: 'above-footer', width: 320, height: 100, device: 'mobile' }),
    );
    const again = (await get('/', PHONE)).body;
    expect(again).toContain(`data-banner-id="${phoneSized}"`);
    expect(again).not.toContain(`data-banner-id="${strip}"`);
  });

  it('shows a banner targeted at a section on that section and its articles only', async () => {
    const id = await app.services.banners.create(
      campaign({ slot: 'header-top', width: 970, height: 90, sections: ['politics'] }),
    );
    const marker = `data-banner-id="${id}"`;
    expect((await get('/section/politics')).body).toContain(marker);
    expect((await get(`/news/${fx.published[0]}`)).body).toContain(marker); // a politics piece
    expect((await get('/section/society')).body).not.toContain(marker);
    expect((await get('/')).body).not.toContain(marker);
  });

  it('renders every candidate of a slot with its weight, one shown, and a no-script pixel', async () => {
    const a = await app.services.banners.create(campaign({ title: '첫째', weight: 1 }));
    const b = await app.services.banners.create(campaign({ title: '둘째', weight: 4 }));
    const html = (await get('/')).body;
    expect(html).toContain(`data-banner-id="${a}" data-weight="1"`);
    expect(html).toContain(`data-banner-id="${b}" data-weight="4"`);
    const items = html.match(/class="banner-item"[^>]*>/g) ?? [];
    expect(items.filter((tag) => !tag.includes(' hidden'))).toHaveLength(1);
    expect(html).toMatch(/<noscript><img class="banner-pixel" src="\/ad\/view\?b=\d+"/);
    expect(html).toContain(`href="/ad/click/${b}"`);
    expect(html).not.toContain('festival.example');
  });

  it('puts the in-article banner after the slot’s paragraph, or leaves it out of a short body', async () => {
    const id = await app.services.banners.create(
      campaign({ slot: 'article-inline', width: 640, height: 120 }),
    );
    const article = fx.published[0] as number;
    // The fixture's bodies have two paragraphs: the default (after the third) does not fit.
    expect((await get(`/news/${article}`)).body).not.toContain(`data-banner-id="${id}"`);
    await app.services.banners.updateSlot('article-inline', {
      width: 640,
      height: 120,
      paragraph: 1,
      enabled: true,
    });
    app.cache.clear();
    const body = (await get(`/news/${article}`)).body;
    expect(body).toMatch(
      /지역 소식을 전합니다\.<\/p><aside class="banner banner-article-inline"[\s\S]*?<\/aside><p>둘째 문단입니다\.<\/p>/,
    );
  });

  it('runs an HTML tag only inside a sandboxed frame from /ad/frame', async () => {
    const tag = '<script src="https://ads.example/tag.js"></script><div id="ad">광고</div>';
    const id = await app.services.banners.create(campaign({ kind: 'html', htmlTag: tag }));
    const html = (await get('/')).body;
    expect(html).not.toContain('ads.example');
    expect(html).toMatch(
      new RegExp(
        `<iframe title="감귤 축제 광고" src="/ad/frame/${id}" width="300" height="250" sandbox="allow-scripts allow-popups allow-popups-to-escape-sandbox"`,
      ),
    );
    expect(html).not.toMatch(/sandbox="[^"]*allow-same-origin/);
    const frame = await get(`/ad/frame/${id}`);
    expect(frame.statusCode).toBe(200);
    expect(frame.headers['content-security-policy']).toMatch(/^sandbox allow-scripts /);
    expect(frame.body).toContain(tag);
    expect((await get('/ad/frame/999')).statusCode).toBe(404);
    expect((await get('/')).headers['content-security-policy']).toContain("frame-src 'self'");
  });

  it('redirects a click only to the campaign’s stored URL and counts it', async () => {
    const id = await app.services.banners.create(campaign());
    const click = await get(`/ad/click/${id}?to=https://evil.example`);
    expect(click.statusCode).toBe(302);
    expect(click.headers.location).toBe('https://festival.example/jeju?from=tamna');
    expect(click.headers['cache-control']).toBe('no-store');
    for (const url of ['/ad/click/999999', '/ad/click/abc', '/ad/click/0', '/ad/click/1e3']) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(404);
      expect(res.headers.location, url).toBeUndefined();
    }
    const html = await app.services.banners.create(campaign({ kind: 'html', htmlTag: '<p>x</p>' }));
    expect((await get(`/ad/click/${html}`)).statusCode).toBe(404);
    await get(`/ad/click/${id}`, GOOGLEBOT);
    await app.services.adStats.flush();
    expect(await stored(id)).toMatchObject({ clicks: 1 });
  });

  it('counts impressions from the beacon and the pixel, not from bots, prefetches or made-up ids', async () => {
    const id = await app.services.banners.create(campaign());
    const beacon = (url: string, headers: Record<string, string> = {}) =>
      app.http.inject({
        method: 'POST',
        url,
        headers: { 'user-agent': LAPTOP, 'content-type': 'text/plain;charset=UTF-8', ...headers },
        payload: '',
      });
    expect((await beacon(`/ad/view?b=${id}`)).statusCode).toBe(204);
    const pixel = await get(`/ad/view?b=${id}`);
    expect(pixel.statusCode).toBe(200);
    expect(pixel.headers['content-type']).toBe('image/gif');
    expect((await beacon(`/ad/view?b=${id}`, { 'user-agent': GOOGLEBOT })).statusCode).toBe(204);
    expect((await beacon(`/ad/view?b=${id}`, { 'sec-purpose': 'prefetch' })).statusCode).toBe(204);
    expect((await beacon('/ad/view?b=424242')).statusCode).toBe(204);
    const bad = await beacon('/ad/view?b=<script>');
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toBe('b에 광고 번호를 주세요.');
    await app.services.adStats.flush();
    expect(await stored(id)).toMatchObject({ impressions: 2 });
    expect(await app.services.adStats.totals()).toEqual(
      new Map([[id, { impressions: 2, clicks: 0 }]]),
    );
  });
});

describe('banner counts on shutdown', () => {
  it('writes counts still in memory when the app closes (the SIGTERM path)', async () => {
    const database = await freshDatabase('sqlite');
    try {
      await migrateToLatest(database);
      const app = await createApp(loadConfig({ TAMNA_DATA_DIR: '/tmp/tamna-ads-close' }), {
        clock: new ManualClock(REFERENCE_NOW),
        database,
        logger: pino({ level: 'silent' }),
        backgroundJobs: false,
      });
      const id = await app.services.banners.create(campaign());
      for (let i = 0; i < 3; i++) app.services.adStats.impression(id);
      app.services.adStats.click(id);
      await app.close();
      const rows = await database.db.selectFrom('banner_daily').selectAll().execute();
      expect(rows.map((r) => ({ ...r, banner_id: Number(r.banner_id) }))).toEqual([
        { banner_id: id, day: kstDayNumber(REFERENCE_NOW), impressions: 3, clicks: 1 },
      ]);
    } finally {
      await database.close();
    }
  });
});
