import type { Kysely } from 'kysely';
import type { ArticleStatus, Database } from '../../db/index.ts';
import { nextKstMidnight } from '../../shared/kst.ts';

/**
 * Read-side queries over `article_views` (one row per article per hour). Reader-facing
 * lists join `articles` and `sections` to show only what a reader may open; the newsroom's
 * reports show everything that was read.
 */

export const HOUR_MS = 60 * 60 * 1000;
export const DAY_MS = 24 * HOUR_MS;

/**
 * The hour an instant falls in. Korea is UTC+9 all year, so the UTC hour is the KST hour
 * and plain division is exact.
 */
export const hourStart = (at: number): number => Math.floor(at / HOUR_MS) * HOUR_MS;

/** The instant the KST calendar day of `at` began. */
export const kstDayStart = (at: number): number => nextKstMidnight(at) - DAY_MS;

export interface MostReadArticle {
  articleId: number;
  views: number;
}

export interface DayViews {
  /** Start of the KST day, epoch ms. */
  start: number;
  views: number;
}

export interface SectionViews {
  sectionId: number;
  name: string;
  views: number;
}

export interface ArticleViews {
  articleId: number;
  title: string;
  status: ArticleStatus;
  sectionName: string;
  views: number;
}

const total = (value: unknown): number => Number(value ?? 0);

/**
 * The most read articles since `since`: published, their time come, in a visible section;
 * most views first, then the newer id.
 */
export async function mostReadSince(
  db: Kysely<Database>,
  since: number,
  now: number,
  limit: number,
): Promise<MostReadArticle[]> {
  // The window's most read first, then which of them readers may see, by primary key.
  // Joined in one query, both databases chose to walk every published article and probe
  // its views (20,000 at the benchmark's size, a million in a big archive).
  for (let take = limit * 4 + 20; ; take *= 4) {
    const viewed = await db
      .selectFrom('article_views')
      .select((eb) => ['article_id', eb.fn.sum<number | string>('views').as('views')])
      .where('hour', '>=', since)
      .groupBy('article_id')
      .orderBy('views', 'desc')
      .orderBy('article_id', 'desc')
      .limit(take)
      .execute();
    if (viewed.length === 0) return [];
    const readable = new Set(
      (
        await db
          .selectFrom('articles as a')
          .innerJoin('sections as s', 's.id', 'a.section_id')
          .select('a.id')
          .where(
            'a.id',
            'in',
            viewed.map((v) => Number(v.article_id)),
          )
          .where('a.status', '=', 'published')
          .where('a.published_at', '<=', now)
          .where('s.hidden', '=', 0)
          .execute()
      ).map((r) => Number(r.id)),
    );
    const out = viewed
      .filter((v) => readable.has(Number(v.article_id)))
      .slice(0, limit)
      .map((v) => ({ articleId: Number(v.article_id), views: total(v.views) }));
    // Enough, or nothing more was read in the window.
    if (out.length === limit || viewed.length < take) return out;
  }
}

/** Views per KST day from the day starting at `firstDay`, `days` of them, zero-filled. */
export async function viewsPerDay(
  db: Kysely<Database>,
  firstDay: number,
  days: number,
  articleId?: number,
): Promise<DayViews[]> {
  const end = firstDay + days * DAY_MS;
  let query = db
    .selectFrom('article_views')
    .select((eb) => ['hour', eb.fn.sum<number | string>('views').as('views')])
    .where('hour', '>=', firstDay)
    .where('hour', '<', end);
  if (articleId !== undefined) query = query.where('article_id', '=', articleId);
  const rows = await query.groupBy('hour').execute();
  const out: DayViews[] = Array.from({ length: days }, (_, i) => ({
    start: firstDay + i * DAY_MS,
    views: 0,
  }));
  for (const row of rows) {
    const day = out[Math.floor((Number(row.hour) - firstDay) / DAY_MS)];
    if (day !== undefined) day.views += total(row.views);
  }
  return out;
}

/** Views per section in [from, to), whatever the articles' status now; most first. */
export async function viewsPerSection(
  db: Kysely<Database>,
  from: number,
  to: number,
): Promise<SectionViews[]> {
  const rows = await db
    .selectFrom('article_views as v')
    .innerJoin('articles as a', 'a.id', 'v.article_id')
    .innerJoin('sections as s', 's.id', 'a.section_id')
    .select((eb) => ['s.id', 's.name', eb.fn.sum<number | string>('v.views').as('views')])
    .where('v.hour', '>=', from)
    .where('v.hour', '<', to)
    .groupBy(['s.id', 's.name'])
    .orderBy('views', 'desc')
    .orderBy('s.id')
    .execute();
  return rows.map((r) => ({ sectionId: Number(r.id), name: r.name, views: total(r.views) }));
}

/** The most read articles in [from, to), whatever their status now, with titles. */
export async function topArticles(
  db: Kysely<Database>,
  from: number,
  to: number,
  limit: number,
): Promise<ArticleViews[]> {
  const rows = await db
    .selectFrom('article_views as v')
    .innerJoin('articles as a', 'a.id', 'v.article_id')
    .innerJoin('sections as s', 's.id', 'a.section_id')
    .select((eb) => [
      'a.id',
      'a.title',
      'a.status',
      's.name',
      eb.fn.sum<number | string>('v.views').as('views'),
    ])
    .where('v.hour', '>=', from)
    .where('v.hour', '<', to)
    .groupBy(['a.id', 'a.title', 'a.status', 's.name'])
    .orderBy('views', 'desc')
    .orderBy('a.id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    articleId: Number(r.id),
    title: r.title,
    status: r.status,
    sectionName: r.name,
    views: total(r.views),
  }));
}

/** Which of these ids are articles at all: counts for made-up ids are not stored. */
export async function existingArticles(
  db: Pick<Kysely<Database>, 'selectFrom'>,
  ids: readonly number[],
): Promise<Set<number>> {
  const found = new Set<number>();
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    const rows = await db.selectFrom('articles').select('id').where('id', 'in', chunk).execute();
    for (const r of rows) found.add(Number(r.id));
  }
  return found;
}
