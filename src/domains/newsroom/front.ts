import type { Kysely } from 'kysely';
import type { Database } from '../../db/index.ts';
import { tag, type CacheTag } from '../../shared/cache-tags.ts';
import { invalidInput } from '../../shared/errors.ts';
import { can } from '../accounts/index.ts';
import { forbidden, type Actor } from './desk.ts';

export interface FrontDeps {
  db: Kysely<Database>;
  onChange?: (tags: readonly CacheTag[]) => void | Promise<void>;
}

/** Areas of the front page the desk arranges, and how many places each has. */
export const FRONT_AREAS = { headline: 1, top: 6 } as const;
const SECTION_BOX_PLACES = 6;

export type FrontArea = keyof typeof FRONT_AREAS | `section:${number}`;

function places(area: FrontArea): number {
  return area === 'headline' || area === 'top' ? FRONT_AREAS[area] : SECTION_BOX_PLACES;
}

function checkArea(area: string): FrontArea {
  if (area === 'headline' || area === 'top' || /^section:[1-9]\d{0,9}$/.test(area))
    return area as FrontArea;
  throw invalidInput('없는 편집 영역입니다.');
}

/**
 * The desk's arrangement of the front page. Each area holds article ids by position; the
 * front page fills any place left empty (or whose article is no longer published) with
 * the newest articles, so an unarranged site still has a full front page.
 */
export function createFrontDesk(deps: FrontDeps) {
  const { db } = deps;
  return {
    async arrangement(): Promise<Map<string, number[]>> {
      const rows = await db
        .selectFrom('front_slots')
        .select(['area', 'position', 'article_id'])
        .orderBy('area')
        .orderBy('position')
        .execute();
      const byArea = new Map<string, number[]>();
      for (const r of rows) {
        const list = byArea.get(r.area) ?? [];
        list.push(r.article_id);
        byArea.set(r.area, list);
      }
      return byArea;
    },

    /** Replaces an area's arrangement; ids must be published articles. */
    async arrange(actor: Actor, areaName: string, articleIds: number[]): Promise<void> {
      if (!can(actor.role, 'front.arrange'))
        throw forbidden('첫 화면 편집은 데스크만 할 수 있습니다.');
      const area = checkArea(areaName);
      const ids = [...new Set(articleIds)];
      if (ids.length > places(area))
        throw invalidInput(`이 영역에는 기사 ${places(area)}개까지 놓을 수 있습니다.`);
      if (ids.length > 0) {
        const found = await db
          .selectFrom('articles')
          .select('id')
          .where('id', 'in', ids)
          .where('status', '=', 'published')
          .execute();
        const missing = ids.filter((id) => !found.some((f) => f.id === id));
        if (missing.length > 0)
          throw invalidInput(`출고된 기사가 아닙니다: ${missing.join(', ')}번`);
      }
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('front_slots').where('area', '=', area).execute();
        if (ids.length > 0) {
          await trx
            .insertInto('front_slots')
            .values(ids.map((id, position) => ({ area, position, article_id: id })))
            .execute();
        }
      });
      if (deps.onChange !== undefined) await deps.onChange([tag.front]);
    },
  };
}

export type FrontDesk = ReturnType<typeof createFrontDesk>;
