import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addStaff,
  as,
  cookieFrom,
  formBody,
  signIn,
  STAFF_PASSWORD,
} from '../../../testing/admin-session.ts';
import { createTestApp, type TestApp } from '../../../testing/app.ts';
import { startFakeSmtp, type FakeSmtp } from '../../../testing/fake-smtp.ts';

/** An admin copied raw setup links by hand; the setup page did not say whose account it was. */
describe('invitations and password resets by e-mail', () => {
  let smtp: FakeSmtp;
  let app: TestApp;
  beforeAll(async () => {
    smtp = await startFakeSmtp();
    app = await createTestApp({ env: { TAMNA_SMTP_URL: smtp.url } });
  });
  afterAll(async () => {
    await app.close();
    await smtp.close();
  });

  /** Opens a setup link as the invited person's browser does and sets the password. */
  async function setUp(link: string, password: string) {
    const url = link.replace('https://news.example.kr', '');
    const page = await app.http.inject({ url });
    const csrf = cookieFrom(page.headers['set-cookie'], 'tamna_login_csrf') ?? '';
    const token = new URL(link).searchParams.get('token') ?? '';
    const post = await app.http.inject({
      method: 'POST',
      url: '/admin/setup',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        cookie: `tamna_login_csrf=${csrf}`,
      },
      payload: formBody({ _csrf: csrf, token, password }),
    });
    return { page, post };
  }

  it('mails the invitation; the link names the account and signs the newcomer in', async () => {
    const admin = as(app, await signIn(app, await addStaff(app, 'admin', '고한결')));
    const invited = await admin.post('/admin/staff', {
      name: '문서윤',
      email: 'moon@tamnailbo.example',
      role: 'reporter',
    });
    expect(invited.statusCode).toBe(200);
    expect(invited.body).toContain('링크를 이메일로 보냈습니다.');
    const mail = smtp.mails.find((m) => m.to.includes('moon@tamnailbo.example'));
    expect(mail?.subject).toBe('[탐나일보 뉴스룸] 뉴스룸 계정 초대');
    const link = /https:\/\/news\.example\.kr\/admin\/setup\?token=[\w-]+/.exec(mail!.text)?.[0];
    expect(link).toBeDefined();

    const weak = await setUp(link!, 'short');
    expect(weak.page.body).toContain('문서윤');
    expect(weak.page.body).toContain('moon@tamnailbo.example');
    expect(weak.post.statusCode).toBe(400);
    expect(weak.post.body).toContain('문서윤');

    const { post } = await setUp(link!, '한라산-백록담-2026');
    expect(post.statusCode).toBe(303);
    expect(post.headers.location).toBe('/admin?ok=welcome');
    const session = cookieFrom(post.headers['set-cookie'], 'tamna_session');
    const home = await app.http.inject({
      url: '/admin?ok=welcome',
      headers: { cookie: `tamna_session=${session}` },
    });
    expect(home.statusCode).toBe(200);
    expect(home.body).toContain('환영합니다');

    // Spent: the page says so instead of showing a form.
    const again = await app.http.inject({ url: link!.replace('https://news.example.kr', '') });
    expect(again.statusCode).toBe(410);
    expect(again.body).toContain('링크가 만료되었거나 이미 사용되었습니다.');
  });

  it('mails a reset link; the old password works until the link is used', async () => {
    const admin = as(
      app,
      await signIn(app, await addStaff(app, 'admin', '관리 담당', 'ops@tamnailbo.example')),
    );
    const email = await addStaff(app, 'desk', '오데스크');
    const user = await app.services.accounts.findUserByEmail(email);
    const reset = await admin.post(`/admin/staff/${user!.id}`, { action: 'reset' });
    expect(reset.body).toContain('비밀번호 재설정 링크를 만들었습니다.');
    const mail = smtp.mails.find((m) => m.to.includes(email) && m.subject.includes('재설정'));
    const link = /https:\/\/news\.example\.kr\/admin\/setup\?token=[\w-]+/.exec(mail!.text)![0];
    await signIn(app, email, STAFF_PASSWORD);
    const { page, post } = await setUp(link, '성산일출봉-새벽-2026');
    expect(page.body).toContain('비밀번호 재설정');
    expect(post.statusCode).toBe(303);
    await expect(signIn(app, email, STAFF_PASSWORD)).rejects.toThrow();
    await signIn(app, email, '성산일출봉-새벽-2026');
  });
});
