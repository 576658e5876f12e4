import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../testing/app.ts';
import { seedFixture } from '../testing/fixtures.ts';
import { addStaff, as, formBody, postLogin, signIn } from '../testing/admin-session.ts';
import { DESKTOP_BROWSER } from '../testing/user-agents.ts';

/**
 * X-Forwarded-For/-Proto/-Host were trusted from anyone: forged addresses inflated
 * 많이 본 뉴스 (150 beacons, 150 readers) and dodged the per-address login limit, a forged
 * host poisoned invitation links, and a forged protocol decided the cookie's Secure flag.
 */
describe('forwarded headers', () => {
  let app: TestApp;
  afterEach(async () => {
    await app.close();
  });

  async function beacons(id: number, count: number, remoteAddress = '203.0.113.9') {
    for (let n = 0; n < count; n++) {
      const res = await app.http.inject({
        method: 'POST',
        url: `/beacon/view?a=${id}`,
        remoteAddress,
        headers: { 'user-agent': DESKTOP_BROWSER, 'x-forwarded-for': `198.51.100.${n}` },
      });
      expect(res.statusCode).toBe(204);
    }
    await app.services.readers.flush();
    const row = await app.database.db
      .selectFrom('article_views')
      .select((eb) => eb.fn.sum<number>('views').as('views'))
      .where('article_id', '=', id)
      .executeTakeFirst();
    return Number(row?.views ?? 0);
  }

  it('counts one reader for 150 beacons with forged addresses from one peer', async () => {
    app = await createTestApp();
    const fx = await seedFixture(app);
    expect(await beacons(fx.published[0] as number, 150)).toBe(1);
  });

  it('believes X-Forwarded-For from a configured proxy only', async () => {
    app = await createTestApp({ env: { TAMNA_TRUST_PROXY: '10.0.0.0/8' } });
    const fx = await seedFixture(app);
    expect(await beacons(fx.published[0] as number, 5, '10.1.2.3')).toBe(5);
    expect(await beacons(fx.published[1] as number, 5, '203.0.113.9')).toBe(1);
  });

  it('keeps the per-address login limit on the real address whatever the header says', async () => {
    app = await createTestApp();
    const statuses: number[] = [];
    // 21 different accounts so that only the address limit (20 per 15 minutes) can apply.
    for (let n = 0; n < 21; n++) {
      const res = await postLogin(
        app,
        { email: `nobody${n}@example.kr`, password: 'wrong-pass' },
        { remoteAddress: '203.0.113.20', headers: { 'x-forwarded-for': `198.51.100.${n}` } },
      );
      statuses.push(res.statusCode);
    }
    expect(statuses.at(-1)).toBe(429);
  });

  it('builds invitation links from TAMNA_SITE_URL, never from a forged host', async () => {
    app = await createTestApp();
    const admin = await signIn(app, await addStaff(app, 'admin', '관리자'));
    const res = await app.http.inject({
      method: 'POST',
      url: '/admin/staff',
      headers: {
        cookie: admin.cookie,
        'content-type': 'application/x-www-form-urlencoded',
        host: 'evil.example',
        'x-forwarded-host': 'evil.example',
        'x-forwarded-proto': 'http',
      },
      payload: formBody({
        _csrf: admin.csrf,
        name: '새 기자',
        email: 'new@tamnailbo.example',
        role: 'reporter',
      }),
    });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('https://news.example.kr/admin/setup?token=');
    expect(res.body).not.toContain('evil.example');
  });

  it('marks cookies Secure by the site URL, not by X-Forwarded-Proto', async () => {
    app = await createTestApp({ env: { TAMNA_SITE_URL: 'http://127.0.0.1:3000' } });
    const forged = await app.http.inject({
      url: '/admin/login',
      headers: { 'x-forwarded-proto': 'https' },
    });
    expect(String(forged.headers['set-cookie'])).not.toMatch(/Secure/i);
    expect(forged.headers['strict-transport-security']).toBeUndefined();
    await app.close();

    app = await createTestApp();
    const plain = await app.http.inject({ url: '/admin/login' });
    expect(String(plain.headers['set-cookie'])).toMatch(/; Secure/);
  });

  it('sends HSTS on every response once the site is on https, /media/ with nosniff', async () => {
    app = await createTestApp();
    await seedFixture(app);
    for (const url of ['/', '/admin/login', '/media/nothing.jpg', '/no-such-page']) {
      const res = await app.http.inject({ url });
      expect(res.headers['strict-transport-security'], url).toBe('max-age=31536000');
      expect(res.headers['x-content-type-options'], url).toBe('nosniff');
    }
    const staff = await signIn(app, await addStaff(app, 'desk', '데스크'));
    expect((await as(app, staff).get('/admin')).headers['strict-transport-security']).toBe(
      'max-age=31536000',
    );
  });
});
