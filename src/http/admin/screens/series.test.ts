import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addStaff, as, signIn, type StaffSession } from '../../../testing/admin-session.ts';
import { createTestApp, type TestApp } from '../../../testing/app.ts';
import { seedFixture, type Fixture } from '../../../testing/fixtures.ts';
import { postMultipart } from '../../../testing/multipart.ts';

/** 연재: the desk makes a series, puts parts in order, and readers see it at once. */
describe('연재 screen', () => {
  let app: TestApp;
  let fx: Fixture;
  let desk: StaffSession;
  let reporter: StaffSession;

  beforeAll(async () => {
    app = await createTestApp();
    fx = await seedFixture(app);
    desk = await signIn(app, await addStaff(app, 'desk', '오데스크'));
    reporter = await signIn(app, await addStaff(app, 'reporter', '강기자'));
  });
  afterAll(async () => {
    await app.close();
  });

  it('is for those who may publish: reporters are refused and see no menu entry', async () => {
    expect((await as(app, reporter).get('/admin/series')).statusCode).toBe(403);
    expect((await as(app, reporter).post('/admin/series', { title: '몰래' })).statusCode).toBe(403);
    expect((await as(app, reporter).get('/admin')).body).not.toContain('href="/admin/series"');
    expect((await as(app, desk).get('/admin')).body).toContain('href="/admin/series"');
  });

  it('creates a series with an image, orders its parts, and shows it to readers', async () => {
    const image = await sharp({
      create: { width: 320, height: 180, channels: 3, background: '#2a6f97' },
    })
      .jpeg()
      .toBuffer();
    const created = await postMultipart(
      app,
      desk,
      '/admin/series',
      { title: '제주 바다 이야기', description: '세 차례 연재합니다.' },
      [{ field: 'photo', filename: 'sea.jpg', type: 'image/jpeg', bytes: image }],
    );
    expect(created.statusCode).toBe(303);
    const edit = created.headers.location as string;
    expect(edit).toMatch(/^\/admin\/series\/\d+\?ok=series$/);
    const id = Number(/\/admin\/series\/(\d+)/.exec(edit)?.[1]);
    const page = await as(app, desk).get(edit);
    expect(page.body).toContain('연재를 저장했습니다.');
    expect(page.body).toContain('class="series-thumb"');

    const [a, b, c] = fx.published as [number, number, number];
    const saved = await as(app, desk).post(`/admin/series/${id}/parts`, {
      parts: `${c}\n${a}, ${b}번`,
    });
    expect(saved.statusCode).toBe(303);
    const after = (await as(app, desk).get(`/admin/series/${id}`)).body;
    expect(after.indexOf('정치 기사 3')).toBeLessThan(after.indexOf('정치 기사 1'));

    const site = await app.http.inject({ url: `/series/${id}` });
    expect(site.statusCode).toBe(200);
    expect(site.body).toContain('제주 바다 이야기');
    expect(site.body).toContain('<picture>');
    expect((await app.http.inject({ url: `/news/${a}` })).body).toContain('연재 2회');

    // Bad input is said in Korean next to the form, with what was typed.
    const bad = await as(app, desk).post(`/admin/series/${id}/parts`, { parts: `${a}, 12a` });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('기사 번호가 아닙니다: 12a');
    expect(bad.body).toContain(`${a}, 12a`);
    const missing = await as(app, desk).post(`/admin/series/${id}/parts`, { parts: '999999' });
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toContain('999999번 기사는 없거나 휴지통에 있습니다.');
    const notImage = await postMultipart(app, desk, `/admin/series/${id}`, { title: '제목' }, [
      { field: 'photo', filename: 'x.jpg', type: 'image/jpeg', bytes: Buffer.from('not an image') },
    ]);
    expect(notImage.statusCode).toBe(400);
    const blank = await postMultipart(app, desk, `/admin/series/${id}`, { title: '  ' });
    expect(blank.statusCode).toBe(400);
    expect(blank.body).toContain('연재 제목을 입력하세요.');

    // Without the CSRF token nothing changes.
    const forged = await as(app, desk).post(`/admin/series/${id}/delete`, {}, 'wrong');
    expect(forged.statusCode).toBe(403);
    expect((await app.http.inject({ url: `/series/${id}` })).statusCode).toBe(200);

    const removed = await as(app, desk).post(`/admin/series/${id}/delete`);
    expect(removed.headers.location).toBe('/admin/series?ok=removed');
    expect((await app.http.inject({ url: `/series/${id}` })).statusCode).toBe(404);
    expect((await app.http.inject({ url: `/news/${a}` })).body).not.toContain('연재 2회');
    expect((await as(app, desk).get('/admin/series/999999')).statusCode).toBe(404);
  });
});
