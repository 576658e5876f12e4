import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/index.ts';
import type { Clock } from '../../shared/clock.ts';
import { AppError, notFound } from '../../shared/errors.ts';
import { articleVerdict } from './article-rules.ts';
import type { Actor } from './desk.ts';

const HOUR = 60 * 60 * 1000;

/** How long a link lives: a look before 출고, or a link sent to a source for checking. */
export const PREVIEW_LIFETIME_MS = { desk: 2 * HOUR, share: 72 * HOUR } as const;
export type PreviewPurpose = keyof typeof PREVIEW_LIFETIME_MS;
/** Enough for a day's sources; more usually means links are being handed around. */
const MAX_ACTIVE_PER_ARTICLE = 20;

export interface PreviewLink {
  id: number;
  purpose: PreviewPurpose;
  createdBy: string | null;
  createdAt: number;
  expiresAt: number;
}

const hash = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * 미리보기: private, expiring links that show an unpublished article exactly as readers
 * will see it. Only the token's hash is stored; whoever may see the article may make one,
 * and whoever made one (or the desk) may cancel it.
 */
export function createPreviews(deps: { db: Kysely<Database>; clock: Clock }) {
  const { db, clock } = deps;

  async function visibleArticle(actor: Actor, articleId: number) {
    const article = await db
      .selectFrom('articles')
      .select(['status', 'owner_id', 'published_at', 'trashed_from'])
      .where('id', '=', articleId)
      .executeTakeFirst();
    if (article === undefined) throw notFound(`기사 ${articleId}번을 찾을 수 없습니다.`);
    const state = {
      status: article.status,
      ownerId: article.owner_id,
      publishedAt: article.published_at,
      trashedFrom: article.trashed_from,
    };
    const verdict = articleVerdict(actor, state, 'view', clock.now());
    if (verdict !== null) throw verdict;
    if (article.status === 'trashed')
      throw new AppError('CONFLICT', '휴지통의 기사는 미리 볼 수 없습니다. 먼저 복원하세요.');
  }

  return {
    async issue(
      actor: Actor,
      articleId: number,
      purpose: PreviewPurpose,
    ): Promise<{ token: string; expiresAt: number }> {
      await visibleArticle(actor, articleId);
      const now = clock.now();
      const token = randomBytes(24).toString('base64url');
      const expiresAt = now + PREVIEW_LIFETIME_MS[purpose];
      await db.transaction().execute(async (trx) => {
        // A no-op write on the article row queues parallel requests for the same article
        // (a row lock in PostgreSQL; SQLite writes one transaction at a time), so the
        // count below sees every link made before and the cap holds under a burst.
        await trx
          .updateTable('articles')
          .set((eb) => ({ id: eb.ref('id') }))
          .where('id', '=', articleId)
          .execute();
        const active = await trx
          .selectFrom('article_previews')
          .select((eb) => eb.fn.countAll<number | string>().as('n'))
          .where('article_id', '=', articleId)
          .where('revoked_at', 'is', null)
          .where('expires_at', '>', now)
          .executeTakeFirst();
        if (Number(active?.n ?? 0) >= MAX_ACTIVE_PER_ARTICLE)
          throw new AppError(
            'CONFLICT',
            `이 기사의 미리보기 링크가 ${MAX_ACTIVE_PER_ARTICLE}개입니다. 쓰지 않는 링크를 취소한 뒤 만드세요.`,
          );
        await trx
          .insertInto('article_previews')
          .values({
            article_id: articleId,
            token_hash: hash(token),
            purpose,
            created_by: actor.id,
            created_at: now,
            expires_at: expiresAt,
            revoked_at: null,
          })
          .execute();
      });
      return { token, expiresAt };
    },

    /** The links still open for an article, newest first. */
    async active(actor: Actor, articleId: number): Promise<PreviewLink[]> {
      await visibleArticle(actor, articleId);
      const rows = await db
        .selectFrom('article_previews as p')
        .leftJoin('users as u', 'u.id', 'p.created_by')
        .select(['p.id', 'p.purpose', 'u.name', 'p.created_at', 'p.expires_at'])
        .where('p.article_id', '=', articleId)
        .where('p.revoked_at', 'is', null)
        .where('p.expires_at', '>', clock.now())
        .orderBy('p.id', 'desc')
        .execute();
      return rows.map((r) => ({
        id: r.id,
        purpose: r.purpose,
        createdBy: r.name,
        createdAt: r.created_at,
        expiresAt: r.expires_at,
      }));
    },

    async revoke(actor: Actor, articleId: number, previewId: number): Promise<void> {
      await visibleArticle(actor, articleId);
      const result = await db
        .updateTable('article_previews')
        .set({ revoked_at: clock.now() })
        .where('id', '=', previewId)
        .where('article_id', '=', articleId)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 0)
        throw notFound('이미 취소되었거나 없는 미리보기 링크입니다.');
    },

    /** The article a link opens, or null when it is unknown, expired or cancelled. */
    async open(
      token: string,
    ): Promise<{ articleId: number; expiresAt: number; published: boolean } | null> {
      if (!/^[\w-]{20,64}$/.test(token)) return null;
      const row = await db
        .selectFrom('article_previews as p')
        .innerJoin('articles as a', 'a.id', 'p.article_id')
        .select(['p.article_id', 'p.expires_at', 'a.status', 'a.published_at'])
        .where('p.token_hash', '=', hash(token))
        .where('p.revoked_at', 'is', null)
        .where('p.expires_at', '>', clock.now())
        .where('a.status', '!=', 'trashed')
        .executeTakeFirst();
      if (row === undefined) return null;
      const out =
        row.status === 'published' && row.published_at !== null && row.published_at <= clock.now();
      return { articleId: row.article_id, expiresAt: row.expires_at, published: out };
    },
  };
}

export type Previews = ReturnType<typeof createPreviews>;
