import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addStaff, as, signIn } from '../../../testing/admin-session.ts';
import { createTestApp, type TestApp } from '../../../testing/app.ts';
import { seedFixture, type Fixture } from '../../../testing/fixtures.ts';

const HOUR = 60 * 60 * 1000;

/** The form's fields with every place empty, then the given ones. */
function places(fx: Fixture, set: Record<string, string[]> = {}): Record<string, string[]> {
  return {
    headline: [''],
    top: ['', '', '', '', '', ''],
    [`section:${fx.sections.politics}`]: ['', '', '', '', ''],
    [`section:${fx.sections.society}`]: ['', '', '', '', ''],
    [`section:${fx.sections.incidents}`]: ['', '', '', '', ''],
    ...set,
  };
}

describe('첫 화면 편집 screen', () => {
  let app: TestApp;
  let fx: Fixture;
  let desk: ReturnType<typeof as>;
  let reporter: ReturnType<typeof as>;

  beforeEach(async () => {
    app = await createTestApp();
    fx = await seedFixture(app, { articlesPerSection: 2 });
    desk = as(app, await signIn(app, await addStaff(app, 'desk', '한데스크')));
    reporter = as(app, await signIn(app, await addStaff(app, 'reporter', '이기자')));
  });
  afterEach(async () => {
    await app.close();
  });

  it('shows a field per place, what fills each, and the fill rule; frames only itself', async () => {
    const page = await desk.get('/admin/front');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('자동 채우기 규칙');
    expect(page.body).toContain('진행 중인 속보(사진 있는 기사 먼저)');
    expect(page.body.match(/name="top"/g)).toHaveLength(6);
    expect(page.body).toContain('<span class="front-badge">자동</span>');
    expect(page.body).toContain('src="/admin/front/preview"');
    expect(page.headers['content-security-policy']).toContain("frame-src 'self'");
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(page.body).not.toMatch(/<script>/);
    expect((await reporter.get('/admin/front')).statusCode).toBe(403);
  });

  it('saves pinned places from the form and re-renders bad input with what was typed', async () => {
    const [a, b] = fx.published as [number, number];
    const saved = await desk.post(
      '/admin/front',
      places(fx, { headline: [String(a)], top: ['', `${b}번`] }),
    );
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe('/admin/front?ok=arranged');
    expect(await app.services.front.arrangement()).toEqual({ headline: [a], top: [null, b] });
    const page = await desk.get('/admin/front?ok=arranged');
    expect(page.body).toContain('첫 화면 편집을 저장했습니다.');
    expect(page.body).toContain('<span class="front-badge pinned">고정</span>');
    expect(page.body).toContain('한데스크');

    const bad = await desk.post(
      '/admin/front',
      places(fx, { headline: ['머리'], top: ['', '77'] }),
    );
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('기사 번호는 숫자로 적습니다: &quot;머리&quot;');
    expect(bad.body).toContain('value="머리"');
    expect(bad.body).toContain('value="77"');
    const twice = await desk.post(
      '/admin/front',
      places(fx, { headline: [String(a)], top: [String(a)] }),
    );
    expect(twice.statusCode).toBe(400);
    expect(twice.body).toContain(`같은 기사(${a}번)를 두 자리에 놓을 수 없습니다.`);
    expect(await app.services.front.arrangement()).toEqual({ headline: [a], top: [null, b] });
  });

  it('previews an unsaved arrangement as the real front page, for the desk only, never cached', async () => {
    const [, b] = fx.published as [number, number];
    const title = (await app.services.content.titles([b]))[0]?.title ?? '';
    const before = await app.http.inject({ url: '/' });
    const preview = await desk.post('/admin/front/preview', places(fx, { headline: [String(b)] }));
    expect(preview.statusCode).toBe(200);
    expect(preview.headers['cache-control']).toBe('no-store');
    expect(preview.headers['x-robots-tag']).toBe('noindex, nofollow');
    expect(preview.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(preview.headers['content-security-policy']).toContain("frame-ancestors 'self'");
    // No site script in a preview: editing the front page must not count banner views.
    // (JSON-LD is data, not a script that runs.)
    expect(preview.body).not.toMatch(/<script(?! type="application\/ld\+json")/);
    expect((await app.http.inject({ url: '/' })).body).toContain('<script');
    const headline = /<article class="headline">[\s\S]*?<\/article>/.exec(preview.body)?.[0];
    expect(headline).toContain(title);
    // Nothing saved, nothing cached: readers still get the page they had.
    expect(await app.services.front.arrangement()).toEqual({});
    const after = await app.http.inject({ url: '/' });
    expect(after.body).toBe(before.body);
    expect((await app.services.front.history()).length).toBe(0);

    const refused = await desk.post('/admin/front/preview', places(fx, { headline: ['x'] }));
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('미리보기를 만들 수 없습니다');
    expect((await reporter.post('/admin/front/preview', places(fx))).statusCode).toBe(403);
    expect((await app.http.inject({ url: '/admin/front/preview' })).statusCode).not.toBe(200);
  });

  it('finds articles by title or number as JSON', async () => {
    const [a] = fx.published as [number];
    const found = await desk.get(`/admin/front/search?q=${encodeURIComponent('정치 기사')}`);
    expect(found.statusCode).toBe(200);
    expect(found.headers['cache-control']).toBe('no-store');
    const body = found.json() as { articles: { id: number; title: string }[] };
    expect(body.articles.map((x) => x.title)).toEqual(['정치 기사 2', '정치 기사 1']);
    const byNumber = (await desk.get(`/admin/front/search?q=${a}`)).json() as {
      articles: { id: number }[];
    };
    expect(byNumber.articles.map((x) => x.id)).toContain(a);
    expect((await reporter.get('/admin/front/search?q=a')).statusCode).toBe(403);
  });

  it('lists the versions and brings an earlier one back, recording that too', async () => {
    const [a, b] = fx.published as [number, number];
    await desk.post('/admin/front', places(fx, { headline: [String(a)] }));
    app.clock.advance(HOUR);
    await desk.post('/admin/front', places(fx, { headline: [String(b)] }));
    const [latest, first] = await app.services.front.history();
    const page = await desk.get('/admin/front');
    expect(page.body).toContain(`action="/admin/front/restore/${first?.id}"`);
    expect(page.body).not.toContain(`action="/admin/front/restore/${latest?.id}"`);
    const restored = await desk.post(`/admin/front/restore/${first?.id}`);
    expect(restored.headers.location).toBe('/admin/front?ok=restored');
    expect(await app.services.front.arrangement()).toEqual({ headline: [a] });
    expect((await desk.get('/admin/front')).body).toContain(`(${first?.id}판으로 되돌림)`);
  });

  it('sets 속보 with an end (six hours by default), clears it in one click, and pages follow', async () => {
    const id = fx.published[0] as number;
    const editorFields = {
      sectionId: String(fx.sections.politics),
      title: '정치 기사 1',
      authorIds: String(fx.authorId),
      isBreaking: '1',
    };
    const past = await desk.post(`/admin/articles/${id}`, {
      ...editorFields,
      breakingUntil: '2025-12-09T09:00',
    });
    expect(past.statusCode).toBe(400);
    expect(past.body).toContain('속보 종료 시각은 지금 이후로 정하세요.');
    expect(past.body).toContain('value="2025-12-09T09:00"');

    const saved = await desk.post(`/admin/articles/${id}`, { ...editorFields, breakingUntil: '' });
    expect(saved.statusCode).toBe(303);
    expect((await app.services.front.breakingNow())[0]).toEqual({
      id,
      title: '정치 기사 1',
      breakingUntil: app.clock.now() + 6 * HOUR,
    });
    const editor = await desk.get(`/admin/articles/${id}`);
    expect(editor.body).toContain('value="2025-12-09T20:00"');
    expect(editor.body).toContain(`action="/admin/front/breaking/${id}/end"`);
    expect((await app.http.inject({ url: '/' })).body).toContain('class="breaking-bar"');

    // The cached front page ends with the 속보, with no one clearing it.
    app.clock.advance(6 * HOUR + 1000);
    expect((await app.http.inject({ url: '/' })).body).not.toContain('class="breaking-bar"');

    await desk.post(`/admin/articles/${id}`, { ...editorFields, breakingUntil: '' });
    expect((await app.http.inject({ url: '/' })).body).toContain('class="breaking-bar"');
    expect((await desk.get('/admin/front')).body).toContain('속보 해제');
    const ended = await desk.post(`/admin/front/breaking/${id}/end`, { back: 'editor' });
    expect(ended.headers.location).toBe(`/admin/articles/${id}?ok=breakingEnded`);
    expect((await app.http.inject({ url: '/' })).body).not.toContain('class="breaking-bar"');
    expect(await app.services.front.breakingNow()).toEqual([]);
    expect((await reporter.post(`/admin/front/breaking/${id}/end`)).statusCode).toBe(403);
  });
});

describe('two desk editors on the front page', () => {
  let app: TestApp;
  let fx: Fixture;

  beforeEach(async () => {
    app = await createTestApp();
    fx = await seedFixture(app, { articlesPerSection: 2 });
  });
  afterEach(async () => {
    await app.close();
  });

  it('refuses to overwrite a colleague’s save silently, keeping what was typed', async () => {
    const one = as(app, await signIn(app, await addStaff(app, 'desk', '한데스크')));
    const two = as(app, await signIn(app, await addStaff(app, 'admin', '고편집')));
    const [a, b] = fx.published as [number, number];
    const version = (body: string) => /name="version" value="(\d*)"/.exec(body)?.[1] ?? 'none';
    const seenByOne = version((await one.get('/admin/front')).body);
    const seenByTwo = version((await two.get('/admin/front')).body);
    expect(seenByOne).toBe('');
    await two.post('/admin/front', {
      ...places(fx, { headline: [String(b)] }),
      version: seenByTwo,
    });
    const late = await one.post('/admin/front', {
      ...places(fx, { headline: [String(a)] }),
      version: seenByOne,
    });
    expect(late.statusCode).toBe(409);
    expect(late.body).toContain('고편집 님이');
    expect(late.body).toContain(`value="${a}"`);
    expect(await app.services.front.arrangement()).toEqual({ headline: [b] });
    // Saving again, knowing, replaces it; the colleague's version stays in the history.
    const again = await one.post('/admin/front', {
      ...places(fx, { headline: [String(a)] }),
      version: version(late.body),
    });
    expect(again.statusCode).toBe(303);
    expect(await app.services.front.arrangement()).toEqual({ headline: [a] });
    expect((await app.services.front.history()).map((v) => v.userName)).toEqual([
      '한데스크',
      '고편집',
    ]);
  });
});
