import type { ArticleOrigin } from '../../shared/article-origins.ts';
import { sql, type Kysely } from 'kysely';
import { afterKey, type Database } from '../../db/index.ts';
import { photoRefOf, readableAt } from './reader.ts';
import type { ArticleTeaser, Byline, SectionRef } from './types.ts';

/**
 * The catalogue of what readers may see, for machines (the content API): every published
 * article whose time has come, not under embargo, in a visible section, newest first, in
 * pages that hold still while the desk publishes.
 */

/**
 * What a listing may be narrowed to. A new filter is a field here and one condition in
 * `where` below; the content API declares its query parameter in one table beside it.
 */
export interface CatalogFilters {
  /** A section with its sub-sections; an empty list matches nothing. */
  sectionIds?: readonly number[];
  /** A tag as typed on the article (exact). */
  tag?: string;
  authorId?: number;
  /** 자체기사, 통신, …: portal partners count these apart. */
  origin?: ArticleOrigin;
  /** Published at or after (epoch ms). */
  from?: number;
  /** Published before (epoch ms). */
  until?: number;
}

/**
 * Where a page ends: the last article's publish time and id. The next page starts right
 * after it, so articles published meanwhile (always newer) never push others from one page
 * onto the next: nothing is repeated or skipped.
 */
export interface CatalogPosition {
  publishedAt: number;
  id: number;
}

export interface CatalogArticle extends ArticleTeaser {
  subtitleLines: string[];
  updatedAt: number;
  bylines: Byline[];
  tags: string[];
}

export interface CatalogPage {
  articles: CatalogArticle[];
  /** Where the next page starts; null on the last page. */
  next: CatalogPosition | null;
}

export interface CatalogAuthor {
  id: number;
  name: string;
  title: string;
  email: string | null;
}

export interface CatalogDeps {
  db: Kysely<Database>;
  mediaUrl: (key: string) => string;
}

const subtitleLines = (subtitle: string) =>
  subtitle
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');

export function createCatalog(deps: CatalogDeps) {
  const { db, mediaUrl } = deps;

  function articleQuery(now: number, visibleSectionIds: readonly number[]) {
    return db
      .selectFrom('articles as a')
      .leftJoin('photos as p', 'p.id', 'a.featured_photo_id')
      .select([
        'a.id',
        'a.title',
        'a.subtitle',
        'a.summary',
        'a.section_id',
        'a.published_at',
        'a.updated_at',
        'a.is_breaking',
        'a.breaking_until',
        'a.is_photo_story',
        'a.origin',
        'p.id as photo_id',
        'p.storage_key',
        'p.width',
        'p.height',
        'p.alt',
        'p.caption',
        'p.credit',
        'p.variants',
        'p.focal_x',
        'p.focal_y',
      ])
      .where(readableAt(now))
      .where('a.section_id', 'in', visibleSectionIds.length > 0 ? [...visibleSectionIds] : [-1]);
  }

  type Row = Awaited<ReturnType<ReturnType<typeof articleQuery>['execute']>>[number];

  /** Bylines and tags of many articles in two queries. */
  async function extras(ids: number[]) {
    const bylines = new Map<number, Byline[]>();
    const tags = new Map<number, string[]>();
    if (ids.length === 0) return { bylines, tags };
    const [authorRows, tagRows] = await Promise.all([
      db
        .selectFrom('article_authors as aa')
        .innerJoin('authors as au', 'au.id', 'aa.author_id')
        .select(['aa.article_id', 'au.id', 'au.name', 'au.email', 'au.title'])
        .where('aa.article_id', 'in', ids)
        .orderBy('aa.article_id')
        .orderBy('aa.position')
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
    ]);
    for (const r of authorRows) {
      const list = bylines.get(r.article_id) ?? [];
      list.push({ id: Number(r.id), name: r.name, email: r.email, title: r.title });
      bylines.set(r.article_id, list);
    }
    for (const r of tagRows) {
      const list = tags.get(r.article_id) ?? [];
      list.push(r.name);
      tags.set(r.article_id, list);
    }
    return { bylines, tags };
  }

  async function toArticles(
    rows: Row[],
    sections: ReadonlyMap<number, SectionRef>,
    now: number,
  ): Promise<CatalogArticle[]> {
    const { bylines, tags } = await extras(rows.map((r) => Number(r.id)));
    const out: CatalogArticle[] = [];
    for (const row of rows) {
      const section = sections.get(row.section_id);
      if (section === undefined) continue;
      const id = Number(row.id);
      out.push({
        id,
        title: row.title,
        summary: row.summary,
        section,
        publishedAt: Number(row.published_at ?? 0),
        isBreaking:
          row.is_breaking === 1 && row.breaking_until !== null && Number(row.breaking_until) > now,
        isPhotoStory: row.is_photo_story === 1,
        photo: photoRefOf(mediaUrl, row),
        origin: row.origin,
        subtitleLines: subtitleLines(row.subtitle),
        updatedAt: Number(row.updated_at),
        bylines: bylines.get(id) ?? [],
        tags: tags.get(id) ?? [],
      });
    }
    return out;
  }

  return {
    /**
     * One page, newest first, starting after `after`. `sections` holds the visible
     * sections: articles anywhere else are not listed.
     */
    async page(
      now: number,
      sections: ReadonlyMap<number, SectionRef>,
      filters: CatalogFilters,
      options: { after?: CatalogPosition; limit: number },
    ): Promise<CatalogPage> {
      const visible = [...sections.keys()];
      const sectionIds =
        filters.sectionIds === undefined
          ? visible
          : filters.sectionIds.filter((id) => sections.has(id));
      let q = articleQuery(now, sectionIds);
      if (filters.origin !== undefined) q = q.where('a.origin', '=', filters.origin);
      if (filters.tag !== undefined) {
        const tag = filters.tag;
        q = q.where('a.id', 'in', (eb) =>
          eb
            .selectFrom('article_tags as ft')
            .innerJoin('tags as t', 't.id', 'ft.tag_id')
            .select('ft.article_id')
            .where('t.name', '=', tag),
        );
      }
      if (filters.authorId !== undefined) {
        const authorId = filters.authorId;
        q = q.where('a.id', 'in', (eb) =>
          eb
            .selectFrom('article_authors as fa')
            .select('fa.article_id')
            .where('fa.author_id', '=', authorId),
        );
      }
      if (filters.from !== undefined) q = q.where('a.published_at', '>=', filters.from);
      if (filters.until !== undefined) q = q.where('a.published_at', '<', filters.until);
      const after = options.after;
      if (after !== undefined)
        q = q.where(
          afterKey({ column: 'a.published_at', id: 'a.id' }, after.publishedAt, after.id),
        );
      const rows = await q
        .orderBy('a.published_at', 'desc')
        .orderBy('a.id', 'desc')
        .limit(options.limit + 1)
        .execute();
      const more = rows.length > options.limit;
      const kept = more ? rows.slice(0, options.limit) : rows;
      const last = kept.at(-1);
      return {
        articles: await toArticles(kept, sections, now),
        next:
          more && last !== undefined
            ? { publishedAt: Number(last.published_at), id: Number(last.id) }
            : null,
      };
    },

    /** The articles among `ids` readers may see now, in the order given. */
    async byIds(
      now: number,
      sections: ReadonlyMap<number, SectionRef>,
      ids: readonly number[],
    ): Promise<CatalogArticle[]> {
      if (ids.length === 0) return [];
      const rows = await articleQuery(now, [...sections.keys()])
        .where('a.id', 'in', [...ids])
        .execute();
      const found = new Map((await toArticles(rows, sections, now)).map((a) => [a.id, a]));
      return ids.flatMap((id) => found.get(id) ?? []);
    },

    /**
     * Authors with at least one article readers may see, by id, starting after `afterId`:
     * a byline nobody has read yet (a new hire, an unpublished column) stays private.
     */
    async authors(
      now: number,
      visibleSectionIds: readonly number[],
      options: { afterId?: number; limit: number },
    ): Promise<{ authors: CatalogAuthor[]; next: number | null }> {
      const sectionIds = visibleSectionIds.length > 0 ? [...visibleSectionIds] : [-1];
      let q = db
        .selectFrom('authors as au')
        .select(['au.id', 'au.name', 'au.title', 'au.email'])
        .where(({ exists, selectFrom }) =>
          exists(
            selectFrom('article_authors as aa')
              .innerJoin('articles as a', 'a.id', 'aa.article_id')
              .select(sql<number>`1`.as('one'))
              .whereRef('aa.author_id', '=', 'au.id')
              .where(readableAt(now))
              .where('a.section_id', 'in', sectionIds),
          ),
        );
      if (options.afterId !== undefined) q = q.where('au.id', '>', options.afterId);
      const rows = await q
        .orderBy('au.id')
        .limit(options.limit + 1)
        .execute();
      const more = rows.length > options.limit;
      const kept = (more ? rows.slice(0, options.limit) : rows).map((r) => ({
        id: Number(r.id),
        name: r.name,
        title: r.title,
        email: r.email,
      }));
      return { authors: kept, next: more ? (kept.at(-1)?.id ?? null) : null };
    },
  };
}

export type Catalog = ReturnType<typeof createCatalog>;
