import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tag } from '../../shared/cache-tags.ts';
import { createTestApp, type TestApp } from '../../testing/app.ts';
import { testDialects } from '../../testing/databases.ts';
import { seedFixture, type Fixture } from '../../testing/fixtures.ts';

const HOUR = 60 * 60 * 1000;

/**
 * The queries behind the 기자, tag and series pages (issue 16): only what readers may see
 * (published, its time come, in a visible section), in order, counted for page numbers;
 * and the cache tags a change announces, so those pages are dropped when it shows there.
 */
describe.each(testDialects)('reader pages storage on %s', (dialect) => {
  let app: TestApp;
  let fx: Fixture;
  let other: number;
  const heard: string[][] = [];

  beforeAll(async () => {
    app = await createTestApp({ dialect });
    fx = await seedFixture(app);
    app.bus.subscribe((tags) => void heard.push([...tags]));
    const { writer } = app.services;
    const now = app.clock.now();
    other = await writer.createAuthor({ name: '문하람', email: 'moon@tamnailbo.example' });
    // What readers must never see listed: a draft, a piece scheduled for later.
    await writer.createArticle({
      sectionId: fx.sections.politics,
      title: '작성 중인 기사',
      authorIds: [fx.authorId],
      tags: ['제주', '초안'],
    });
    await writer.createArticle({
      sectionId: fx.sections.politics,
      title: '예약된 기사',
      status: 'published',
      publishedAt: now + 2 * HOUR,
      authorIds: [fx.authorId],
      tags: ['제주'],
    });
    await writer.createArticle({
      sectionId: fx.sections.society,
      title: '공동 취재 기사',
      status: 'published',
      publishedAt: now - 30 * 60_000,
      authorIds: [other, fx.authorId],
      tags: ['제주', '100% 확인'],
    });
  });
  afterAll(async () => {
    await app?.close();
  });

  /** Tags announced while `run` ran. */
  async function announced(run: () => Promise<unknown>): Promise<string[]> {
    heard.length = 0;
    await run();
    return heard.flat();
  }

  it('lists a byline’s published articles newest first, with bylines and page counts', async () => {
    const { content } = app.services;
    const first = await content.reporterPage(fx.authorId, 1, 4);
    // 15 fixture articles and the joint one; not the draft, the scheduled or the hidden one.
    expect(first?.total).toBe(16);
    expect(first?.pageCount).toBe(4);
    expect(first?.author).toMatchObject({
      id: fx.authorId,
      name: '김탐나',
      email: 'kim@tamnailbo.example',
      hasAccount: false,
    });
    expect(first?.articles.map((a) => a.title)).toEqual([
      '공동 취재 기사',
      '포토 기사 3',
      '포토 기사 2',
      '포토 기사 1',
    ]);
    expect(first?.articles[0]?.bylines?.map((b) => b.name)).toEqual(['문하람', '김탐나']);
    const last = await content.reporterPage(fx.authorId, 4, 4);
    expect(last?.articles.map((a) => a.title)).toEqual([
      '사회 기사 1',
      '정치 기사 3',
      '정치 기사 2',
      '정치 기사 1',
    ]);
    const titles = (await content.reporterPage(fx.authorId, 1, 100))?.articles.map((a) => a.title);
    expect(titles).not.toContain('작성 중인 기사');
    expect(titles).not.toContain('예약된 기사');
    expect(titles).not.toContain('숨긴 섹션 기사');
    expect((await content.reporterPage(other, 1, 10))?.total).toBe(1);
  });

  it('has no page for an unknown byline, nor for one without published work or account', async () => {
    const { content, writer, accounts } = app.services;
    expect(await content.reporterPage(999_999, 1, 10)).toBeNull();
    const nobody = await writer.createOutsideAuthor({ name: '초안만 쓴 필자' });
    expect(await content.reporterPage(nobody, 1, 10)).toBeNull();
    // A reporter who has just joined has a page before their first article.
    const { user } = await accounts.createUser({
      email: 'new.reporter@tamnailbo.example',
      name: '신입 기자',
      role: 'reporter',
      password: '제주바다-2025-desk!',
    });
    const page = await content.reporterPage(user.authorId ?? 0, 1, 10);
    expect(page?.total).toBe(0);
    expect(page?.author.hasAccount).toBe(true);
    await accounts.disableUser(user.id);
    expect(await content.reporterPage(user.authorId ?? 0, 1, 10)).toBeNull();
  });

  it('lists a tag’s published articles by its exact name', async () => {
    const { content } = app.services;
    const jeju = await content.tagPage('제주', 1, 10);
    expect(jeju?.total).toBe(16);
    expect(jeju?.pageCount).toBe(2);
    expect(jeju?.articles[0]?.title).toBe('공동 취재 기사');
    expect((await content.tagPage('사회', 1, 10))?.articles.map((a) => a.title)).toEqual([
      '사회 기사 3',
      '사회 기사 2',
      '사회 기사 1',
    ]);
    expect((await content.tagPage('100% 확인', 1, 10))?.total).toBe(1);
    // No pattern matching: % and _ are only characters.
    expect(await content.tagPage('%', 1, 10)).toBeNull();
    expect(await content.tagPage('제_', 1, 10)).toBeNull();
    // A tag only a draft carries has no page yet.
    expect(await content.tagPage('초안', 1, 10)).toBeNull();
    expect(await content.tagPage('없는 태그', 1, 10)).toBeNull();
    // Typed decomposed (macOS), the composed tag is found; stored decomposed, its own link works.
    expect((await content.tagPage('사회'.normalize('NFD'), 1, 10))?.tag.name).toBe('사회');
    const nfd = '돌담'.normalize('NFD');
    await app.services.writer.createArticle({
      sectionId: fx.sections.politics,
      title: '맥에서 단 태그',
      status: 'published',
      publishedAt: app.clock.now() - HOUR,
      tags: [nfd],
    });
    expect((await content.tagPage(nfd, 1, 10))?.articles.map((a) => a.title)).toEqual([
      '맥에서 단 태그',
    ]);
  });

  it('keeps a series in reading order and numbers only the parts readers can open', async () => {
    const { series, content, writer } = app.services;
    const [a, b, c] = fx.published;
    const draft = await writer.createArticle({
      sectionId: fx.sections.politics,
      title: '연재 넷째 (작성 중)',
    });
    const id = await series.create(
      { title: '  제주 물 이야기 ', description: '첫 줄\n\n\n\n둘째 줄' },
      null,
    );
    const tags = await announced(() =>
      series.setParts(id, [c as number, draft, a as number, b as number, c as number]),
    );
    expect(tags).toEqual(
      expect.arrayContaining([tag.series(id), tag.article(c as number), tag.article(draft)]),
    );
    const desk = await series.get(id);
    expect(desk?.series).toMatchObject({
      title: '제주 물 이야기',
      description: '첫 줄\n\n둘째 줄',
      partCount: 4,
    });
    expect(desk?.parts.map((p) => p.articleId)).toEqual([c, draft, a, b]);

    const page = await content.seriesPage(id);
    expect(page?.parts.map((p) => p.id)).toEqual([c, a, b]);
    expect(page?.memberIds).toEqual([c, draft, a, b]);
    expect(page?.parts[0]?.bylines?.[0]?.name).toBe('김탐나');

    const part = await content.articleSeries(a as number);
    expect(part).toMatchObject({ series: { id, title: '제주 물 이야기' }, number: 2 });
    expect(part?.parts.map((p) => p.id)).toEqual([c, a, b]);
    expect(await content.articleSeries(draft)).toBeNull();
    expect(await content.articleSeries(fx.published[5] as number)).toBeNull();

    // One series per article.
    const second = await series.create({ title: '다른 연재', description: '' }, null);
    await expect(series.setParts(second, [a as number])).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('제주 물 이야기'),
    });
    await expect(series.setParts(second, [999_999])).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    await writer.setStatus(fx.published[6] as number, 'trashed');
    await expect(series.setParts(second, [fx.published[6] as number])).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    await expect(series.create({ title: '   ', description: '' }, null)).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    await expect(
      series.create({ title: '가'.repeat(121), description: '' }, null),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });

    // A series with nothing out has no page; ending one frees its articles.
    expect(await content.seriesPage(second)).toBeNull();
    await series.remove(id);
    expect(await content.seriesPage(id)).toBeNull();
    expect(await content.articleSeries(a as number)).toBeNull();
    await series.setParts(second, [a as number]);
    expect((await content.seriesPage(second))?.parts.map((p) => p.id)).toEqual([a]);
  });

  it('stores a profile cleaned and checked, and announces the byline’s pages', async () => {
    const { writer, content, accounts } = app.services;
    const tags = await announced(() =>
      writer.updateAuthorProfile(fx.authorId, {
        beat: '  사회부\t· 교육\u0000 담당 ',
        intro: '첫 줄  \r\n\r\n\r\n둘째 줄\u0007',
      }),
    );
    expect(tags).toEqual([tag.author(fx.authorId)]);
    expect(await content.authorProfile(fx.authorId)).toMatchObject({
      beat: '사회부 · 교육 담당',
      intro: '첫 줄\n\n둘째 줄',
      photo: null,
    });
    await expect(
      writer.updateAuthorProfile(fx.authorId, { beat: '', intro: '가'.repeat(1001) }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('1000자') });
    await expect(
      writer.updateAuthorProfile(fx.authorId, { beat: '', intro: '', photoId: 999_999 }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });

    // An outside writer's name is the desk's to change; pages printing it are dropped.
    const renamed = await announced(() =>
      writer.updateAuthorProfile(fx.authorId, {
        beat: '',
        intro: '',
        photoId: fx.photoId,
        identity: { name: '김탐나', title: '칼럼니스트', email: '' },
      }),
    );
    // With the pages and feeds of its published articles, now dated by the change.
    expect(renamed.slice(0, 3)).toEqual([
      tag.author(fx.authorId),
      tag.byline(fx.authorId),
      tag.front,
    ]);
    const out = await app.database.db
      .selectFrom('article_authors as aa')
      .innerJoin('articles as a', 'a.id', 'aa.article_id')
      .select('a.id')
      .where('aa.author_id', '=', fx.authorId)
      .where('a.status', '=', 'published')
      .execute();
    expect(out.length).toBeGreaterThan(5);
    expect(renamed.slice(3).sort()).toEqual(out.map((r) => tag.article(Number(r.id))).sort());
    expect(await content.authorProfile(fx.authorId)).toMatchObject({
      title: '칼럼니스트',
      email: null,
      photo: { id: fx.photoId },
    });
    await expect(
      writer.updateAuthorProfile(fx.authorId, {
        beat: '',
        intro: '',
        identity: { name: '김탐나', title: '', email: 'moon@tamnailbo.example' },
      }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });

    // A staff byline follows its account.
    const { user } = await accounts.createUser({
      email: 'staff.profile@tamnailbo.example',
      name: '고태민',
      role: 'reporter',
      password: '제주바다-2025-desk!',
    });
    await expect(
      writer.updateAuthorProfile(user.authorId ?? 0, {
        beat: '',
        intro: '',
        identity: { name: '다른 이름', title: '', email: '' },
      }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('announces the pages of an article’s bylines and tags, old and new, when it changes', async () => {
    const { writer, desk } = app.services;
    const id = fx.published[2] as number;
    const statusTags = await announced(() => writer.setStatus(id, 'published'));
    expect(statusTags).toEqual(
      expect.arrayContaining([
        tag.article(id),
        tag.author(fx.authorId),
        tag.topic('제주'),
        tag.topic('정치'),
      ]),
    );

    const now = app.clock.now();
    const editor = await app.database.db
      .insertInto('users')
      .values({
        email: 'listing.desk@tamnailbo.example',
        name: '오데스크',
        role: 'desk',
        password_hash: 'not-used-here',
        must_change_password: 0,
        totp_enabled: 0,
        disabled: 0,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const actor = { id: editor.id, role: 'desk' as const, name: '오데스크' };
    const saveTags = await announced(() =>
      desk.save(actor, id, {
        sectionId: fx.sections.politics,
        title: '정치 기사 3 (고침)',
        tags: ['새 태그'],
        authorIds: [other],
      }),
    );
    expect(saveTags).toEqual(
      expect.arrayContaining([
        tag.author(fx.authorId),
        tag.author(other),
        tag.topic('제주'),
        tag.topic('새 태그'),
      ]),
    );
  });

  it('spells tag names as short keys without commas, the same for the same name', () => {
    expect(tag.topic('제주, 서귀포')).toMatch(/^topic:[0-9a-z]+$/);
    expect(tag.topic('한글'.normalize('NFD'))).toBe(tag.topic('한글'));
    expect(tag.topic('감귤')).not.toBe(tag.topic('귤감'));
  });

  it('adds the demo’s readings to the stored hours and to 많이 본 뉴스', async () => {
    const { readers } = app.services;
    const [first, second] = fx.published.slice(-2) as [number, number];
    const now = app.clock.now();
    await readers.addReadings([
      { articleId: first, at: now - HOUR, views: 5 },
      { articleId: second, at: now - 2 * HOUR, views: 40 },
      { articleId: second, at: now - 2 * HOUR + 60_000, views: 2 },
      { articleId: 999_999, at: now, views: 100 },
    ]);
    const board = await readers.mostReadBoard();
    expect(board.day.slice(0, 2)).toEqual([
      { articleId: second, views: 42 },
      { articleId: first, views: 5 },
    ]);
    await expect(
      readers.addReadings([{ articleId: first, at: now, views: 0 }]),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('fills the front page’s 포토뉴스 with pictured articles not shown above', async () => {
    for (let i = 0; i < 6; i++)
      await app.services.writer.createArticle({
        sectionId: fx.sections.politics,
        title: `지난주 사진 기사 ${i + 1}`,
        status: 'published',
        publishedAt: app.clock.now() - (200 + i) * HOUR,
        photoIds: [fx.photoId],
      });
    const front = await app.services.content.frontPage();
    const shown = new Set([
      front.headline?.id,
      ...front.topStories.map((a) => a.id),
      ...front.sectionBoxes.flatMap((b) => b.articles.map((a) => a.id)),
    ]);
    expect(front.photoNews.length).toBeGreaterThan(0);
    for (const a of front.photoNews) {
      expect(shown.has(a.id)).toBe(false);
      expect(a.photo).not.toBeNull();
      expect(a.isPhotoStory).toBe(false);
    }
  });
});
