import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, REFERENCE_NOW, type TestApp } from '../../testing/app.ts';
import { testDialects } from '../../testing/databases.ts';
import { seedFixture, type Fixture } from '../../testing/fixtures.ts';

const HOUR = 60 * 60 * 1000;

// The same storage suite runs on every supported database, the way Kysely tests itself.
describe.each(testDialects)('content storage on %s', (dialect) => {
  let app: TestApp;
  let fx: Fixture;

  beforeAll(async () => {
    app = await createTestApp({ dialect });
    fx = await seedFixture(app, { articlesPerSection: 4 });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('migrates idempotently', async () => {
    const { migrateToLatest } = await import('../../db/index.ts');
    expect(await migrateToLatest(app.database)).toEqual([]);
  });

  it('lists a section newest first, with sub-section articles, and counts', async () => {
    const page = await app.services.content.sectionPage('society', 1, 5);
    expect(page?.total).toBe(8);
    expect(page?.pageCount).toBe(2);
    expect(page?.articles.map((a) => a.title)).toEqual([
      '제주시 기사 4',
      '제주시 기사 3',
      '제주시 기사 2',
      '제주시 기사 1',
      '사회 기사 4',
    ]);
    const second = await app.services.content.sectionPage('society', 2, 5);
    expect(second?.articles.map((a) => a.title)).toEqual([
      '사회 기사 3',
      '사회 기사 2',
      '사회 기사 1',
    ]);
    expect(page?.children.map((c) => c.slug)).toEqual(['jeju-city']);
  });

  it('orders by publish time with the id as tie-breaker', async () => {
    const { writer, content } = app.services;
    const at = REFERENCE_NOW - HOUR / 2;
    const a = await writer.createArticle({
      sectionId: fx.sections.politics,
      title: '동시 A',
      status: 'published',
      publishedAt: at,
    });
    const b = await writer.createArticle({
      sectionId: fx.sections.politics,
      title: '동시 B',
      status: 'published',
      publishedAt: at,
    });
    const box = await content.latestInSection('politics', 2);
    expect(box?.articles.map((x) => x.id)).toEqual([b, a]);
  });

  it('loads an article with bylines, tags, photos and the section path', async () => {
    const id = fx.published[5] as number; // 사회 or 제주시
    const article = await app.services.content.article(id);
    expect(article).not.toBeNull();
    expect(article?.bylines).toEqual([
      { id: fx.authorId, name: '김탐나', email: 'kim@tamnailbo.example', title: '' },
    ]);
    expect(article?.tags.length).toBe(2);
    expect(article?.photos[0]?.sources.map((s) => s.width)).toEqual([480, 960]);
    expect(article?.photos[0]?.src).toBe('/media/fixture/photo.jpg');
    expect(article?.subtitleLines.length).toBe(2);
    expect(article?.sectionPath.map((s) => s.slug)).toEqual(['society']);
    const child = await app.services.content.article(fx.published[9] as number);
    expect(child?.sectionPath.map((s) => s.slug)).toEqual(['society', 'jeju-city']);
  });

  it('keeps drafts, unpublished and future articles from readers', async () => {
    const { writer, content } = app.services;
    const future = await writer.createArticle({
      sectionId: fx.sections.politics,
      title: '미래 기사',
      status: 'published',
      publishedAt: REFERENCE_NOW + HOUR,
    });
    const draft = await writer.createArticle({
      sectionId: fx.sections.politics,
      title: '초고',
      status: 'draft',
    });
    expect(await content.article(future)).toBeNull();
    expect(await content.article(draft)).toBeNull();
    expect(await content.nextScheduledPublication()).toBe(REFERENCE_NOW + HOUR);
    const front = await content.frontPage();
    const ids = [
      front.headline,
      ...front.topStories,
      ...front.sectionBoxes.flatMap((b) => b.articles),
    ].map((a) => a?.id);
    expect(ids).not.toContain(future);
    expect(ids).not.toContain(draft);
    await writer.setStatus(future, 'unpublished');
    expect(await content.nextScheduledPublication()).toBeNull();
  });

  it('fills the front page: headline with a photo, top stories, boxes without repeats, photo stories', async () => {
    const front = await app.services.content.frontPage({ topStories: 3, perSection: 2 });
    expect(front.headline?.photo).not.toBeNull();
    expect(front.topStories.length).toBe(3);
    expect(front.photoStories.every((a) => a.isPhotoStory)).toBe(true);
    expect(front.photoStories.length).toBe(4);
    const top = new Set([front.headline?.id, ...front.topStories.map((a) => a.id)]);
    for (const box of front.sectionBoxes)
      for (const a of box.articles) expect(top.has(a.id)).toBe(false);
    expect(front.sectionBoxes.map((b) => b.section.slug)).not.toContain('photo');
    expect(front.sectionBoxes.map((b) => b.section.slug)).not.toContain('archive');
  });

  it('rolls back an article whose insert fails half-way', async () => {
    const before = await app.database.db
      .selectFrom('articles')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirst();
    await expect(
      app.services.writer.createArticle({
        sectionId: fx.sections.politics,
        title: '실패',
        status: 'published',
        authorIds: [987654],
      }),
    ).rejects.toThrow();
    const after = await app.database.db
      .selectFrom('articles')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirst();
    expect(Number(after?.n)).toBe(Number(before?.n));
  });

  it('rejects invalid input with a clear Korean message', async () => {
    await expect(
      app.services.writer.createArticle({ sectionId: fx.sections.politics, title: '   ' }),
    ).rejects.toThrow('제목을 입력하세요.');
    await expect(
      app.services.writer.createSection({ slug: 'Bad Slug', name: '잘못' }),
    ).rejects.toThrow(/섹션 주소/);
    await expect(
      app.services.writer.createArticle({ sectionId: 999999, title: '섹션 없음' }),
    ).rejects.toThrow(/섹션/);
  });

  it('uses an index for every reader listing', async () => {
    const db = app.database.db;
    const plans: string[] = [];
    const listing = db
      .selectFrom('articles')
      .select('id')
      .where('section_id', '=', fx.sections.politics)
      .where('status', '=', 'published')
      .where('published_at', '<=', REFERENCE_NOW)
      .orderBy('published_at', 'desc')
      .orderBy('id', 'desc')
      .limit(5)
      .compile();
    if (dialect === 'sqlite') {
      const plan = await db.executeQuery<{ detail: string }>({
        ...listing,
        sql: `explain query plan ${listing.sql}`,
      });
      plans.push(...plan.rows.map((r) => r.detail));
      expect(plans.join('\n')).toMatch(/USING (COVERING )?INDEX articles_section_published_idx/);
      expect(plans.join('\n')).not.toMatch(/USE TEMP B-TREE FOR ORDER BY/);
    } else {
      await sql`set enable_seqscan = off`.execute(db);
      const plan = await db.executeQuery<{ 'QUERY PLAN': string }>({
        ...listing,
        sql: `explain ${listing.sql}`,
      });
      await sql`set enable_seqscan = on`.execute(db);
      expect(plan.rows.map((r) => r['QUERY PLAN']).join('\n')).toMatch(
        /articles_section_published_idx/,
      );
    }
  });
});
