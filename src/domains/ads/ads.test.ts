import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrateToLatest, type DatabaseHandle } from '../../db/index.ts';
import { tag } from '../../shared/cache-tags.ts';
import { ManualClock } from '../../shared/clock.ts';
import { pickByWeight, seededRandom } from '../../shared/weighted.ts';
import { freshDatabase, testDialects } from '../../testing/databases.ts';
import {
  createAdStats,
  createBannerStore,
  dailyStatsCsv,
  PHONE_MAX_BANNER_WIDTH,
  runsOn,
  targets,
  type BannerInput,
} from './index.ts';

const HOUR = 3_600_000;
/** 2025-12-10 00:00 KST. */
const MIDNIGHT = Date.UTC(2025, 11, 9, 15, 0);

const image = (overrides: Partial<BannerInput> = {}): BannerInput => ({
  slot: 'rail-1',
  title: '감귤 축제',
  advertiser: '제주감귤농협',
  imageKey: 'ads/tangerine.png',
  width: 300,
  height: 250,
  linkUrl: 'https://festival.example/jeju',
  startsAt: MIDNIGHT - 24 * HOUR,
  endsAt: MIDNIGHT + 24 * HOUR,
  ...overrides,
});

describe('banner rotation', () => {
  it('runs each banner in proportion to its weight (fixed seed, 60,000 picks)', () => {
    const random = seededRandom(20251209);
    const candidates = [
      { id: 'a', weight: 1 },
      { id: 'b', weight: 3 },
      { id: 'c', weight: 6 },
    ];
    const seen = { a: 0, b: 0, c: 0 };
    const picks = 60_000;
    for (let i = 0; i < picks; i++) seen[pickByWeight(candidates, random)!.id as 'a' | 'b' | 'c']++;
    // Binomial standard deviation is at most ~0.2 % here; allow five of them.
    expect(seen.a / picks).toBeCloseTo(0.1, 1);
    expect(Math.abs(seen.a / picks - 0.1)).toBeLessThan(0.01);
    expect(Math.abs(seen.b / picks - 0.3)).toBeLessThan(0.01);
    expect(Math.abs(seen.c / picks - 0.6)).toBeLessThan(0.01);
  });

  it('never picks a weightless banner beside weighted ones, and handles none', () => {
    const random = seededRandom(1);
    for (let i = 0; i < 1000; i++) {
      expect(
        pickByWeight(
          [
            { weight: 0, id: 'x' },
            { weight: 2, id: 'y' },
          ],
          random,
        )?.id,
      ).toBe('y');
    }
    expect(pickByWeight([], random)).toBeUndefined();
  });

  it('targets by device and by section', () => {
    const banner = {
      id: 1,
      slot: 'rail-1' as const,
      kind: 'image' as const,
      title: '',
      imageSrc: '',
      width: 1,
      height: 1,
      href: '',
      weight: 1,
      isSample: false,
    };
    const mobileSociety = { ...banner, device: 'mobile' as const, sections: ['society'] };
    expect(targets(mobileSociety, { device: 'mobile', section: 'society' })).toBe(true);
    expect(targets(mobileSociety, { device: 'desktop', section: 'society' })).toBe(false);
    expect(targets(mobileSociety, { device: 'mobile', section: 'politics' })).toBe(false);
    expect(targets(mobileSociety, { device: 'mobile', section: null })).toBe(false);
    const everywhere = { ...banner, device: 'all' as const, sections: [] };
    expect(targets(everywhere, { device: 'desktop', section: null })).toBe(true);
  });

  it('serves phones only creatives they can read: a 970×90 strip runs on desktops only', () => {
    const strip = { device: 'all' as const, width: 970 };
    expect(runsOn(strip, 'desktop')).toBe(true);
    expect(runsOn(strip, 'mobile')).toBe(false);
    expect(runsOn({ device: 'all', width: PHONE_MAX_BANNER_WIDTH }, 'mobile')).toBe(true);
    expect(runsOn({ device: 'mobile', width: 320 }, 'mobile')).toBe(true);
    expect(runsOn({ device: 'mobile', width: 320 }, 'desktop')).toBe(false);
  });
});

for (const dialect of testDialects) {
  describe(`banner campaigns on ${dialect}`, () => {
    let handle: DatabaseHandle;
    let clock: ManualClock;

    beforeEach(async () => {
      handle = await freshDatabase(dialect);
      await migrateToLatest(handle);
      clock = new ManualClock(MIDNIGHT - HOUR);
    });
    afterEach(async () => {
      await handle.close();
    });

    const store = () =>
      createBannerStore({ db: handle.db, clock, mediaUrl: (key) => `/media/${key}` });

    it('announces every campaign and slot change as tag.banners, never *', async () => {
      const heard: (readonly string[])[] = [];
      const banners = createBannerStore({
        db: handle.db,
        clock,
        mediaUrl: (key) => `/media/${key}`,
        onChange: (tags) => void heard.push(tags),
      });
      const id = await banners.create(image());
      await banners.update(id, image({ title: '고친 광고' }));
      await banners.setPaused(id, true);
      await banners.updateSlot('rail-1', {
        width: 300,
        height: 250,
        paragraph: null,
        enabled: true,
      });
      expect(heard).toEqual([[tag.banners], [tag.banners], [tag.banners], [tag.banners]]);
      // A refused change announces nothing.
      await expect(banners.setPaused(999_999, false)).rejects.toThrow();
      expect(heard).toHaveLength(4);
    });

    it('starts and ends exactly at KST midnight, and says when pages must change', async () => {
      const banners = store();
      const id = await banners.create(image({ startsAt: MIDNIGHT, endsAt: MIDNIGHT + 24 * HOUR }));
      clock.set(MIDNIGHT - 1);
      expect(await banners.running()).toEqual({});
      expect(await banners.nextChange()).toBe(MIDNIGHT);
      clock.set(MIDNIGHT);
      expect((await banners.running())['rail-1']?.map((b) => b.id)).toEqual([id]);
      expect(await banners.nextChange()).toBe(MIDNIGHT + 24 * HOUR);
      clock.set(MIDNIGHT + 24 * HOUR - 1);
      expect((await banners.running())['rail-1']).toHaveLength(1);
      clock.set(MIDNIGHT + 24 * HOUR);
      expect(await banners.running()).toEqual({});
    });

    it('offers every live, unpaused campaign of a slot, heaviest first, and nothing for a disabled slot', async () => {
      const banners = store();
      const light = await banners.create(image({ title: '가벼운 광고', weight: 1 }));
      const heavy = await banners.create(image({ title: '무거운 광고', weight: 5 }));
      const paused = await banners.create(image({ title: '멈춘 광고', paused: true }));
      expect((await banners.running())['rail-1']?.map((b) => b.id)).toEqual([heavy, light]);
      await banners.setPaused(paused, false);
      await banners.setPaused(heavy, true);
      expect((await banners.running())['rail-1']?.map((b) => b.id)).toEqual([light, paused]);
      await banners.updateSlot('rail-1', {
        width: 300,
        height: 250,
        paragraph: null,
        enabled: false,
      });
      expect(await banners.running()).toEqual({});
    });

    it('refuses bad campaigns with a clear message', async () => {
      const banners = store();
      await expect(banners.create(image({ endsAt: MIDNIGHT - 48 * HOUR }))).rejects.toThrow(
        '배너 종료 시각은 시작 시각보다 늦어야 합니다.',
      );
      await expect(banners.create(image({ linkUrl: 'javascript:alert(1)' }))).rejects.toThrow(
        '배너 링크는 http(s) 주소나 사이트 안의 경로여야 합니다.',
      );
      // Browsers read a backslash as a slash: each of these would leave the site.
      for (const linkUrl of [
        '//evil.example',
        '/\\evil.example',
        '/\\/evil.example',
        'https:/\\evil.example',
        'http://',
        '/a b',
      ]) {
        await expect(banners.create(image({ linkUrl })), linkUrl).rejects.toThrow('배너 링크는');
      }
      expect(await banners.create(image({ linkUrl: '/news/12?from=banner' }))).toBeGreaterThan(0);
      await expect(banners.create(image({ weight: 0 }))).rejects.toThrow('가중치는 1에서 100');
      await expect(banners.create(image({ kind: 'html', htmlTag: '  ' }))).rejects.toThrow(
        'HTML 광고 태그를 입력하세요.',
      );
      await expect(banners.create(image({ sections: ['<b>'] }))).rejects.toThrow('알 수 없는 섹션');
      await expect(
        banners.updateSlot('rail-1', { width: 300, height: 250, paragraph: 2, enabled: true }),
      ).rejects.toThrow('문단 위치는 기사 본문 중간 배너에만 있습니다.');
    });

    it('resolves clicks only to the stored URL of an image campaign', async () => {
      const banners = store();
      const id = await banners.create(image());
      const html = await banners.create(
        image({ kind: 'html', htmlTag: '<script src="https://ads.example/tag.js"></script>' }),
      );
      expect(await banners.clickTarget(id)).toBe('https://festival.example/jeju');
      expect(await banners.clickTarget(html)).toBeNull();
      expect(await banners.clickTarget(9999)).toBeNull();
      expect(await banners.htmlTag(html)).toBe(
        '<script src="https://ads.example/tag.js"></script>',
      );
      expect(await banners.htmlTag(id)).toBeNull();
    });

    it('adds impressions and clicks per KST day, keeps counts a failed write could not store', async () => {
      const banners = store();
      const id = await banners.create(image());
      const stats = createAdStats({ db: handle.db, clock });
      clock.set(MIDNIGHT - 1); // 12월 9일 23:59:59
      stats.impression(id);
      stats.impression(id);
      stats.click(id);
      await stats.flush();
      clock.set(MIDNIGHT); // 12월 10일 00:00
      stats.impression(id);
      await stats.flush();
      stats.impression(id);
      stats.click(id);
      await stats.flush();
      const days = await stats.daily(id, MIDNIGHT - 2 * 24 * HOUR, MIDNIGHT + 1);
      expect(days).toEqual([
        { day: '2025-12-08', impressions: 0, clicks: 0, ctr: 0 },
        { day: '2025-12-09', impressions: 2, clicks: 1, ctr: 0.5 },
        { day: '2025-12-10', impressions: 2, clicks: 1, ctr: 0.5 },
      ]);
      expect(await stats.totals()).toEqual(new Map([[id, { impressions: 4, clicks: 2 }]]));
      expect(dailyStatsCsv(days)).toBe(
        '\uFEFF날짜,노출,클릭,클릭률(%)\r\n2025-12-08,0,0,0.00\r\n2025-12-09,2,1,50.00\r\n2025-12-10,2,1,50.00\r\n합계,4,2,50.00\r\n',
      );

      // A write that fails keeps its counts for the next flush.
      stats.impression(id);
      await handle.db.schema.dropTable('banner_daily').execute();
      await expect(stats.flush()).rejects.toThrow();
      expect(stats.pending).toBe(1);
    });
  });
}
