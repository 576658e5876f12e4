import type { Kysely } from 'kysely';
import type { Database } from '../../db/index.ts';

/** What endpoints can subscribe to. */
export const WEBHOOK_EVENTS = [
  'article.published',
  'article.updated',
  'article.unpublished',
  'article.corrected',
] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENTS)[number];

export const EVENT_LABELS: Readonly<Record<WebhookEventType | 'ping', string>> = {
  'article.published': '기사 출고',
  'article.updated': '출고된 기사 수정',
  'article.unpublished': '출고 취소',
  'article.corrected': '정정·반론·추후보도',
  ping: '테스트 전송',
};

export function isWebhookEventType(value: unknown): value is WebhookEventType {
  return typeof value === 'string' && (WEBHOOK_EVENTS as readonly string[]).includes(value);
}

/**
 * Autosaves of a published article (every few seconds while someone types) settle into one
 * article.updated this long after the first; an explicit save sends at once.
 */
export const AUTOSAVE_SETTLE_MS = 60_000;

/** A change readers see, as the desk reports it inside its transaction. */
export interface ArticleChange {
  type: WebhookEventType;
  articleId: number;
  now: number;
  /** When it reaches readers: a scheduled article's time. Now by default. */
  dueAt?: number;
  /** article.published: the publish time it goes out with (a later reschedule voids it). */
  publishedAt?: number;
  /** article.corrected: the notice added or reworded. */
  noticeId?: number;
  /** An autosave: folds into an article.updated still waiting, which goes out once settled. */
  settle?: boolean;
}

/**
 * Queues an event in the caller's transaction, so it exists exactly when the change does:
 * a rolled-back save sends nothing, a committed one survives any restart. Nothing is
 * written when no enabled endpoint wants the event. An article.updated folds into one of
 * the same article still waiting: the payload is read when it goes out, so it carries the
 * latest state anyway.
 */
export async function queueArticleEvent(
  db: Kysely<Database>,
  change: ArticleChange,
): Promise<void> {
  const wanted = await db
    .selectFrom('webhook_endpoints')
    .select('id')
    .where('enabled', '=', 1)
    .where('events', 'like', `%,${change.type},%`)
    .limit(1)
    .executeTakeFirst();
  if (wanted === undefined) return;
  const dueAt =
    change.dueAt ?? (change.settle === true ? change.now + AUTOSAVE_SETTLE_MS : change.now);
  if (change.type === 'article.updated') {
    const waiting = await db
      .selectFrom('webhook_events')
      .select(['id', 'due_at'])
      .where('article_id', '=', change.articleId)
      .where('type', '=', change.type)
      .where('dispatched_at', 'is', null)
      .executeTakeFirst();
    if (waiting !== undefined) {
      if (dueAt < waiting.due_at)
        await db
          .updateTable('webhook_events')
          .set({ due_at: dueAt })
          .where('id', '=', waiting.id)
          .execute();
      return;
    }
  }
  const detail: Record<string, number> = {};
  if (change.publishedAt !== undefined) detail.publishedAt = change.publishedAt;
  if (change.noticeId !== undefined) detail.noticeId = change.noticeId;
  await db
    .insertInto('webhook_events')
    .values({
      type: change.type,
      article_id: change.articleId,
      endpoint_id: null,
      detail: JSON.stringify(detail),
      created_at: change.now,
      due_at: dueAt,
      dispatched_at: null,
      payload: null,
    })
    .execute();
}

/** Ids per `in (...)` list: well under SQLite's and PostgreSQL's bound-parameter limits. */
const IDS_PER_QUERY = 500;

/**
 * article.updated for each of `articleIds` out now, in the caller's transaction: an edit
 * made outside the article (a photo's caption, a byline's name) changed what readers see of
 * them. Asks once whether any endpoint wants the event, so a paper without webhooks pays
 * one query however many articles a byline has.
 */
export async function queueArticlesUpdated(
  db: Kysely<Database>,
  articleIds: readonly number[],
  now: number,
): Promise<void> {
  if (articleIds.length === 0) return;
  const wanted = await db
    .selectFrom('webhook_endpoints')
    .select('id')
    .where('enabled', '=', 1)
    .where('events', 'like', '%,article.updated,%')
    .limit(1)
    .executeTakeFirst();
  if (wanted === undefined) return;
  for (let start = 0; start < articleIds.length; start += IDS_PER_QUERY) {
    const out = await db
      .selectFrom('articles')
      .select('id')
      .where('id', 'in', articleIds.slice(start, start + IDS_PER_QUERY))
      .where('status', '=', 'published')
      .where('published_at', '<=', now)
      .orderBy('id')
      .execute();
    for (const { id } of out)
      await queueArticleEvent(db, { type: 'article.updated', articleId: Number(id), now });
  }
}
