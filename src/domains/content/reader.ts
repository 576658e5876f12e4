import { sql, type Expression, type Kysely, type SelectQueryBuilder, type SqlBool } from 'kysely';
import type { Database } from '../../db/index.ts';
import { parseVariants, renditionKey } from '../media/index.ts';
import { withPhotoText } from './body-html.ts';
import { withMediaUrls } from './media-urls.ts';
import type { ArticleOrigin } from '../../shared/article-origins.ts';
import type {
  ArticleDetail,
  ArticleTeaser,
  AuthorProfile,
  Byline,
  PhotoRef,
  Section,
  SectionRef,
  SeriesSummary,
  TeaserByline,
} from './types.ts';

/**
 * Reader-side queries. Every query here shows only what a reader may see: published and
 * with a publish time that has come. Listings ride the (section_id,) status, published_at,
 * id indexes.
 */
export interface ReaderDeps {
  db: Kysely<Database>;
  mediaUrl: (key: string) => string;
}

type TeaserRow = PhotoColumns & {
  id: number;
  title: string;
  summary: string;
  section_id: number;
  published_at: number | null;
  is_breaking: number;
  breaking_until: number | null;
  is_photo_story: number;
  origin: ArticleOrigin;
};

/** A stored focal coordinate as 0..1; the centre when unset. */
const focal = (value: number | null): number =>
  value === null || !Number.isFinite(Number(value)) ? 0.5 : Math.min(1, Math.max(0, Number(value)));

/** The photo columns a reader query selects (null when the article has no photo). */
export interface PhotoColumns {
  photo_id: number | null;
  storage_key: string | null;
  width: number | null;
  height: number | null;
  alt: string | null;
  caption: string | null;
  credit: string | null;
  variants: string | null;
  focal_x: number | null;
  focal_y: number | null;
}

/** Lists other than a section's: one byline's articles, or one tag's. */
export interface ListFilter {
  authorId?: number;
  tagId?: number;
}

/** Narrows a query over `articles as a` to a byline's or a tag's articles. */
function listFilter<
  Q extends SelectQueryBuilder<Database & { a: Database['articles'] }, 'a', O>,
  O,
>(query: Q, filter: ListFilter): Q {
  let q = query;
  if (filter.authorId !== undefined) {
    const authorId = filter.authorId;
    q = q.where((eb) =>
      eb(
        'a.id',
        'in',
        eb.selectFrom('article_authors').select('article_id').where('author_id', '=', authorId),
      ),
    ) as Q;
  }
  if (filter.tagId !== undefined) {
    const tagId = filter.tagId;
    q = q.where((eb) =>
      eb(
        'a.id',
        'in',
        eb.selectFrom('article_tags').select('article_id').where('tag_id', '=', tagId),
      ),
    ) as Q;
  }
  return q;
}

/** A photo as pages (and the content API) show it, from its stored row. */
export function photoRefOf(mediaUrl: (key: string) => string, row: PhotoColumns): PhotoRef | null {
  if (row.photo_id === null || row.storage_key === null) return null;
  const key = row.storage_key;
  return {
    id: row.photo_id,
    src: mediaUrl(key),
    width: row.width ?? 0,
    height: row.height ?? 0,
    alt: row.alt ?? '',
    caption: row.caption ?? '',
    credit: row.credit ?? '',
    sources: parseVariants(row.variants ?? '').map((width) => ({
      src: mediaUrl(renditionKey(key, width)),
      width,
    })),
    focalX: focal(row.focal_x),
    focalY: focal(row.focal_y),
  };
}

/**
 * Readers' rule, for any query of articles aliased `a`: published, its time come and not
 * under embargo. The desk never publishes before an embargo, but wherever readers are shown
 * an article its embargo is checked too.
 */
export const readableAt = (now: number) =>
  sql<SqlBool>`(a.status = 'published' and a.published_at <= ${now} and (a.embargo_until is null or a.embargo_until <= ${now}))`;

/** readableAt for a row already read, for look-ups by key that the rule would slow down. */
export function isReadableNow(
  row: {
    status: string;
    published_at: number | string | null;
    embargo_until: number | string | null;
  },
  now: number,
): boolean {
  return (
    row.status === 'published' &&
    row.published_at !== null &&
    Number(row.published_at) <= now &&
    (row.embargo_until === null || Number(row.embargo_until) <= now)
  );
}

export function createReader(deps: ReaderDeps) {
  const { db, mediaUrl } = deps;

  function teaserQuery(now: number, options: { unpublished?: boolean } = {}) {
    const query = db
      .selectFrom('articles as a')
      .leftJoin('photos as p', 'p.id', 'a.featured_photo_id')
      .select([
        'a.id',
        'a.title',
        'a.summary',
        'a.section_id',
        'a.published_at',
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
      ]);
    // A preview shows a piece that is not out yet; everything else only what readers may see.
    if (options.unpublished === true) return query.where('a.status', '!=', 'trashed');
    return query.where(readableAt(now));
  }

  /**
   * Teaser rows of the articles `ids` names (a list or a subquery), found by primary key,
   * with the readers' rule applied here: with the rule in SQL, SQLite walked
   * articles_published_idx over every published article instead (3 ms at 20,000 articles,
   * growing with the archive).
   */
  async function readableByKey(now: number, ids: number[] | Expression<number>) {
    const rows = await teaserQuery(now, { unpublished: true })
      .select(['a.status', 'a.embargo_until'])
      .where('a.id', 'in', ids)
      .execute();
    return rows.filter((r) => isReadableNow(r, now));
  }

  function newestFirst<O>(q: SelectQueryBuilder<Database & { a: Database['articles'] }, 'a', O>) {
    return q.orderBy('a.published_at', 'desc').orderBy('a.id', 'desc');
  }

  function toTeaser(
    row: TeaserRow,
    sections: Map<number, SectionRef>,
    now: number,
  ): ArticleTeaser | null {
    const section = sections.get(row.section_id);
    if (section === undefined) return null;
    return {
      id: row.id,
      title: row.title,
      summary: row.summary,
      section,
      publishedAt: row.published_at ?? 0,
      // 속보 ends at its end time, whether or not anyone clears the flag.
      isBreaking:
        row.is_breaking === 1 && row.breaking_until !== null && Number(row.breaking_until) > now,
      isPhotoStory: row.is_photo_story === 1,
      photo: photoRefOf(mediaUrl, row),
      origin: row.origin,
    };
  }

  function toTeasers(
    rows: TeaserRow[],
    sections: Map<number, SectionRef>,
    now: number,
  ): ArticleTeaser[] {
    const out: ArticleTeaser[] = [];
    for (const row of rows) {
      const t = toTeaser(row, sections, now);
      if (t !== null) out.push(t);
    }
    return out;
  }

  return {
    async allSections(): Promise<Section[]> {
      const rows = await db
        .selectFrom('sections')
        .select(['id', 'slug', 'name', 'layout', 'parent_id', 'position', 'hidden'])
        .orderBy('position')
        .orderBy('id')
        .execute();
      return rows.map((r) => ({
        id: r.id,
        slug: r.slug,
        name: r.name,
        layout: r.layout,
        parentId: r.parent_id,
        position: r.position,
        hidden: r.hidden === 1,
      }));
    },

    async latest(
      now: number,
      sections: Map<number, SectionRef>,
      options: {
        limit: number;
        sectionIds?: number[];
        photoStory?: boolean;
        /** Only 속보 running now. */
        breaking?: boolean;
        /** Only articles with a featured photo. */
        withPhoto?: boolean;
        excludeIds?: number[];
        offset?: number;
        /** Only articles published at or after this time. */
        publishedFrom?: number;
        /** Only articles published before this time. */
        publishedBefore?: number;
      } & ListFilter,
    ): Promise<ArticleTeaser[]> {
      let q = listFilter(teaserQuery(now), options);
      if (options.sectionIds !== undefined) {
        if (options.sectionIds.length === 0) return [];
        q =
          options.sectionIds.length === 1
            ? q.where('a.section_id', '=', options.sectionIds[0] as number)
            : q.where('a.section_id', 'in', options.sectionIds);
      }
      if (options.photoStory !== undefined)
        q = q.where('a.is_photo_story', '=', options.photoStory ? 1 : 0);
      if (options.breaking === true)
        q = q.where('a.is_breaking', '=', 1).where('a.breaking_until', '>', now);
      if (options.withPhoto === true) q = q.where('a.featured_photo_id', 'is not', null);
      if (options.publishedFrom !== undefined)
        q = q.where('a.published_at', '>=', options.publishedFrom);
      if (options.publishedBefore !== undefined)
        q = q.where('a.published_at', '<', options.publishedBefore);
      if (options.excludeIds !== undefined && options.excludeIds.length > 0)
        q = q.where('a.id', 'not in', options.excludeIds);
      let ordered = newestFirst(q).limit(options.limit);
      if (options.offset !== undefined && options.offset > 0)
        ordered = ordered.offset(options.offset);
      return toTeasers(await ordered.execute(), sections, now);
    },

    /**
     * One page of a section listing: the `limit` articles after the first `skip` of those
     * published in [from, before), newest first (listingWindow in service.ts finds the
     * window from the week counts). The page's ids are found first from the (section,
     * status, published_at, id) index alone, so the skip reads index entries, not
     * articles; only the page's articles are read, the readers' rule checked on them.
     * At a million articles on PostgreSQL the deepest page of /society took 31 ms when
     * every skipped article was read with its photo, and takes 5 ms so (decision 0024).
     *
     * An article under embargo past its publish time (which the desk never makes) is in
     * the week counts and skipped like the others, and left out of its page.
     */
    async listingPage(
      now: number,
      sections: Map<number, SectionRef>,
      window: {
        sectionIds: readonly number[];
        before: number;
        from?: number;
        skip: number;
        limit: number;
      },
    ): Promise<ArticleTeaser[]> {
      if (window.sectionIds.length === 0) return [];
      let ids = db
        .selectFrom('articles as a')
        .select('a.id')
        .where('a.section_id', 'in', [...window.sectionIds])
        .where('a.status', '=', 'published')
        .where('a.published_at', '<=', now)
        .where('a.published_at', '<', window.before);
      if (window.from !== undefined) ids = ids.where('a.published_at', '>=', window.from);
      const page = newestFirst(ids).limit(window.limit).offset(window.skip);
      const readable = (await readableByKey(now, page.$asScalar())).sort(
        (a, b) => Number(b.published_at) - Number(a.published_at) || b.id - a.id,
      );
      return toTeasers(readable, sections, now);
    },

    /** The desk's pins (written by the newsroom): per area, an article id or null per place. */
    async frontPins(): Promise<Record<string, (number | null)[]>> {
      const slots = await db
        .selectFrom('front_slots')
        .select(['area', 'position', 'article_id'])
        .orderBy('area')
        .orderBy('position')
        .execute();
      const out: Record<string, (number | null)[]> = {};
      for (const slot of slots) {
        const list = (out[slot.area] ??= []);
        while (list.length < slot.position) list.push(null);
        list[slot.position] = Number(slot.article_id);
      }
      return out;
    },

    /** Teasers of the articles among `ids` readers may see now, by id. */
    async teasersById(
      now: number,
      sections: Map<number, SectionRef>,
      ids: readonly number[],
    ): Promise<Map<number, ArticleTeaser>> {
      if (ids.length === 0) return new Map();
      const readable = await readableByKey(now, [...ids]);
      return new Map(toTeasers(readable, sections, now).map((t) => [t.id, t]));
    },

    async countPublished(
      now: number,
      sectionIds: number[],
      filter: ListFilter = {},
    ): Promise<number> {
      if (sectionIds.length === 0) return 0;
      const row = await listFilter(
        db
          .selectFrom('articles as a')
          .select((eb) => eb.fn.countAll<number | string>().as('n'))
          .where('a.section_id', 'in', sectionIds)
          .where('a.status', '=', 'published')
          .where('a.published_at', '<=', now),
        filter,
      ).executeTakeFirst();
      return Number(row?.n ?? 0);
    },

    /**
     * Published articles of these sections per week of publication (scheduled ones
     * included), newest week first: the counts the triggers of migration 0018 keep.
     */
    async weekCounts(sectionIds: readonly number[]): Promise<Array<{ week: number; n: number }>> {
      if (sectionIds.length === 0) return [];
      const rows = await db
        .selectFrom('section_week_counts')
        .select(['week', (eb) => eb.fn.sum<number | string>('published').as('n')])
        .where('section_id', 'in', [...sectionIds])
        .groupBy('week')
        .orderBy('week', 'desc')
        .execute();
      return rows.map((r) => ({ week: Number(r.week), n: Number(r.n) }));
    },

    /** Publish times of the scheduled articles (published, time still ahead) of these sections. */
    async scheduledTimes(now: number, sectionIds: readonly number[]): Promise<number[]> {
      if (sectionIds.length === 0) return [];
      const rows = await db
        .selectFrom('articles')
        .select('published_at')
        .where('section_id', 'in', [...sectionIds])
        .where('status', '=', 'published')
        .where('published_at', '>', now)
        .execute();
      return rows.map((r) => Number(r.published_at));
    },

    /** The bylines of each article, in print order: lists that say who wrote what. */
    async bylinesOf(articleIds: readonly number[]): Promise<Map<number, TeaserByline[]>> {
      const out = new Map<number, TeaserByline[]>();
      if (articleIds.length === 0) return out;
      const rows = await db
        .selectFrom('article_authors as aa')
        .innerJoin('authors as au', 'au.id', 'aa.author_id')
        .select(['aa.article_id', 'au.id', 'au.name', 'au.title'])
        .where('aa.article_id', 'in', [...articleIds])
        .orderBy('aa.article_id')
        .orderBy('aa.position')
        .execute();
      for (const r of rows) {
        const id = Number(r.article_id);
        const list = out.get(id) ?? [];
        list.push({ id: Number(r.id), name: r.name, title: r.title });
        out.set(id, list);
      }
      return out;
    },

    /** A byline's profile, or null when there is no such byline. */
    async authorProfile(id: number): Promise<AuthorProfile | null> {
      const row = await db
        .selectFrom('authors as au')
        .leftJoin('photos as p', 'p.id', 'au.photo_id')
        .select([
          'au.id',
          'au.name',
          'au.title',
          'au.email',
          'au.beat',
          'au.intro',
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
        .select((eb) =>
          eb
            .exists(
              eb.selectFrom('users as u').select('u.id').whereRef('u.author_id', '=', 'au.id'),
            )
            .as('has_account'),
        )
        .where('au.id', '=', id)
        .executeTakeFirst();
      if (row === undefined) return null;
      return {
        id: Number(row.id),
        name: row.name,
        title: row.title,
        email: row.email,
        beat: row.beat,
        intro: row.intro,
        photo: photoRefOf(mediaUrl, row),
        // PostgreSQL answers EXISTS with a boolean, SQLite with 0 or 1.
        hasAccount: row.has_account === true || Number(row.has_account) === 1,
      };
    },

    /** Whether a staff account still in use signs with this byline. */
    async hasActiveAccount(authorId: number): Promise<boolean> {
      const row = await db
        .selectFrom('users')
        .select('id')
        .where('author_id', '=', authorId)
        .where('disabled', '=', 0)
        .executeTakeFirst();
      return row !== undefined;
    },

    /** A series' title, description and image, or null when there is none. */
    async seriesSummary(id: number): Promise<SeriesSummary | null> {
      const row = await db
        .selectFrom('series as s')
        .leftJoin('photos as p', 'p.id', 's.photo_id')
        .select([
          's.id',
          's.title',
          's.description',
          's.updated_at',
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
        .where('s.id', '=', id)
        .executeTakeFirst();
      if (row === undefined) return null;
      return {
        id: Number(row.id),
        title: row.title,
        description: row.description,
        photo: photoRefOf(mediaUrl, row),
        updatedAt: Number(row.updated_at),
      };
    },

    /** Every article of a series in reading order, whatever its status. */
    async seriesMembers(seriesId: number): Promise<number[]> {
      const rows = await db
        .selectFrom('series_parts')
        .select('article_id')
        .where('series_id', '=', seriesId)
        .orderBy('position')
        .orderBy('article_id')
        .execute();
      return rows.map((r) => Number(r.article_id));
    },

    /** The series an article belongs to, if any. */
    async seriesIdOf(articleId: number): Promise<number | null> {
      const row = await db
        .selectFrom('series_parts')
        .select('series_id')
        .where('article_id', '=', articleId)
        .executeTakeFirst();
      return row === undefined ? null : Number(row.series_id);
    },

    /**
     * A tag by its name as typed, or else in composed form (NFC): a link made from a tag
     * stored decomposed finds it, and so does one typed on a Mac for a composed tag.
     */
    async tagByName(name: string): Promise<{ id: number; name: string } | null> {
      const names = [...new Set([name, name.normalize('NFC')])];
      const rows = await db
        .selectFrom('tags')
        .select(['id', 'name'])
        .where('name', 'in', names)
        .execute();
      const row = rows.find((r) => r.name === name) ?? rows[0];
      return row === undefined ? null : { id: Number(row.id), name: row.name };
    },

    async article(
      now: number,
      id: number,
      sections: Map<number, SectionRef>,
      options: { unpublished?: boolean } = {},
    ): Promise<Omit<ArticleDetail, 'sectionPath'> | null> {
      const row = await teaserQuery(now, options)
        .select(['a.subtitle', 'a.body_html', 'a.updated_at'])
        .where('a.id', '=', id)
        .executeTakeFirst();
      if (row === undefined) return null;
      const teaser = toTeaser(row, sections, now);
      if (teaser === null) return null;
      const [bylines, tags, photos, notices] = await Promise.all([
        db
          .selectFrom('article_authors as aa')
          .innerJoin('authors as au', 'au.id', 'aa.author_id')
          .select(['au.id', 'au.name', 'au.email', 'au.title'])
          .where('aa.article_id', '=', id)
          .orderBy('aa.position')
          .execute(),
        db
          .selectFrom('article_tags as at')
          .innerJoin('tags as t', 't.id', 'at.tag_id')
          .select('t.name')
          .where('at.article_id', '=', id)
          // As typed; tags stored before positions existed all have 0 and fall back to name.
          .orderBy('at.position')
          .orderBy('t.name')
          .execute(),
        db
          .selectFrom('article_photos as ap')
          .innerJoin('photos as p', 'p.id', 'ap.photo_id')
          .select([
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
          .where('ap.article_id', '=', id)
          .orderBy('ap.position')
          .execute(),
        db
          .selectFrom('article_notices')
          .select(['kind', 'body', 'created_at as createdAt', 'updated_at as updatedAt'])
          .where('article_id', '=', id)
          .where('withdrawn_at', 'is', null)
          .orderBy('id')
          .execute(),
      ]);
      return {
        ...teaser,
        subtitleLines: row.subtitle
          .split('\n')
          .map((l) => l.trim())
          .filter((l) => l !== ''),
        // One photo, one caption: the library's text, wherever it was last edited, also
        // under photos placed in the body (the page carries each photo's cache tag).
        bodyHtml: withMediaUrls(
          withPhotoText(
            row.body_html,
            new Map(photos.map((p) => [p.photo_id, { caption: p.caption, credit: p.credit }])),
          ),
          mediaUrl,
        ),
        updatedAt: row.updated_at,
        bylines: bylines.map((b) => ({ ...b, id: Number(b.id) })) satisfies Byline[],
        tags: tags.map((t) => t.name),
        photos: photos.map((p) => photoRefOf(mediaUrl, p)).filter((p): p is PhotoRef => p !== null),
        notices,
      };
    },

    /**
     * The earliest time still ahead at which what readers see changes by itself: a
     * scheduled article comes out, or a 속보 ends. Cached pages must expire then.
     */
    async nextScheduledPublication(now: number): Promise<number | null> {
      const [published, breaking] = await Promise.all([
        db
          .selectFrom('articles')
          .select((eb) => eb.fn.min('published_at').as('next'))
          .where('status', '=', 'published')
          .where('published_at', '>', now)
          .executeTakeFirst(),
        db
          .selectFrom('articles')
          .select((eb) => eb.fn.min('breaking_until').as('next'))
          .where('is_breaking', '=', 1)
          .where('status', '=', 'published')
          .where('breaking_until', '>', now)
          .executeTakeFirst(),
      ]);
      const times = [published?.next, breaking?.next]
        .filter((t) => t !== null && t !== undefined)
        .map(Number);
      return times.length === 0 ? null : Math.min(...times);
    },
  };
}

export type Reader = ReturnType<typeof createReader>;
