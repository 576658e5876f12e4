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

/** A sent-back piece read as "작성 중" in the writer's list: nothing said it came back or why. */
describe('반려 in the writer’s lists', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp();
    await seedFixture(app);
  });
  afterAll(async () => {
    await app.close();
  });

  it('shows 반려 with the desk’s comment on the writer’s home and in the list', async () => {
    const email = await addStaff(app, 'reporter', '강서윤', 'kang@tamnailbo.example');
    const reporter = as(app, await signIn(app, email));
    const desk = as(app, await signIn(app, await addStaff(app, 'desk', '오데스크')));
    const user = await app.services.accounts.findUserByEmail(email);
    const actor = { id: user!.id, role: 'reporter' as const, name: '강서윤' };
    const id = await app.services.desk.create(actor, {
      sectionId: (await app.services.content.allSectionsForDesk())[0]!.id,
      title: '한림항 어획량 두 배',
    });
    await app.services.desk.submit(actor, id);
    const back = await desk.post(`/admin/articles/${id}/send-back`, {
      comment: '출처를 밝혀 주세요.',
    });
    expect(back.statusCode).toBe(303);

    const home = await reporter.get('/admin');
    expect(home.body).toContain('<h1>내 기사</h1>');
    expect(home.body).toContain('반려된 기사');
    expect(home.body).toMatch(/status-sent-back">반려</);
    expect(home.body).toContain('출처를 밝혀 주세요.');
    const list = await reporter.get('/admin/articles');
    expect(list.body).toMatch(/status-sent-back">반려</);
    expect(list.body).toContain('오데스크');

    // Sent again, it is the desk's once more: no longer 반려.
    await app.services.desk.submit(actor, id);
    const again = await reporter.get('/admin/articles');
    expect(again.body).not.toContain('status-sent-back');
    expect((await desk.get('/admin')).body).toContain('<h1>오늘의 데스크</h1>');
  });
});

describe('정정·반론보도 in the editor', () => {
  let app: TestApp;
  let published: number;
  beforeAll(async () => {
    app = await createTestApp();
    published = (await seedFixture(app)).published[0]!;
  });
  afterAll(async () => {
    await app.close();
  });

  it('shows the notice as readers will see it before it goes live, then posts it', async () => {
    const desk = as(app, await signIn(app, await addStaff(app, 'desk', '오데스크')));
    const url = `/admin/articles/${published}/notices`;
    const empty = await desk.post(url, { kind: 'followup', body: '  ' });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('내용을 입력하세요.');

    const text = '검찰은 해당 인물에 대해 무혐의 처분을 내렸습니다.';
    const preview = await desk.post(url, { kind: 'followup', body: text });
    expect(preview.statusCode).toBe(200);
    expect(preview.body).toContain('게시 전 확인');
    expect(preview.body).toContain('추후보도');
    expect(preview.body).toContain(text);
    expect(await app.services.desk.notices(published)).toEqual([]);

    const posted = await desk.post(url, { kind: 'followup', body: text, step: 'publish' });
    expect(posted.statusCode).toBe(303);
    expect((await app.http.inject({ url: `/news/${published}` })).body).toContain(text);

    const [notice] = await app.services.desk.notices(published);
    const withdrawn = await desk.post(`${url}/${notice!.id}/withdraw`, { reason: '오보 정정' });
    expect(withdrawn.statusCode).toBe(303);
    expect((await app.http.inject({ url: `/news/${published}` })).body).not.toContain(text);
    const editor = await desk.get(`/admin/articles/${published}`);
    expect(editor.body).toContain('철회');
  });
});

/**
 * Issue 15: a photo put in the body did not become the featured photo (a number had to be
 * typed), and captions typed under it never reached the library (사진 104 stayed blank).
 */
describe('photos in the article editor', () => {
  let app: TestApp;
  let sectionId: number;
  beforeAll(async () => {
    app = await createTestApp();
    const fx = await seedFixture(app);
    sectionId = fx.sections.politics;
  });
  afterAll(async () => {
    await app.close();
  });

  const register = (uploadedBy: number | null, caption = '') =>
    app.services.photos.registerPhoto({
      storageKey: `fixture/editor-${Math.random().toString(36).slice(2)}.jpg`,
      width: 800,
      height: 600,
      mime: 'image/jpeg',
      variants: [],
      caption,
      credit: '',
      alt: '',
      uploadedBy,
    });
  const figure = (id: number, caption: string, credit: string) =>
    `<figure class="photo" data-photo-id="${id}"><img src="/media/x.jpg" alt="">` +
    `<figcaption>${caption} <span class="credit">${credit}</span></figcaption></figure>`;

  it('offers the body photos as featured choices and saves typed captions to the library', async () => {
    const email = await addStaff(app, 'reporter', '고기자', 'ko@tamnailbo.example');
    const reporter = as(app, await signIn(app, email));
    const me = (await app.services.accounts.findUserByEmail(email))!.id;
    const first = await register(me);
    const second = await register(me);
    const created = await reporter.post('/admin/articles', {
      sectionId: String(sectionId),
      title: '감귤 수확 한창',
      bodyHtml: `<p>본문</p>${figure(first, '노지 감귤 수확', '탐나일보 고기자')}${figure(second, '선과장', '')}`,
      featuredPhotoId: '',
    });
    expect(created.statusCode).toBe(303);
    const id = Number(/articles\/(\d+)/.exec(created.headers.location as string)![1]);
    expect((await app.services.photos.getPhoto(first))!.caption).toBe('노지 감귤 수확');
    expect((await app.services.photos.getPhoto(first))!.credit).toBe('탐나일보 고기자');

    const page = await reporter.get(`/admin/articles/${id}`);
    // Automatic (the first body photo) is checked, and both photos are offered by picture.
    expect(page.body).toMatch(/name="featuredPhotoId" value="" checked/);
    expect(page.body).toContain(`name="featuredPhotoId" value="${second}"`);
    expect(page.body).not.toContain('대표 사진 번호');

    const saved = await reporter.post(`/admin/articles/${id}`, {
      sectionId: String(sectionId),
      title: '감귤 수확 한창',
      bodyHtml: `${figure(first, '노지 감귤 수확', '탐나일보 고기자')}${figure(second, '선과장', '')}`,
      featuredPhotoId: String(second),
    });
    expect(saved.statusCode).toBe(303);
    const again = await reporter.get(`/admin/articles/${id}`);
    expect(again.body).toMatch(new RegExp(`name="featuredPhotoId" value="${second}" checked`));

    // Edited in 사진함, the caption shows in the editor's body too: one photo, one caption.
    await app.services.photos.updatePhotoText(first, { caption: '서귀포 노지 감귤' });
    const third = await reporter.get(`/admin/articles/${id}`);
    expect(third.body).toContain('서귀포 노지 감귤');
    expect(third.body).not.toContain('노지 감귤 수확');
  });

  it("leaves the library caption of someone else's photo alone for a reporter", async () => {
    const reporter = as(
      app,
      await signIn(app, await addStaff(app, 'reporter', '문기자', 'mun@tamnailbo.example')),
    );
    const theirs = await register(null, '도청 전경');
    const created = await reporter.post('/admin/articles', {
      sectionId: String(sectionId),
      title: '도청 앞 집회',
      bodyHtml: figure(theirs, '집회 현장', ''),
    });
    expect(created.statusCode).toBe(303);
    expect((await app.services.photos.getPhoto(theirs))!.caption).toBe('도청 전경');
    // The editor says so: the photo's caption fields are locked for this writer.
    const id = Number(/articles\/(\d+)/.exec(created.headers.location as string)![1]);
    const page = await reporter.get(`/admin/articles/${id}`);
    expect(page.body).toContain(`data-locked-photo-ids="${theirs}"`);
    expect(page.body).toContain('도청 전경');
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

/** Issue 11: each article says where it comes from, and an advertorial never passes for news. */
describe('기사 구분 (origin) from the editor to the reader', () => {
  let app: TestApp;
  let fx: Awaited<ReturnType<typeof seedFixture>>;
  beforeAll(async () => {
    app = await createTestApp();
    fx = await seedFixture(app, { articlesPerSection: 1 });
  });
  afterAll(async () => {
    await app.close();
  });

  it('is chosen in the editor, 자체기사 unless said otherwise, and checked on the server', async () => {
    const desk = as(app, await signIn(app, await addStaff(app, 'desk', '오데스크')));
    const blank = await desk.get('/admin/articles/new');
    expect(blank.body).toMatch(/<select id="f-origin" name="origin" required>/);
    expect(blank.body).toContain('<option value="own" selected>자체기사</option>');
    expect(blank.body).toContain('<option value="advertorial">광고성 기사</option>');

    const form = {
      sectionId: String(fx.sections.society),
      title: '제주 감귤 체험 농장 할인 행사',
      bodyHtml: '<p>체험 농장이 이달 말까지 할인 행사를 연다.</p>',
      authorIds: [String(fx.authorId)],
    };
    const wrong = await desk.post('/admin/articles', { ...form, origin: 'sponsored' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain(
      '기사 구분을 자체기사, 통신, 보도자료, 기고, 광고성 기사 중에서 고르세요.',
    );

    const created = await desk.post('/admin/articles', { ...form, origin: 'advertorial' });
    expect(created.statusCode).toBe(303);
    const id = Number(/articles\/(\d+)/.exec(created.headers.location as string)![1]);
    const editor = await desk.get(`/admin/articles/${id}`);
    expect(editor.body).toContain('<option value="advertorial" selected>광고성 기사</option>');

    // A form without the field (an older page still open) keeps the article's origin.
    expect((await desk.post(`/admin/articles/${id}`, form)).statusCode).toBe(303);
    const kept = await app.database.db
      .selectFrom('articles')
      .select('origin')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(kept.origin).toBe('advertorial');

    // Out to readers: labelled above the title on its page and before it in every list.
    expect((await desk.post(`/admin/articles/${id}/publish`)).statusCode).toBe(303);
    const page = await app.http.inject({ url: `/news/${id}` });
    expect(page.body).toMatch(
      /<p class="advertorial-notice" role="note"><span class="flag-ad">광고<\/span> 이 기사는 광고입니다\.[^<]*<\/p><h1 class="article-title">제주 감귤 체험 농장 할인 행사<\/h1>/,
    );
    const section = await app.http.inject({ url: '/section/society' });
    expect(section.body).toContain(
      `<a href="/news/${id}"><span class="flag-ad">광고</span>제주 감귤 체험 농장 할인 행사</a>`,
    );
    // News is not marked.
    const news = await app.http.inject({ url: `/news/${fx.published[0]}` });
    expect(news.body).not.toContain('advertorial-notice');
    expect(news.body).not.toContain('flag-ad');
  });

  it('is shown in the desk’s list and filters it', async () => {
    const desk = as(
      app,
      await signIn(app, await addStaff(app, 'desk', '문데스크', 'moon@tamnailbo.example')),
    );
    const wire = await app.services.writer.createArticle({
      sectionId: fx.sections.politics,
      title: '정부 예산안 국회 통과',
      origin: 'wire',
      status: 'published',
    });
    const all = await desk.get('/admin/articles');
    expect(all.body).toContain('<th scope="col">구분</th>');
    expect(all.body).toContain('<span class="origin origin-wire">통신</span>');
    expect(all.body).toContain('<span class="origin origin-own">자체기사</span>');

    const wires = await desk.get('/admin/articles?status=published&origin=wire');
    expect(wires.body).toContain('<h1>기사 · 출고 · 통신</h1>');
    expect(wires.body).toContain(`/admin/articles/${wire}"`);
    expect(wires.body).not.toContain('origin-own');
    expect(wires.body).toContain('<option value="wire" selected>통신</option>');
    // The status tabs keep the origin chosen, and the form keeps the tab.
    expect(wires.body).toContain('href="/admin/articles?status=draft&amp;origin=wire"');
    expect(wires.body).toContain('<input type="hidden" name="status" value="published">');

    // An origin the list does not know is no filter at all.
    const junk = await desk.get('/admin/articles?origin=%3Cscript%3E');
    expect(junk.statusCode).toBe(200);
    expect(junk.body).toContain('origin-own');
    expect(junk.body).not.toContain('<script>');
  });
});
