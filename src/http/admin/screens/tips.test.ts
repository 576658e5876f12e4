import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addStaff, as, signIn, type StaffSession } from '../../../testing/admin-session.ts';
import { createTestApp, type TestApp } from '../../../testing/app.ts';
import { jpegWithGps, tinyPdf } from '../../../testing/tip-files.ts';

describe('제보함 in the admin', () => {
  let app: TestApp;
  let desk: StaffSession;
  let reporter: StaffSession;

  beforeAll(async () => {
    app = await createTestApp();
    desk = await signIn(app, await addStaff(app, 'desk', '오데스크'));
    reporter = await signIn(app, await addStaff(app, 'reporter', '강기자'));
  });
  afterAll(async () => {
    await app.close();
  });

  async function tip(files: { bytes: Buffer; filename: string }[], address: string) {
    const admission = await app.services.tips.admit(address);
    if (!admission.ok) throw new Error('not admitted');
    return app.services.tips.submit(
      {
        name: '김<제보>',
        contact: '010-1234-5678',
        body: '제주시청 앞 가로수가\n쓰러져 있습니다.',
        consent: true,
        files,
      },
      admission.ticket,
    );
  }

  it('shows the desk new tips, opens one with its photos, and marks it seen and then done', async () => {
    const sent = await tip([{ bytes: await jpegWithGps(), filename: '가로수.jpg' }], '203.0.113.1');
    const list = await as(app, desk).get('/admin/tips');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain(`<code>${sent.receipt}</code>`);
    expect(list.body).toContain('<span class="status status-tip-new">새 제보</span>');
    expect(list.body).toContain('김&lt;제보&gt;');
    expect(list.body).toContain('<a href="/admin/tips" aria-current="page">제보함</a>');

    const open = await as(app, desk).get(`/admin/tips/${sent.id}`);
    expect(open.statusCode).toBe(200);
    expect(open.body).toContain('<a href="tel:01012345678">010-1234-5678</a>');
    expect(open.body).toContain('<p class="tip-body">제주시청 앞 가로수가\n쓰러져 있습니다.</p>');
    const src = /<img src="(\/admin\/tips\/\d+\/files\/\d+)"/.exec(open.body)?.[1];
    expect(src).toBeDefined();
    const photo = await as(app, desk).get(src!);
    expect(photo.statusCode).toBe(200);
    expect(photo.headers['content-type']).toBe('image/jpeg');
    expect(photo.headers['cache-control']).toBe('no-store');
    expect(photo.headers['content-security-policy']).toBe("default-src 'none'; sandbox");
    expect((await as(app, desk).get('/admin/tips')).body).toContain('status-tip-seen');

    const done = await as(app, desk).post(`/admin/tips/${sent.id}/status`, { status: 'done' });
    expect(done.headers.location).toBe(`/admin/tips/${sent.id}?ok=tip-done`);
    const after = await as(app, desk).get(done.headers.location!);
    expect(after.body).toContain('처리 완료로 표시했습니다.');
    expect(after.body).toMatch(/처리 완료 <time>[^<]+<\/time> 오데스크/);
  });

  it('hands a PDF over as a download, and deletes a tip with everything in it', async () => {
    const sent = await tip([{ bytes: tinyPdf(), filename: '민원 회신.pdf' }], '203.0.113.2');
    const open = await as(app, desk).get(`/admin/tips/${sent.id}`);
    const href = /<a class="button" href="(\/admin\/tips\/\d+\/files\/\d+)">PDF 내려받기/.exec(
      open.body,
    )?.[1];
    const pdf = await as(app, desk).get(href!);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.headers['content-disposition']).toBe(
      `attachment; filename="__ __.pdf"; filename*=UTF-8''${encodeURIComponent('민원 회신.pdf')}`,
    );
    expect(pdf.rawPayload.equals(tinyPdf())).toBe(true);

    const gone = await as(app, desk).post(`/admin/tips/${sent.id}/delete`);
    expect(gone.headers.location).toBe('/admin/tips?ok=tip-deleted');
    expect((await as(app, desk).get(`/admin/tips/${sent.id}`)).statusCode).toBe(404);
    expect((await as(app, desk).get(href!)).statusCode).toBe(404);
  });

  it('says plainly when the sender’s details were deleted at the end of the period', async () => {
    const sent = await tip([], '203.0.113.3');
    const now = app.clock.now();
    app.clock.advance(91 * 24 * 60 * 60 * 1000);
    expect((await app.services.tips.purgeExpired()).tips).toBeGreaterThan(0);
    // Back to today, where the desk's session is still good.
    app.clock.set(now);
    const open = await as(app, desk).get(`/admin/tips/${sent.id}`);
    expect(open.body).toContain('보관 기간(90일)이 지나');
    expect(open.body).not.toContain('010-1234-5678');
    expect(open.body).toContain('쓰러져 있습니다.');
  });

  it('opens the tip from the desk’s notice', async () => {
    const sent = await tip([], '203.0.113.4');
    const deskUser = await app.services.accounts.findUserByEmail('desk@tamnailbo.example');
    const notice = (await app.services.notifications.list(deskUser!.id)).find(
      (n) => n.tipId === sent.id,
    );
    const res = await as(app, desk).get(`/admin/notifications/${notice!.id}/open`);
    expect(res.headers.location).toBe(`/admin/tips/${sent.id}`);
    const list = await as(app, desk).get('/admin/notifications');
    expect(list.body).toContain('<span class="status status-tip">제보</span>');
  });

  it('keeps reporters out of the 제보함, its files and its actions', async () => {
    const sent = await tip([{ bytes: tinyPdf(), filename: 'a.pdf' }], '203.0.113.5');
    expect((await as(app, reporter).get('/admin')).body).not.toContain('/admin/tips');
    expect((await as(app, reporter).get('/admin/tips')).statusCode).toBe(403);
    expect((await as(app, reporter).get(`/admin/tips/${sent.id}`)).statusCode).toBe(403);
    expect((await as(app, reporter).get(`/admin/tips/${sent.id}/files/1`)).statusCode).toBe(403);
    expect((await as(app, reporter).post(`/admin/tips/${sent.id}/delete`)).statusCode).toBe(403);
    expect((await app.http.inject({ url: '/admin/tips' })).statusCode).toBe(303);
  });
});
