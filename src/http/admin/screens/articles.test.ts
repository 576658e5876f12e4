import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addStaff, as, signIn } from '../../../testing/admin-session.ts';
import { createTestApp, type TestApp } from '../../../testing/app.ts';
import { seedFixture } from '../../../testing/fixtures.ts';

/** GET /admin/articles/:id took the "is editing" mark: a side effect on GET (a prefetch did it). */
describe('the editing mark', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp();
    await seedFixture(app);
  });
  afterAll(async () => {
    await app.close();
  });

  it('is taken by the editor’s heartbeat, not by opening the page', async () => {
    const reporterEmail = await addStaff(app, 'reporter', '강기자');
    const reporter = as(app, await signIn(app, reporterEmail));
    const desk = as(app, await signIn(app, await addStaff(app, 'desk', '오데스크')));
    const user = await app.services.accounts.findUserByEmail(reporterEmail);
    const actor = { id: user!.id, role: 'reporter' as const, name: '강기자' };
    const id = await app.services.desk.create(actor, {
      sectionId: (await app.services.content.allSectionsForDesk())[0]!.id,
      title: '잠금 시험 기사',
    });
    await app.services.desk.submit(actor, id);

    expect((await desk.get(`/admin/articles/${id}`)).statusCode).toBe(200);
    const first = await reporter.post(`/admin/articles/${id}/heartbeat`);
    expect(first.json()).toEqual({ editingBy: null });

    const page = await desk.get(`/admin/articles/${id}`);
    expect(page.body).toContain('강기자');
    const beat = await desk.post(`/admin/articles/${id}/heartbeat`);
    expect(beat.json()).toEqual({ editingBy: '강기자' });
  });
});

/**
 * The byline was a Ctrl-click list of e-mails. Now: chips in order, a search box over staff
 * and earlier writers, and a new outside writer by name; all of it works without script.
 */
describe('the byline picker', () => {
  let app: TestApp;
  let fx: Awaited<ReturnType<typeof seedFixture>>;
  beforeAll(async () => {
    app = await createTestApp();
    fx = await seedFixture(app);
  });
  afterAll(async () => {
    await app.close();
  });

  const bylines = async (id: number) =>
    app.database.db
      .selectFrom('article_authors as aa')
      .innerJoin('authors as a', 'a.id', 'aa.author_id')
      .select(['a.name', 'a.email', 'a.title'])
      .where('aa.article_id', '=', id)
      .orderBy('aa.position')
      .execute();

  it('adds by name, keeps the order, adds an outside writer and removes an unticked chip', async () => {
    const desk = as(app, await signIn(app, await addStaff(app, 'desk', '오데스크')));
    const form = await desk.get('/admin/articles/new');
    expect(form.body).toContain('<datalist id="byline-options">');
    expect(form.body).toContain('value="김탐나 (kim@tamnailbo.example)"');
    expect(form.body).not.toContain('multiple');

    const created = await desk.post('/admin/articles', {
      sectionId: String(fx.sections.politics),
      title: '바이라인 시험',
      bodyHtml: '<p>본문</p>',
      authorIds: [],
      bylineAdd: '김탐나',
      newAuthorName: '부은별',
      newAuthorTitle: '객원 기자',
      tags: '제주, 감귤, 가파도',
    });
    expect(created.statusCode, created.body).toBe(303);
    const id = Number(/\/admin\/articles\/(\d+)/.exec(created.headers.location ?? '')?.[1]);
    expect(await bylines(id)).toEqual([
      { name: '김탐나', email: 'kim@tamnailbo.example', title: '' },
      { name: '부은별', email: null, title: '객원 기자' },
    ]);
    const editor = await desk.get(`/admin/articles/${id}`);
    // Chips in print order, each a ticked box; tags as typed.
    const chips = [...editor.body.matchAll(/<span class="byline-name">([^<]+)<\/span>/g)];
    expect(chips.map((m) => m[1])).toEqual(['김탐나', '부은별']);
    expect(editor.body).toContain('value="제주, 감귤, 가파도"');

    const outside = (
      await app.database.db
        .selectFrom('authors')
        .select('id')
        .where('name', '=', '부은별')
        .executeTakeFirstOrThrow()
    ).id;
    const saved = await desk.post(`/admin/articles/${id}`, {
      sectionId: String(fx.sections.politics),
      title: '바이라인 시험',
      bodyHtml: '<p>본문</p>',
      // 김탐나 unticked: only 부은별 is sent, then 김탐나 picked again goes after.
      authorIds: [String(outside)],
      bylineAdd: '김탐나 (kim@tamnailbo.example)',
    });
    expect(saved.statusCode, saved.body).toBe(303);
    expect((await bylines(id)).map((b) => b.name)).toEqual(['부은별', '김탐나']);
  });

  it('adds a new outside writer once, even when the first save is refused', async () => {
    const desk = as(
      app,
      await signIn(app, await addStaff(app, 'desk', '한데스크', 'han@tamnailbo.example')),
    );
    const post = (title: string) =>
      desk.post('/admin/articles', {
        sectionId: String(fx.sections.politics),
        title,
        bodyHtml: '<p>본문</p>',
        newAuthorName: '좌동백',
        newAuthorTitle: '통신원',
      });
    expect((await post('')).statusCode).toBe(400);
    expect((await post('통신원 기고')).statusCode).toBe(303);
    const rows = await app.database.db
      .selectFrom('authors')
      .select('id')
      .where('name', '=', '좌동백')
      .execute();
    expect(rows).toHaveLength(1);
  });

  it('keeps what was typed and says why when the name is unknown', async () => {
    const desk = as(
      app,
      await signIn(app, await addStaff(app, 'desk', '문데스크', 'moon@tamnailbo.example')),
    );
    const res = await desk.post('/admin/articles', {
      sectionId: String(fx.sections.politics),
      title: '없는 필자',
      bodyHtml: '<p>본문</p>',
      bylineAdd: '홍길동',
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('홍길동은 필자 목록에 없습니다.');
    expect(res.body).toContain('value="없는 필자"');
    expect(res.body).toContain('value="홍길동"');
  });

  it('lets an outside writer sign only their own name, on the server too', async () => {
    const contributor = as(
      app,
      await signIn(app, await addStaff(app, 'contributor', '외부필자', 'guest@tamnailbo.example')),
    );
    const form = await contributor.get('/admin/articles/new');
    expect(form.body).not.toContain('새 필자 추가');
    const byName = await contributor.post('/admin/articles', {
      sectionId: String(fx.sections.politics),
      title: '남의 이름',
      bodyHtml: '<p>본문</p>',
      bylineAdd: '김탐나',
    });
    expect(byName.statusCode).toBe(400);
    expect(byName.body).toContain('외부 필자는 자기 이름만 바이라인에 넣을 수 있습니다.');
    const invented = await contributor.post('/admin/articles', {
      sectionId: String(fx.sections.politics),
      title: '새 이름',
      bodyHtml: '<p>본문</p>',
      newAuthorName: '가짜 기자',
    });
    expect(invented.statusCode).toBe(400);
    expect(invented.body).toContain('새 필자는 데스크와 기자만 추가할 수 있습니다.');
    const fake = await app.database.db
      .selectFrom('authors')
      .select('id')
      .where('name', '=', '가짜 기자')
      .execute();
    expect(fake).toEqual([]);
  });
});
