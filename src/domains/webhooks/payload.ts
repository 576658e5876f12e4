import type { Kysely, Selectable } from 'kysely';
import type { Database, WebhookEventTable } from '../../db/index.ts';
import { toKstIso } from '../../shared/kst.ts';
import { NOTICE_KINDS } from '../../shared/notice-kinds.ts';

/** Absolute addresses the payload points at (the composition root knows the URL scheme). */
export interface WebhookLinks {
  article(id: number): string;
  apiArticle(id: number): string;
}

/** The JSON every endpoint receives for one event (documented in the README). */
export interface WebhookPayload {
  /** `evt_<n>`: the same on every retry and every endpoint; receivers drop repeats by it. */
  id: string;
  type: string;
  /** When the change reached readers, KST (+09:00). */
  occurredAt: string;
  article?: {
    id: number;
    url: string;
    /** The full article (body, photos, bylines) from the content API. */
    apiUrl: string;
    title: string;
    /** `unpublished` for article.unpublished, `published` otherwise. */
    status: 'published' | 'unpublished';
    section: { id: number; slug: string; name: string };
    publishedAt: string | null;
    updatedAt: string;
  };
  notice?: { id: number; kind: string; label: string; body: string; createdAt: string };
}

/**
 * The body of `event` as it goes out now, or null when it no longer should: the article is
 * gone, a publication, update or correction is not (or no longer) what readers see — a
 * scheduled article unpublished or moved before its time, a notice withdrawn — or an
 * unpublished article is back. Nothing is announced that the site and the content API
 * would not show.
 */
export async function buildPayload(
  db: Kysely<Database>,
  event: Selectable<WebhookEventTable>,
  now: number,
  links: WebhookLinks,
): Promise<string | null> {
  const base = { id: `evt_${event.id}`, type: event.type, occurredAt: toKstIso(event.due_at) };
  if (event.type === 'ping') return JSON.stringify(base);
  if (event.article_id === null) return null;
  const row = await db
    .selectFrom('articles as a')
    .innerJoin('sections as s', 's.id', 'a.section_id')
    .select([
      'a.id',
      'a.title',
      'a.status',
      'a.published_at',
      'a.updated_at',
      'a.embargo_until',
      's.id as section_id',
      's.slug',
      's.name',
      's.hidden',
    ])
    .where('a.id', '=', event.article_id)
    .executeTakeFirst();
  if (row === undefined) return null;
  const detail = JSON.parse(event.detail) as { publishedAt?: number; noticeId?: number };
  const readable =
    row.status === 'published' &&
    row.published_at !== null &&
    row.published_at <= now &&
    (row.embargo_until === null || row.embargo_until <= now) &&
    row.hidden === 0;
  // An unpublication undone before it went out (published again) is not news either.
  if (event.type === 'article.unpublished' ? readable : !readable) return null;
  if (event.type === 'article.published' && detail.publishedAt !== row.published_at) return null;
  const id = Number(row.id);
  const payload: WebhookPayload = {
    ...base,
    article: {
      id,
      url: links.article(id),
      apiUrl: links.apiArticle(id),
      title: row.title,
      status: readable ? 'published' : 'unpublished',
      section: { id: Number(row.section_id), slug: row.slug, name: row.name },
      publishedAt: row.published_at === null ? null : toKstIso(row.published_at),
      updatedAt: toKstIso(row.updated_at),
    },
  };
  if (event.type === 'article.corrected') {
    if (detail.noticeId === undefined) return null;
    const notice = await db
      .selectFrom('article_notices')
      .select(['id', 'kind', 'body', 'created_at', 'withdrawn_at'])
      .where('id', '=', detail.noticeId)
      .where('article_id', '=', id)
      .executeTakeFirst();
    if (notice === undefined || notice.withdrawn_at !== null) return null;
    payload.notice = {
      id: Number(notice.id),
      kind: notice.kind,
      label: NOTICE_KINDS[notice.kind],
      body: notice.body,
      createdAt: toKstIso(notice.created_at),
    };
  }
  return JSON.stringify(payload);
}
