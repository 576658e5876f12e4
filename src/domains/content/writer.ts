import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { ArticleStatus, Database } from '../../db/index.ts';
import {
  articleChangeTags,
  revisedArticleTags,
  tag,
  type CacheTag,
} from '../../shared/cache-tags.ts';
import type { Clock } from '../../shared/clock.ts';
import { AppError, invalidInput, notFound } from '../../shared/errors.ts';
import { josa } from '../../shared/josa.ts';
import { writeSearchDocument } from '../search/index.ts';
import { cleanFormText, cutText, htmlToText } from '../../shared/text.ts';
import { createBodyCleaner, type BodyCleaner } from './body-cleaner.ts';
import { createAuthor, ensureAuthor, listingsOfArticle, setArticleRelations } from './relations.ts';
import {
  articleCreated,
  articlesRevisedElsewhere,
  articlesWithByline,
  watchArticle,
} from './changes.ts';
import { ORIGIN_KEYS, type ArticleOrigin } from '../../shared/article-origins.ts';

export interface WriterDeps {
  db: Kysely<Database>;
  clock: Clock;
  /** Cleans bodies before they are stored (long ones off the event loop). */
  bodyCleaner?: BodyCleaner;
  /** Called after a commit with the cache tags the change affects. */
  onChange?: (tags: readonly CacheTag[]) => void | Promise<void>;
}

const SUMMARY_LENGTH = 160;

const sectionInput = z.object({
  slug: z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9-]{0,79}$/, '섹션 주소는 영문 소문자, 숫자, 하이픈만 쓸 수 있습니다.'),
  name: z.string().trim().min(1, '섹션 이름을 입력하세요.').max(80),
  parentId: z.number().int().positive().nullable().default(null),
  position: z.number().int().default(0),
  hidden: z.boolean().default(false),
  layout: z.enum(['list', 'photo']).default('list'),
});

const authorInput = z.object({
  name: z.string().trim().min(1, '기자 이름을 입력하세요.').max(80),
  email: z.string().trim().toLowerCase().email('올바른 이메일 주소가 아닙니다.'),
});

const BREAKING_DEFAULT_MS = 6 * 60 * 60 * 1000;

/** What a 기자 페이지 shows besides the articles; `identity` only for bylines without an account. */
export interface AuthorProfileInput {
  beat: string;
  intro: string;
  /** The profile photo (a photo library row); undefined keeps the one there is. */
  photoId?: number | null;
  /** Name, title and e-mail of an outside writer; a staff byline follows its account. */
  identity?: { name: string; title: string; email: string };
}

export const PROFILE_LIMITS = { beat: 60, intro: 1000, name: 80, title: 40 } as const;

/** A cleaned profile field, or INVALID_INPUT naming the field when it is too long. */
function profileText(
  field: keyof typeof PROFILE_LIMITS,
  value: string,
  label: string,
  multiline = false,
): string {
  const text = cleanFormText(value, { multiline });
  const length = [...text].length;
  const limit = PROFILE_LIMITS[field];
  if (length > limit) {
    const message = `${josa(label, '은', '는')} ${limit}자까지 쓸 수 있습니다 (지금 ${length}자).`;
    throw invalidInput(message, { field, fields: { [field]: message } });
  }
  return text;
}

/**
 * A profile's text cleaned and checked (lengths, a name, an e-mail that is one): what
 * updateAuthorProfile stores. The newsroom calls it first to refuse bad text before a
 * photo upload is stored.
 */
export function checkAuthorProfile(input: AuthorProfileInput): {
  beat: string;
  intro: string;
  identity: { name: string; title: string; email: string } | undefined;
} {
  const beat = profileText('beat', input.beat, '담당 분야');
  const intro = profileText('intro', input.intro, '소개', true);
  const identity =
    input.identity === undefined
      ? undefined
      : {
          name: profileText('name', input.identity.name, '이름'),
          title: profileText('title', input.identity.title, '직함'),
          email: cleanFormText(input.identity.email).toLowerCase(),
        };
  if (identity !== undefined) {
    if (identity.name === '')
      throw invalidInput('이름을 입력하세요.', { fields: { name: '이름을 입력하세요.' } });
    if (identity.email !== '' && !z.string().email().max(254).safeParse(identity.email).success)
      throw invalidInput('올바른 이메일 주소가 아닙니다.', {
        fields: { email: '올바른 이메일 주소가 아닙니다.' },
      });
  }
  return { beat, intro, identity };
}

const isUniqueViolation = (error: unknown): boolean => {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === '23505';
};

const articleInput = z.object({
  sectionId: z.number().int().positive(),
  title: z.string().trim().min(1, '제목을 입력하세요.').max(300, '제목은 300자 이내로 입력하세요.'),
  subtitle: z.string().max(2000).default(''),
  bodyHtml: z.string().max(2_000_000).default(''),
  status: z.enum(['draft', 'submitted', 'published', 'unpublished', 'trashed']).default('draft'),
  origin: z.enum(ORIGIN_KEYS as [ArticleOrigin, ...ArticleOrigin[]]).default('own'),
  isBreaking: z.boolean().default(false),
  /** When 속보 ends; defaults to six hours after publication (the desk's default too). */
  breakingUntil: z.number().int().nullable().default(null),
  isPhotoStory: z.boolean().default(false),
  featuredPhotoId: z.number().int().positive().nullable().default(null),
  photoIds: z.array(z.number().int().positive()).default([]),
  authorIds: z.array(z.number().int().positive()).default([]),
  tags: z.array(z.string().trim().min(1).max(60)).default([]),
  publishedAt: z.number().int().nullable().default(null),
  updatedAt: z.number().int().optional(),
});

export type SectionInput = z.input<typeof sectionInput>;
export type AuthorInput = z.input<typeof authorInput>;
export type ArticleInput = z.input<typeof articleInput>;

function parse<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const result = schema.safeParse(input);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw invalidInput(issue?.message ?? '입력값이 올바르지 않습니다.', {
      field: issue?.path.join('.'),
    });
  }
  return result.data;
}

/** The teaser and meta-description text of a cleaned body. */
export function articleSummary(bodyHtml: string): string {
  return cutText(htmlToText(bodyHtml), SUMMARY_LENGTH);
}

export function createWriter(deps: WriterDeps) {
  const { db, clock } = deps;
  const bodyCleaner = deps.bodyCleaner ?? createBodyCleaner();
  const notify = async (tags: readonly CacheTag[]) => {
    if (deps.onChange) await deps.onChange(tags);
  };

  return {
    async createSection(input: SectionInput): Promise<number> {
      const s = parse(sectionInput, input);
      const taken = await db
        .selectFrom('sections')
        .select('id')
        .where('slug', '=', s.slug)
        .executeTakeFirst();
      if (taken !== undefined)
        throw new AppError('CONFLICT', `이미 쓰고 있는 섹션 주소입니다: ${s.slug}`);
      const row = await db
        .insertInto('sections')
        .values({
          slug: s.slug,
          name: s.name,
          parent_id: s.parentId,
          position: s.position,
          hidden: s.hidden ? 1 : 0,
          layout: s.layout,
          created_at: clock.now(),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await notify([tag.sections]);
      return row.id;
    },

    /** Renames, reorders or hides a section; its address (slug) never changes. */
    async updateSection(
      id: number,
      input: { name: string; position: number; hidden: boolean },
    ): Promise<void> {
      const s = parse(sectionInput.pick({ name: true, position: true, hidden: true }), input);
      const result = await db
        .updateTable('sections')
        .set({ name: s.name, position: s.position, hidden: s.hidden ? 1 : 0 })
        .where('id', '=', id)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 0) throw notFound(`섹션 ${id}을(를) 찾을 수 없습니다.`);
      await notify([tag.sections]);
    },

    /** The byline with this email, created when new; an existing byline keeps its name. */
    async createAuthor(input: AuthorInput): Promise<number> {
      const a = parse(authorInput, input);
      return (await ensureAuthor(db, a, clock.now())).id;
    },

    /** A byline without an account or address (외부 필자, 칼럼니스트): always a new one. */
    async createOutsideAuthor(input: { name: string; title?: string }): Promise<number> {
      const name = profileText('name', input.name, '이름');
      if (name === '')
        throw invalidInput('이름을 입력하세요.', { fields: { name: '이름을 입력하세요.' } });
      const title = profileText('title', input.title ?? '', '직함');
      return (await createAuthor(db, { name, email: null, title }, clock.now())).id;
    },

    /** Creates an article with its bylines, photos and tags in one transaction. */
    async createArticle(input: ArticleInput): Promise<number> {
      const a = parse(articleInput, input);
      const now = clock.now();
      const body = await bodyCleaner.clean(a.bodyHtml);
      if (a.status === 'published' && a.publishedAt === null) a.publishedAt = now;
      const featuredPhotoId = a.featuredPhotoId ?? a.photoIds[0] ?? null;
      const id = await db.transaction().execute(async (trx) => {
        const section = await trx
          .selectFrom('sections')
          .select('id')
          .where('id', '=', a.sectionId)
          .executeTakeFirst();
        if (section === undefined) throw notFound(`섹션 ${a.sectionId}을(를) 찾을 수 없습니다.`);
        const row = await trx
          .insertInto('articles')
          .values({
            section_id: a.sectionId,
            title: a.title,
            subtitle: a.subtitle.replace(/\r\n?/g, '\n').trim(),
            body_html: body,
            summary: articleSummary(body),
            status: a.status satisfies ArticleStatus,
            origin: a.origin,
            is_breaking: a.isBreaking ? 1 : 0,
            breaking_until: a.isBreaking
              ? (a.breakingUntil ?? (a.publishedAt ?? now) + BREAKING_DEFAULT_MS)
              : null,
            is_photo_story: a.isPhotoStory ? 1 : 0,
            featured_photo_id: featuredPhotoId,
            published_at: a.publishedAt,
            updated_at: a.updatedAt ?? a.publishedAt ?? now,
            created_at: now,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        await setArticleRelations(trx, row.id, {
          authorIds: a.authorIds,
          tags: a.tags,
          featuredPhotoId,
          bodyPhotoIds: a.photoIds,
        });
        await writeSearchDocument(trx, row.id);
        await articleCreated(trx, row.id, now);
        return row.id;
      });
      await notify(
        articleChangeTags(id, a.sectionId, a.isPhotoStory, {
          authorIds: a.authorIds,
          tags: a.tags,
        }),
      );
      return id;
    },

    /**
     * A byline's profile on its 기자 페이지: desk or beat, introduction, photo, and for an
     * outside writer (no account) the name, title and e-mail. The page and its feed are
     * refreshed, and every page printing the byline when its name, title or e-mail changed.
     */
    async updateAuthorProfile(authorId: number, input: AuthorProfileInput): Promise<void> {
      const { beat, intro, identity } = checkAuthorProfile(input);
      if (input.photoId != null) {
        const photo = await db
          .selectFrom('photos')
          .select('id')
          .where('id', '=', input.photoId)
          .executeTakeFirst();
        if (photo === undefined) throw notFound('사진을 찾을 수 없습니다.');
      }
      const before = await db
        .selectFrom('authors')
        .select(['name', 'title', 'email'])
        .where('id', '=', authorId)
        .executeTakeFirst();
      if (before === undefined) throw notFound('바이라인을 찾을 수 없습니다.');
      if (identity !== undefined) {
        const account = await db
          .selectFrom('users')
          .select('id')
          .where('author_id', '=', authorId)
          .executeTakeFirst();
        if (account !== undefined)
          throw new AppError(
            'FORBIDDEN',
            '계정이 있는 기자의 이름과 이메일은 그 계정에서만 바뀝니다.',
          );
      }
      const renamed =
        identity !== undefined &&
        (identity.name !== before.name ||
          identity.title !== before.title ||
          (identity.email === '' ? null : identity.email) !== before.email);
      let revised: number[];
      try {
        revised = await db.transaction().execute(async (trx) => {
          await trx
            .updateTable('authors')
            .set({
              beat,
              intro,
              ...(input.photoId === undefined ? {} : { photo_id: input.photoId }),
              ...(identity === undefined
                ? {}
                : {
                    name: identity.name,
                    title: identity.title,
                    email: identity.email === '' ? null : identity.email,
                  }),
            })
            .where('id', '=', authorId)
            .execute();
          // The byline is printed on its articles: a new revision of each, dated now.
          return renamed
            ? articlesRevisedElsewhere(trx, await articlesWithByline(trx, authorId), clock.now())
            : [];
        });
      } catch (error) {
        if (isUniqueViolation(error))
          throw new AppError('CONFLICT', '다른 바이라인이 이미 쓰고 있는 이메일입니다.', {
            fields: { email: '다른 바이라인이 이미 쓰고 있는 이메일입니다.' },
          });
        throw error;
      }
      await notify(
        renamed
          ? [tag.author(authorId), tag.byline(authorId), ...revisedArticleTags(revised)]
          : [tag.author(authorId)],
      );
    },

    /** Changes an article's status (and publish time); used by the desk and by tests. */
    async setStatus(
      articleId: number,
      status: ArticleStatus,
      publishedAt?: number | null,
    ): Promise<void> {
      const now = clock.now();
      const existing = await db
        .selectFrom('articles')
        .select(['section_id', 'published_at', 'is_photo_story'])
        .where('id', '=', articleId)
        .executeTakeFirst();
      if (existing === undefined) throw notFound(`기사 ${articleId}을(를) 찾을 수 없습니다.`);
      const nextPublishedAt =
        publishedAt !== undefined
          ? publishedAt
          : (existing.published_at ?? (status === 'published' ? now : null));
      await db.transaction().execute(async (trx) => {
        const change = await watchArticle(trx, articleId);
        await trx
          .updateTable('articles')
          .set({ status, published_at: nextPublishedAt, updated_at: now })
          .where('id', '=', articleId)
          .execute();
        await writeSearchDocument(trx, articleId);
        await change.record(now);
      });
      await notify(
        articleChangeTags(
          articleId,
          existing.section_id,
          existing.is_photo_story === 1,
          await listingsOfArticle(db, articleId),
        ),
      );
    },

    /** Updates title, subtitle and body; the URL (the article number) never changes. */
    async updateArticleText(
      articleId: number,
      input: { title?: string; subtitle?: string; bodyHtml?: string },
    ): Promise<void> {
      const existing = await db
        .selectFrom('articles')
        .select(['section_id', 'is_photo_story'])
        .where('id', '=', articleId)
        .executeTakeFirst();
      if (existing === undefined) throw notFound(`기사 ${articleId}을(를) 찾을 수 없습니다.`);
      // Without the creation defaults: a field left out keeps its text (it was emptied).
      const patch = parse(
        z.object({
          title: articleInput.shape.title.optional(),
          subtitle: z.string().max(2000).optional(),
          bodyHtml: z.string().max(2_000_000).optional(),
        }),
        input,
      );
      const body =
        patch.bodyHtml === undefined ? undefined : await bodyCleaner.clean(patch.bodyHtml);
      await db.transaction().execute(async (trx) => {
        const change = await watchArticle(trx, articleId);
        await trx
          .updateTable('articles')
          .set({
            ...(patch.title !== undefined ? { title: patch.title } : {}),
            ...(patch.subtitle !== undefined
              ? { subtitle: patch.subtitle.replace(/\r\n?/g, '\n').trim() }
              : {}),
            ...(body !== undefined ? { body_html: body, summary: articleSummary(body) } : {}),
            updated_at: clock.now(),
          })
          .where('id', '=', articleId)
          .execute();
        await writeSearchDocument(trx, articleId);
        await change.record(clock.now());
      });
      await notify(
        articleChangeTags(
          articleId,
          existing.section_id,
          existing.is_photo_story === 1,
          await listingsOfArticle(db, articleId),
        ),
      );
    },
  };
}

export type Writer = ReturnType<typeof createWriter>;
