import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addStaff, formBody, signIn, type StaffSession } from '../../testing/admin-session.ts';
import { createTestApp, type TestApp } from '../../testing/app.ts';

/** A body of `total` bytes produced only as it is read; `read()` says how much was. */
function lazyBody(total: number, chunk = 'x'.repeat(64 * 1024)) {
  let produced = 0;
  const stream = new Readable({
    read() {
      if (produced >= total) return void this.push(null);
      produced += chunk.length;
      this.push(chunk);
    },
  });
  return { stream, read: () => produced };
}

/**
 * Four anonymous 45 MB posts took the process from 290 MB to 665 MB: the NDJSON, form and
 * multipart parsers read whole bodies before the sign-in check. Now strangers are turned
 * away before any body is read, and each large parser exists only on its own routes.
 */
describe('admin request bodies', () => {
  let app: TestApp;
  let reporter: StaffSession;
  let desk: StaffSession;

  beforeAll(async () => {
    app = await createTestApp();
    reporter = await signIn(app, await addStaff(app, 'reporter', '기자'));
    desk = await signIn(app, await addStaff(app, 'desk', '데스크'));
  });
  afterAll(async () => {
    await app.close();
  });

  it.each([
    ['/admin/api/import', 'application/x-ndjson'],
    ['/admin/photos', 'multipart/form-data; boundary=----tamna'],
    ['/admin/articles', 'application/x-www-form-urlencoded'],
    ['/admin/ads', 'multipart/form-data; boundary=----tamna'],
  ])('turns a stranger away from %s before reading the body', async (url, type) => {
    const body = lazyBody(45 * 1024 * 1024);
    const res = await app.http.inject({
      method: 'POST',
      url,
      headers: { 'content-type': type, 'content-length': String(45 * 1024 * 1024) },
      payload: body.stream,
    });
    expect(res.statusCode).toBe(401);
    expect(body.read()).toBeLessThan(1024 * 1024);
    body.stream.destroy();
  });

  it('keeps the sign-in form small', async () => {
    const res = await app.http.inject({
      method: 'POST',
      url: '/admin/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: formBody({ email: 'a@b.kr', password: 'x'.repeat(100 * 1024) }),
    });
    expect(res.statusCode).toBe(413);
  });

  it('parses multipart only where uploads are taken', async () => {
    const res = await app.http.inject({
      method: 'POST',
      url: '/admin/sections',
      headers: {
        cookie: desk.cookie,
        'x-csrf-token': desk.csrf,
        'content-type': 'multipart/form-data; boundary=----tamna',
      },
      payload:
        '------tamna\r\nContent-Disposition: form-data; name="name"\r\n\r\n사회\r\n------tamna--\r\n',
    });
    expect(res.statusCode).toBe(400);
  });

  it('takes NDJSON only on the import API, and only from those allowed to import', async () => {
    const line = JSON.stringify({ externalId: 'x-1', title: '제목', section: '사회' });
    const post = (session: StaffSession, url: string) =>
      app.http.inject({
        method: 'POST',
        url,
        headers: {
          cookie: session.cookie,
          'x-csrf-token': session.csrf,
          'content-type': 'application/x-ndjson',
        },
        payload: line,
      });
    expect((await post(reporter, '/admin/api/import')).statusCode).toBe(403);
    expect((await post(desk, '/admin/sections')).statusCode).toBe(400);
    expect((await post(desk, '/admin/api/import')).statusCode).toBe(200);
  });
});
