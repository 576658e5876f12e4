import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StaffRole } from '../../db/index.ts';
import { createTestApp, REFERENCE_NOW, type TestApp } from '../../testing/app.ts';
import { testDialects } from '../../testing/databases.ts';
import { seedFixture, type Fixture } from '../../testing/fixtures.ts';
import { createDesk, type Actor } from './desk.ts';

const HOUR = 60 * 60 * 1000;

async function addStaff(app: TestApp, role: StaffRole, name: string): Promise<Actor> {
  const now = app.clock.now();
  const row = await app.database.db
    .insertInto('users')
    .values({
      email: `${role}-${name}@tamnailbo.example`,
      name,
      role,
      password_hash: 'not-used-here',
      must_change_password: 0,
      totp_enabled: 0,
      disabled: 0,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, role, name };
}

describe.each(testDialects)('desk workflow on %s', (dialect) => {
  let app: TestApp;
  let fx: Fixture;
  let reporter: Actor;
  let otherReporter: Actor;
  let editor: Actor;
  let contributor: Actor;

  beforeEach(async () => {
    app = await createTestApp({ dialect });
    fx = await seedFixture(app, { articlesPerSection: 1 });
    reporter = await addStaff(app, 'reporter', '강기자');
    otherReporter = await addStaff(app, 'reporter', '문기자');
    editor = await addStaff(app, 'desk', '오데스크');
    contributor = await addStaff(app, 'contributor', '한필자');
  });
  afterEach(async () => {
    await app.close();
  });

  const draft = (overrides: Record<string, unknown> = {}) => ({
    sectionId: fx.sections.politics,
    title: '도의회 예산 심사 착수',
    subtitle: '첫 줄\n둘째 줄',
    bodyHtml: '<p>본문 <script>alert(1)</script><img src=x onerror=alert(1)></p>',
    tags: ['예산', '도의회'],
    authorIds: [fx.authorId],
    ...overrides,
  });

  // An autosave of '<b>' × 100,000 by a contributor held the sanitizer (and every public
  // page) for 4.1 s before it was stored.
  it('refuses a body of deeply nested tags at once, marking the body field', async () => {
    const id = await app.services.desk.create(contributor, draft({ authorIds: [] }));
    await expect(
      app.services.desk.save(
        contributor,
        id,
        draft({ authorIds: [], bodyHtml: '<b>'.repeat(100_000) }),
        {
          autosave: true,
        },
      ),
    ).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      details: { fields: { bodyHtml: expect.stringContaining('너무 깊게') } },
    });
  });

  // Issue 15: an article with a photo in its body reached the front page without a
  // thumbnail or og:image, because only a typed-in number made a photo featured.
  it('links body photos in reading order and makes the first one featured unless one is chosen', async () => {
    const { desk, photos } = app.services;
    const more = await photos.registerPhotos(
      [2, 3].map((n) => ({
        storageKey: `fixture/body-${n}.jpg`,
        width: 800,
        height: 600,
        mime: 'image/jpeg',
        variants: [],
        caption: '',
        credit: '',
        alt: '',
      })),
    );
    const [second, third] = more as [number, number];
    const figure = (id: number) =>
      `<figure class="photo" data-photo-id="${id}"><img src="/media/x.jpg" alt=""></figure>`;
    const body =
      `<p>앞</p>${figure(third)}<p>중간</p>${figure(second)}${figure(third)}` +
      '<figure class="photo" data-photo-id="999999"><img src="/media/gone.jpg" alt=""></figure>' +
      '<figure class="photo" data-photo-id="1 OR 1=1"><img src="/media/y.jpg" alt=""></figure>';
    const id = await desk.create(reporter, draft({ bodyHtml: body }));
    const linked = async () =>
      (
        await app.database.db
          .selectFrom('article_photos')
          .select('photo_id')
          .where('article_id', '=', id)
          .orderBy('position')
          .execute()
      ).map((r) => r.photo_id);
    expect((await desk.get(reporter, id)).featuredPhotoId).toBe(third);
    expect(await linked()).toEqual([third, second]);
    expect((await desk.get(reporter, id)).bodyHtml).not.toContain('1 OR 1=1');

    await desk.save(reporter, id, draft({ bodyHtml: body, featuredPhotoId: second }));
    expect((await desk.get(reporter, id)).featuredPhotoId).toBe(second);
    expect(await linked()).toEqual([second, third]);

    // Readers see the library's caption under a body photo, edited wherever.
    await photos.updatePhotoText(second, { caption: '사진함에서 고친 설명', credit: '탐나일보' });
    await desk.publish(editor, id);
    const published = await app.services.content.article(id);
    expect(published?.bodyHtml).toContain(
      '<figcaption>사진함에서 고친 설명 <span class="credit">탐나일보</span></figcaption>',
    );
    await desk.save(editor, id, draft({ bodyHtml: '<p>사진 없음</p>' }));
    expect((await desk.get(editor, id)).featuredPhotoId).toBeNull();
    expect(await linked()).toEqual([]);
  });

  it('runs draft → submitted → sent back → submitted → published, and readers see it only then', async () => {
    const { desk, content } = app.services;
    const id = await desk.create(reporter, draft());
    const stored = await desk.get(reporter, id);
    expect(stored.bodyHtml).toBe('<p>본문 <img src="x" /></p>');
    expect(stored.subtitle).toBe('첫 줄\n둘째 줄');
    expect(await content.article(id)).toBeNull();

    await desk.submit(reporter, id);
    await expect(desk.publish(reporter, id)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(desk.sendBack(editor, id, '  ')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await desk.sendBack(editor, id, '출처를 밝혀 주세요.');
    expect((await desk.get(reporter, id)).status).toBe('draft');
    const events = await desk.events(reporter, id);
    expect(events[0]).toMatchObject({
      kind: 'sent_back',
      comment: '출처를 밝혀 주세요.',
      userName: '오데스크',
    });

    await desk.save(reporter, id, draft({ title: '도의회 예산 심사 착수…출처 보강' }));
    await desk.submit(reporter, id);
    await desk.publish(editor, id);
    const article = await content.article(id);
    expect(article?.title).toBe('도의회 예산 심사 착수…출처 보강');
    // The public article shows tags in the order the reporter typed them.
    expect(article?.tags).toEqual(['예산', '도의회']);
  });

  it('keeps the search index in step: found once published, gone when pulled or binned', async () => {
    const { desk, search } = app.services;
    const found = async () => (await search.rank('심사 착수')).map((h) => h.id);
    const id = await desk.create(reporter, draft());
    await desk.submit(reporter, id);
    expect(await found()).not.toContain(id);
    await desk.publish(editor, id);
    expect(await found()).toContain(id);
    await desk.save(editor, id, draft({ title: '도의회 예산 본회의 통과' }));
    expect(await found()).not.toContain(id);
    expect((await search.rank('본회의 통과')).map((h) => h.id)).toContain(id);
    await desk.unpublish(editor, id);
    expect((await search.rank('본회의')).map((h) => h.id)).not.toContain(id);
    await desk.publish(editor, id);
    await desk.trash(editor, id);
    expect((await search.rank('본회의')).map((h) => h.id)).not.toContain(id);
    const rows = await app.database.db
      .selectFrom('article_search')
      .select('article_id')
      .where('article_id', '=', id)
      .execute();
    expect(rows).toEqual([]);
  });

  it('lists every status newest first and finds titles through the search index', async () => {
    const { desk, writer } = app.services;
    const orchard = await writer.createArticle({
      sectionId: fx.sections.politics,
      title: '서귀포 감귤농장 일손 부족',
      status: 'published',
      publishedAt: REFERENCE_NOW - HOUR,
    });
    // The same bigrams, but not the same run of syllables: the index lets it through and
    // the title test throws it out.
    await writer.createArticle({
      sectionId: fx.sections.politics,
      title: '감귤 농장, 귤농 지원',
      status: 'published',
      publishedAt: REFERENCE_NOW - HOUR,
    });
    app.clock.advance(1000);
    const mine = await desk.create(editor, draft({ title: '감귤농장 초고' }));
    app.clock.advance(1000);
    const english = await desk.create(editor, draft({ title: 'JDC 감귤농장 투자' }));
    await desk.submit(editor, english);

    const found = await desk.list(editor, { query: '귤농장' });
    expect(found.map((a) => a.id)).toEqual([english, mine, orchard]);
    expect(
      (await desk.list(editor, { query: '귤농장', status: 'published' })).map((a) => a.id),
    ).toEqual([orchard]);
    // No Hangul pair to look up: the titles themselves are read.
    expect((await desk.list(editor, { query: 'jdc' })).map((a) => a.id)).toEqual([english]);
    expect((await desk.list(editor, { query: '없는제목' })).map((a) => a.id)).toEqual([]);

    // Newest change first across the statuses, and the next page goes on from the last.
    const all = await desk.list(editor, {});
    const times = all.map((a) => a.updatedAt);
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(all.slice(0, 2).map((a) => a.id)).toEqual([english, mine]);
    const first = await desk.list(editor, { limit: 3 });
    const last = first.at(-1)!;
    const next = await desk.list(editor, {
      limit: 3,
      after: { updatedAt: last.updatedAt, id: last.id },
    });
    expect(next.map((a) => a.id)).toEqual(all.slice(3, 6).map((a) => a.id));
  });

  it('reads the newest titles first and asks the search index when they hold too few', async () => {
    const { writer } = app.services;
    // Three titles read first, as a million-article archive reads two thousand.
    const probing = createDesk({
      db: app.database.db,
      dialect,
      clock: app.clock,
      titleProbe: 3,
    });
    const publish = async (title: string) => {
      app.clock.advance(1000);
      return writer.createArticle({
        sectionId: fx.sections.politics,
        title,
        status: 'published',
        publishedAt: REFERENCE_NOW - HOUR,
      });
    };
    const latin = await publish('JDC 신사업 발표');
    const orchard = await publish('서귀포 감귤농장 일손 부족');
    await publish('감귤 농장, 귤농 지원'); // the index's bigrams, not the title's run
    await publish('한라산 첫눈');
    await publish('제주공항 결항');
    const newest = await publish('귤농장 체험 인기');
    const ids = async (q: Parameters<typeof probing.list>[1]) =>
      (await probing.list(editor, { status: 'published', ...q })).map((a) => a.id);

    // A page found among the newest three: the index is not needed.
    expect(await ids({ query: '귤농장', limit: 1 })).toEqual([newest]);
    // Too few there: the index's candidates, tested against the title.
    expect(await ids({ query: '귤농장' })).toEqual([newest, orchard]);
    // The next page reads the three after the cursor first.
    const first = (
      await probing.list(editor, { status: 'published', query: '귤농장', limit: 1 })
    )[0]!;
    expect(
      await ids({ query: '귤농장', limit: 1, after: { updatedAt: first.updatedAt, id: first.id } }),
    ).toEqual([orchard]);
    // No Hangul pair to look up: every title is read.
    expect(await ids({ query: 'jdc' })).toEqual([latin]);
    expect(await ids({ query: '없는제목' })).toEqual([]);
    // A desk that does not know its database has no search index to ask: it reads every
    // title past the probe (it stopped at the newest three).
    const titlesOnly = createDesk({ db: app.database.db, clock: app.clock, titleProbe: 3 });
    expect(
      (await titlesOnly.list(editor, { status: 'published', query: '귤농장' })).map((a) => a.id),
    ).toEqual([newest, orchard]);
    // Without a status filter, the other statuses' titles merge in as before.
    const mine = await probing.create(editor, draft({ title: '감귤농장 초고' }));
    expect((await probing.list(editor, { query: '귤농장' })).map((a) => a.id)).toEqual([
      mine,
      newest,
      orchard,
    ]);
  });

  it('keeps reporters to their own articles and contributors to their own drafts', async () => {
    const { desk } = app.services;
    const id = await desk.create(reporter, draft());
    await expect(desk.get(otherReporter, id)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(desk.save(otherReporter, id, draft())).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    expect((await desk.list(otherReporter, {})).map((a) => a.id)).not.toContain(id);
    expect((await desk.list(editor, {})).map((a) => a.id)).toContain(id);

    const own = await desk.create(contributor, draft({ authorIds: [] }));
    await desk.submit(contributor, own);
    await expect(desk.save(contributor, own, draft({ title: '고침' }))).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await expect(desk.unpublish(reporter, id)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(desk.addNotice(reporter, id, 'correction', '정정')).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
  });

  // A reporter could put any staff member in the byline, and nothing recorded it.
  it('records every byline change, and keeps outside writers to their own name', async () => {
    const { desk } = app.services;
    const id = await desk.create(reporter, draft({ authorIds: [] }));
    await desk.save(reporter, id, draft({ authorIds: [fx.authorId] }));
    const byline = (await desk.events(reporter, id)).find((e) => e.kind === 'byline');
    expect(byline).toMatchObject({ userName: '강기자' });
    expect(byline?.comment).toMatch(/^없음 → .+/);
    await desk.save(reporter, id, draft({ authorIds: [fx.authorId] }));
    expect((await desk.events(reporter, id)).filter((e) => e.kind === 'byline')).toHaveLength(1);

    const own = await desk.create(contributor, draft({ authorIds: [] }));
    await expect(
      desk.save(contributor, own, draft({ authorIds: [fx.authorId] })),
    ).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      details: { fields: { authorIds: '외부 필자는 자기 이름만 바이라인에 넣을 수 있습니다.' } },
    });
    await expect(desk.create(contributor, draft())).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
  });

  it('reports every invalid field at once', async () => {
    const error = await app.services.desk
      .create(reporter, draft({ title: ' ', tags: Array.from({ length: 21 }, (_, i) => `t${i}`) }))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'INVALID_INPUT' });
    expect((error as { details: { fields: Record<string, string> } }).details.fields).toEqual({
      title: '제목을 입력하세요.',
      tags: '태그는 20개까지 달 수 있습니다.',
    });
    await expect(
      app.services.desk.create(reporter, draft({ sectionId: 99_999 })),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('schedules publication and the article appears at its time, not before', async () => {
    const { desk, content } = app.services;
    const id = await desk.create(reporter, draft());
    const at = REFERENCE_NOW + 2 * HOUR;
    await desk.publish(editor, id, at);
    expect(await content.article(id)).toBeNull();
    expect((await desk.list(editor, { status: 'scheduled' })).map((a) => a.id)).toEqual([id]);
    app.clock.set(at - 1);
    expect(await content.article(id)).toBeNull();
    app.clock.set(at);
    expect((await content.article(id))?.id).toBe(id);
    expect(await desk.dueSince(at - 60_000, at)).toContain(`article:${id}`);
  });

  it('enforces an embargo: no publishing, scheduling or showing before its time', async () => {
    const { desk, content } = app.services;
    const embargo = REFERENCE_NOW + 3 * HOUR;
    const id = await desk.create(reporter, draft({ embargoUntil: embargo }));
    await expect(desk.publish(editor, id)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(desk.publish(editor, id, embargo - 60_000)).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    await desk.publish(editor, id, embargo);
    expect(await content.article(id)).toBeNull();
    // Moving the embargo later than a scheduled time is refused as well.
    await expect(
      desk.save(editor, id, draft({ embargoUntil: embargo + HOUR })),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    app.clock.set(embargo);
    expect((await content.article(id))?.id).toBe(id);
  });

  it('keeps revisions with who and when, folds autosaves, and restores as a new revision', async () => {
    const { desk } = app.services;
    const id = await desk.create(reporter, draft({ bodyHtml: '<p>첫 판</p>' }));
    app.clock.advance(60_000);
    await desk.save(reporter, id, draft({ bodyHtml: '<p>둘째 판</p>' }), { autosave: true });
    app.clock.advance(60_000);
    await desk.save(reporter, id, draft({ bodyHtml: '<p>셋째 판</p>' }), { autosave: true });
    let revisions = await desk.revisions(reporter, id);
    // The two autosaves within ten minutes are one sitting.
    expect(revisions).toHaveLength(2);
    expect(revisions[0]?.userName).toBe('강기자');
    const first = revisions[1];
    if (first === undefined) throw new Error('no first revision');
    expect((await desk.revision(reporter, id, first.id)).bodyHtml).toBe('<p>첫 판</p>');
    await desk.restoreRevision(reporter, id, first.id);
    expect((await desk.get(reporter, id)).bodyHtml).toBe('<p>첫 판</p>');
    revisions = await desk.revisions(reporter, id);
    expect(revisions).toHaveLength(3);
  });

  it('moves updated_at (sitemaps’ lastmod) only on a change readers can see', async () => {
    const { desk } = app.services;
    const id = await desk.create(reporter, draft());
    await desk.publish(editor, id);
    const updatedAt = async () => (await desk.get(editor, id)).updatedAt;
    const published = await updatedAt();
    // Saves and autosaves of the same fields, a republish at the same time, readings.
    app.clock.advance(60_000);
    await desk.save(editor, id, draft(), { autosave: true });
    app.clock.advance(60_000);
    await desk.save(editor, id, draft());
    app.clock.advance(60_000);
    await desk.publish(editor, id);
    app.services.readers.recordView({
      articleId: id,
      userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36',
      ip: '192.0.2.1',
    });
    await app.services.readers.flush();
    expect(await updatedAt()).toBe(published);
    // A changed tag is a change; so is a correction, added and withdrawn.
    app.clock.advance(60_000);
    await desk.save(editor, id, draft({ tags: ['예산', '도의회', '제주'] }));
    expect(await updatedAt()).toBe(app.clock.now());
    app.clock.advance(60_000);
    const notice = await desk.addNotice(editor, id, 'correction', '예산 규모를 바로잡습니다.');
    expect(await updatedAt()).toBe(app.clock.now());
    app.clock.advance(60_000);
    await desk.withdrawNotice(editor, id, notice, '잘못 붙인 정정');
    expect(await updatedAt()).toBe(app.clock.now());
  });

  it('warns a second editor while the first is still editing', async () => {
    const { desk } = app.services;
    const id = await desk.create(reporter, draft());
    expect(await desk.heartbeat(reporter, id)).toBeNull();
    expect(await desk.heartbeat(editor, id)).toMatchObject({ name: '강기자' });
    app.clock.advance(2 * 60_000);
    expect(await desk.heartbeat(editor, id)).toBeNull();
    expect(await desk.heartbeat(reporter, id)).toMatchObject({ name: '오데스크' });
  });

  it('unpublishes, trashes and restores to the earlier state', async () => {
    const { desk, content } = app.services;
    const id = await desk.create(reporter, draft());
    await desk.publish(editor, id);
    await desk.unpublish(editor, id);
    expect(await content.article(id)).toBeNull();
    await desk.trash(editor, id);
    expect((await desk.list(editor, {})).map((a) => a.id)).not.toContain(id);
    expect((await desk.list(editor, { status: 'trashed' })).map((a) => a.id)).toEqual([id]);
    await desk.restore(editor, id);
    expect((await desk.get(editor, id)).status).toBe('unpublished');
    // A reporter may bin and restore their own draft, not a published article.
    const mine = await desk.create(reporter, draft());
    await desk.trash(reporter, mine);
    await desk.restore(reporter, mine);
    await desk.publish(editor, mine);
    await expect(desk.trash(reporter, mine)).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('shows corrections and replies on the article, and keeps every wording when one is edited or withdrawn', async () => {
    const { desk } = app.services;
    const id = fx.published[0] as number;
    const first = await desk.addNotice(
      editor,
      id,
      'correction',
      '본보 12월 8일자 기사의 예산 규모를 바로잡습니다.',
    );
    app.clock.advance(HOUR);
    await desk.addNotice(editor, id, 'reply', '○○측은 사실과 다르다고 밝혀왔습니다.');
    const notices = await desk.notices(id);
    expect(notices.map((n) => n.kind)).toEqual(['correction', 'reply']);
    expect(notices[1]!.createdAt - notices[0]!.createdAt).toBe(HOUR);
    const page = await app.http.inject({ url: `/news/${id}` });
    expect(page.body).toContain('정정보도');
    expect(page.body).toContain('본보 12월 8일자 기사의 예산 규모를 바로잡습니다.');
    expect(page.body).toContain('반론보도');

    // Reworded: readers see the new text marked 수정; the old one stays in the record.
    app.clock.advance(HOUR);
    await desk.editNotice(
      editor,
      id,
      first,
      '본보 12월 8일자 기사의 예산 규모(120억 원)를 바로잡습니다.',
    );
    await expect(desk.editNotice(reporter, id, first, '바꿔 봄')).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await expect(desk.editNotice(editor, id, first, '  ')).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    const edited = await app.http.inject({ url: `/news/${id}` });
    expect(edited.body).toContain('예산 규모(120억 원)를 바로잡습니다.');
    expect(edited.body).toContain('(수정');

    // Withdrawn: gone from the article, kept with the reason.
    await expect(desk.withdrawNotice(editor, id, first, '')).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    await desk.withdrawNotice(editor, id, first, '같은 내용의 정정이 중복 게시됨');
    const after = await app.http.inject({ url: `/news/${id}` });
    expect(after.body).not.toContain('예산 규모(120억 원)');
    expect(after.body).toContain('반론보도');
    const record = (await desk.notices(id)).find((n) => n.id === first)!;
    expect(record.withdrawnAt).not.toBeNull();
    expect(record.versions.map((v) => [v.action, v.body])).toEqual([
      ['created', '본보 12월 8일자 기사의 예산 규모를 바로잡습니다.'],
      ['edited', '본보 12월 8일자 기사의 예산 규모(120억 원)를 바로잡습니다.'],
      ['withdrawn', '같은 내용의 정정이 중복 게시됨'],
    ]);
    await expect(desk.editNotice(editor, id, first, '다시')).rejects.toMatchObject({
      code: 'CONFLICT',
    });
  });

  it('adds a notice only to a piece that is out', async () => {
    const { desk } = app.services;
    const id = await desk.create(reporter, draft());
    await expect(desk.addNotice(editor, id, 'followup', '추후보도')).rejects.toMatchObject({
      code: 'CONFLICT',
    });
  });

  it('lets the desk arrange the front page, falling back to the newest for empty places', async () => {
    const { front, content, desk } = app.services;
    const chosen = fx.published[0] as number;
    await front.arrange(editor, { headline: [chosen] });
    const page = await content.frontPage();
    expect(page.headline?.id).toBe(chosen);
    expect(page.topStories.length).toBeGreaterThan(0);
    await expect(front.arrange(reporter, { top: [chosen] })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    const unpublished = await desk.create(reporter, draft());
    await expect(front.arrange(editor, { top: [unpublished] })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    await expect(front.arrange(editor, { nowhere: [chosen] })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    // An arranged article that is later unpublished simply drops out.
    await desk.unpublish(editor, chosen);
    expect((await content.frontPage()).headline?.id).not.toBe(chosen);
  });

  it('refreshes cached public pages when a published article is edited', async () => {
    const { desk } = app.services;
    const id = await desk.create(reporter, draft());
    await desk.publish(editor, id);
    expect((await app.http.inject({ url: `/news/${id}` })).body).toContain('도의회 예산 심사 착수');
    await desk.save(editor, id, draft({ title: '도의회 예산 심사 이틀째' }));
    expect((await app.http.inject({ url: `/news/${id}` })).body).toContain(
      '도의회 예산 심사 이틀째',
    );
    expect((await app.http.inject({ url: '/' })).body).toContain('도의회 예산 심사 이틀째');
  });
});
