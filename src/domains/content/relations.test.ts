import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrateToLatest, type DatabaseHandle } from '../../db/index.ts';
import { freshDatabase, testDialects } from '../../testing/databases.ts';
import {
  addRelationsOfNewArticles,
  ensureAuthor,
  setArticleAuthors,
  setArticlePhotos,
  setArticleRelations,
  setArticleTags,
} from './index.ts';

const NOW = Date.UTC(2025, 11, 9, 5, 0);

describe.each(testDialects)('article relations on %s', (dialect) => {
  let handle: DatabaseHandle;
  let articleIds: number[];
  let authors: number[];
  let photos: number[];

  beforeEach(async () => {
    handle = await freshDatabase(dialect);
    await migrateToLatest(handle);
    const { db } = handle;
    const section = await db
      .insertInto('sections')
      .values({
        slug: 'society',
        name: '사회',
        parent_id: null,
        position: 0,
        hidden: 0,
        layout: 'list',
        created_at: NOW,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    articleIds = [];
    for (const title of ['첫 기사', '둘째 기사', '셋째 기사']) {
      const row = await db
        .insertInto('articles')
        .values({
          section_id: section.id,
          title,
          subtitle: '',
          body_html: '',
          summary: '',
          status: 'draft',
          is_breaking: 0,
          is_photo_story: 0,
          featured_photo_id: null,
          published_at: null,
          updated_at: NOW,
          created_at: NOW,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      articleIds.push(row.id);
    }
    authors = [];
    for (const [name, email] of [
      ['김탐나', 'kim@tamna.example'],
      ['이한라', 'lee@tamna.example'],
      ['박오름', 'park@tamna.example'],
    ] as const)
      authors.push((await ensureAuthor(db, { name, email }, NOW)).id);
    photos = [];
    for (const n of [1, 2, 3]) {
      const row = await db
        .insertInto('photos')
        .values({
          storage_key: `test/${n}.jpg`,
          width: 1200,
          height: 675,
          mime: 'image/jpeg',
          caption: '',
          credit: '',
          alt: '',
          variants: '',
          created_at: NOW,
          uploaded_by: null,
          source: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      photos.push(row.id);
    }
  });
  afterEach(async () => {
    await handle.close();
  });

  const bylines = (articleId: number) =>
    handle.db
      .selectFrom('article_authors')
      .select(['author_id', 'position'])
      .where('article_id', '=', articleId)
      .orderBy('position')
      .execute();
  const tagNames = async (articleId: number) =>
    (
      await handle.db
        .selectFrom('article_tags as at')
        .innerJoin('tags as t', 't.id', 'at.tag_id')
        .select('t.name')
        .where('at.article_id', '=', articleId)
        .orderBy('t.name')
        .execute()
    ).map((r) => r.name);
  const photoLinks = (articleId: number) =>
    handle.db
      .selectFrom('article_photos')
      .select(['photo_id', 'position'])
      .where('article_id', '=', articleId)
      .orderBy('position')
      .execute();

  it('keeps bylines in the order given, each once, and replaces them on the next save', async () => {
    const [kim, lee, park] = authors as [number, number, number];
    const id = articleIds[0] as number;
    await handle.db.transaction().execute(async (trx) => {
      await setArticleAuthors(trx, id, [park, kim, park, lee]);
    });
    expect(await bylines(id)).toEqual([
      { author_id: park, position: 0 },
      { author_id: kim, position: 1 },
      { author_id: lee, position: 2 },
    ]);
    await handle.db.transaction().execute(async (trx) => {
      await setArticleAuthors(trx, id, [lee]);
    });
    expect(await bylines(id)).toEqual([{ author_id: lee, position: 0 }]);
  });

  it('links each tag once, creates a tag row once, and drops blanks', async () => {
    const [first, second] = articleIds as [number, number];
    await handle.db.transaction().execute(async (trx) => {
      await setArticleTags(trx, first, ['제주', ' 제주 ', '', '  ', '감귤', '제주']);
      await setArticleTags(trx, second, ['감귤', '해녀']);
    });
    expect(await tagNames(first)).toEqual(['감귤', '제주']);
    expect(await tagNames(second)).toEqual(['감귤', '해녀']);
    const rows = await handle.db.selectFrom('tags').select('name').orderBy('name').execute();
    expect(rows.map((r) => r.name)).toEqual(['감귤', '제주', '해녀']);
    await handle.db.transaction().execute(async (trx) => {
      await setArticleTags(trx, first, []);
    });
    expect(await tagNames(first)).toEqual([]);
  });

  it('links the featured photo first, then the others, each once', async () => {
    const [p1, p2, p3] = photos as [number, number, number];
    const id = articleIds[0] as number;
    await handle.db.transaction().execute(async (trx) => {
      await setArticlePhotos(trx, id, { featuredPhotoId: p2, bodyPhotoIds: [p1, p2, p3, p1] });
    });
    expect(await photoLinks(id)).toEqual([
      { photo_id: p2, position: 0 },
      { photo_id: p1, position: 1 },
      { photo_id: p3, position: 2 },
    ]);
    await handle.db.transaction().execute(async (trx) => {
      await setArticlePhotos(trx, id, { featuredPhotoId: null });
    });
    expect(await photoLinks(id)).toEqual([]);
  });

  it('stores the same rows in bulk as one article at a time', async () => {
    const [kim, lee] = authors as [number, number];
    const [p1, p2] = photos as [number, number];
    const [one, bulkA, bulkB] = articleIds as [number, number, number];
    const relations = { authorIds: [lee, kim, lee], tags: ['제주', '제주', '교통'] };
    await handle.db.transaction().execute(async (trx) => {
      await setArticleRelations(trx, one, { ...relations, featuredPhotoId: p1 });
      await addRelationsOfNewArticles(trx, [
        { articleId: bulkA, ...relations, featuredPhotoId: p1 },
        { articleId: bulkB, authorIds: [kim], tags: ['교통', '항공'], featuredPhotoId: p2 },
      ]);
    });
    expect(await bylines(bulkA)).toEqual(await bylines(one));
    expect(await tagNames(bulkA)).toEqual(await tagNames(one));
    expect((await photoLinks(bulkA)).map((l) => l.photo_id)).toEqual([p1]);
    expect(await tagNames(bulkB)).toEqual(['교통', '항공']);
    expect(await bylines(bulkB)).toEqual([{ author_id: kim, position: 0 }]);
  });

  it('finds a byline by email and never renames it', async () => {
    const again = await ensureAuthor(
      handle.db,
      { name: '다른 이름', email: 'kim@tamna.example' },
      NOW,
    );
    expect(again).toEqual({ id: authors[0], name: '김탐나', created: false });
    const added = await ensureAuthor(handle.db, { name: '고새별', email: 'ko@tamna.example' }, NOW);
    expect(added.created).toBe(true);
    expect(added.name).toBe('고새별');
  });
});
