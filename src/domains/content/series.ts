import type { Kysely } from 'kysely';
import type { ArticleStatus, Database } from '../../db/index.ts';
import { tag, type CacheTag } from '../../shared/cache-tags.ts';
import type { Clock } from '../../shared/clock.ts';
import { AppError, invalidInput, notFound } from '../../shared/errors.ts';
import { cleanFormText } from '../../shared/text.ts';

/**
 * 연재·기획: the desk groups articles under a series title, in reading order. Content owns
 * the series tables; the admin's series screen calls this. Each change refreshes the
 * series page and every page of its parts, old and new (their 연재 n회 box).
 */
export interface SeriesDeskDeps {
  db: Kysely<Database>;
  clock: Clock;
  /** Called after a commit with the cache tags the change affects. */
  onChange?: (tags: readonly CacheTag[]) => void | Promise<void>;
}

export interface SeriesInput {
  title: string;
  description: string;
  /** The series image (a photo library row); undefined keeps the one there is. */
  photoId?: number | null;
}

export interface DeskSeries {
  id: number;
  title: string;
  description: string;
  photoId: number | null;
  createdAt: number;
  updatedAt: number;
  /** Parts in the series, published or not. */
  partCount: number;
}

export interface DeskSeriesPart {
  articleId: number;
  title: string;
  status: ArticleStatus;
  publishedAt: number | null;
}

export const SERIES_LIMITS = { title: 120, description: 2000, parts: 200 } as const;

function seriesText(input: SeriesInput): { title: string; description: string } {
  const title = cleanFormText(input.title);
  const description = cleanFormText(input.description, { multiline: true });
  if (title === '')
    throw invalidInput('연재 제목을 입력하세요.', { fields: { title: '연재 제목을 입력하세요.' } });
  const tooLong = (field: 'title' | 'description', text: string, label: string) => {
    const length = [...text].length;
    if (length > SERIES_LIMITS[field]) {
      const message = `${label} ${SERIES_LIMITS[field]}자까지 쓸 수 있습니다 (지금 ${length}자).`;
      throw invalidInput(message, { fields: { [field]: message } });
    }
  };
  tooLong('title', title, '제목은');
  tooLong('description', description, '소개는');
  return { title, description };
}

const isUniqueViolation = (error: unknown): boolean => {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === '23505';
};

export function createSeriesDesk(deps: SeriesDeskDeps) {
  const { db, clock } = deps;
  const notify = async (tags: readonly CacheTag[]) => {
    if (deps.onChange !== undefined && tags.length > 0) await deps.onChange(tags);
  };

  async function members(seriesId: number): Promise<number[]> {
    const rows = await db
      .selectFrom('series_parts')
      .select('article_id')
      .where('series_id', '=', seriesId)
      .orderBy('position')
      .execute();
    return rows.map((r) => Number(r.article_id));
  }

  async function assertPhoto(photoId: number | null | undefined): Promise<void> {
    if (photoId == null) return;
    const row = await db
      .selectFrom('photos')
      .select('id')
      .where('id', '=', photoId)
      .executeTakeFirst();
    if (row === undefined) throw notFound('사진을 찾을 수 없습니다.');
  }

  async function exists(id: number): Promise<void> {
    const row = await db.selectFrom('series').select('id').where('id', '=', id).executeTakeFirst();
    if (row === undefined) throw notFound('연재를 찾을 수 없습니다.');
  }

  /** The series page and the pages of these parts. */
  const changeTags = (id: number, articleIds: readonly number[]): CacheTag[] => [
    tag.series(id),
    ...new Set(articleIds.map(tag.article)),
  ];

  return {
    /** Every series, the most recently changed first. */
    async list(): Promise<DeskSeries[]> {
      const rows = await db
        .selectFrom('series as s')
        .select(['s.id', 's.title', 's.description', 's.photo_id', 's.created_at', 's.updated_at'])
        .select((eb) =>
          eb
            .selectFrom('series_parts as sp')
            .select((e) => e.fn.countAll<number | string>().as('n'))
            .whereRef('sp.series_id', '=', 's.id')
            .as('part_count'),
        )
        .orderBy('s.updated_at', 'desc')
        .orderBy('s.id', 'desc')
        .execute();
      return rows.map((r) => ({
        id: Number(r.id),
        title: r.title,
        description: r.description,
        photoId: r.photo_id === null ? null : Number(r.photo_id),
        createdAt: Number(r.created_at),
        updatedAt: Number(r.updated_at),
        partCount: Number(r.part_count ?? 0),
      }));
    },

    /** One series with all its parts in order, whatever their status (the desk's view). */
    async get(id: number): Promise<{ series: DeskSeries; parts: DeskSeriesPart[] } | null> {
      const row = await db
        .selectFrom('series')
        .select(['id', 'title', 'description', 'photo_id', 'created_at', 'updated_at'])
        .where('id', '=', id)
        .executeTakeFirst();
      if (row === undefined) return null;
      const parts = await db
        .selectFrom('series_parts as sp')
        .innerJoin('articles as a', 'a.id', 'sp.article_id')
        .select(['a.id', 'a.title', 'a.status', 'a.published_at'])
        .where('sp.series_id', '=', id)
        .orderBy('sp.position')
        .execute();
      return {
        series: {
          id: Number(row.id),
          title: row.title,
          description: row.description,
          photoId: row.photo_id === null ? null : Number(row.photo_id),
          createdAt: Number(row.created_at),
          updatedAt: Number(row.updated_at),
          partCount: parts.length,
        },
        parts: parts.map((p) => ({
          articleId: Number(p.id),
          title: p.title,
          status: p.status,
          publishedAt: p.published_at === null ? null : Number(p.published_at),
        })),
      };
    },

    async create(input: SeriesInput, createdBy: number | null): Promise<number> {
      const text = seriesText(input);
      await assertPhoto(input.photoId);
      const now = clock.now();
      const row = await db
        .insertInto('series')
        .values({
          ...text,
          photo_id: input.photoId ?? null,
          created_by: createdBy,
          created_at: now,
          updated_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const id = Number(row.id);
      await notify([tag.series(id)]);
      return id;
    },

    async update(id: number, input: SeriesInput): Promise<void> {
      const text = seriesText(input);
      await assertPhoto(input.photoId);
      await exists(id);
      await db
        .updateTable('series')
        .set({
          ...text,
          ...(input.photoId === undefined ? {} : { photo_id: input.photoId }),
          updated_at: clock.now(),
        })
        .where('id', '=', id)
        .execute();
      await notify(changeTags(id, await members(id)));
    },

    /** Ends a series: its page goes, its articles stay as they are, without 연재 n회. */
    async remove(id: number): Promise<void> {
      await exists(id);
      const before = await members(id);
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('series_parts').where('series_id', '=', id).execute();
        await trx.deleteFrom('series').where('id', '=', id).execute();
      });
      await notify(changeTags(id, before));
    },

    /**
     * Replaces the parts with `articleIds`, in reading order (repeats are dropped). Each
     * article must exist, not be in the trash, and not be a part of another series.
     */
    async setParts(id: number, articleIds: readonly number[]): Promise<void> {
      const wanted = [...new Set(articleIds)];
      if (wanted.length > SERIES_LIMITS.parts)
        throw invalidInput(`한 연재에는 ${SERIES_LIMITS.parts}회까지 넣을 수 있습니다.`, {
          fields: { parts: `${SERIES_LIMITS.parts}회까지 넣을 수 있습니다.` },
        });
      await exists(id);
      const before = await members(id);
      try {
        await db.transaction().execute(async (trx) => {
          if (wanted.length > 0) {
            const articles = await trx
              .selectFrom('articles as a')
              .leftJoin('series_parts as sp', 'sp.article_id', 'a.id')
              .leftJoin('series as s', 's.id', 'sp.series_id')
              .select(['a.id', 'a.status', 'sp.series_id', 's.title as series_title'])
              .where('a.id', 'in', wanted)
              .execute();
            const found = new Map(articles.map((a) => [Number(a.id), a]));
            for (const articleId of wanted) {
              const a = found.get(articleId);
              const field = { fields: { parts: `${articleId}번 기사를 확인하세요.` } };
              if (a === undefined || a.status === 'trashed')
                throw invalidInput(`${articleId}번 기사는 없거나 휴지통에 있습니다.`, field);
              if (a.series_id !== null && Number(a.series_id) !== id)
                throw new AppError(
                  'CONFLICT',
                  `${articleId}번 기사는 이미 「${a.series_title ?? ''}」 연재에 들어 있습니다. 그 연재에서 먼저 빼세요.`,
                  field,
                );
            }
          }
          await trx.deleteFrom('series_parts').where('series_id', '=', id).execute();
          if (wanted.length > 0)
            await trx
              .insertInto('series_parts')
              .values(
                wanted.map((articleId, position) => ({
                  series_id: id,
                  article_id: articleId,
                  position,
                })),
              )
              .execute();
          await trx
            .updateTable('series')
            .set({ updated_at: clock.now() })
            .where('id', '=', id)
            .execute();
        });
      } catch (error) {
        // Another desk put one of these articles in another series meanwhile.
        if (isUniqueViolation(error))
          throw new AppError('CONFLICT', '다른 연재에 이미 들어 있는 기사가 있습니다.', {
            fields: { parts: '다른 연재에 이미 들어 있는 기사가 있습니다.' },
          });
        throw error;
      }
      await notify(changeTags(id, [...before, ...wanted]));
    },
  };
}

export type SeriesDesk = ReturnType<typeof createSeriesDesk>;
