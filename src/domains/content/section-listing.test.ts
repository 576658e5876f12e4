import { sql, type Insertable } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateTo, migrateToLatest, type ArticleStatus, type Database } from '../../db/index.ts';
import { createTestApp, REFERENCE_NOW, type TestApp } from '../../testing/app.ts';
import { freshDatabase, testDialects } from '../../testing/databases.ts';
import { seedFixture, type Fixture } from '../../testing/fixtures.ts';

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
const PER_PAGE = 7;

/** An article row as plain SQL writes it (an archive loaded before the triggers, a script). */
const articleRow = (
  sectionId: number,
  title: string,
  status: ArticleStatus,
  publishedAt: number | null,
): Insertable<Database['articles']> => ({
  section_id: sectionId,
  title,
  subtitle: '',
  body_html: '',
  summary: '',
  status,
  is_breaking: 0,
  breaking_until: null,
  is_photo_story: 0,
  featured_photo_id: null,
  published_at: publishedAt,
  updated_at: REFERENCE_NOW,
  created_at: REFERENCE_NOW,
  embargo_until: null,
  external_id: null,
  owner_id: null,
  trashed_from: null,
});

/** What a section's pages must show: every readable article of the tree, newest first. */
async function expectedIds(app: TestApp, sectionIds: number[]): Promise<number[]> {
  const now = app.clock.now();
  const rows = await app.database.db
    .selectFrom('articles')
    .select('id')
    .where('section_id', 'in', sectionIds)
    .where('status', '=', 'published')
    .where('published_at', '<=', now)
    .orderBy('published_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
  return rows.map((r) => Number(r.id));
}

/** Every page of a section, joined, as the section pages list them. */
async function listedIds(app: TestApp, slug: string): Promise<{ ids: number[]; total: number }> {
  const first = await app.services.content.sectionPage(slug, 1, PER_PAGE);
  if (first === null) throw new Error(`no section ${slug}`);
  const ids = first.articles.map((a) => a.id);
  for (let page = 2; page <= first.pageCount; page++) {
    const next = await app.services.content.sectionPage(slug, page, PER_PAGE);
    ids.push(...(next?.articles.map((a) => a.id) ?? []));
  }
  // One past the last page is empty.
  const past = await app.services.content.sectionPage(slug, first.pageCount + 1, PER_PAGE);
  expect(past?.articles).toEqual([]);
  expect(first.pageCount).toBe(Math.max(1, Math.ceil(first.total / PER_PAGE)));
  return { ids, total: first.total };
}

/** The trigger-kept counts against a count of the articles themselves. */
async function expectCountsInStep(app: TestApp): Promise<void> {
  const { db } = app.database;
  const week =
    app.database.dialect === 'postgres'
      ? sql`published_at / 604800000`
      : sql`cast(published_at / 604800000 as integer)`;
  const actual = await sql<{ section_id: number; week: number; n: number }>`
    select section_id, ${week} as week, count(*) as n from articles
    where status = 'published' and published_at is not null
    group by section_id, ${week}`.execute(db);
  const kept = await db
    .selectFrom('section_week_counts')
    .select(['section_id', 'week', 'published'])
    .where('published', '<>', 0)
    .execute();
  const key = (s: unknown, w: unknown, n: unknown) => `${Number(s)}/${Number(w)}/${Number(n)}`;
  expect(kept.map((r) => key(r.section_id, r.week, r.published)).sort()).toEqual(
    actual.rows.map((r) => key(r.section_id, r.week, r.n)).sort(),
  );
}

describe.each(testDialects)('section pages over week counts on %s', (dialect) => {
  let app: TestApp;
  let fx: Fixture;
  let tree: number[];

  beforeAll(async () => {
    app = await createTestApp({ dialect });
    fx = await seedFixture(app, { articlesPerSection: 2 });
    tree = [fx.sections.society, fx.sections.jejuCity];
    const { writer } = app.services;
    // 60 articles over about 40 weeks in the section and its child, some at the same
    // instant (the id decides), a few scheduled and a few drafts.
    for (let i = 0; i < 60; i++) {
      await writer.createArticle({
        sectionId: i % 3 === 0 ? fx.sections.jejuCity : fx.sections.society,
        title: `주간 ${i}`,
        status: 'published',
        publishedAt: REFERENCE_NOW - Math.floor(i / 2) * 9 * DAY - HOUR,
      });
    }
    for (let i = 0; i < 3; i++) {
      await writer.createArticle({
        sectionId: fx.sections.society,
        title: `예약 ${i}`,
        status: 'published',
        publishedAt: REFERENCE_NOW + (i + 1) * 2 * DAY,
      });
      await writer.createArticle({ sectionId: fx.sections.jejuCity, title: `초고 ${i}` });
    }
  });
  afterAll(async () => {
    await app?.close();
  });

  it('pages through the whole tree in order, counting only what readers see', async () => {
    const listed = await listedIds(app, 'society');
    const expected = await expectedIds(app, tree);
    expect(listed.total).toBe(expected.length);
    expect(listed.ids).toEqual(expected);
    await expectCountsInStep(app);
  });

  it('stays exact through unpublishing, moving, re-timing, scheduling and deleting', async () => {
    const { db } = app.database;
    const { writer } = app.services;
    const ids = await expectedIds(app, tree);
    await writer.setStatus(ids[3]!, 'unpublished');
    await writer.setStatus(ids[10]!, 'trashed');
    // Moved to another section, and to another week.
    await db
      .updateTable('articles')
      .set({ section_id: fx.sections.politics })
      .where('id', '=', ids[20]!)
      .execute();
    await db
      .updateTable('articles')
      .set({ published_at: REFERENCE_NOW - 400 * DAY })
      .where('id', '=', ids[25]!)
      .execute();
    // Put off to next week: out of the pages until then.
    await writer.setStatus(ids[0]!, 'published', REFERENCE_NOW + 8 * DAY);
    await db.deleteFrom('articles').where('id', '=', ids[30]!).execute();
    // Back out again.
    await writer.setStatus(ids[3]!, 'published');

    const listed = await listedIds(app, 'society');
    const expected = await expectedIds(app, tree);
    expect(listed.ids).toEqual(expected);
    expect(listed.total).toBe(expected.length);
    expect(expected).not.toContain(ids[0]);
    expect(expected).toContain(ids[3]);
    await expectCountsInStep(app);

    // The scheduled article comes out at its time, with no job run.
    app.clock.set(REFERENCE_NOW + 9 * DAY);
    const later = await listedIds(app, 'society');
    expect(later.ids).toEqual(await expectedIds(app, tree));
    expect(later.ids).toContain(ids[0]);
  });

  it('leaves an article under embargo out of its page, and the other pages as they were', async () => {
    const { db } = app.database;
    const before = await listedIds(app, 'society');
    // Under embargo after its publish time: the desk never does this, a plain statement can.
    const held = before.ids[PER_PAGE + 2]!;
    await db
      .updateTable('articles')
      .set({ embargo_until: app.clock.now() + DAY })
      .where('id', '=', held)
      .execute();
    const page = async (n: number) =>
      (await app.services.content.sectionPage('society', n, PER_PAGE))?.articles.map((a) => a.id);
    expect(await page(1)).toEqual(before.ids.slice(0, PER_PAGE));
    expect(await page(2)).toEqual(
      before.ids.slice(PER_PAGE, 2 * PER_PAGE).filter((id) => id !== held),
    );
    expect(await page(3)).toEqual(before.ids.slice(2 * PER_PAGE, 3 * PER_PAGE));
    await db.updateTable('articles').set({ embargo_until: null }).where('id', '=', held).execute();
    expect(await page(2)).toEqual(before.ids.slice(PER_PAGE, 2 * PER_PAGE));
  });

  it('goes past page 1,000 (it stopped there when pages counted and skipped)', async () => {
    app.clock.set(REFERENCE_NOW);
    const { db } = app.database;
    await db
      .insertInto('articles')
      .values(
        Array.from({ length: 1_100 }, (_, i) =>
          articleRow(
            fx.sections.incidents,
            `깊은 ${i}`,
            'published',
            REFERENCE_NOW - DAY - i * HOUR,
          ),
        ),
      )
      .execute();
    const expected = await expectedIds(app, [fx.sections.incidents]);
    const page = await app.services.content.sectionPage('incidents', 1_050, 1);
    expect(page?.pageCount).toBe(expected.length);
    expect(page?.articles.map((a) => a.id)).toEqual([expected[1_049]]);
    const last = await app.services.content.sectionPage('incidents', expected.length, 1);
    expect(last?.articles.map((a) => a.id)).toEqual([expected.at(-1)]);
    await expectCountsInStep(app);
  });
});

describe.each(testDialects)('migration 0018 on an existing archive on %s', (dialect) => {
  it('counts the articles already there', async () => {
    const handle = await freshDatabase(dialect);
    try {
      await migrateTo(handle, '0016_shared_reader_day');
      const { db } = handle;
      const section = await db
        .insertInto('sections')
        .values({
          slug: 'news',
          name: '뉴스',
          parent_id: null,
          position: 0,
          hidden: 0,
          layout: 'list',
          created_at: REFERENCE_NOW,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const rows = Array.from({ length: 50 }, (_, i) =>
        i % 5 === 0
          ? articleRow(section.id, `기사 ${i}`, 'draft', null)
          : articleRow(section.id, `기사 ${i}`, 'published', REFERENCE_NOW - i * 3 * DAY),
      );
      await db.insertInto('articles').values(rows).execute();
      await migrateToLatest(handle);
      const counts = await db
        .selectFrom('section_week_counts')
        .select(['week', 'published'])
        .orderBy('week')
        .execute();
      const expected = new Map<number, number>();
      for (const r of rows)
        if (typeof r.published_at === 'number') {
          const week = Math.floor(r.published_at / (7 * DAY));
          expected.set(week, (expected.get(week) ?? 0) + 1);
        }
      expect(counts.map((c) => [Number(c.week), Number(c.published)])).toEqual(
        [...expected.entries()].sort((a, b) => a[0] - b[0]),
      );
      // And from then on the triggers keep them.
      await db.deleteFrom('articles').where('status', '=', 'published').execute();
      const left = await db
        .selectFrom('section_week_counts')
        .select((eb) => eb.fn.sum<number | string>('published').as('n'))
        .executeTakeFirst();
      expect(Number(left?.n)).toBe(0);
    } finally {
      await handle.close();
    }
  });
});
