import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/index.ts';
import { articleChangeTags, tag, type CacheTag } from '../../shared/cache-tags.ts';
import type { Clock } from '../../shared/clock.ts';
import { AppError, invalidInput, notFound } from '../../shared/errors.ts';
import { formatKstDateTime } from '../../shared/kst.ts';
import { can } from '../accounts/index.ts';
import { listingsOfArticle } from '../content/index.ts';
import { forbidden, type Actor } from './desk.ts';

export interface FrontDeps {
  db: Kysely<Database>;
  clock: Clock;
  onChange?: (tags: readonly CacheTag[]) => void | Promise<void>;
}

/** Areas of the front page the desk arranges, and how many places each has. */
export const FRONT_AREAS = { headline: 1, top: 6 } as const;
/** Places in each section box on the front page (what the site shows). */
export const SECTION_BOX_PLACES = 5;
const HISTORY_KEPT_ON_SCREEN = 30;
const MAX_SECTION_AREAS = 40;

export type FrontArea = keyof typeof FRONT_AREAS | `section:${number}`;

/**
 * The desk's arrangement: per area, one entry per place in order; an article id pins that
 * article to the place, null leaves the place to the fill rule.
 */
export type FrontArrangement = Record<string, (number | null)[]>;

export interface FrontVersion {
  id: number;
  at: number;
  userName: string;
  restoredFrom: number | null;
  arrangement: FrontArrangement;
}

export interface BreakingArticle {
  id: number;
  title: string;
  breakingUntil: number;
}

/** An article the desk can put on the front page, as its search lists it. */
export interface FrontCandidate {
  id: number;
  title: string;
  sectionName: string;
  publishedAt: number;
  hasPhoto: boolean;
  isBreaking: boolean;
}

const SEARCH_LIMIT = 20;
const SEARCH_MAX_CHARS = 100;

export function placesOf(area: FrontArea): number {
  return area === 'headline' || area === 'top' ? FRONT_AREAS[area] : SECTION_BOX_PLACES;
}

function checkArea(area: string): FrontArea {
  if (area === 'headline' || area === 'top' || /^section:[1-9]\d{0,9}$/.test(area))
    return area as FrontArea;
  throw invalidInput('없는 편집 영역입니다.');
}

/**
 * Checks the shape of a proposed arrangement (areas, places, ids, one place per article)
 * and returns it with trailing empty places cut. Which ids are published is the caller's
 * question: a preview shows the proposal as readers would see it, a save refuses it.
 */
export function checkArrangement(input: unknown): FrontArrangement {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    throw invalidInput('첫 화면 편집 내용을 읽을 수 없습니다.');
  const entries = Object.entries(input as Record<string, unknown>);
  if (entries.length > 2 + MAX_SECTION_AREAS) throw invalidInput('편집 영역이 너무 많습니다.');
  const out: FrontArrangement = {};
  const seen = new Map<number, string>();
  for (const [name, raw] of entries) {
    const area = checkArea(name);
    if (!Array.isArray(raw)) throw invalidInput('첫 화면 편집 내용을 읽을 수 없습니다.');
    if (raw.length > 50) throw invalidInput('자리가 너무 많습니다.');
    const typed: unknown[] = [...(raw as unknown[])];
    // Empty places at the end are the rule's anyway: a form sends one field per place.
    while (typed.length > 0 && typed[typed.length - 1] === null) typed.pop();
    if (typed.length > placesOf(area))
      throw invalidInput(`이 영역에는 기사 ${placesOf(area)}개까지 놓을 수 있습니다.`);
    const places: (number | null)[] = typed.map((v: unknown) => {
      if (v === null) return null;
      if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 1)
        throw invalidInput('기사 번호가 올바르지 않습니다.');
      if (seen.has(v)) throw invalidInput(`같은 기사(${v}번)를 두 자리에 놓을 수 없습니다.`);
      seen.set(v, area);
      return v;
    });
    if (places.length > 0) out[area] = places;
  }
  return out;
}

export const pinnedIds = (arrangement: FrontArrangement): number[] =>
  Object.values(arrangement)
    .flat()
    .filter((id): id is number => id !== null);

/**
 * The desk's arrangement of the front page. The desk pins articles to places; the front
 * page fills every other place (and a place whose article is no longer published) by the
 * fill rule in content's frontPage. Every change is kept in front_history with who and
 * when, and any version can be brought back.
 */
export function createFrontDesk(deps: FrontDeps) {
  const { db, clock } = deps;

  function mayArrange(actor: Actor): void {
    if (!can(actor.role, 'front.arrange'))
      throw forbidden('첫 화면 편집은 데스크만 할 수 있습니다.');
  }

  async function publishedAmong(ids: number[]): Promise<Set<number>> {
    if (ids.length === 0) return new Set();
    const rows = await db
      .selectFrom('articles')
      .select('id')
      .where('id', 'in', ids)
      .where('status', '=', 'published')
      .execute();
    return new Set(rows.map((r) => Number(r.id)));
  }

  async function checkSections(arrangement: FrontArrangement): Promise<void> {
    const ids = Object.keys(arrangement)
      .filter((a) => a.startsWith('section:'))
      .map((a) => Number(a.slice('section:'.length)));
    if (ids.length === 0) return;
    const found = await db.selectFrom('sections').select('id').where('id', 'in', ids).execute();
    if (found.length !== ids.length) throw invalidInput('없는 섹션 상자가 있습니다.');
  }

  async function save(
    actor: Actor,
    arrangement: FrontArrangement,
    restoredFrom: number | null,
  ): Promise<number> {
    const versionId = await db.transaction().execute(async (trx) => {
      await trx.deleteFrom('front_slots').execute();
      const rows = Object.entries(arrangement).flatMap(([area, places]) =>
        places.flatMap((id, position) => (id === null ? [] : [{ area, position, article_id: id }])),
      );
      if (rows.length > 0) await trx.insertInto('front_slots').values(rows).execute();
      const version = await trx
        .insertInto('front_history')
        .values({
          user_id: actor.id,
          user_name: actor.name,
          created_at: clock.now(),
          arrangement: JSON.stringify(arrangement),
          restored_from: restoredFrom,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return Number(version.id);
    });
    if (deps.onChange !== undefined) await deps.onChange([tag.front]);
    return versionId;
  }

  return {
    /** What the desk pinned, by area and place. */
    async arrangement(): Promise<FrontArrangement> {
      const rows = await db
        .selectFrom('front_slots')
        .select(['area', 'position', 'article_id'])
        .orderBy('area')
        .orderBy('position')
        .execute();
      const out: FrontArrangement = {};
      for (const r of rows) {
        const list = (out[r.area] ??= []);
        while (list.length < r.position) list.push(null);
        list[r.position] = Number(r.article_id);
      }
      return out;
    },

    /** The version on the front page now (null before the first save). */
    async currentVersion(): Promise<number | null> {
      const row = await db
        .selectFrom('front_history')
        .select('id')
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst();
      return row === undefined ? null : Number(row.id);
    },

    /**
     * Replaces the whole arrangement at once (a drag between areas is one change) and keeps
     * it as a new version. Pinned articles must be published. With `basedOn` (the version
     * the editor started from), a colleague's save in between is refused rather than
     * silently overwritten. Returns the version's id.
     */
    async arrange(
      actor: Actor,
      proposal: unknown,
      options: { basedOn?: number | null } = {},
    ): Promise<number> {
      mayArrange(actor);
      if (options.basedOn !== undefined) {
        const latest = await db
          .selectFrom('front_history')
          .select(['id', 'user_name', 'created_at'])
          .orderBy('id', 'desc')
          .limit(1)
          .executeTakeFirst();
        const current = latest === undefined ? null : Number(latest.id);
        if (latest !== undefined && current !== options.basedOn)
          throw new AppError(
            'CONFLICT',
            `${latest.user_name} 님이 ${formatKstDateTime(Number(latest.created_at))}에 첫 화면을 먼저 저장했습니다. 아래 내 편집은 아직 저장하지 않았습니다. 편집 기록에서 동료의 판을 확인하고, 그래도 저장하면 내 편집으로 바뀝니다.`,
          );
      }
      const arrangement = checkArrangement(proposal);
      await checkSections(arrangement);
      const ids = pinnedIds(arrangement);
      const published = await publishedAmong(ids);
      const missing = ids.filter((id) => !published.has(id));
      if (missing.length > 0) throw invalidInput(`출고된 기사가 아닙니다: ${missing.join(', ')}번`);
      return save(actor, arrangement, null);
    },

    /** The latest versions, newest first: who changed the front page, and when. */
    async history(limit = HISTORY_KEPT_ON_SCREEN): Promise<FrontVersion[]> {
      const rows = await db
        .selectFrom('front_history')
        .select(['id', 'user_name', 'created_at', 'arrangement', 'restored_from'])
        .orderBy('id', 'desc')
        .limit(Math.min(Math.max(limit, 1), 200))
        .execute();
      return rows.map((r) => ({
        id: Number(r.id),
        at: Number(r.created_at),
        userName: r.user_name,
        restoredFrom: r.restored_from === null ? null : Number(r.restored_from),
        arrangement: JSON.parse(r.arrangement) as FrontArrangement,
      }));
    },

    /**
     * Brings an earlier version back, itself kept as a new version. Articles of that version
     * no longer published leave their places to the fill rule; their ids are returned.
     */
    async restore(
      actor: Actor,
      versionId: number,
    ): Promise<{ versionId: number; dropped: number[] }> {
      mayArrange(actor);
      const row = await db
        .selectFrom('front_history')
        .select('arrangement')
        .where('id', '=', versionId)
        .executeTakeFirst();
      if (row === undefined) throw notFound('없는 편집 기록입니다.');
      const old = checkArrangement(JSON.parse(row.arrangement));
      const published = await publishedAmong(pinnedIds(old));
      const dropped: number[] = [];
      const sections = new Set(
        (await db.selectFrom('sections').select('id').execute()).map((s) => `section:${s.id}`),
      );
      const arrangement: FrontArrangement = {};
      for (const [area, places] of Object.entries(old)) {
        if (area.startsWith('section:') && !sections.has(area)) continue;
        arrangement[area] = places.map((id) => {
          if (id === null || published.has(id)) return id;
          dropped.push(id);
          return null;
        });
      }
      return { versionId: await save(actor, checkArrangement(arrangement), versionId), dropped };
    },

    /**
     * Published articles readers can see, newest first, whose title holds `text` or whose
     * number it is: the front desk's search. Empty text lists the newest.
     */
    async search(text: string): Promise<FrontCandidate[]> {
      const now = clock.now();
      const typed = text.trim().slice(0, SEARCH_MAX_CHARS);
      let query = db
        .selectFrom('articles as a')
        .innerJoin('sections as s', 's.id', 'a.section_id')
        .select([
          'a.id',
          'a.title',
          's.name as sectionName',
          'a.published_at',
          'a.featured_photo_id',
          'a.is_breaking',
          'a.breaking_until',
        ])
        .where('a.status', '=', 'published')
        .where('a.published_at', '<=', now)
        // A hidden section's pieces never reach the front page.
        .where('s.hidden', '=', 0);
      if (typed !== '') {
        const number = /^\d{1,12}$/.test(typed.replace(/번$/, ''))
          ? Number(typed.replace(/번$/, ''))
          : null;
        const pattern = `%${typed.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
        query = query.where((eb) =>
          eb.or([
            eb(sql<string>`lower(a.title)`, 'like', sql<string>`${pattern} escape '\\'`),
            ...(number !== null ? [eb('a.id', '=', number)] : []),
          ]),
        );
      }
      const rows = await query
        .orderBy('a.published_at', 'desc')
        .orderBy('a.id', 'desc')
        .limit(SEARCH_LIMIT)
        .execute();
      return rows.map((r) => ({
        id: Number(r.id),
        title: r.title,
        sectionName: r.sectionName,
        publishedAt: Number(r.published_at),
        hasPhoto: r.featured_photo_id !== null,
        isBreaking: r.is_breaking === 1 && r.breaking_until !== null && r.breaking_until > now,
      }));
    },

    /** 속보 running now (published, its end still ahead), the nearest end first. */
    async breakingNow(): Promise<BreakingArticle[]> {
      const rows = await db
        .selectFrom('articles')
        .select(['id', 'title', 'breaking_until'])
        .where('is_breaking', '=', 1)
        .where('status', '=', 'published')
        .where('breaking_until', '>', clock.now())
        .orderBy('breaking_until')
        .limit(50)
        .execute();
      return rows.map((r) => ({
        id: Number(r.id),
        title: r.title,
        breakingUntil: Number(r.breaking_until),
      }));
    },

    /** 속보 해제: the flag goes off now, everywhere the article shows. */
    async endBreaking(actor: Actor, articleId: number): Promise<void> {
      mayArrange(actor);
      const article = await db
        .selectFrom('articles')
        .select(['id', 'section_id', 'is_photo_story', 'is_breaking'])
        .where('id', '=', articleId)
        .executeTakeFirst();
      if (article === undefined) throw notFound('없는 기사입니다.');
      if (article.is_breaking === 0) return;
      await db
        .updateTable('articles')
        .set({ is_breaking: 0, breaking_until: null })
        .where('id', '=', articleId)
        .execute();
      if (deps.onChange !== undefined)
        await deps.onChange(
          articleChangeTags(
            articleId,
            article.section_id,
            article.is_photo_story === 1,
            await listingsOfArticle(db, articleId),
          ),
        );
    },
  };
}

export type FrontDesk = ReturnType<typeof createFrontDesk>;
