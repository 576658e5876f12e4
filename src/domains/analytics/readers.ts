import { hash, randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/index.ts';
import type { Clock } from '../../shared/clock.ts';
import { CountBuffer } from '../../shared/count-buffer.ts';
import { invalidInput } from '../../shared/errors.ts';
import { keptValue } from '../../shared/kept.ts';
import { nextKstMidnight } from '../../shared/kst.ts';
import { FingerprintSet } from './fingerprints.ts';
import {
  DAY_MS,
  existingArticles,
  hourStart,
  kstDayStart,
  mostReadSince,
  topArticles,
  viewsPerDay,
  viewsPerSection,
  type ArticleViews,
  type DayViews,
  type MostReadArticle,
  type SectionViews,
} from './reports.ts';
import { crawlerTest, isSpeculative } from './visitors.ts';

export interface ReaderCountsDeps {
  db: Kysely<Database>;
  clock: Clock;
  logger: { info(details: object, message: string): void };
  /** Readers remembered per day before the memory is cleared (tests make it small). */
  maxReadersPerDay?: number;
}

export interface ViewReport {
  articleId: number;
  userAgent: string | undefined;
  ip: string;
  /** `Sec-Purpose`, `Purpose`, `X-Purpose` and `X-Moz`, joined; empty for a real reading. */
  purpose?: string | undefined;
}

export type ViewOutcome = 'counted' | 'duplicate' | 'bot' | 'prefetch';

export type MostReadWindow = 'day' | 'week';

/** Both 많이 본 뉴스 lists as read at one moment, and when to read them again. */
export interface MostReadBoard {
  day: MostReadArticle[];
  week: MostReadArticle[];
  readAt: number;
  /** Pages that show the board must not outlive this. */
  freshUntil: number;
}

/** How long the 많이 본 뉴스 lists are kept in memory between reads. */
export const MOST_READ_KEEP_MS = 5 * 60 * 1000;
/** The longest list `mostRead` gives; the board always holds this many per window. */
export const MOST_READ_MAX = 30;
const WINDOW_MS: Readonly<Record<MostReadWindow, number>> = { day: DAY_MS, week: 7 * DAY_MS };
const MAX_REPORT_DAYS = 366;
const UPSERT_CHUNK = 200;

/**
 * Article readings: counted in memory by a beacon (no query per reading), written to
 * `article_views` per article per KST hour by `flush` every few seconds, and read back as
 * the 많이 본 뉴스 lists and the newsroom's reports.
 *
 * What counts: one reading per reader per article per KST day. A reader is known only by
 * a hash of a random salt, their IP address and user agent; the salt lives in this
 * process's memory for one KST day and is replaced, with the day's fingerprints, at the
 * first reading after midnight, so nothing stored (nor yesterday's memory) can tell who
 * read what. Crawlers and prefetches are
 * not readings. Several app servers each keep their own salt, so a reader whose requests
 * land on two of them may be counted twice in a day.
 */
export function createReaderCounts(deps: ReaderCountsDeps) {
  const { db, clock, logger } = deps;
  const pending = new CountBuffer();
  const isCrawler = crawlerTest();
  const seen = new FingerprintSet(deps.maxReadersPerDay ?? 1_000_000);
  let salt = '';
  let saltFrom = 0;
  let saltUntil = Number.NEGATIVE_INFINITY;
  let flushing: Promise<void> = Promise.resolve();

  /** Today's salt; at KST midnight (or if the clock moved back) a new one and a new day. */
  function saltFor(now: number): string {
    if (now >= saltUntil || now < saltFrom) {
      salt = randomBytes(16).toString('base64');
      saltUntil = nextKstMidnight(now);
      saltFrom = saltUntil - DAY_MS;
      seen.clear();
    }
    return salt;
  }

  /** True the first time this reader opens this article today. */
  function firstToday(report: ViewReport, now: number): boolean {
    const digest = hash(
      'sha256',
      `${saltFor(now)}\n${report.ip}\n${report.userAgent ?? ''}\n${report.articleId}`,
      'buffer',
    );
    const high = digest.readUInt32LE(0);
    const low = digest.readUInt32LE(4);
    if (seen.has(high, low)) return false;
    if (seen.full) {
      // Memory stays bounded whatever the traffic: past this many readers in one day the
      // set starts again empty, and a reader already counted today may be counted once more.
      logger.info(
        { entries: seen.size },
        'reader counts: daily reader memory full; cleared (re-reads may count again today)',
      );
      seen.clear();
    }
    return seen.add(high, low);
  }

  async function write(): Promise<void> {
    const counts = pending.drain();
    if (counts.size === 0) return;
    try {
      await store(counts);
    } catch (error) {
      pending.restore(counts);
      throw error;
    }
  }

  /** Adds `article:hour` counts to the stored rows, in one transaction. */
  async function store(counts: ReadonlyMap<string, number>): Promise<void> {
    await db.transaction().execute(async (trx) => {
      const rows = [...counts].map(([key, views]) => {
        const [articleId, hour] = key.split(':').map(Number) as [number, number];
        return { article_id: articleId, hour, views };
      });
      // Beacons name articles by a number anyone can type; only real ones are stored.
      const real = await existingArticles(trx, [...new Set(rows.map((r) => r.article_id))]);
      const kept = rows.filter((r) => real.has(r.article_id));
      for (let i = 0; i < kept.length; i += UPSERT_CHUNK) {
        await trx
          .insertInto('article_views')
          .values(kept.slice(i, i + UPSERT_CHUNK))
          .onConflict((oc) =>
            oc.columns(['article_id', 'hour']).doUpdateSet({
              views: sql`article_views.views + excluded.views`,
            }),
          )
          .execute();
      }
    });
  }

  const board = keptValue<MostReadBoard>(
    clock,
    async () => {
      const readAt = clock.now();
      const [day, week] = await Promise.all([
        mostReadSince(db, readAt - WINDOW_MS.day, readAt, MOST_READ_MAX),
        mostReadSince(db, readAt - WINDOW_MS.week, readAt, MOST_READ_MAX),
      ]);
      return { day, week, readAt, freshUntil: readAt + MOST_READ_KEEP_MS };
    },
    (value) => value.freshUntil,
  );

  /** Flushes never overlap, so nothing is written twice. */
  function flush(): Promise<void> {
    flushing = flushing.catch(() => {}).then(write);
    return flushing;
  }

  function dayCount(days: number): number {
    if (!Number.isInteger(days) || days < 1 || days > MAX_REPORT_DAYS)
      throw invalidInput(`기간은 1일에서 ${MAX_REPORT_DAYS}일 사이여야 합니다.`);
    return days;
  }

  function period(from: number, to: number): void {
    if (!Number.isFinite(from) || !Number.isFinite(to) || to <= from)
      throw invalidInput('기간의 끝은 시작보다 늦어야 합니다.');
  }

  return {
    /**
     * Counts one reading, or says why not. Synchronous and without I/O: the beacon route
     * answers at once, whatever the database is doing.
     */
    recordView(report: ViewReport): ViewOutcome {
      if (!Number.isSafeInteger(report.articleId) || report.articleId < 1)
        throw invalidInput('기사 번호가 올바르지 않습니다.');
      if (isCrawler(report.userAgent)) return 'bot';
      if (isSpeculative(report.purpose)) return 'prefetch';
      const now = clock.now();
      if (!firstToday(report, now)) return 'duplicate';
      pending.add(`${report.articleId}:${hourStart(now)}`);
      return 'counted';
    },

    /** Article-hours waiting in memory for the next flush. */
    get pending(): number {
      return pending.size;
    },

    /**
     * Adds what was counted to the stored rows, in one transaction. A failed write puts
     * its counts back for the next flush and rethrows. Flushes never overlap.
     */
    flush,

    /** The 많이 본 뉴스 lists, read at most every five minutes. */
    mostReadBoard(): Promise<MostReadBoard> {
      return board.get();
    },

    /** The most read articles of the last 24 hours or 7 days (kept for five minutes). */
    async mostRead(options: { window: MostReadWindow; limit: number }): Promise<MostReadArticle[]> {
      const { window, limit } = options;
      if (window !== 'day' && window !== 'week') throw invalidInput('기간은 day 또는 week입니다.');
      if (!Number.isInteger(limit) || limit < 1 || limit > MOST_READ_MAX)
        throw invalidInput(`목록 길이는 1에서 ${MOST_READ_MAX} 사이여야 합니다.`);
      return (await board.get())[window].slice(0, limit);
    },

    /** Views per KST day for the last `days` days, today last, zero-filled. */
    viewsPerDay(options: { days: number }): Promise<DayViews[]> {
      const days = dayCount(options.days);
      return viewsPerDay(db, kstDayStart(clock.now()) - (days - 1) * DAY_MS, days);
    },

    /** One article's views per KST day for the last `days` days, today last, zero-filled. */
    articleViewsPerDay(articleId: number, options: { days: number }): Promise<DayViews[]> {
      const days = dayCount(options.days);
      return viewsPerDay(db, kstDayStart(clock.now()) - (days - 1) * DAY_MS, days, articleId);
    },

    /** Views per section in [from, to), most first. */
    viewsPerSection(options: { from: number; to: number }): Promise<SectionViews[]> {
      period(options.from, options.to);
      return viewsPerSection(db, options.from, options.to);
    },

    /** The most read articles in [from, to), with titles, whatever their status now. */
    topArticles(options: { from: number; to: number; limit: number }): Promise<ArticleViews[]> {
      period(options.from, options.to);
      if (!Number.isInteger(options.limit) || options.limit < 1 || options.limit > 100)
        throw invalidInput('목록 길이는 1에서 100 사이여야 합니다.');
      return topArticles(db, options.from, options.to, options.limit);
    },

    /**
     * Readings counted elsewhere, added to the stored hours as they are: the demo
     * newspaper's, so 많이 본 뉴스 shows on a fresh demo. Unknown articles are skipped.
     */
    async addReadings(
      readings: readonly { articleId: number; at: number; views: number }[],
    ): Promise<void> {
      const counts = new Map<string, number>();
      for (const r of readings) {
        if (!Number.isSafeInteger(r.articleId) || r.articleId < 1)
          throw invalidInput('기사 번호가 올바르지 않습니다.');
        if (!Number.isSafeInteger(r.views) || r.views < 1 || !Number.isFinite(r.at))
          throw invalidInput('조회 수와 시각이 올바르지 않습니다.');
        const key = `${r.articleId}:${hourStart(r.at)}`;
        counts.set(key, (counts.get(key) ?? 0) + r.views);
      }
      await store(counts);
      board.forget();
    },

    /** Writes what is still in memory (a graceful stop). */
    close: flush,
  };
}

export type ReaderCounts = ReturnType<typeof createReaderCounts>;
