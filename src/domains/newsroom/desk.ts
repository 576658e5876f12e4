import { sql, type Kysely, type Transaction } from 'kysely';
import { z } from 'zod';
import {
  afterKey,
  atOrBeforeKey,
  type ArticleEventKind,
  type ArticleStatus,
  type Database,
  type DialectName,
  type StaffRole,
} from '../../db/index.ts';
import { can } from '../accounts/index.ts';
import {
  allowedActions,
  articleVerdict,
  type AllowedActions,
  type ArticleAction,
} from './article-rules.ts';
import {
  articleCreated,
  articlesRevised,
  articleSummary,
  bodyPhotos,
  createBodyCleaner,
  listingsOf,
  setArticleRelations,
  tagNames,
  type BodyCleaner,
  ensureAuthor,
  watchArticle,
} from '../content/index.ts';
import {
  ARTICLE_ORIGINS,
  DEFAULT_ORIGIN,
  isArticleOrigin,
  type ArticleOrigin,
} from '../../shared/article-origins.ts';
import { articleChangeTags, type CacheTag } from '../../shared/cache-tags.ts';
import type { Clock } from '../../shared/clock.ts';
import { AppError, invalidInput, notFound } from '../../shared/errors.ts';
import { formatKstDateTime } from '../../shared/kst.ts';
import { isNoticeKind, NOTICE_KINDS, type NoticeKind } from '../../shared/notice-kinds.ts';
import { DEFAULT_BREAKING_MS, MAX_BREAKING_MS } from './breaking.ts';
import { stripTags } from '../../shared/text.ts';
import { titleCandidates, writeSearchDocument } from '../search/index.ts';
import { queueArticleEvent } from '../webhooks/index.ts';

/** Who is acting: the signed-in staff member. */
export interface Actor {
  id: number;
  role: StaffRole;
  name: string;
}

export interface DeskDeps {
  db: Kysely<Database>;
  /** Which database: the title search reads its search index (without it, titles only). */
  dialect?: DialectName;
  clock: Clock;
  /** Cleans bodies before they are stored (long ones off the event loop). */
  bodyCleaner?: BodyCleaner;
  /** Called after a commit with the cache tags the change affects. */
  onChange?: (tags: readonly CacheTag[]) => void | Promise<void>;
  /** Called after a hand-over commits (송고, 반려, 출고): who should hear about it. */
  onHandover?: (handover: Handover) => void | Promise<void>;
  /** How many of the newest published titles a title search reads first (TITLE_PROBE). */
  titleProbe?: number;
}

/** A piece changing hands on the desk. */
export interface Handover {
  kind: 'submitted' | 'sent_back' | 'published' | 'scheduled';
  articleId: number;
  title: string;
  ownerId: number | null;
  actor: { id: number; name: string };
  comment?: string;
  publishAt?: number;
}

/** Readers see the article now (webhooks announce only changes to what they see). */
const isOut = (a: { status: ArticleStatus; publishedAt: number | null }, now: number): boolean =>
  a.status === 'published' && a.publishedAt !== null && a.publishedAt <= now;

/** An editor who has not sent a heartbeat for this long is no longer "editing". */
export const EDIT_LOCK_TTL_MS = 90_000;
const MAX_TAGS = 20;

export const forbidden = (message = '이 작업을 할 권한이 없습니다.'): AppError =>
  new AppError('FORBIDDEN', message);

const optionalTime = z.number().int().nullable().default(null);
const ORIGIN_MESSAGE = `기사 구분을 ${Object.values(ARTICLE_ORIGINS).join(', ')} 중에서 고르세요.`;

/** What the article editor sends. Strings are already trimmed by the HTTP layer's parse. */
const editorInput = z.object({
  sectionId: z.number({ error: '섹션을 고르세요.' }).int().positive('섹션을 고르세요.'),
  /** Left out (an older form), an article keeps its origin; a new one is 자체기사. */
  origin: z
    .string({ error: ORIGIN_MESSAGE })
    .refine(isArticleOrigin, ORIGIN_MESSAGE)
    .transform((v) => v as ArticleOrigin)
    .optional(),
  title: z.string().trim().min(1, '제목을 입력하세요.').max(200, '제목은 200자 이내로 입력하세요.'),
  subtitle: z.string().max(1000, '부제는 1,000자 이내로 입력하세요.').default(''),
  bodyHtml: z.string().max(2_000_000, '본문이 너무 깁니다.').default(''),
  tags: z
    .array(z.string().trim().min(1).max(60, '태그는 60자 이내로 입력하세요.'))
    .max(MAX_TAGS, `태그는 ${MAX_TAGS}개까지 달 수 있습니다.`)
    .default([]),
  authorIds: z.array(z.number().int().positive()).max(10, '바이라인은 10명까지입니다.').default([]),
  featuredPhotoId: z.number().int().positive().nullable().default(null),
  isPhotoStory: z.boolean().default(false),
  isBreaking: z.boolean().default(false),
  /** When 속보 ends; null with isBreaking: the current end, or six hours from now. */
  breakingUntil: optionalTime,
  seoTitle: z.string().trim().max(200, 'SEO 제목은 200자 이내로 입력하세요.').default(''),
  seoDescription: z.string().trim().max(400, 'SEO 설명은 400자 이내로 입력하세요.').default(''),
  embargoUntil: optionalTime,
});

export type EditorInput = z.input<typeof editorInput>;
/** The parsed fields, the origin settled (the article's own when the form left it out). */
type EditorFields = Omit<z.output<typeof editorInput>, 'origin'> & { origin: ArticleOrigin };

/** Every field error at once, so a form can mark each field. */
function parseEditor(input: unknown, origin: ArticleOrigin): EditorFields {
  const result = editorInput.safeParse(input);
  if (result.success) {
    const f = result.data;
    const title = stripTags(f.title).trim();
    if (title === '')
      throw invalidInput('제목을 입력하세요.', { fields: { title: '제목을 입력하세요.' } });
    return {
      ...f,
      origin: f.origin ?? origin,
      title,
      subtitle: stripTags(f.subtitle),
      tags: f.tags.map((t) => stripTags(t).trim()).filter((t) => t !== ''),
      seoTitle: stripTags(f.seoTitle).trim(),
      seoDescription: stripTags(f.seoDescription).trim(),
    };
  }
  const fields: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const key = String(issue.path[0] ?? 'form');
    fields[key] ??= issue.message;
  }
  const first = Object.values(fields)[0] ?? '입력값을 확인하세요.';
  throw invalidInput(first, { fields });
}

export interface EditableArticle {
  id: number;
  status: ArticleStatus;
  sectionId: number;
  origin: ArticleOrigin;
  title: string;
  subtitle: string;
  bodyHtml: string;
  tags: string[];
  authorIds: number[];
  featuredPhotoId: number | null;
  isPhotoStory: boolean;
  /** 속보 now: flagged and its end still ahead. */
  isBreaking: boolean;
  /** When the running 속보 ends; null when it is not running. */
  breakingUntil: number | null;
  seoTitle: string;
  seoDescription: string;
  embargoUntil: number | null;
  publishedAt: number | null;
  updatedAt: number;
  createdAt: number;
  ownerId: number | null;
  trashedFrom: ArticleStatus | null;
}

export interface ArticleEvent {
  id: number;
  kind: ArticleEventKind;
  comment: string;
  at: number;
  userName: string | null;
}

export interface RevisionSummary {
  id: number;
  createdAt: number;
  userName: string | null;
  title: string;
}

export interface Revision extends RevisionSummary {
  subtitle: string;
  bodyHtml: string;
  fields: Record<string, unknown>;
}

export interface ArticleNotice {
  id: number;
  kind: NoticeKind;
  body: string;
  createdAt: number;
  updatedAt: number | null;
  withdrawnAt: number | null;
  /** Every wording it had, oldest first: what readers were shown, and when. */
  versions: {
    action: 'created' | 'edited' | 'withdrawn';
    body: string;
    at: number;
    userName: string | null;
  }[];
}

const NOTICE_MAX = 5000;

function noticeText(body: string, field = 'body'): string {
  const text = body.trim();
  if (text === '')
    throw invalidInput('내용을 입력하세요.', { fields: { [field]: '내용을 입력하세요.' } });
  if (text.length > NOTICE_MAX)
    throw invalidInput('내용은 5,000자 이내로 입력하세요.', {
      fields: { [field]: '내용은 5,000자 이내로 입력하세요.' },
    });
  return text;
}

export interface DeskListItem {
  id: number;
  title: string;
  status: ArticleStatus;
  sectionName: string;
  origin: ArticleOrigin;
  ownerName: string | null;
  publishedAt: number | null;
  updatedAt: number;
  embargoUntil: number | null;
  /** A draft the desk sent back (반려): why, by whom and when; null otherwise. */
  sentBack: { comment: string; by: string | null; at: number } | null;
}

export interface DeskListQuery {
  status?: ArticleStatus | 'scheduled' | undefined;
  origin?: ArticleOrigin | undefined;
  ownerId?: number | undefined;
  query?: string | undefined;
  /** Keyset cursor: the last item of the previous page. */
  after?: { updatedAt: number; id: number } | undefined;
  limit?: number;
}

/** The admin's list without a status filter: everything but the trash. */
const LISTED_STATUSES: ArticleStatus[] = ['draft', 'submitted', 'published', 'unpublished'];
/** Up to this many published matches, a title search goes by the search index's answer. */
const TITLE_CANDIDATES = 2000;
/** A title search first reads this many of the newest published titles (see `list`). */
const TITLE_PROBE = 2000;

type ListCursor = NonNullable<DeskListQuery['after']>;
/** The list's order: newest change first. */
const LIST_KEY = { column: 'a.updated_at', id: 'a.id' };
const olderThan = ({ updatedAt, id }: ListCursor) => afterKey(LIST_KEY, updatedAt, id);
const atOrNewerThan = ({ updatedAt, id }: ListCursor) => atOrBeforeKey(LIST_KEY, updatedAt, id);

export const STATUS_LABELS: Record<ArticleStatus | 'scheduled', string> = {
  draft: '작성 중',
  submitted: '데스크 대기',
  published: '출고',
  scheduled: '예약 송고',
  unpublished: '출고 취소',
  trashed: '휴지통',
};

export function createDesk(deps: DeskDeps) {
  const { db, clock } = deps;
  const bodyCleaner = deps.bodyCleaner ?? createBodyCleaner();
  const titleProbe = Math.max(1, deps.titleProbe ?? TITLE_PROBE);
  const notify = async (tags: readonly CacheTag[]) => {
    if (deps.onChange !== undefined && tags.length > 0) await deps.onChange(tags);
  };
  const handover = async (
    kind: Handover['kind'],
    article: EditableArticle,
    actor: Actor,
    extra: { comment?: string; publishAt?: number } = {},
  ) => {
    await deps.onHandover?.({
      kind,
      articleId: article.id,
      title: article.title,
      ownerId: article.ownerId,
      actor: { id: actor.id, name: actor.name },
      ...extra,
    });
  };

  async function load(id: number): Promise<EditableArticle> {
    const row = await db.selectFrom('articles').selectAll().where('id', '=', id).executeTakeFirst();
    if (row === undefined) throw notFound(`기사 ${id}번을 찾을 수 없습니다.`);
    const [tags, authors] = await Promise.all([
      db
        .selectFrom('article_tags as at')
        .innerJoin('tags as t', 't.id', 'at.tag_id')
        .select('t.name')
        .where('at.article_id', '=', id)
        // The order the desk typed them in (tags saved before positions existed: by name).
        .orderBy('at.position')
        .orderBy('t.name')
        .execute(),
      db
        .selectFrom('article_authors')
        .select('author_id')
        .where('article_id', '=', id)
        .orderBy('position')
        .execute(),
    ]);
    const breakingRuns =
      row.is_breaking === 1 && row.breaking_until !== null && row.breaking_until > clock.now();
    return {
      id: row.id,
      status: row.status,
      sectionId: row.section_id,
      origin: row.origin,
      title: row.title,
      subtitle: row.subtitle,
      bodyHtml: row.body_html,
      tags: tags.map((t) => t.name),
      authorIds: authors.map((a) => a.author_id),
      featuredPhotoId: row.featured_photo_id,
      isPhotoStory: row.is_photo_story === 1,
      isBreaking: breakingRuns,
      breakingUntil: breakingRuns ? row.breaking_until : null,
      seoTitle: row.seo_title,
      seoDescription: row.seo_description,
      embargoUntil: row.embargo_until,
      publishedAt: row.published_at,
      updatedAt: row.updated_at,
      createdAt: row.created_at,
      ownerId: row.owner_id,
      trashedFrom: row.trashed_from,
    };
  }

  /** Throws the desk's answer when `actor` may not do `action` to the article now. */
  function check(actor: Actor, article: EditableArticle, action: ArticleAction): void {
    const verdict = articleVerdict(actor, article, action, clock.now());
    if (verdict !== null) throw verdict;
  }

  /**
   * Drafts whose last hand-over was the desk's 반려, with the desk's comment: a writer must
   * see at a glance which pieces came back and why, not one more "작성 중".
   */
  async function sentBackDrafts(
    ids: number[],
  ): Promise<Map<number, { comment: string; by: string | null; at: number }>> {
    const out = new Map<number, { comment: string; by: string | null; at: number }>();
    if (ids.length === 0) return out;
    const events = await db
      .selectFrom('article_events as e')
      .leftJoin('users as u', 'u.id', 'e.user_id')
      .select(['e.article_id', 'e.kind', 'e.comment', 'e.at', 'u.name'])
      .where('e.article_id', 'in', ids)
      .where('e.kind', 'in', ['submitted', 'sent_back'])
      .orderBy('e.id', 'desc')
      .execute();
    const seen = new Set<number>();
    for (const e of events) {
      if (seen.has(e.article_id)) continue;
      seen.add(e.article_id);
      if (e.kind === 'sent_back')
        out.set(e.article_id, { comment: e.comment, by: e.name, at: e.at });
    }
    return out;
  }

  /** Every wording a notice had is kept: what readers were shown, when, by whose hand. */
  async function noticeVersion(
    trx: Transaction<Database>,
    noticeId: number,
    action: 'created' | 'edited' | 'withdrawn',
    kind: NoticeKind,
    body: string,
    actor: Actor,
    at: number,
  ): Promise<void> {
    await trx
      .insertInto('article_notice_versions')
      .values({ notice_id: noticeId, action, kind, body, user_id: actor.id, at })
      .execute();
  }

  async function liveNotice(articleId: number, noticeId: number) {
    const notice = await db
      .selectFrom('article_notices')
      .select(['id', 'kind', 'body', 'withdrawn_at'])
      .where('id', '=', noticeId)
      .where('article_id', '=', articleId)
      .executeTakeFirst();
    if (notice === undefined) throw notFound('그 정정·반론보도를 찾을 수 없습니다.');
    if (notice.withdrawn_at !== null) throw new AppError('CONFLICT', '이미 거둔 보도입니다.');
    return notice;
  }

  async function otherEditor(actor: Actor, id: number, now: number) {
    const lock = await db
      .selectFrom('article_edit_locks as l')
      .innerJoin('users as u', 'u.id', 'l.user_id')
      .select(['u.name', 'l.heartbeat_at', 'l.user_id'])
      .where('l.article_id', '=', id)
      .executeTakeFirst();
    const held =
      lock !== undefined && lock.user_id !== actor.id && now - lock.heartbeat_at < EDIT_LOCK_TTL_MS;
    return held ? { name: lock.name, since: lock.heartbeat_at } : null;
  }

  async function event(
    trx: Kysely<Database> | Transaction<Database>,
    articleId: number,
    actor: Actor | null,
    kind: ArticleEventKind,
    comment = '',
  ): Promise<void> {
    await trx
      .insertInto('article_events')
      .values({ article_id: articleId, user_id: actor?.id ?? null, kind, comment, at: clock.now() })
      .execute();
  }

  /**
   * The article's photos as the body places them: library ids in reading order, only those
   * that exist (a pasted figure from another article may name a deleted photo). The featured
   * photo is the one chosen, or else the first body photo, so an article with a picture in
   * it never reaches the front page without a thumbnail or og:image.
   */
  async function articlePhotos(
    trx: Transaction<Database>,
    fields: EditorFields,
    body: string,
  ): Promise<{ featuredPhotoId: number | null; bodyPhotoIds: number[] }> {
    const placed = bodyPhotos(body).map((p) => p.id);
    const found =
      placed.length === 0
        ? new Set<number>()
        : new Set(
            (await trx.selectFrom('photos').select('id').where('id', 'in', placed).execute()).map(
              (r) => r.id,
            ),
          );
    const bodyPhotoIds = placed.filter((id) => found.has(id));
    return { featuredPhotoId: fields.featuredPhotoId ?? bodyPhotoIds[0] ?? null, bodyPhotoIds };
  }

  async function writeRelations(
    trx: Transaction<Database>,
    articleId: number,
    fields: EditorFields,
    photos: { featuredPhotoId: number | null; bodyPhotoIds: number[] },
  ): Promise<void> {
    await setArticleRelations(trx, articleId, {
      authorIds: fields.authorIds,
      tags: fields.tags,
      ...photos,
    });
  }

  async function checkReferences(trx: Transaction<Database>, fields: EditorFields): Promise<void> {
    const section = await trx
      .selectFrom('sections')
      .select('id')
      .where('id', '=', fields.sectionId)
      .executeTakeFirst();
    if (section === undefined)
      throw invalidInput('없는 섹션입니다.', { fields: { sectionId: '없는 섹션입니다.' } });
    if (fields.featuredPhotoId !== null) {
      const photo = await trx
        .selectFrom('photos')
        .select('id')
        .where('id', '=', fields.featuredPhotoId)
        .executeTakeFirst();
      if (photo === undefined)
        throw invalidInput('대표 사진을 찾을 수 없습니다.', {
          fields: { featuredPhotoId: '대표 사진을 찾을 수 없습니다.' },
        });
    }
    if (fields.authorIds.length > 0) {
      const found = await trx
        .selectFrom('authors')
        .select('id')
        .where('id', 'in', fields.authorIds)
        .execute();
      if (found.length !== new Set(fields.authorIds).size)
        throw invalidInput('바이라인에 없는 기자가 있습니다.', {
          fields: { authorIds: '바이라인에 없는 기자가 있습니다.' },
        });
    }
  }

  /**
   * Who may sign the article: staff may add colleagues (joint reporting), an outside writer
   * only their own byline, or the ones the article already had. Returns the names before
   * and after when the byline changed, for the history.
   */
  async function checkByline(
    trx: Transaction<Database>,
    actor: Actor,
    next: number[],
    previous: number[],
  ): Promise<{ before: string; after: string } | null> {
    const same = next.length === previous.length && next.every((id, i) => id === previous[i]);
    if (same) return null;
    if (!can(actor.role, 'byline.others')) {
      const own = await trx
        .selectFrom('users')
        .select('author_id')
        .where('id', '=', actor.id)
        .executeTakeFirst();
      const allowed = new Set([...previous, ...(own?.author_id == null ? [] : [own.author_id])]);
      if (next.some((id) => !allowed.has(id)))
        throw invalidInput('외부 필자는 자기 이름만 바이라인에 넣을 수 있습니다.', {
          fields: { authorIds: '외부 필자는 자기 이름만 바이라인에 넣을 수 있습니다.' },
        });
    }
    const ids = [...new Set([...previous, ...next])];
    const rows =
      ids.length === 0
        ? []
        : await trx.selectFrom('authors').select(['id', 'name']).where('id', 'in', ids).execute();
    const name = new Map(rows.map((r) => [r.id, r.name]));
    const names = (list: number[]) =>
      list.map((id) => name.get(id) ?? `#${id}`).join(', ') || '없음';
    return { before: names(previous), after: names(next) };
  }

  /** The non-text fields of a revision, in a fixed key order so equal fields compare equal. */
  function fieldsJson(fields: EditorFields): string {
    return JSON.stringify({
      sectionId: fields.sectionId,
      // Only when not 자체기사: revisions kept before origins existed still compare equal,
      // so an article's first save after the upgrade is no new revision.
      ...(fields.origin === DEFAULT_ORIGIN ? {} : { origin: fields.origin }),
      tags: fields.tags,
      authorIds: fields.authorIds,
      featuredPhotoId: fields.featuredPhotoId,
      isPhotoStory: fields.isPhotoStory,
      isBreaking: fields.isBreaking,
      breakingUntil: fields.breakingUntil,
      seoTitle: fields.seoTitle,
      seoDescription: fields.seoDescription,
      embargoUntil: fields.embargoUntil,
    });
  }

  /** The article's content columns; `body` is fields.bodyHtml already cleaned. */
  function contentColumns(fields: EditorFields, body: string, featuredPhotoId: number | null) {
    return {
      section_id: fields.sectionId,
      origin: fields.origin,
      title: fields.title,
      subtitle: fields.subtitle.replace(/\r\n?/g, '\n').trim(),
      body_html: body,
      summary: articleSummary(body),
      is_breaking: fields.isBreaking ? 1 : 0,
      breaking_until: fields.isBreaking ? fields.breakingUntil : null,
      is_photo_story: fields.isPhotoStory ? 1 : 0,
      featured_photo_id: featuredPhotoId,
      seo_title: fields.seoTitle,
      seo_description: fields.seoDescription,
      embargo_until: fields.embargoUntil,
    };
  }

  /**
   * A correction added, reworded or withdrawn changes what readers see of the article:
   * its updated_at moves, so feeds, sitemaps and search engines pick the change up.
   */
  async function noticeChanged(trx: Transaction<Database>, articleId: number, now: number) {
    await trx
      .updateTable('articles')
      .set({ updated_at: now })
      .where('id', '=', articleId)
      .execute();
  }

  /** Whether a save would store what the article already holds. */
  function sameContent(
    before: EditableArticle,
    columns: ReturnType<typeof contentColumns>,
    fields: EditorFields,
  ): boolean {
    const same = <T>(a: readonly T[], b: readonly T[]) =>
      a.length === b.length && a.every((v, i) => v === b[i]);
    return (
      before.sectionId === columns.section_id &&
      before.title === columns.title &&
      before.subtitle === columns.subtitle &&
      before.bodyHtml === columns.body_html &&
      before.featuredPhotoId === columns.featured_photo_id &&
      before.isPhotoStory === (columns.is_photo_story === 1) &&
      before.isBreaking === (columns.is_breaking === 1) &&
      before.breakingUntil === columns.breaking_until &&
      before.seoTitle === columns.seo_title &&
      before.seoDescription === columns.seo_description &&
      before.embargoUntil === columns.embargo_until &&
      same(before.tags, tagNames(fields.tags)) &&
      same(before.authorIds, [...new Set(fields.authorIds)])
    );
  }

  async function addRevision(
    trx: Transaction<Database>,
    articleId: number,
    actor: Actor | null,
    columns: ReturnType<typeof contentColumns>,
    fields: EditorFields,
  ): Promise<void> {
    await trx
      .insertInto('article_revisions')
      .values({
        article_id: articleId,
        user_id: actor?.id ?? null,
        title: columns.title,
        subtitle: columns.subtitle,
        body_html: columns.body_html,
        fields_json: fieldsJson(fields),
        created_at: clock.now(),
      })
      .execute();
  }

  /** Tags to refresh when a reader-visible article changes (old and new placement). */
  function visibleTags(before: EditableArticle | null, after: EditableArticle): CacheTag[] {
    const tags = new Set<CacheTag>();
    for (const a of [before, after]) {
      if (a === null || a.status !== 'published') continue;
      // Old and new bylines and tags: a piece leaves one 기자 페이지 and joins another.
      for (const t of articleChangeTags(a.id, a.sectionId, a.isPhotoStory, a)) tags.add(t);
    }
    return [...tags];
  }

  /**
   * Settles when 속보 ends: the typed end, else the end already running, else six hours
   * from now. An end in the past or more than two days ahead is refused.
   */
  function settleBreaking(fields: EditorFields, before: EditableArticle | null): EditorFields {
    if (!fields.isBreaking) return { ...fields, breakingUntil: null };
    const now = clock.now();
    const until = fields.breakingUntil ?? before?.breakingUntil ?? now + DEFAULT_BREAKING_MS;
    if (until <= now)
      throw invalidInput('속보 종료 시각은 지금 이후로 정하세요.', {
        fields: { breakingUntil: '속보 종료 시각은 지금 이후로 정하세요.' },
      });
    if (until > now + MAX_BREAKING_MS)
      throw invalidInput('속보는 48시간까지만 걸 수 있습니다.', {
        fields: { breakingUntil: '속보는 48시간까지만 걸 수 있습니다.' },
      });
    return { ...fields, breakingUntil: until };
  }

  function checkEmbargo(publishAt: number, embargoUntil: number | null): void {
    if (embargoUntil !== null && publishAt < embargoUntil) {
      throw invalidInput(
        `엠바고(${formatKstDateTime(embargoUntil)}) 이전에는 출고하거나 예약할 수 없습니다.`,
        { fields: { publishAt: '엠바고 이후로 정하세요.' } },
      );
    }
  }

  /**
   * What readers will notice of a publication, for webhooks: the article appears (now or at
   * its scheduled time), or leaves until a later time and appears then, or only the time it
   * carries changes. Publishing again at the same time is nothing new.
   */
  async function announcePublication(
    trx: Transaction<Database>,
    before: EditableArticle,
    publishAt: number,
    now: number,
  ): Promise<void> {
    if (before.status === 'published' && before.publishedAt === publishAt) return;
    const articleId = before.id;
    const wasOut = isOut(before, now);
    if (wasOut && publishAt <= now) {
      await queueArticleEvent(trx, { type: 'article.updated', articleId, now });
      return;
    }
    if (wasOut) await queueArticleEvent(trx, { type: 'article.unpublished', articleId, now });
    await queueArticleEvent(trx, {
      type: 'article.published',
      articleId,
      now,
      dueAt: Math.max(now, publishAt),
      publishedAt: publishAt,
    });
  }

  return {
    statusLabels: STATUS_LABELS,

    async get(actor: Actor, id: number): Promise<EditableArticle> {
      const article = await load(id);
      check(actor, article, 'view');
      return article;
    },

    /** What `actor` may do to the article now: the editor's form and buttons. */
    allowedActions(actor: Actor, article: EditableArticle): AllowedActions {
      return allowedActions(actor, article, clock.now());
    },

    /**
     * A byline without an account, by name (외부 필자, 객원 기자), for the article being
     * edited. Only staff who may sign others (byline.others) add one: an outside writer
     * signs only their own name. An account-less byline of the same name is reused: a save
     * refused for another reason (no title yet) must not leave a second copy on retry.
     */
    async addOutsideAuthor(actor: Actor, input: { name: string; title: string }): Promise<number> {
      const message = '새 필자는 데스크와 기자만 추가할 수 있습니다.';
      if (!can(actor.role, 'byline.others'))
        throw invalidInput(message, { fields: { authorIds: message } });
      const name = stripTags(input.name).replace(/\s+/g, ' ').trim();
      const title = stripTags(input.title).replace(/\s+/g, ' ').trim();
      const problem =
        name === ''
          ? '새 필자의 이름을 입력하세요.'
          : [...name].length > 80
            ? '필자 이름은 80자 이내로 입력하세요.'
            : [...title].length > 40
              ? '직함은 40자 이내로 입력하세요. 예: 객원 기자'
              : null;
      if (problem !== null) throw invalidInput(problem, { fields: { authorIds: problem } });
      return (await ensureAuthor(db, { name, email: null, title }, clock.now())).id;
    },

    async create(actor: Actor, input: EditorInput): Promise<number> {
      if (!can(actor.role, 'article.create')) throw forbidden();
      const fields = settleBreaking(parseEditor(input, DEFAULT_ORIGIN), null);
      const body = await bodyCleaner.clean(fields.bodyHtml);
      const now = clock.now();
      return db.transaction().execute(async (trx) => {
        await checkReferences(trx, fields);
        await checkByline(trx, actor, fields.authorIds, []);
        const photos = await articlePhotos(trx, fields, body);
        const columns = contentColumns(fields, body, photos.featuredPhotoId);
        const row = await trx
          .insertInto('articles')
          .values({
            ...columns,
            status: 'draft',
            published_at: null,
            updated_at: now,
            created_at: now,
            owner_id: actor.id,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        await writeRelations(trx, row.id, fields, photos);
        await addRevision(trx, row.id, actor, columns, fields);
        await event(trx, row.id, actor, 'created');
        await writeSearchDocument(trx, row.id);
        await articleCreated(trx, row.id, now);
        return row.id;
      });
    },

    /**
     * Saves the editor's fields. A revision is kept when the content changed; `autosave`
     * saves the same way but records no history event (it runs every few seconds).
     */
    async save(
      actor: Actor,
      id: number,
      input: EditorInput,
      options: { autosave?: boolean } = {},
    ): Promise<EditableArticle> {
      const before = await load(id);
      check(actor, before, 'edit');
      const fields = settleBreaking(parseEditor(input, before.origin), before);
      if (before.status === 'published' && before.publishedAt !== null) {
        checkEmbargo(before.publishedAt, fields.embargoUntil);
      }
      const body = await bodyCleaner.clean(fields.bodyHtml);
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        const change = await watchArticle(trx, id);
        await checkReferences(trx, fields);
        const byline = await checkByline(trx, actor, fields.authorIds, before.authorIds);
        if (byline !== null)
          await event(trx, id, actor, 'byline', `${byline.before} → ${byline.after}`);
        const photos = await articlePhotos(trx, fields, body);
        const columns = contentColumns(fields, body, photos.featuredPhotoId);
        // updated_at is the last change readers can see (the page's 수정 time, sitemaps'
        // lastmod): a save or an autosave that changed nothing leaves it alone.
        await trx
          .updateTable('articles')
          .set(sameContent(before, columns, fields) ? columns : { ...columns, updated_at: now })
          .where('id', '=', id)
          .execute();
        await writeRelations(trx, id, fields, photos);
        const last = await trx
          .selectFrom('article_revisions')
          .select(['title', 'subtitle', 'body_html', 'fields_json', 'user_id', 'created_at'])
          .where('article_id', '=', id)
          .orderBy('id', 'desc')
          .limit(1)
          .executeTakeFirst();
        const changed =
          last === undefined ||
          last.title !== columns.title ||
          last.subtitle !== columns.subtitle ||
          last.body_html !== columns.body_html;
        // Autosaves by the same person within ten minutes fold into one revision, so the
        // history shows sittings rather than every pause in typing. A revision made by an
        // explicit save (which records an event at the same time) is never folded away.
        const lastEvent = await trx
          .selectFrom('article_events')
          .select((eb) => eb.fn.max('at').as('at'))
          .where('article_id', '=', id)
          .where('kind', 'in', ['created', 'edited', 'restored', 'imported'])
          .executeTakeFirst();
        const fold =
          options.autosave === true &&
          last !== undefined &&
          last.user_id === actor.id &&
          now - last.created_at < 10 * 60_000 &&
          last.created_at > Number(lastEvent?.at ?? 0);
        if (changed || last.fields_json !== fieldsJson(fields)) {
          if (fold) {
            const latest = await trx
              .selectFrom('article_revisions')
              .select('id')
              .where('article_id', '=', id)
              .orderBy('id', 'desc')
              .limit(1)
              .executeTakeFirstOrThrow();
            await trx.deleteFrom('article_revisions').where('id', '=', latest.id).execute();
          }
          await addRevision(trx, id, actor, columns, fields);
          if (isOut(before, now))
            await queueArticleEvent(trx, {
              type: 'article.updated',
              articleId: id,
              now,
              settle: options.autosave === true,
            });
        }
        if (options.autosave !== true) await event(trx, id, actor, 'edited');
        await writeSearchDocument(trx, id);
        await change.record(now);
      });
      const after = await load(id);
      await notify(visibleTags(before, after));
      return after;
    },

    async submit(actor: Actor, id: number): Promise<void> {
      const article = await load(id);
      check(actor, article, 'submit');
      await db.transaction().execute(async (trx) => {
        await trx
          .updateTable('articles')
          .set({ status: 'submitted', updated_at: clock.now() })
          .where('id', '=', id)
          .execute();
        await event(trx, id, actor, 'submitted');
      });
      await handover('submitted', article, actor);
    },

    async sendBack(actor: Actor, id: number, comment: string): Promise<void> {
      const article = await load(id);
      check(actor, article, 'sendBack');
      const text = comment.trim();
      if (text === '')
        throw invalidInput('반려 사유를 적어 주세요.', {
          fields: { comment: '반려 사유를 적어 주세요.' },
        });
      if (text.length > 2000) throw invalidInput('반려 사유는 2,000자 이내로 적어 주세요.');
      await db.transaction().execute(async (trx) => {
        await trx
          .updateTable('articles')
          .set({ status: 'draft', updated_at: clock.now() })
          .where('id', '=', id)
          .execute();
        await event(trx, id, actor, 'sent_back', text);
      });
      await handover('sent_back', article, actor, { comment: text });
    },

    /**
     * Publishes now, or schedules (예약 송고) when `at` is in the future. A scheduled article
     * is stored as published with a future time: every reader query already hides it
     * until then, so it appears on time without any job having to run.
     */
    async publish(actor: Actor, id: number, at?: number | null): Promise<void> {
      const before = await load(id);
      check(actor, before, 'publish');
      const now = clock.now();
      const publishAt =
        at ??
        (before.status === 'published' && before.publishedAt !== null ? before.publishedAt : now);
      checkEmbargo(publishAt, before.embargoUntil);
      if (before.title.trim() === '') throw invalidInput('제목 없는 기사는 출고할 수 없습니다.');
      const scheduled = publishAt > now;
      await db.transaction().execute(async (trx) => {
        const change = await watchArticle(trx, id);
        // Publishing again what is out, at the same time, changes nothing readers see.
        const republished = before.status === 'published' && before.publishedAt === publishAt;
        await trx
          .updateTable('articles')
          .set({
            status: 'published',
            published_at: publishAt,
            updated_at: republished ? before.updatedAt : now,
          })
          .where('id', '=', id)
          .execute();
        await announcePublication(trx, before, publishAt, now);
        await event(
          trx,
          id,
          actor,
          scheduled ? 'scheduled' : 'published',
          scheduled ? formatKstDateTime(publishAt) : '',
        );
        await writeSearchDocument(trx, id);
        await change.record(now);
      });
      const after = await load(id);
      await notify(visibleTags(before, after));
      // A reschedule or a republish of a piece already out tells nobody anything new.
      if (before.status !== 'published')
        await handover(scheduled ? 'scheduled' : 'published', after, actor, { publishAt });
    },

    async unpublish(actor: Actor, id: number): Promise<void> {
      const before = await load(id);
      check(actor, before, 'unpublish');
      await db.transaction().execute(async (trx) => {
        const change = await watchArticle(trx, id);
        await trx
          .updateTable('articles')
          .set({ status: 'unpublished', updated_at: clock.now() })
          .where('id', '=', id)
          .execute();
        await event(trx, id, actor, 'unpublished');
        await writeSearchDocument(trx, id);
        await change.record(clock.now());
        const now = clock.now();
        if (isOut(before, now))
          await queueArticleEvent(trx, { type: 'article.unpublished', articleId: id, now });
      });
      await notify(visibleTags(before, before));
    },

    async trash(actor: Actor, id: number): Promise<void> {
      const before = await load(id);
      const verdict = articleVerdict(actor, before, 'trash', clock.now());
      // Binning a binned piece again changes nothing: a double click is not an error.
      if (verdict?.code === 'CONFLICT') return;
      if (verdict !== null) throw verdict;
      await db.transaction().execute(async (trx) => {
        const change = await watchArticle(trx, id);
        await trx
          .updateTable('articles')
          .set({ status: 'trashed', trashed_from: before.status, updated_at: clock.now() })
          .where('id', '=', id)
          .execute();
        await event(trx, id, actor, 'trashed');
        await writeSearchDocument(trx, id);
        await change.record(clock.now());
        const now = clock.now();
        if (isOut(before, now))
          await queueArticleEvent(trx, { type: 'article.unpublished', articleId: id, now });
      });
      await notify(visibleTags(before, before));
    },

    async restore(actor: Actor, id: number): Promise<void> {
      const before = await load(id);
      check(actor, before, 'restore');
      const status = before.trashedFrom ?? 'draft';
      await db.transaction().execute(async (trx) => {
        const change = await watchArticle(trx, id);
        await trx
          .updateTable('articles')
          .set({ status, trashed_from: null, updated_at: clock.now() })
          .where('id', '=', id)
          .execute();
        await event(trx, id, actor, 'restored');
        await writeSearchDocument(trx, id);
        await change.record(clock.now());
        if (status === 'published' && before.publishedAt !== null) {
          const now = clock.now();
          await queueArticleEvent(trx, {
            type: 'article.published',
            articleId: id,
            now,
            dueAt: Math.max(now, before.publishedAt),
            publishedAt: before.publishedAt,
          });
        }
      });
      const after = await load(id);
      await notify(visibleTags(before, after));
    },

    async list(actor: Actor, q: DeskListQuery): Promise<DeskListItem[]> {
      const limit = Math.min(Math.max(q.limit ?? 30, 1), 100);
      const now = clock.now();
      const text = q.query?.trim() ?? '';
      // One walk down the (status, updated_at, id) index per status, merged: a walk over
      // every status but trash would sort the whole archive first.
      const statuses: ArticleStatus[] =
        q.status === undefined
          ? LISTED_STATUSES
          : [q.status === 'scheduled' ? 'published' : q.status];
      // Scheduled pieces are few, but the walk by update time would pass every published
      // article to find them: they come from (status, published_at) instead.
      const scheduled =
        q.status === 'scheduled'
          ? (
              await db
                .selectFrom('articles')
                .select('id')
                .where('status', '=', 'published')
                .where('published_at', '>', now)
                .execute()
            ).map((r) => r.id)
          : null;
      /**
       * How the walk over published articles meets the title search: among the newest
       * updated at or after `bound`, among the search index's `ids`, or over all of them.
       */
      type PublishedTitles = { bound: ListCursor } | { ids: number[] };
      const walk = (status: ArticleStatus, titles: PublishedTitles | null = null) => {
        const candidates = titles !== null && 'ids' in titles ? titles.ids : null;
        let query = db
          .selectFrom('articles as a')
          .innerJoin('sections as s', 's.id', 'a.section_id')
          .leftJoin('users as u', 'u.id', 'a.owner_id')
          .select([
            'a.id',
            'a.title',
            'a.status',
            's.name as sectionName',
            'a.origin',
            'u.name as ownerName',
            'a.published_at as publishedAt',
            'a.updated_at as updatedAt',
            'a.embargo_until as embargoUntil',
          ])
          // With known candidates, SQLite must look them up by primary key: `+` keeps it off
          // the (status, …) indexes, which it otherwise walked for a million published rows.
          .where(
            candidates !== null && deps.dialect === 'sqlite'
              ? sql<ArticleStatus>`+a.status`
              : 'a.status',
            '=',
            status,
          );
        if (!can(actor.role, 'article.editAny')) query = query.where('a.owner_id', '=', actor.id);
        else if (q.ownerId !== undefined) query = query.where('a.owner_id', '=', q.ownerId);
        if (scheduled !== null)
          query = query
            .where('a.published_at', '>', now)
            .where('a.id', 'in', scheduled.length > 0 ? scheduled : [-1]);
        // `+`: nearly every published article is out, and the (status, published_at) index
        // would have the database read them all and sort by update time (5 s at a million).
        else if (q.status === 'published')
          query = query.where(sql<number>`+a.published_at`, '<=', now);
        if (q.origin !== undefined) query = query.where('a.origin', '=', q.origin);
        if (text !== '') {
          if (candidates !== null)
            query = query.where('a.id', 'in', candidates.length > 0 ? candidates : [-1]);
          if (titles !== null && 'bound' in titles)
            query = query.where(atOrNewerThan(titles.bound));
          const escaped = text.replace(/[\\%_]/g, (c) => `\\${c}`);
          query = query.where((eb) =>
            eb(eb.fn('lower', ['a.title']), 'like', `%${escaped.toLowerCase()}%`),
          );
        }
        if (q.after !== undefined) query = query.where(olderThan(q.after));
        // Known candidates are read by primary key and sorted here: with the order and limit
        // in SQL, SQLite walked every published article's (status, updated_at) entry instead.
        if (text !== '' && candidates !== null) return query.execute();
        return query.orderBy('a.updated_at', 'desc').orderBy('a.id', 'desc').limit(limit).execute();
      };
      /**
       * A title search among published articles, nearly all of an archive. A word in many
       * titles (a place, a name in the news) is met among the newest few hundred, so the
       * newest `titleProbe` are read first; the search index answers when they hold fewer than
       * a page: the rarer the word, the fewer its candidates. Asking the index first cost a
       * common word about 50 ms on PostgreSQL at a million articles (decision 0024).
       */
      const publishedTitles = async () => {
        let newest = db
          .selectFrom('articles as a')
          .select(['a.updated_at', 'a.id'])
          .where('a.status', '=', 'published');
        if (q.after !== undefined) newest = newest.where(olderThan(q.after));
        const edge = await newest
          .orderBy('a.updated_at', 'desc')
          .orderBy('a.id', 'desc')
          .offset(titleProbe - 1)
          .limit(1)
          .executeTakeFirst();
        // Fewer than that left to read: reading them all is the probe.
        if (edge === undefined) return walk('published');
        const probed = await walk('published', {
          bound: { updatedAt: edge.updated_at, id: edge.id },
        });
        if (probed.length >= limit) return probed;
        // Without the search index's dialect, every title is read, as before the probe.
        const ids =
          deps.dialect === undefined
            ? null
            : await titleCandidates(db, deps.dialect, text, TITLE_CANDIDATES);
        return walk('published', ids === null ? null : { ids });
      };
      const walkStatus = (status: ArticleStatus) =>
        status === 'published' && text !== '' && scheduled === null
          ? publishedTitles()
          : walk(status);
      const rows = (await Promise.all(statuses.map(walkStatus)))
        .flat()
        .sort((a, b) => b.updatedAt - a.updatedAt || b.id - a.id)
        .slice(0, limit);
      const returned = await sentBackDrafts(
        rows.filter((r) => r.status === 'draft').map((r) => r.id),
      );
      return rows.map((r) => ({
        id: r.id,
        title: r.title,
        status: r.status,
        sectionName: r.sectionName,
        origin: r.origin,
        ownerName: r.ownerName,
        publishedAt: r.publishedAt,
        updatedAt: r.updatedAt,
        embargoUntil: r.embargoUntil,
        sentBack: returned.get(r.id) ?? null,
      }));
    },

    async events(actor: Actor, id: number): Promise<ArticleEvent[]> {
      const article = await load(id);
      check(actor, article, 'view');
      const rows = await db
        .selectFrom('article_events as e')
        .leftJoin('users as u', 'u.id', 'e.user_id')
        .select(['e.id', 'e.kind', 'e.comment', 'e.at', 'u.name as userName'])
        .where('e.article_id', '=', id)
        .orderBy('e.id', 'desc')
        .limit(200)
        .execute();
      return rows;
    },

    async revisions(actor: Actor, id: number): Promise<RevisionSummary[]> {
      const article = await load(id);
      check(actor, article, 'view');
      return db
        .selectFrom('article_revisions as r')
        .leftJoin('users as u', 'u.id', 'r.user_id')
        .select(['r.id', 'r.created_at as createdAt', 'u.name as userName', 'r.title'])
        .where('r.article_id', '=', id)
        .orderBy('r.id', 'desc')
        .limit(200)
        .execute();
    },

    async revision(actor: Actor, id: number, revisionId: number): Promise<Revision> {
      const article = await load(id);
      check(actor, article, 'view');
      const row = await db
        .selectFrom('article_revisions as r')
        .leftJoin('users as u', 'u.id', 'r.user_id')
        .select([
          'r.id',
          'r.created_at as createdAt',
          'u.name as userName',
          'r.title',
          'r.subtitle',
          'r.body_html as bodyHtml',
          'r.fields_json as fieldsJson',
        ])
        .where('r.article_id', '=', id)
        .where('r.id', '=', revisionId)
        .executeTakeFirst();
      if (row === undefined) throw notFound('그 판을 찾을 수 없습니다.');
      const { fieldsJson, ...rest } = row;
      return { ...rest, fields: JSON.parse(fieldsJson) as Record<string, unknown> };
    },

    /** Brings back an earlier revision's text as a new revision (history is never rewritten). */
    async restoreRevision(actor: Actor, id: number, revisionId: number): Promise<void> {
      const article = await load(id);
      check(actor, article, 'edit');
      const rev = await this.revision(actor, id, revisionId);
      await this.save(actor, id, {
        sectionId: article.sectionId,
        origin: article.origin,
        title: rev.title,
        subtitle: rev.subtitle,
        bodyHtml: rev.bodyHtml,
        tags: article.tags,
        authorIds: article.authorIds,
        featuredPhotoId: article.featuredPhotoId,
        isPhotoStory: article.isPhotoStory,
        isBreaking: article.isBreaking,
        breakingUntil: article.breakingUntil,
        seoTitle: article.seoTitle,
        seoDescription: article.seoDescription,
        embargoUntil: article.embargoUntil,
      });
    },

    /**
     * Marks the actor as editing the article and returns who else is, if anyone: the
     * second person to open an article is warned.
     */
    /** Someone else editing the article now (their heartbeat is fresh), without writing. */
    async editingBy(actor: Actor, id: number): Promise<{ name: string; since: number } | null> {
      return otherEditor(actor, id, clock.now());
    },

    /**
     * The editor open in `actor`'s browser says it is still there: takes or keeps the
     * "is editing" mark unless someone else holds it, and returns that someone.
     */
    async heartbeat(actor: Actor, id: number): Promise<{ name: string; since: number } | null> {
      check(actor, await load(id), 'view');
      const now = clock.now();
      const other = await otherEditor(actor, id, now);
      if (other !== null) return other;
      await db
        .insertInto('article_edit_locks')
        .values({ article_id: id, user_id: actor.id, heartbeat_at: now })
        .onConflict((oc) =>
          oc.column('article_id').doUpdateSet({ user_id: actor.id, heartbeat_at: now }),
        )
        .execute();
      return null;
    },

    /** Signing out ends every "is editing" mark of that person at once. */
    async releaseLocksOf(userId: number): Promise<void> {
      await db.deleteFrom('article_edit_locks').where('user_id', '=', userId).execute();
    },

    async releaseLock(actor: Actor, id: number): Promise<void> {
      await db
        .deleteFrom('article_edit_locks')
        .where('article_id', '=', id)
        .where('user_id', '=', actor.id)
        .execute();
    },

    /**
     * 정정·반론·추후보도: shown above the body with their own time. A notice can later be
     * reworded or withdrawn, and every wording it had is kept with who and when, so the
     * paper can always say what readers were shown.
     */
    async addNotice(actor: Actor, id: number, kind: NoticeKind, body: string): Promise<number> {
      const article = await load(id);
      check(actor, article, 'addNotice');
      if (!isNoticeKind(kind)) throw invalidInput('정정·반론·추후보도 중에서 고르세요.');
      const text = noticeText(body);
      const now = clock.now();
      const noticeId = await db.transaction().execute(async (trx) => {
        const row = await trx
          .insertInto('article_notices')
          .values({ article_id: id, kind, body: text, user_id: actor.id, created_at: now })
          .returning('id')
          .executeTakeFirstOrThrow();
        await noticeVersion(trx, row.id, 'created', kind, text, actor, now);
        await noticeChanged(trx, id, now);
        await event(trx, id, actor, 'notice', NOTICE_KINDS[kind]);
        await articlesRevised(trx, [id], now);
        await queueArticleEvent(trx, {
          type: 'article.corrected',
          articleId: id,
          now,
          noticeId: row.id,
        });
        return row.id;
      });
      await notify(visibleTags(article, article));
      return noticeId;
    },

    async editNotice(actor: Actor, id: number, noticeId: number, body: string): Promise<void> {
      const article = await load(id);
      check(actor, article, 'addNotice');
      const notice = await liveNotice(id, noticeId);
      const text = noticeText(body);
      if (text === notice.body) return;
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        await trx
          .updateTable('article_notices')
          .set({ body: text, updated_at: now })
          .where('id', '=', noticeId)
          .execute();
        await noticeVersion(trx, noticeId, 'edited', notice.kind, text, actor, now);
        await noticeChanged(trx, id, now);
        await event(trx, id, actor, 'notice', `${NOTICE_KINDS[notice.kind]} 수정`);
        await articlesRevised(trx, [id], now);
        await queueArticleEvent(trx, { type: 'article.corrected', articleId: id, now, noticeId });
      });
      await notify(visibleTags(article, article));
    },

    /** Takes a notice off the article; it stays in the history with the reason. */
    async withdrawNotice(
      actor: Actor,
      id: number,
      noticeId: number,
      reason: string,
    ): Promise<void> {
      const article = await load(id);
      if (!can(actor.role, 'notice.add'))
        throw forbidden('정정·반론보도는 데스크만 거둘 수 있습니다.');
      const notice = await liveNotice(id, noticeId);
      const why = noticeText(reason, 'reason');
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        await trx
          .updateTable('article_notices')
          .set({ withdrawn_at: now })
          .where('id', '=', noticeId)
          .execute();
        await noticeVersion(trx, noticeId, 'withdrawn', notice.kind, why, actor, now);
        await noticeChanged(trx, id, now);
        await event(trx, id, actor, 'notice', `${NOTICE_KINDS[notice.kind]} 철회: ${why}`);
        await articlesRevised(trx, [id], now);
        if (isOut(article, now))
          await queueArticleEvent(trx, { type: 'article.updated', articleId: id, now });
      });
      await notify(visibleTags(article, article));
    },

    async notices(id: number): Promise<ArticleNotice[]> {
      const rows = await db
        .selectFrom('article_notices')
        .select([
          'id',
          'kind',
          'body',
          'created_at as createdAt',
          'updated_at as updatedAt',
          'withdrawn_at as withdrawnAt',
        ])
        .where('article_id', '=', id)
        .orderBy('id')
        .execute();
      if (rows.length === 0) return [];
      const versions = await db
        .selectFrom('article_notice_versions as v')
        .leftJoin('users as u', 'u.id', 'v.user_id')
        .select(['v.notice_id', 'v.action', 'v.body', 'v.at', 'u.name as userName'])
        .where(
          'v.notice_id',
          'in',
          rows.map((r) => r.id),
        )
        .orderBy('v.id')
        .execute();
      return rows.map((r) => ({
        ...r,
        versions: versions
          .filter((v) => v.notice_id === r.id)
          .map((v) => ({ action: v.action, body: v.body, at: v.at, userName: v.userName })),
      }));
    },

    /** Articles whose scheduled time passed in (since, now]: their pages must refresh. */
    async dueSince(since: number, now: number): Promise<CacheTag[]> {
      const rows = await db
        .selectFrom('articles')
        .select(['id', 'section_id', 'is_photo_story'])
        .where('status', '=', 'published')
        .where('published_at', '>', since)
        .where('published_at', '<=', now)
        .limit(500)
        .execute();
      const listings = await listingsOf(
        db,
        rows.map((r) => r.id),
      );
      const tags = new Set<CacheTag>();
      for (const r of rows)
        for (const t of articleChangeTags(
          r.id,
          r.section_id,
          r.is_photo_story === 1,
          listings.get(r.id) ?? { authorIds: [], tags: [] },
        ))
          tags.add(t);
      return [...tags];
    },
  };
}

export type Desk = ReturnType<typeof createDesk>;
