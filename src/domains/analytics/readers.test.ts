import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrateToLatest, type DatabaseHandle } from '../../db/index.ts';
import { ManualClock } from '../../shared/clock.ts';
import { freshDatabase, testDialects } from '../../testing/databases.ts';
import { createWriter } from '../content/index.ts';
import { createReaderCounts, MOST_READ_KEEP_MS, type ViewReport } from './index.ts';
import { DESKTOP_BROWSER as CHROME, PHONE_BROWSER as SAFARI } from '../../testing/user-agents.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** 2025-12-09 14:00 KST. */
const NOW = Date.UTC(2025, 11, 9, 5, 0);
/** 2025-12-10 00:00 KST. */
const MIDNIGHT = Date.UTC(2025, 11, 9, 15, 0);

const silent = { info: () => {} };

/** A reader: a distinct address per number. */
const reader = (n: number, articleId: number, extra: Partial<ViewReport> = {}): ViewReport => ({
  articleId,
  userAgent: CHROME,
  ip: `203.0.113.${n}`,
  ...extra,
});

describe('reader counts without a database round trip', () => {
  // recordView never touches the database; an unreachable one proves it.
  const counts = (clock = new ManualClock(NOW), maxReadersPerDay?: number, logged: string[] = []) =>
    createReaderCounts({
      db: null as never,
      clock,
      logger: { info: (_details: object, message: string) => void logged.push(message) },
      ...(maxReadersPerDay === undefined ? {} : { maxReadersPerDay }),
    });

  it('does not count crawlers, and counts Chrome and Safari', () => {
    const readers = counts();
    const bots = [
      'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
      'Mozilla/5.0 (compatible; Yeti/1.1; +http://naver.me/spd)',
      'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)',
      'Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; +https://openai.com/gptbot)',
      'curl/8.5.0',
      '',
      undefined,
    ];
    for (const userAgent of bots)
      expect(readers.recordView(reader(1, 7, { userAgent }))).toBe('bot');
    expect(readers.pending).toBe(0);
    expect(readers.recordView(reader(1, 7, { userAgent: CHROME }))).toBe('counted');
    expect(readers.recordView(reader(1, 7, { userAgent: SAFARI }))).toBe('counted');
    expect(readers.pending).toBe(1);
  });

  it('does not count prefetches and prerenders', () => {
    const readers = counts();
    for (const purpose of ['prefetch', 'prefetch;prerender', 'Prefetch', ' prerender']) {
      expect(readers.recordView(reader(1, 7, { purpose }))).toBe('prefetch');
    }
    expect(readers.recordView(reader(1, 7, { purpose: '' }))).toBe('counted');
  });

  it('counts a reader once per article per KST day, and again the next day', () => {
    const clock = new ManualClock(MIDNIGHT - 2 * HOUR);
    const readers = counts(clock);
    expect(readers.recordView(reader(1, 7))).toBe('counted');
    clock.set(MIDNIGHT - 1); // 23:59:59.999 KST, same day
    expect(readers.recordView(reader(1, 7))).toBe('duplicate');
    expect(readers.recordView(reader(1, 8))).toBe('counted'); // another article
    expect(readers.recordView(reader(2, 7))).toBe('counted'); // another address
    expect(readers.recordView(reader(1, 7, { userAgent: SAFARI }))).toBe('counted'); // another browser
    clock.set(MIDNIGHT); // a new KST day: a new salt, nobody remembered
    expect(readers.recordView(reader(1, 7))).toBe('counted');
    expect(readers.recordView(reader(1, 7))).toBe('duplicate');
  });

  it('starts a new day when the clock is set back, too', () => {
    const clock = new ManualClock(MIDNIGHT + HOUR);
    const readers = counts(clock);
    expect(readers.recordView(reader(1, 7))).toBe('counted');
    clock.set(MIDNIGHT - HOUR);
    expect(readers.recordView(reader(1, 7))).toBe('counted');
  });

  it('clears its memory of readers when full, and says so', () => {
    const logged: string[] = [];
    const readers = counts(new ManualClock(NOW), 3, logged);
    for (let n = 1; n <= 3; n++) expect(readers.recordView(reader(n, 7))).toBe('counted');
    expect(readers.recordView(reader(1, 7))).toBe('duplicate');
    expect(logged).toEqual([]);
    // Full: the memory starts again, so reader 1 counts once more.
    expect(readers.recordView(reader(4, 7))).toBe('counted');
    expect(logged).toHaveLength(1);
    expect(logged[0]).toContain('full');
    expect(readers.recordView(reader(1, 7))).toBe('counted');
  });

  it('refuses impossible article ids', () => {
    const readers = counts();
    for (const articleId of [0, -1, 1.5, Number.NaN, 2 ** 60]) {
      expect(() => readers.recordView(reader(1, articleId))).toThrow('기사 번호');
    }
  });
});

for (const dialect of testDialects) {
  describe(`reader counts on ${dialect}`, () => {
    let handle: DatabaseHandle;
    let clock: ManualClock;
    let ids: Record<'politics' | 'society' | 'hidden', number>;

    beforeEach(async () => {
      handle = await freshDatabase(dialect);
      await migrateToLatest(handle);
      clock = new ManualClock(NOW);
      const writer = createWriter({ db: handle.db, clock });
      ids = {
        politics: await writer.createSection({ slug: 'politics', name: '정치', position: 1 }),
        society: await writer.createSection({ slug: 'society', name: '사회', position: 2 }),
        hidden: await writer.createSection({
          slug: 'archive',
          name: '보관',
          position: 3,
          hidden: true,
        }),
      };
    });
    afterEach(async () => {
      await handle.close();
    });

    const counts = () => createReaderCounts({ db: handle.db, clock, logger: silent });

    async function article(
      title: string,
      options: { section?: number; status?: 'published' | 'draft'; publishedAt?: number } = {},
    ): Promise<number> {
      return createWriter({ db: handle.db, clock }).createArticle({
        sectionId: options.section ?? ids.politics,
        title,
        status: options.status ?? 'published',
        publishedAt: options.publishedAt ?? NOW - 30 * DAY,
      });
    }

    /** `n` distinct readers open the article now. */
    function read(
      readers: ReturnType<typeof counts>,
      articleId: number,
      n: number,
      from = 0,
    ): void {
      for (let i = 0; i < n; i++) {
        expect(readers.recordView(reader(from + i, articleId))).toBe('counted');
      }
    }

    const stored = () =>
      handle.db
        .selectFrom('article_views')
        .select(['article_id', 'hour', 'views'])
        .orderBy('article_id')
        .orderBy('hour')
        .execute()
        .then((rows) => rows.map((r) => ({ ...r, views: Number(r.views) })));

    it('stores readings per article per KST hour', async () => {
      const a = await article('한라산 첫눈');
      const readers = counts();
      clock.set(Date.UTC(2025, 11, 9, 5, 59, 59, 999)); // 14:59:59.999 KST
      read(readers, a, 2);
      clock.set(Date.UTC(2025, 11, 9, 6, 0)); // 15:00 KST
      read(readers, a, 1, 10);
      await readers.flush();
      expect(await stored()).toEqual([
        { article_id: a, hour: Date.UTC(2025, 11, 9, 5, 0), views: 2 },
        { article_id: a, hour: Date.UTC(2025, 11, 9, 6, 0), views: 1 },
      ]);
      expect(readers.pending).toBe(0);
    });

    it('adds to the stored rows, never replaces them, and flushes never overlap', async () => {
      const a = await article('제주공항 결항');
      const first = counts();
      read(first, a, 3);
      await first.flush();
      // Another server (its own buffer) counts the same hour.
      const second = counts();
      read(second, a, 2, 100);
      read(first, a, 4, 200);
      const both = Promise.all([first.flush(), first.flush(), second.flush()]);
      read(first, a, 1, 300); // arrives while the flushes run: goes to the next one
      await both;
      await first.flush();
      expect(await stored()).toEqual([{ article_id: a, hour: NOW, views: 10 }]);
    });

    it('keeps the counts of a failed write and stores them with the next flush', async () => {
      const a = await article('감귤 수확');
      const readers = counts();
      read(readers, a, 3);
      await readers.flush();
      read(readers, a, 2, 10);
      await sql`alter table article_views rename to article_views_away`.execute(handle.db);
      await expect(readers.flush()).rejects.toThrow();
      expect(readers.pending).toBe(1);
      read(readers, a, 1, 20);
      await sql`alter table article_views_away rename to article_views`.execute(handle.db);
      await readers.flush();
      expect(await stored()).toEqual([{ article_id: a, hour: NOW, views: 6 }]);
    });

    it('drops counts for article numbers that do not exist', async () => {
      const a = await article('올레길 정비');
      const readers = counts();
      read(readers, a, 1);
      read(readers, 999_999, 5);
      await readers.flush();
      expect(await stored()).toEqual([{ article_id: a, hour: NOW, views: 1 }]);
    });

    it('lists the most read of the last 24 hours and 7 days, only what readers may see', async () => {
      const old = await article('지난주 화제 기사');
      const b = await article('오늘 많이 본 기사 B');
      const c = await article('오늘 많이 본 기사 C');
      const d = await article('조금 본 기사');
      const trashed = await article('휴지통 기사');
      const hiddenOne = await article('숨긴 섹션 기사', { section: ids.hidden });
      const draft = await article('초안', { status: 'draft' });
      const scheduled = await article('예약 기사', { publishedAt: NOW + HOUR });
      const readers = counts();

      clock.set(NOW - 3 * DAY);
      read(readers, old, 9);
      clock.set(NOW - DAY - HOUR); // 25 hours ago: in the week, not the day
      read(readers, d, 5);
      clock.set(NOW - DAY + HOUR); // 23 hours ago
      read(readers, d, 1, 50);
      clock.set(NOW - 8 * DAY); // outside both windows
      read(readers, c, 20, 100);
      clock.set(NOW);
      read(readers, b, 3);
      read(readers, c, 3);
      for (const hidden of [trashed, hiddenOne, draft, scheduled]) read(readers, hidden, 30);
      await readers.flush();
      await handle.db
        .updateTable('articles')
        .set({ status: 'trashed' })
        .where('id', '=', trashed)
        .execute();

      // Ties: the newer article (higher number) first.
      expect(await readers.mostRead({ window: 'day', limit: 10 })).toEqual([
        { articleId: c, views: 3 },
        { articleId: b, views: 3 },
        { articleId: d, views: 1 },
      ]);
      expect(await readers.mostRead({ window: 'week', limit: 10 })).toEqual([
        { articleId: old, views: 9 },
        { articleId: d, views: 6 },
        { articleId: c, views: 3 },
        { articleId: b, views: 3 },
      ]);
      expect(await readers.mostRead({ window: 'week', limit: 2 })).toHaveLength(2);
      await expect(readers.mostRead({ window: 'week', limit: 0 })).rejects.toThrow('목록 길이');
      await expect(readers.mostRead({ window: 'year' as 'day', limit: 5 })).rejects.toThrow('기간');
    });

    it('reads further down the most read when the top ones are not readable', async () => {
      const shown = await article('볼 수 있는 기사');
      const drafts: number[] = [];
      for (let i = 0; i < 30; i++) drafts.push(await article(`초안 ${i}`, { status: 'draft' }));
      const readers = counts();
      // More unreadable articles read more than the first look-up takes for a list of 2.
      for (const draft of drafts) read(readers, draft, 10);
      read(readers, shown, 1);
      await readers.flush();
      expect(await readers.mostRead({ window: 'day', limit: 2 })).toEqual([
        { articleId: shown, views: 1 },
      ]);
    });

    it('keeps the lists for five minutes, then reads them again', async () => {
      const a = await article('가');
      const b = await article('나');
      const readers = counts();
      read(readers, a, 2);
      await readers.flush();
      const board = await readers.mostReadBoard();
      expect(board.day).toEqual([{ articleId: a, views: 2 }]);
      expect(board.freshUntil).toBe(NOW + MOST_READ_KEEP_MS);

      read(readers, b, 5);
      await readers.flush();
      clock.advance(MOST_READ_KEEP_MS - 1);
      expect(await readers.mostRead({ window: 'day', limit: 10 })).toEqual([
        { articleId: a, views: 2 },
      ]);
      clock.advance(1);
      expect(await readers.mostRead({ window: 'day', limit: 10 })).toEqual([
        { articleId: b, views: 5 },
        { articleId: a, views: 2 },
      ]);
      expect((await readers.mostReadBoard()).freshUntil).toBe(NOW + 2 * MOST_READ_KEEP_MS);
    });

    it('reports views per KST day, per section and the top articles', async () => {
      const a = await article('정치 기사');
      const b = await article('사회 기사', { section: ids.society });
      const readers = counts();
      const todayStart = Date.UTC(2025, 11, 8, 15, 0); // 2025-12-09 00:00 KST
      clock.set(todayStart - 1); // the last instant of 12월 8일
      read(readers, a, 4);
      clock.set(todayStart); // the first of 12월 9일
      read(readers, a, 2, 10);
      clock.set(NOW);
      read(readers, b, 3, 20);
      await readers.flush();

      const days = await readers.viewsPerDay({ days: 30 });
      expect(days).toHaveLength(30);
      expect(days.at(-1)).toEqual({ start: todayStart, views: 5 });
      expect(days.at(-2)).toEqual({ start: todayStart - DAY, views: 4 });
      expect(days[0]).toEqual({ start: todayStart - 29 * DAY, views: 0 });
      expect(days.reduce((sum, d) => sum + d.views, 0)).toBe(9);

      expect(await readers.articleViewsPerDay(a, { days: 2 })).toEqual([
        { start: todayStart - DAY, views: 4 },
        { start: todayStart, views: 2 },
      ]);

      expect(await readers.viewsPerSection({ from: todayStart - 6 * DAY, to: NOW + HOUR })).toEqual(
        [
          { sectionId: ids.politics, name: '정치', views: 6 },
          { sectionId: ids.society, name: '사회', views: 3 },
        ],
      );
      expect(
        await readers.topArticles({ from: todayStart, to: todayStart + DAY, limit: 10 }),
      ).toEqual([
        { articleId: b, title: '사회 기사', status: 'published', sectionName: '사회', views: 3 },
        { articleId: a, title: '정치 기사', status: 'published', sectionName: '정치', views: 2 },
      ]);
      expect(() => readers.viewsPerDay({ days: 0 })).toThrow('기간');
      expect(() => readers.topArticles({ from: NOW, to: NOW, limit: 5 })).toThrow('기간');
    });

    it('counts a reader once across servers that share the day’s salt, and forgets the day after', async () => {
      const a = await article('태풍 북상');
      const servers = [counts(), counts(), counts()];
      for (const server of servers) await server.prepare();
      // The same reader's beacons reach every server; each counts it in memory...
      for (const server of servers) expect(server.recordView(reader(1, a))).toBe('counted');
      read(servers[1] as ReturnType<typeof counts>, a, 4, 10);
      // ...and only the first fingerprint written counts, whichever flush comes first.
      await Promise.all(servers.map((server) => server.flush()));
      expect(await stored()).toEqual([{ article_id: a, hour: NOW, views: 5 }]);
      const salts = await handle.db.selectFrom('reader_salts').select('day').execute();
      expect(salts.map((r) => Number(r.day)).sort()).toEqual([
        Date.UTC(2025, 11, 8, 15),
        Date.UTC(2025, 11, 9, 15),
      ]);

      // The next KST day: the salt made the day before is used (no query at midnight), the
      // reader counts again, and what was kept about yesterday's readers is deleted.
      clock.set(MIDNIGHT + HOUR);
      for (const server of servers) server.recordView(reader(1, a));
      for (const server of servers) await server.flush();
      expect(await stored()).toEqual([
        { article_id: a, hour: NOW, views: 5 },
        { article_id: a, hour: MIDNIGHT + HOUR, views: 1 },
      ]);
      const days = await handle.db
        .selectFrom('reader_fingerprints')
        .select('day')
        .distinct()
        .execute();
      expect(days.map((r) => Number(r.day))).toEqual([MIDNIGHT]);
      expect(
        (await handle.db.selectFrom('reader_salts').select('day').execute())
          .map((r) => Number(r.day))
          .sort(),
      ).toEqual([MIDNIGHT, MIDNIGHT + DAY]);
    });

    it('writes what is in memory on close', async () => {
      const a = await article('닫기 전에');
      const readers = counts();
      read(readers, a, 2);
      await readers.close();
      expect(await stored()).toEqual([{ article_id: a, hour: NOW, views: 2 }]);
    });
  });
}
