import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addStaff, as, signIn } from '../../../testing/admin-session.ts';
import { createTestApp, type TestApp } from '../../../testing/app.ts';

describe('API 키 in the admin', () => {
  let app: TestApp;
  let admin: ReturnType<typeof as>;

  beforeAll(async () => {
    app = await createTestApp();
    admin = as(app, await signIn(app, await addStaff(app, 'admin', '관리 담당')));
  });
  afterAll(async () => {
    await app?.close();
  });

  const api = (key: string) =>
    app.http.inject({ url: '/api/v1/sections', headers: { authorization: `Bearer ${key}` } });

  it('is for admins only', async () => {
    const page = await admin.get('/admin/api-keys');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<a href="/admin/api-keys" aria-current="page">API 키</a>');
    expect(page.body).toContain('만든 키가 없습니다.');
    const desk = as(app, await signIn(app, await addStaff(app, 'desk', '데스크 담당')));
    expect((await desk.get('/admin/api-keys')).statusCode).toBe(403);
    expect((await desk.post('/admin/api-keys', { name: 'x', rateLimit: '10' })).statusCode).toBe(
      403,
    );
    expect((await desk.get('/admin')).body).not.toContain('/admin/api-keys');
  });

  it('shows a new key once, keeps only its prefix in the list, and revokes it', async () => {
    const noCsrf = await admin.post('/admin/api-keys', { name: '포털', rateLimit: '60' }, 'wrong');
    expect(noCsrf.statusCode).toBe(403);

    const made = await admin.post('/admin/api-keys', {
      name: '<i>포털</i> 제휴 동기화',
      rateLimit: '60',
    });
    expect(made.statusCode).toBe(200);
    const key = /<code class="invite-link secret-once">(tamna_[A-Za-z0-9_-]{43})<\/code>/.exec(
      made.body,
    )?.[1];
    expect(key).toBeDefined();
    expect(made.body).toContain('지금 한 번만');
    expect(made.body).toContain('「포털 제휴 동기화」 키를 만들었습니다.');
    expect(made.headers['cache-control']).toBe('no-store');
    expect((await api(key as string)).statusCode).toBe(200);

    const list = await admin.get('/admin/api-keys');
    expect(list.body).not.toContain(key as string);
    expect(list.body).toContain(`<code>${(key as string).slice(0, 10)}…</code>`);
    expect(list.body).toContain('60회');
    expect(list.body).toContain('관리 담당');
    expect(list.body).toContain('2025.12.09 14:00'); // last used

    const id = /action="\/admin\/api-keys\/(\d+)\/revoke"/.exec(list.body)?.[1];
    const revoked = await admin.post(`/admin/api-keys/${id}/revoke`);
    expect(revoked.statusCode).toBe(303);
    expect(revoked.headers.location).toBe('/admin/api-keys?ok=api-key-revoked');
    expect((await api(key as string)).statusCode).toBe(401);
    const after = await admin.get('/admin/api-keys?ok=api-key-revoked');
    expect(after.body).toContain('API 키를 폐기했습니다.');
    expect(after.body).toContain('폐기 2025.12.09 14:00');
  });

  it('refuses a bad name or limit in Korean, keeping what was typed', async () => {
    const bad = await admin.post('/admin/api-keys', { name: '모바일 앱', rateLimit: '백' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('분당 요청 한도는 1에서 10,000 사이의 정수로 입력하세요.');
    expect(bad.body).toContain('value="모바일 앱"');
    expect(bad.body).toContain('value="백"');
    const big = await admin.post('/admin/api-keys', { name: '모바일 앱', rateLimit: '10001' });
    expect(big.statusCode).toBe(400);
    const empty = await admin.post('/admin/api-keys', { name: '  ', rateLimit: '10' });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('키 이름을 입력하세요.');
    expect((await admin.get('/admin/api-keys/abc/revoke')).statusCode).toBe(404);
  });
});
