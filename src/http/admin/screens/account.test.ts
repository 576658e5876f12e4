import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addStaff, as, postLogin, signIn } from '../../../testing/admin-session.ts';
import { createTestApp, type TestApp } from '../../../testing/app.ts';
import { DESKTOP_BROWSER, PHONE_BROWSER } from '../../../testing/user-agents.ts';
import { STAFF_PASSWORD } from '../../../testing/admin-session.ts';

describe('내 계정: signed-in devices', () => {
  let app: TestApp;

  beforeEach(async () => {
    app = await createTestApp();
  });
  afterEach(async () => {
    await app.close();
  });

  // The list showed raw User-Agent headers ("Mozilla/5.0 (Windows NT 10.0; …").
  it('names each device by browser and system, with when it was last used', async () => {
    const email = await addStaff(app, 'reporter', '고한결');
    const phone = await postLogin(
      app,
      { email, password: STAFF_PASSWORD, next: '/admin' },
      { headers: { 'user-agent': PHONE_BROWSER } },
    );
    expect(phone.statusCode).toBe(303);
    const session = await signIn(app, email);
    // signIn sends no User-Agent of its own: this session is the unknown device.
    const desktop = await postLogin(
      app,
      { email, password: STAFF_PASSWORD, next: '/admin' },
      { headers: { 'user-agent': DESKTOP_BROWSER } },
    );
    expect(desktop.statusCode).toBe(303);
    const html = (await as(app, session).get('/admin/account')).body;
    expect(html).toContain('<strong>Chrome · Windows</strong>');
    expect(html).toContain('<strong>Safari · iPhone</strong>');
    expect(html).toContain('(지금 이 기기)');
    expect(html).toContain('마지막 사용 2025.12.09');
    expect(html).not.toContain('Mozilla/5.0');
  });
});
