import type { Insertable, Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/index.ts';
import type { ArticleListings } from '../../shared/cache-tags.ts';
import { articlesRevisedElsewhere, articlesWithByline } from './changes.ts';

/**
 * An article's bylines, tags and photo links, and the author and tag rows they point at.
 * Content owns these tables: the desk, the importer, the writer and the benchmark
 * generator all write them through this file, inside the transaction that writes the
 * article, so every path stores the same shape.
 */

export interface ArticleRelations {
  /** Bylines in the order they are printed; repeats are dropped. */
  authorIds: readonly number[];
  /** Tag names; blanks and repeats are dropped, new names become tags. */
  tags: readonly string[];
  /** The photo at the top of the article and on its teasers. */
  featuredPhotoId: number | null;
  /** Further photos attached to the article, in order, after the featured one. */
  bodyPhotoIds?: readonly number[];
}

/** Rows per insert statement: well under SQLite's and PostgreSQL's bound-parameter limits. */
const ROWS_PER_INSERT = 1000;

/** Runs `insert` over `rows` in slices, skipping it when there are none. */
async function inChunks<T>(
  rows: readonly T[],
  insert: (chunk: T[]) => Promise<unknown>,
): Promise<void> {
  for (let start = 0; start < rows.length; start += ROWS_PER_INSERT)
    await insert(rows.slice(start, start + ROWS_PER_INSERT));
}

const unique = <T>(items: readonly T[]): T[] => [...new Set(items)];

type Trx = Transaction<Database>;
const insertBylines = (trx: Trx, rows: Insertable<Database['article_authors']>[]) =>
  inChunks(rows, (chunk) => trx.insertInto('article_authors').values(chunk).execute());
const insertTagLinks = (trx: Trx, rows: Insertable<Database['article_tags']>[]) =>
  inChunks(rows, (chunk) => trx.insertInto('article_tags').values(chunk).execute());
const insertPhotoLinks = (trx: Trx, rows: Insertable<Database['article_photos']>[]) =>
  inChunks(rows, (chunk) => trx.insertInto('article_photos').values(chunk).execute());

/** Trimmed, non-blank, each once, in first-seen order. */
export function tagNames(names: readonly string[]): string[] {
  return unique(names.map((n) => n.trim()).filter((n) => n !== ''));
}

/** The photos an article links, featured first: the order the article page shows them. */
export function linkedPhotoIds(photos: Pick<ArticleRelations, 'featuredPhotoId' | 'bodyPhotoIds'>) {
  return unique([
    ...(photos.featuredPhotoId === null ? [] : [photos.featuredPhotoId]),
    ...(photos.bodyPhotoIds ?? []),
  ]);
}

/** An article's tag rows, numbered in the order the names were typed. */
function tagLinks(
  articleId: number,
  names: readonly string[],
  ids: ReadonlyMap<string, number>,
): Insertable<Database['article_tags']>[] {
  return unique(names.flatMap((name) => ids.get(name) ?? [])).map((tagId, position) => ({
    article_id: articleId,
    tag_id: tagId,
    position,
  }));
}

/** Ids of the named tags, creating the ones that do not exist yet. */
async function tagIdsByName(
  trx: Transaction<Database>,
  names: readonly string[],
): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  for (let start = 0; start < names.length; start += ROWS_PER_INSERT) {
    const chunk = names.slice(start, start + ROWS_PER_INSERT);
    // Another writer may create the same tag meanwhile: its row stands, and is read below.
    await trx
      .insertInto('tags')
      .values(chunk.map((name) => ({ name })))
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
    const rows = await trx
      .selectFrom('tags')
      .select(['id', 'name'])
      .where('name', 'in', chunk)
      .execute();
    for (const r of rows) ids.set(r.name, r.id);
  }
  return ids;
}

/** Replaces the article's bylines with `authorIds`, printed in that order. */
export async function setArticleAuthors(
  trx: Transaction<Database>,
  articleId: number,
  authorIds: readonly number[],
): Promise<void> {
  await trx.deleteFrom('article_authors').where('article_id', '=', articleId).execute();
  await insertBylines(
    trx,
    unique(authorIds).map((authorId, position) => ({
      article_id: articleId,
      author_id: authorId,
      position,
    })),
  );
}

/** Replaces the article's tags with the named ones, creating tags that are new. */
export async function setArticleTags(
  trx: Transaction<Database>,
  articleId: number,
  names: readonly string[],
): Promise<void> {
  await trx.deleteFrom('article_tags').where('article_id', '=', articleId).execute();
  const wanted = tagNames(names);
  if (wanted.length === 0) return;
  const ids = await tagIdsByName(trx, wanted);
  await insertTagLinks(trx, tagLinks(articleId, wanted, ids));
}

/** Replaces the article's photo links: the featured photo first, then the others. */
export async function setArticlePhotos(
  trx: Transaction<Database>,
  articleId: number,
  photos: Pick<ArticleRelations, 'featuredPhotoId' | 'bodyPhotoIds'>,
): Promise<void> {
  await trx.deleteFrom('article_photos').where('article_id', '=', articleId).execute();
  await insertPhotoLinks(
    trx,
    linkedPhotoIds(photos).map((photoId, position) => ({
      article_id: articleId,
      photo_id: photoId,
      position,
    })),
  );
}

/** Replaces all three: what saving or importing an article does. */
export async function setArticleRelations(
  trx: Transaction<Database>,
  articleId: number,
  relations: ArticleRelations,
): Promise<void> {
  await setArticleAuthors(trx, articleId, relations.authorIds);
  await setArticleTags(trx, articleId, relations.tags);
  await setArticlePhotos(trx, articleId, relations);
}

/**
 * The relations of many articles that have none yet (the benchmark generator's batches):
 * the same rows as setArticleRelations, in a few statements for the whole batch.
 */
export async function addRelationsOfNewArticles(
  trx: Transaction<Database>,
  articles: readonly (ArticleRelations & { articleId: number })[],
): Promise<void> {
  const tagIds = await tagIdsByName(trx, tagNames(articles.flatMap((a) => a.tags)));
  await insertBylines(
    trx,
    articles.flatMap((a) =>
      unique(a.authorIds).map((authorId, position) => ({
        article_id: a.articleId,
        author_id: authorId,
        position,
      })),
    ),
  );
  await insertTagLinks(
    trx,
    articles.flatMap((a) => tagLinks(a.articleId, tagNames(a.tags), tagIds)),
  );
  await insertPhotoLinks(
    trx,
    articles.flatMap((a) =>
      linkedPhotoIds(a).map((photoId, position) => ({
        article_id: a.articleId,
        photo_id: photoId,
        position,
      })),
    ),
  );
}

/**
 * The byline with this email, created with `name` when there is none. An existing byline
 * keeps its name: an archive or a new account must not rename a staff member's byline
 * (an import once renamed the admin's). Without an email (an archive's columnist, an
 * outside writer) the byline is the one of that name that has no email either, so a
 * re-import does not add a second one. Pass the caller's transaction when there is one.
 */
export async function ensureAuthor(
  db: Kysely<Database>,
  author: { name: string; email: string | null; title?: string },
  now: number,
): Promise<{ id: number; name: string; created: boolean }> {
  const email = author.email;
  if (email === null) {
    const same = await db
      .selectFrom('authors')
      .select(['id', 'name'])
      .where('email', 'is', null)
      .where('name', '=', author.name)
      .orderBy('id')
      .executeTakeFirst();
    if (same !== undefined) return { ...same, created: false };
    return { ...(await createAuthor(db, { ...author, email: null }, now)), created: true };
  }
  const existing = await db
    .selectFrom('authors')
    .select(['id', 'name'])
    .where('email', '=', email)
    .executeTakeFirst();
  if (existing !== undefined) return { ...existing, created: false };
  // Another writer may add the same email meanwhile: theirs stands, as above.
  const inserted = await db
    .insertInto('authors')
    .values({ name: author.name, email, title: author.title ?? '', created_at: now })
    .onConflict((oc) => oc.column('email').doNothing())
    .returning(['id', 'name'])
    .executeTakeFirst();
  if (inserted !== undefined) return { ...inserted, created: true };
  const raced = await db
    .selectFrom('authors')
    .select(['id', 'name'])
    .where('email', '=', email)
    .executeTakeFirstOrThrow();
  return { ...raced, created: false };
}

/**
 * A new byline without an account (외부 필자, 객원 기자): always a new row, since two
 * outside writers may share a name.
 */
export async function createAuthor(
  db: Kysely<Database>,
  author: { name: string; email: string | null; title?: string },
  now: number,
): Promise<{ id: number; name: string }> {
  return db
    .insertInto('authors')
    .values({
      name: author.name,
      email: author.email,
      title: author.title ?? '',
      created_at: now,
    })
    .returning(['id', 'name'])
    .executeTakeFirstOrThrow();
}

/**
 * Changes a byline's name and email: a staff member's own byline follows their profile.
 * When either changed, every article printing the byline gets a new revision, dated now
 * (articlesRevisedElsewhere). Returns the published ones: the caller announces the byline's tags
 * and theirs (revisedArticleTags) after the commit; none when nothing changed.
 */
export async function updateAuthor(
  trx: Trx,
  authorId: number,
  author: { name: string; email: string },
  now: number,
): Promise<{ changed: boolean; revised: number[] }> {
  const before = await trx
    .selectFrom('authors')
    .select(['name', 'email'])
    .where('id', '=', authorId)
    .executeTakeFirst();
  if (before === undefined || (before.name === author.name && before.email === author.email))
    return { changed: false, revised: [] };
  await trx
    .updateTable('authors')
    .set({ name: author.name, email: author.email })
    .where('id', '=', authorId)
    .execute();
  return {
    changed: true,
    revised: await articlesRevisedElsewhere(trx, await articlesWithByline(trx, authorId), now),
  };
}

/**
 * The bylines and tag names of each article as stored now: whose 기자 페이지 and which
 * tag pages list it, for the cache tags of a change (see articleChangeTags).
 */
export async function listingsOf(
  db: Kysely<Database>,
  articleIds: readonly number[],
): Promise<Map<number, ArticleListings>> {
  const out = new Map<number, { authorIds: number[]; tags: string[] }>();
  if (articleIds.length === 0) return out;
  const ids = [...new Set(articleIds)];
  for (const id of ids) out.set(id, { authorIds: [], tags: [] });
  const [bylines, tags] = await Promise.all([
    db
      .selectFrom('article_authors')
      .select(['article_id', 'author_id'])
      .where('article_id', 'in', ids)
      .execute(),
    db
      .selectFrom('article_tags as at')
      .innerJoin('tags as t', 't.id', 'at.tag_id')
      .select(['at.article_id', 't.name'])
      .where('at.article_id', 'in', ids)
      .execute(),
  ]);
  for (const b of bylines) out.get(Number(b.article_id))?.authorIds.push(Number(b.author_id));
  for (const t of tags) out.get(Number(t.article_id))?.tags.push(t.name);
  return out;
}

/** One article's bylines and tag names as stored now (see listingsOf). */
export async function listingsOfArticle(
  db: Kysely<Database>,
  articleId: number,
): Promise<ArticleListings> {
  return (await listingsOf(db, [articleId])).get(articleId) ?? { authorIds: [], tags: [] };
}
