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
