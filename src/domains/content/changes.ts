import { sql, type Kysely, type Transaction } from 'kysely';
import type { ArticleStatus, Database } from '../../db/index.ts';
import { queueArticlesUpdated } from '../webhooks/index.ts';

/**
 * Two counters portal partners read an article by, kept in the transaction of every change:
 *
 * - `revision` grows when what readers see changes: title, subtitle, body, section, origin,
 *   bylines (which, and their names, titles and e-mails), tags, photos (which, their order,
 *   the featured one, their captions and credits), and 정정·반론·추후보도. A save that
 *   changes none of these (an autosave of the same text, a new embargo, an SEO field) leaves
 *   it as it was, so a partner tells a real update from a re-send.
 * - `change_seq` orders the changes a partner must hear about: a new revision of a piece
 *   that is out or scheduled, or the piece coming out, moving or going. The number comes
 *   from one counter row, updated as the transaction's last step: on PostgreSQL the row lock
 *   is held until commit, so numbers are handed out in commit order and a reader that has
 *   seen n has seen every change numbered below it. Each writer locks the article row
 *   before the counter, never the other way round, so two writers cannot deadlock.
 *
 * A scheduled piece comes out without a write: `change_due_at` holds its time, and
 * `releaseDueArticles` gives it a new number once that time has passed.
 */

type Db = Kysely<Database> | Transaction<Database>;

interface Placement {
  status: ArticleStatus;
  publishedAt: number | null;
}

interface Snapshot extends Placement {
  /** Everything readers see of the article except notices and photo captions, as one value. */
  content: string;
}

async function snapshot(trx: Db, id: number): Promise<Snapshot | null> {
  const row = await trx
    .selectFrom('articles')
    .select([
      'title',
      'subtitle',
      'body_html',
      'section_id',
      'origin',
      'featured_photo_id',
      'status',
      'published_at',
    ])
    .where('id', '=', id)
    .executeTakeFirst();
  if (row === undefined) return null;
  const [authors, photos, tags] = await Promise.all([
    trx
      .selectFrom('article_authors')
      .select('author_id')
      .where('article_id', '=', id)
      .orderBy('position')
      .execute(),
    trx
      .selectFrom('article_photos')
      .select('photo_id')
      .where('article_id', '=', id)
      .orderBy('position')
      .execute(),
    trx
      .selectFrom('article_tags as at')
      .innerJoin('tags as t', 't.id', 'at.tag_id')
      .select('t.name')
      .where('at.article_id', '=', id)
      .orderBy('at.position')
      .orderBy('t.name')
      .execute(),
  ]);
  return {
    status: row.status,
    publishedAt: row.published_at === null ? null : Number(row.published_at),
    content: JSON.stringify([
      row.title,
      row.subtitle,
      row.body_html,
      Number(row.section_id),
      row.origin,
      row.featured_photo_id === null ? null : Number(row.featured_photo_id),
      authors.map((a) => Number(a.author_id)),
      photos.map((p) => Number(p.photo_id)),
      tags.map((t) => t.name),
    ]),
  };
}

/** Hands out `count` consecutive change numbers; returns the first. */
async function nextChangeSeq(trx: Db, count = 1): Promise<number> {
  const row = await trx
    .updateTable('article_change_counter')
    .set((eb) => ({ value: eb('value', '+', count) }))
    .where('id', '=', 1)
    .returning('value')
    .executeTakeFirstOrThrow();
  return Number(row.value) - count + 1;
}

/**
 * Settles the first publication time and the partner-facing change after the article's
 * writes: a new revision when `revise`, a new change number when partners must hear of it.
 */
async function settle(
  trx: Db,
  id: number,
  options: { revise: boolean; before: Placement | null; now: number },
): Promise<void> {
  const { revise, before, now } = options;
  // This update also takes the article's row lock before the counter's (see above).
  const row = await trx
    .updateTable('articles')
    .set((eb) => ({
      revision: revise ? eb('revision', '+', 1) : eb.ref('revision'),
      revised_at: revise ? now : eb.ref('revised_at'),
    }))
    .where('id', '=', id)
    .returning(['status', 'published_at', 'first_published_at'])
    .executeTakeFirst();
  if (row === undefined) return;
  const status = row.status;
  const publishedAt = row.published_at === null ? null : Number(row.published_at);
  const first = row.first_published_at === null ? null : Number(row.first_published_at);
  const out = status === 'published';
  // The first time readers saw it stays; a time not yet come (a schedule) follows the
  // schedule, and goes when the schedule is called off.
  const firstPublishedAt = first !== null && first <= now ? first : out ? publishedAt : null;
  const moved = before === null || before.status !== status || before.publishedAt !== publishedAt;
  const partnersCare = out || before?.status === 'published';
  const resend = partnersCare && (revise || moved);
  await trx
    .updateTable('articles')
    .set({
      first_published_at: firstPublishedAt,
      ...(resend
        ? {
            change_seq: await nextChangeSeq(trx),
            change_due_at: out && publishedAt !== null && publishedAt > now ? publishedAt : null,
          }
        : {}),
    })
    .where('id', '=', id)
    .execute();
}

/** One article watched through a writing transaction. */
export interface ArticleChange {
  /** After the last write: bumps the revision and the change number as the writes call for. */
  record(now: number): Promise<void>;
}

/**
 * Call in the transaction before changing an existing article (its text, relations, status
 * or publish time), and `record()` after the last write.
 */
export async function watchArticle(trx: Transaction<Database>, id: number): Promise<ArticleChange> {
  // Takes the row lock first (a no-op update), so the snapshot is the state this
  // transaction overwrites and no writer can slip in between on PostgreSQL.
  await trx
    .updateTable('articles')
    .set((eb) => ({ revision: eb.ref('revision') }))
    .where('id', '=', id)
    .execute();
  const before = await snapshot(trx, id);
  return {
    async record(now) {
      const after = await snapshot(trx, id);
      if (before === null || after === null) return;
      await settle(trx, id, { revise: before.content !== after.content, before, now });
    },
  };
}

/** A new article, written in this transaction: revision 1, and news for partners if it is out. */
export async function articleCreated(
  trx: Transaction<Database>,
  id: number,
  now: number,
): Promise<void> {
  // An archive's article was last revised when the archive says (its updated_at), not now.
  await trx
    .updateTable('articles')
    .set((eb) => ({ revised_at: eb.ref('updated_at') }))
    .where('id', '=', id)
    .execute();
  await settle(trx, id, { revise: false, before: null, now });
}

/** Ids per `in (...)` list: well under SQLite's and PostgreSQL's bound-parameter limits. */
const IDS_PER_STATEMENT = 500;

/**
 * Something readers see changed outside the article row and its relations (a 정정보도, a
 * photo's caption or credit, a byline's name): a new revision of each article, in this
 * transaction. The published ones are also updated now (`updated_at`), so feeds, sitemaps,
 * the content API and the page's dateModified date the change as they date an edit of
 * the article itself. Returns those published articles' ids: the caller announces their
 * tags (revisedArticleTags) once the transaction has committed.
 */
export async function articlesRevised(
  trx: Transaction<Database>,
  ids: readonly number[],
  now: number,
): Promise<number[]> {
  // Every row first, one statement each in ascending id order (which takes its lock: a
  // multi-row update locks in whatever order the plan reads), and only then the counter:
  // holding the counter while waiting for an article a desk save holds (which waits for
  // the counter) would deadlock. A byline printed on thousands of articles costs one
  // statement per article plus one per 500, not four per article.
  const sorted = [...new Set(ids)].sort((a, b) => a - b);
  const rows: {
    id: number;
    status: ArticleStatus;
    publishedAt: number | null;
    first: number | null;
  }[] = [];
  for (const id of sorted) {
    const row = await trx
      .updateTable('articles')
      .set((eb) => ({
        revision: eb('revision', '+', 1),
        revised_at: now,
        updated_at: eb
          .case()
          .when('status', '=', 'published')
          .then(now)
          .else(eb.ref('updated_at'))
          .end(),
      }))
      .where('id', '=', id)
      .returning(['status', 'published_at', 'first_published_at'])
      .executeTakeFirst();
    if (row !== undefined)
      rows.push({
        id,
        status: row.status,
        publishedAt: row.published_at === null ? null : Number(row.published_at),
        first: row.first_published_at === null ? null : Number(row.first_published_at),
      });
  }
  // As settle() places a revision that does not move the piece: partners hear of those out
  // or scheduled; the first publication time is put right where it is off.
  const resend = rows.filter((r) => r.status === 'published');
  let seq = resend.length === 0 ? 0 : await nextChangeSeq(trx, resend.length);
  for (let start = 0; start < resend.length; start += IDS_PER_STATEMENT) {
    const slice = resend.slice(start, start + IDS_PER_STATEMENT);
    const byId = <T extends number | null>(value: (r: (typeof slice)[number], i: number) => T) =>
      sql<T>`case ${sql.ref('id')} ${sql.join(
        slice.map((r, i) => sql`when ${r.id} then cast(${value(r, i)} as bigint)`),
        sql` `,
      )} end`;
    const first = seq;
    seq += slice.length;
    await trx
      .updateTable('articles')
      .set({
        change_seq: byId((_r, i) => first + i),
        change_due_at: byId((r) =>
          r.publishedAt !== null && r.publishedAt > now ? r.publishedAt : null,
        ),
      })
      .where(
        'id',
        'in',
        slice.map((r) => r.id),
      )
      .execute();
  }
  for (const r of rows) {
    const out = r.status === 'published';
    const firstPublishedAt =
      r.first !== null && r.first <= now ? r.first : out ? r.publishedAt : null;
    if (firstPublishedAt !== r.first)
      await trx
        .updateTable('articles')
        .set({ first_published_at: firstPublishedAt })
        .where('id', '=', r.id)
        .execute();
  }
  return resend.map((r) => r.id);
}

/**
 * articlesRevised for an edit made outside the article (a photo's caption or credit, a
 * byline's name, title or e-mail), with the webhooks' article.updated for those out now, as
 * a desk save of them would send. The desk's notices queue their own events.
 */
export async function articlesRevisedElsewhere(
  trx: Transaction<Database>,
  ids: readonly number[],
  now: number,
): Promise<number[]> {
  const revised = await articlesRevised(trx, ids, now);
  await queueArticlesUpdated(trx, revised, now);
  return revised;
}

/** The articles printing a byline: its name, title and e-mail are theirs. */
export async function articlesWithByline(trx: Db, authorId: number): Promise<number[]> {
  const rows = await trx
    .selectFrom('article_authors')
    .select('article_id')
    .where('author_id', '=', authorId)
    .execute();
  return rows.map((r) => Number(r.article_id));
}

/** The articles showing a photo (in the body, as featured or attached): its caption is theirs. */
export async function articlesShowingPhoto(trx: Db, photoId: number): Promise<number[]> {
  const rows = await trx
    .selectFrom('articles')
    .select('id')
    .where((eb) =>
      eb.or([
        eb('featured_photo_id', '=', photoId),
        eb(
          'id',
          'in',
          eb.selectFrom('article_photos').select('article_id').where('photo_id', '=', photoId),
        ),
      ]),
    )
    .execute();
  return rows.map((r) => Number(r.id));
}

/**
 * Scheduled pieces whose time has come get a new change number, so partners who read past
 * their earlier number still hear of them. Each in its own short transaction, in the same
 * lock order as every writer. Returns how many came out.
 */
export async function releaseDueArticles(db: Kysely<Database>, now: number): Promise<number> {
  const due = await db
    .selectFrom('articles')
    .select('id')
    .where('change_due_at', '<=', now)
    .orderBy('change_due_at')
    .limit(500)
    .execute();
  let released = 0;
  for (const { id } of due) {
    released += await db.transaction().execute(async (trx) => {
      const claimed = await trx
        .updateTable('articles')
        .set({ change_due_at: null })
        .where('id', '=', id)
        .where('change_due_at', '<=', now)
        .executeTakeFirst();
      if (Number(claimed.numUpdatedRows) === 0) return 0;
      await trx
        .updateTable('articles')
        .set({ change_seq: await nextChangeSeq(trx) })
        .where('id', '=', id)
        .execute();
      return 1;
    });
  }
  return released;
}

/** The last change number handed out: every change up to it has committed. */
export async function lastChangeSeq(db: Db): Promise<number> {
  const row = await db
    .selectFrom('article_change_counter')
    .select('value')
    .where('id', '=', 1)
    .executeTakeFirst();
  return Number(row?.value ?? 0);
}
