import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addStaff, as, signIn, type StaffSession } from '../../../testing/admin-session.ts';
import { createTestApp, type TestApp } from '../../../testing/app.ts';

describe('약관·정책 in the admin', () => {
  let app: TestApp;
  let admin: StaffSession;
  let desk: StaffSession;

  beforeAll(async () => {
    app = await createTestApp();
    admin = await signIn(app, await addStaff(app, 'admin', '고한결'));
    desk = await signIn(app, await addStaff(app, 'desk', '오데스크'));
  });
  afterAll(async () => {
    await app.close();
  });

  it('lists the seven pages, and opens one in the article editor with its default wording', async () => {
    const list = await as(app, admin).get('/admin/policies');
    expect(list.statusCode).toBe(200);
    for (const title of [
      '이용약관',
      '개인정보처리방침',
      '청소년보호정책',
      '저작권 정책',
      '윤리강령',
      '기사제보',
      '광고문의',
    ])
      expect(list.body).toContain(`>${title}</a>`);
    expect(list.body.match(/기본 문안<\/td>/g)).toHaveLength(7);
    expect(list.body).toContain('<a href="/admin/policies" aria-current="page">약관·정책</a>');

    const editor = await as(app, admin).get('/admin/policies/privacy');
    expect(editor.statusCode).toBe(200);
    expect(editor.body).toContain('<div class="editor" data-editor>');
    expect(editor.body).toContain('editor.');
    expect(editor.body).toContain('개인정보 보호책임자: 고한결 (발행인)');
    expect(editor.body).toContain('지금은 기본 문안이 나가고 있습니다');
  });

  it('stores what the editor sends, cleaned, and readers see it; versions are kept', async () => {
    const saved = await as(app, admin).post('/admin/policies/terms', {
      bodyHtml:
        '<h2>제1조 (목적)</h2><p>이 약관은<img src=x onerror="alert(1)"> 목적을 정합니다.</p><script>alert(2)</script>',
    });
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe('/admin/policies/terms?ok=policy');
    const page = (await app.http.inject({ url: '/policy/terms' })).body;
    expect(page).toContain('<h2>제1조 (목적)</h2><p>이 약관은<img src="x" /> 목적을 정합니다.</p>');
    expect(page).not.toContain('alert(');
    const again = await as(app, admin).get('/admin/policies/terms?ok=policy');
    expect(again.body).toContain('저장했습니다. 독자 화면에 바로 반영됩니다.');
    expect(again.body).toMatch(/<ol><li><time>[^<]+<\/time> 고한결<\/li><\/ol>/);

    const back = await as(app, admin).post('/admin/policies/terms/default');
    expect(back.statusCode).toBe(303);
    expect((await app.http.inject({ url: '/policy/terms' })).body).toContain(
      '제1조 (목적)</h2><p>이 약관은 탐나일보',
    );
    expect(await app.services.policies.history('terms')).toHaveLength(2);
  });

  it('refuses an empty page with the editor still showing what was sent', async () => {
    const res = await as(app, admin).post('/admin/policies/youth', { bodyHtml: '<p> </p>' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('청소년보호정책 내용을 입력하세요.');
    expect(
      (await as(app, admin).post('/admin/policies/nothing', { bodyHtml: '<p>x</p>' })).statusCode,
    ).toBe(404);
  });

  it('is for admins only: the desk gets neither the menu entry nor the pages', async () => {
    const home = await as(app, desk).get('/admin');
    expect(home.body).not.toContain('/admin/policies');
    expect((await as(app, desk).get('/admin/policies')).statusCode).toBe(403);
    const post = await as(app, desk).post('/admin/policies/privacy', { bodyHtml: '<p>바꿈</p>' });
    expect(post.statusCode).toBe(403);
    expect((await as(app, desk).post('/admin/policies/privacy/default')).statusCode).toBe(403);
    // And without the session's CSRF token, not even an admin.
    const forged = await as(app, admin).post(
      '/admin/policies/privacy',
      { bodyHtml: '<p>x</p>' },
      'forged',
    );
    expect(forged.statusCode).toBe(403);
    expect((await app.services.policies.page('privacy')).isDefault).toBe(true);
  });
});
