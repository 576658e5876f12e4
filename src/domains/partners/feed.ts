import type { Kysely } from 'kysely';
import type { Database } from '../../db/index.ts';
import {
  isReadableNow,
  lastChangeSeq,
  releaseDueArticles,
  withMediaUrls,
  withPhotoText,
} from '../content/index.ts';
import type { Clock } from '../../shared/clock.ts';
import { invalidInput } from '../../shared/errors.ts';
import {
  partnerRecord,
  type PartnerArticle,
  type PartnerDeletion,
  type PartnerRecord,
} from './record.ts';

/**
 * The portal feed: every article change partners must hear about, in the order of the
 * change sequence (content/changes.ts), from an opaque cursor. A page lists each changed
 * article once, as it is now: the full record while readers can see it, `{id, deleted:
 * true}` once they cannot (unpublished, binned, moved to a later time). Pieces that never
 * went out are not listed at all.
 */
export interface PartnerFeedDeps {
  db: Kysely<Database>;
  clock: Clock;
  siteUrl: string;
  /** The public path of a stored media key (/media/…). */
  mediaUrl: (key: string) => string;
}

export interface PartnerFeedPage {
  items: (PartnerRecord | PartnerDeletion)[];
  /** Pass as `since` next time: everything up to here has been listed. */
  next: string;
  /** True when more changes wait beyond this page: ask again at once with `next`. */
  more: boolean;
}

export const FEED_PAGE_DEFAULT = 100;
export const FEED_PAGE_MAX = 500;

const CURSOR_PREFIX = 'c1:';
const MAX_CURSOR_LENGTH = 64;

export function encodeCursor(seq: number): string {
  return Buffer.from(`${CURSOR_PREFIX}${seq}`, 'utf8').toString('base64url');
}

/** The change number a cursor stands for, or null when it is not one of ours. */
export function decodeCursor(text: string): number | null {
  if (text.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(text)) return null;
  const plain = Buffer.from(text, 'base64url').toString('utf8');
  const m = /^c1:(0|[1-9][0-9]{0,14})$/.exec(plain);
  if (m === null) return null;
  // Base64url is not one-to-one (padding bits): only the canonical spelling is ours.
  return encodeCursor(Number(m[1])) === text ? Number(m[1]) : null;
}

const badCursor = (message: string) => invalidInput(message, { fields: { since: message } });

export function createPartnerFeed(deps: PartnerFeedDeps) {
  const { db, clock } = deps;

  async function sectionPaths(): Promise<Map<number, PartnerArticle['section']>> {
    const rows = await db
      .selectFrom('sections')
      .select(['id', 'name', 'slug', 'parent_id'])
      .execute();
    const byId = new Map(rows.map((r) => [Number(r.id), r]));
    const out = new Map<number, PartnerArticle['section']>();
    for (const r of rows) {
      const path = [r.name];
      let parent = r.parent_id === null ? undefined : byId.get(Number(r.parent_id));
      for (let depth = 0; parent !== undefined && depth < 5; depth++) {
        path.unshift(parent.name);
        parent = parent.parent_id === null ? undefined : byId.get(Number(parent.parent_id));
      }
      out.set(Number(r.id), { name: r.name, slug: r.slug, path });
    }
    return out;
  }

  /** The articles among `ids` in full, by id: five queries for the whole page. */
  async function load(ids: number[]): Promise<Map<number, PartnerArticle>> {
    if (ids.length === 0) return new Map();
    const [rows, authors, photos, notices, tags, sections] = await Promise.all([
      db
        .selectFrom('articles')
        .select([
          'id',
          'revision',
          'origin',
          'title',
          'subtitle',
          'body_html',
          'summary',
          'section_id',
          'featured_photo_id',
          'first_published_at',
          'published_at',
          'revised_at',
        ])
        .where('id', 'in', ids)
        .execute(),
      db
        .selectFrom('article_authors as aa')
        .innerJoin('authors as au', 'au.id', 'aa.author_id')
        .select(['aa.article_id', 'au.name', 'au.email', 'au.title'])
        .where('aa.article_id', 'in', ids)
        .orderBy('aa.article_id')
        .orderBy('aa.position')
        .execute(),
      db
        .selectFrom('article_photos as ap')
        .innerJoin('photos as p', 'p.id', 'ap.photo_id')
        .select([
          'ap.article_id',
          'p.id',
          'p.storage_key',
          'p.width',
          'p.height',
          'p.caption',
          'p.credit',
          'p.alt',
        ])
        .where('ap.article_id', 'in', ids)
        .orderBy('ap.article_id')
        .orderBy('ap.position')
        .execute(),
      db
        .selectFrom('article_notices')
        .select(['article_id', 'kind', 'body', 'created_at', 'updated_at'])
        .where('article_id', 'in', ids)
        .where('withdrawn_at', 'is', null)
        .orderBy('id')
        .execute(),
      db
        .selectFrom('article_tags as at')
        .innerJoin('tags as t', 't.id', 'at.tag_id')
        .select(['at.article_id', 't.name'])
        .where('at.article_id', 'in', ids)
        .orderBy('at.article_id')
        .orderBy('at.position')
        .orderBy('t.name')
        .execute(),
      sectionPaths(),
    ]);
    const group = <T extends { article_id: number }>(list: T[]) => {
      const map = new Map<number, T[]>();
      for (const item of list) {
        const key = Number(item.article_id);
        const bucket = map.get(key);
        if (bucket === undefined) map.set(key, [item]);
        else bucket.push(item);
      }
      return map;
    };
    const authorsOf = group(authors);
    const photosOf = group(photos);
    const noticesOf = group(notices);
    const tagsOf = group(tags);
    const out = new Map<number, PartnerArticle>();
    for (const r of rows) {
      const id = Number(r.id);
      const own = photosOf.get(id) ?? [];
      const first = Number(r.first_published_at ?? r.published_at ?? 0);
      out.set(id, {
        id,
        revision: Number(r.revision),
        origin: r.origin,
        title: r.title,
        subtitle: r.subtitle,
        // One photo, one caption: the library's, as on the article page.
        bodyHtml: withMediaUrls(
          withPhotoText(
            r.body_html,
            new Map(own.map((p) => [Number(p.id), { caption: p.caption, credit: p.credit }])),
          ),
          deps.mediaUrl,
        ),
        summary: r.summary,
        section: sections.get(Number(r.section_id)) ?? { name: '', slug: '', path: [] },
        authors: (authorsOf.get(id) ?? []).map((a) => ({
          name: a.name,
          email: a.email,
          title: a.title,
        })),
        photos: own.map((p) => ({
          src: deps.mediaUrl(p.storage_key),
          width: Number(p.width),
          height: Number(p.height),
          caption: p.caption,
          credit: p.credit,
          alt: p.alt,
          featured: r.featured_photo_id !== null && Number(p.id) === Number(r.featured_photo_id),
        })),
        tags: (tagsOf.get(id) ?? []).map((t) => t.name),
        notices: (noticesOf.get(id) ?? []).map((n) => ({
          kind: n.kind,
          body: n.body,
          createdAt: Number(n.created_at),
          updatedAt: n.updated_at === null ? null : Number(n.updated_at),
        })),
        firstPublishedAt: first,
        modifiedAt: Math.max(first, Number(r.revised_at ?? first)),
      });
    }
    return out;
  }

  return {
    /**
     * Changes after `since` (a cursor from an earlier page's `next`; absent: from the
     * beginning; `now`: none, only a cursor to start from), at most `limit` articles.
     */
    async changes(options: {
      since?: string | undefined;
      limit?: number;
    }): Promise<PartnerFeedPage> {
      const limit = Math.min(
        Math.max(Math.trunc(options.limit ?? FEED_PAGE_DEFAULT), 1),
        FEED_PAGE_MAX,
      );
      const now = clock.now();
      // Scheduled pieces whose time has come get their number now, before the page is read.
      await releaseDueArticles(db, now);
      // Read before the rows: every change numbered up to `head` has committed.
      const head = await lastChangeSeq(db);
      const text = options.since ?? '';
      if (text === 'now') return { items: [], next: encodeCursor(head), more: false };
      let since = 0;
      if (text !== '') {
        const seq = decodeCursor(text);
        if (seq === null)
          throw badCursor(
            'since 값이 이 피드의 커서가 아닙니다. 직전 응답의 next 값을 그대로 보내세요.',
          );
        if (seq > head)
          throw badCursor(
            '이 커서는 아직 없는 위치를 가리킵니다. since 없이(처음부터) 또는 since=now로 다시 시작하세요.',
          );
        since = seq;
      }
      const rows = await db
        .selectFrom('articles')
        .select([
          'id',
          'change_seq',
          'status',
          'published_at',
          'first_published_at',
          'embargo_until',
        ])
        .where('change_seq', '>', since)
        .where('change_seq', '<=', head)
        .orderBy('change_seq')
        .limit(limit + 1)
        .execute();
      const more = rows.length > limit;
      const page = rows.slice(0, limit);
      const visible = (r: (typeof page)[number]) => isReadableNow(r, now);
      const full = await load(page.filter(visible).map((r) => Number(r.id)));
      const items: PartnerFeedPage['items'] = [];
      for (const r of page) {
        const id = Number(r.id);
        const article = visible(r) ? full.get(id) : undefined;
        if (article !== undefined) items.push(partnerRecord(article, { siteUrl: deps.siteUrl }));
        // Went out once and is gone now: the partner takes it down. Never out: not theirs.
        else if (r.first_published_at !== null && Number(r.first_published_at) <= now)
          items.push({ id, deleted: true });
      }
      const last = page.at(-1);
      return {
        items,
        next: encodeCursor(more && last !== undefined ? Number(last.change_seq) : head),
        more,
      };
    },
  };
}

export type PartnerFeed = ReturnType<typeof createPartnerFeed>;
