import { hash, randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/index.ts';
import type { Clock } from '../../shared/clock.ts';
import { invalidInput } from '../../shared/errors.ts';
import { keptValue } from '../../shared/kept.ts';
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
  logger: {
    info(details: object, message: string): void;
    warn?(details: object, message: string): void;
  };
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
const FINGERPRINT_CHUNK = 500;

/** One reading counted here and not yet written: its day, fingerprint and article hour. */
interface PendingReading {
  day: number;
  fingerprint: number;
  key: string;
}

/**
 * Article readings: counted in memory by a beacon (no query per reading), written to
 * `article_views` per article per KST hour by `flush` every few seconds, and read back as
 * the 많이 본 뉴스 lists and the newsroom's reports.
 *
 * What counts: one reading per reader per article per KST day. A reader is known only by
 * a hash of a random salt, their IP address and user agent. The day's salt is shared by
 * every app server and worker through the database (`reader_salts`, made the day before,
 * so midnight needs no query), and each flush writes the new fingerprints of the day
 * (`reader_fingerprints`) and counts only those no other process wrote first: a reader
 * whose beacons reach two servers counts once. Salts and fingerprints are deleted when
 * their day is over, so nothing stored can tell who read what once the day is past.
 * Crawlers and prefetches are not readings.
 */
export function createReaderCounts(deps: ReaderCountsDeps) {
  const { db, clock, logger } = deps;
  let pending: PendingReading[] = [];
  const isCrawler = crawlerTest();
  const seen = new FingerprintSet(deps.maxReadersPerDay ?? 1_000_000);
  /** Salts by KST day: the shared ones read from the database, or this process's own. */
  const salts = new Map<number, string>();
  /** Days whose salt here is the shared one. */
  const shared = new Set<number>();
  let today = Number.NaN;
  let flushing: Promise<void> = Promise.resolve();

  /** Today's salt; at KST midnight (or if the clock moved back) the next one and a new day. */
  function saltFor(day: number): string {
    if (day !== today) {
      today = day;
      seen.clear();
      for (const known of salts.keys()) if (known < day) salts.delete(known);
    }
    let salt = salts.get(day);
    if (salt === undefined) {
      // No shared salt (no database yet, or unreachable since yesterday): one of this
      // process's own, so readers still count, once per process rather than once overall.
      salt = randomBytes(16).toString('base64');
      salts.set(day, salt);
      logger.warn?.({ day }, 'reader counts: no shared salt for today; using this process’s own');
    }
    return salt;
  }

  /** The reading's fingerprint when this reader opens this article the first time today here. */
  function firstToday(report: ViewReport, day: number): number | null {
    const digest = hash(
      'sha256',
      `${saltFor(day)}\n${report.ip}\n${report.userAgent ?? ''}\n${report.articleId}`,
      'buffer',
    );
    const high = digest.readUInt32LE(0);
    const low = digest.readUInt32LE(4);
    if (seen.has(high, low)) return null;
    if (seen.full) {
      // Memory stays bounded whatever the traffic: past this many readers in one day the
      // set starts again empty; the stored fingerprints still stop a second count.
      logger.info(
        { entries: seen.size },
        'reader counts: daily reader memory full; cleared (the database still knows them)',
      );
      seen.clear();
    }
    seen.add(high, low);
    // 53 bits (all of `high`, 21 of `low`): exact as a number and in a bigint column.
    return high * 2 ** 21 + (low >>> 11);
  }

  /**
   * Makes sure the shared salts of today and tomorrow are known here (each made once by
   * whichever process asks first), and deletes what belongs to days that are over.
   */
  async function shareSalts(): Promise<void> {
    const day = kstDayStart(clock.now());
    // Once a day per process: tomorrow's salt is known from then on.
    if (shared.has(day + DAY_MS)) return;
    for (const d of [day, day + DAY_MS])
      await db
        .insertInto('reader_salts')
        .values({ day: d, salt: randomBytes(16).toString('base64') })
        .onConflict((oc) => oc.column('day').doNothing())
        .execute();
    const rows = await db
      .selectFrom('reader_salts')
      .select(['day', 'salt'])
      .where('day', 'in', [day, day + DAY_MS])
      .execute();
    for (const row of rows) {
      const d = Number(row.day);
      // A salt of this process's own already fingerprinted readings today: keep it for
      // today (they would count again otherwise), take the shared one from tomorrow on.
      if (d === day && salts.has(d) && !shared.has(d)) continue;
      salts.set(d, row.salt);
      shared.add(d);
    }
    await db.deleteFrom('reader_salts').where('day', '<', day).execute();
    await db.deleteFrom('reader_fingerprints').where('day', '<', day).execute();
  }

  async function write(): Promise<void> {
    await shareSalts();
    const batch = pending;
    pending = [];
    if (batch.length === 0) return;
    try {
      await store(batch);
    } catch (error) {
      pending = batch.concat(pending);
      throw error;
    }
  }

  /**
   * Writes the batch's fingerprints and adds one view for each that no process wrote
   * before, in one transaction: if it fails, neither is stored and the batch is retried.
   */
  async function store(batch: readonly PendingReading[]): Promise<void> {
    await db.transaction().execute(async (trx) => {
      // Beacons name articles by a number anyone can type; only real ones are stored.
      const articleOf = (r: PendingReading) => Number(r.key.slice(0, r.key.indexOf(':')));
      const real = await existingArticles(trx, [...new Set(batch.map(articleOf))]);
      const kept = batch.filter((r) => real.has(articleOf(r)));
      const counts = new Map<string, number>();
      for (let i = 0; i < kept.length; i += FINGERPRINT_CHUNK) {
        const chunk = kept.slice(i, i + FINGERPRINT_CHUNK);
        // The same pair twice in one batch (the local memory was cleared) counts once.
        const values = [
          ...new Map(chunk.map((r) => [`${r.day}:${r.fingerprint}`, r] as const)).values(),
        ];
        const fresh = await trx
          .insertInto('reader_fingerprints')
          .values(values.map((r) => ({ day: r.day, fingerprint: r.fingerprint })))
          .onConflict((oc) => oc.columns(['day', 'fingerprint']).doNothing())
          .returning(['day', 'fingerprint'])
          .execute();
        const keys = new Map(values.map((r) => [`${r.day}:${r.fingerprint}`, r.key] as const));
        for (const row of fresh) {
          const key = keys.get(`${Number(row.day)}:${Number(row.fingerprint)}`);
          if (key !== undefined) counts.set(key, (counts.get(key) ?? 0) + 1);
        }
      }
      await addViews(trx, counts, real);
    });
  }

  /** Adds `article:hour` counts to the stored rows (of real articles only). */
  async function addViews(
    trx: Kysely<Database>,
    counts: ReadonlyMap<string, number>,
    knownReal?: ReadonlySet<number>,
  ): Promise<void> {
    const rows = [...counts].map(([key, views]) => {
      const [articleId, hour] = key.split(':').map(Number) as [number, number];
      return { article_id: articleId, hour, views };
    });
    const real =
      knownReal ?? (await existingArticles(trx, [...new Set(rows.map((r) => r.article_id))]));
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
      const day = kstDayStart(now);
      const fingerprint = firstToday(report, day);
      if (fingerprint === null) return 'duplicate';
      pending.push({ day, fingerprint, key: `${report.articleId}:${hourStart(now)}` });
      return 'counted';
    },

    /** Article-hours waiting in memory for the next flush. */
    get pending(): number {
      return new Set(pending.map((r) => r.key)).size;
    },

    /**
     * Reads (making them if needed) the shared salts of today and tomorrow, so readings
     * count once across servers from the first one on; the app does this at start, and
     * every flush keeps them current.
     */
    prepare: shareSalts,

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
      await db.transaction().execute((trx) => addViews(trx, counts));
      board.forget();
    },

    /** Writes what is still in memory (a graceful stop). */
    close: flush,
  };
}

export type ReaderCounts = ReturnType<typeof createReaderCounts>;
