import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addStaff, as, signIn } from '../../testing/admin-session.ts';
import { createTestApp, type TestApp } from '../../testing/app.ts';
import { testDialects } from '../../testing/databases.ts';
import { seedFixture } from '../../testing/fixtures.ts';
import type { Actor } from './desk.ts';
import { PREVIEW_LIFETIME_MS } from './previews.ts';

describe.each(testDialects)('미리보기 links on %s', (dialect) => {
  let app: TestApp;
  let writer: Actor;
  let other: Actor;
  let draftId: number;

  beforeEach(async () => {
    app = await createTestApp({ dialect });
    await seedFixture(app);
    const add = async (role: 'reporter' | 'contributor', name: string) => {
      const email = await addStaff(app, role, name, `${name}@tamnailbo.example`);
      const user = await app.services.accounts.findUserByEmail(email);
      return { id: user!.id, role, name };
    };
    writer = await add('reporter', 'kang');
    other = await add('contributor', 'oh');
    draftId = await app.services.desk.create(writer, {
      sectionId: (await app.services.content.allSectionsForDesk())[0]!.id,
      title: '서귀포 감귤 수확 시작',
      bodyHtml: '<p>올해 첫 노지 감귤이 출하됐다.</p>',
    });
  });
  afterEach(async () => {
    await app.close();
  });

  it('opens an unpublished article until it expires, and never after cancelling', async () => {
    const { previews } = app.services;
    const { token, expiresAt } = await previews.issue(writer, draftId, 'desk');
    expect(expiresAt - app.clock.now()).toBe(PREVIEW_LIFETIME_MS.desk);
    expect(await previews.open(token)).toEqual({ articleId: draftId, expiresAt, published: false });
    expect(await previews.open(`${token}x`)).toBeNull();

    const page = await app.http.inject({ url: `/preview/${token}` });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('서귀포 감귤 수확 시작');
    expect(page.body).toContain('출고 전입니다. 독자에게는 아직 보이지 않습니다.');
    expect(page.body).not.toContain('tamna:article-id');
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.headers['x-robots-tag']).toContain('noindex');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    // The public address still knows nothing of it.
    expect((await app.http.inject({ url: `/news/${draftId}` })).statusCode).toBe(404);

    app.clock.advance(PREVIEW_LIFETIME_MS.desk + 1);
    expect(await previews.open(token)).toBeNull();
    const expired = await app.http.inject({ url: `/preview/${token}` });
    expect(expired.statusCode).toBe(404);
    expect(expired.body).toContain('미리보기 링크가 만료되었거나 취소되었습니다.');

    const share = await previews.issue(writer, draftId, 'share');
    const [link] = await previews.active(writer, draftId);
    expect(link).toMatchObject({ purpose: 'share', createdBy: 'kang' });
    await previews.revoke(writer, draftId, link!.id);
    expect(await previews.open(share.token)).toBeNull();
    await expect(previews.revoke(writer, draftId, link!.id)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('keeps at most 20 open links per article, even when asked for 25 at once', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 25 }, () => app.services.previews.issue(writer, draftId, 'share')),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(20);
    const refused = results.filter((r) => r.status === 'rejected');
    expect(refused).toHaveLength(5);
    expect(refused[0]).toMatchObject({ reason: { code: 'CONFLICT' } });
    expect(await app.services.previews.active(writer, draftId)).toHaveLength(20);
  });

  it('is made only by someone who may see the article, and closes when it is binned', async () => {
    const { previews, desk } = app.services;
    await expect(previews.issue(other, draftId, 'share')).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    const { token } = await previews.issue(writer, draftId, 'desk');
    await desk.trash(writer, draftId);
    expect(await previews.open(token)).toBeNull();
    await expect(previews.issue(writer, draftId, 'desk')).rejects.toMatchObject({
      code: 'CONFLICT',
    });
  });

  it('shows the desk the saved article at phone and desktop width, and a link to send', async () => {
    const session = await signIn(app, 'kang@tamnailbo.example');
    const reporter = as(app, session);
    const look = await reporter.post(`/admin/articles/${draftId}/preview`, { purpose: 'desk' });
    expect(look.statusCode).toBe(200);
    const frame = /<iframe src="(\/preview\/[\w-]+)"/.exec(look.body)?.[1];
    expect(frame).toBeDefined();
    expect((await app.http.inject({ url: frame! })).body).toContain('서귀포 감귤 수확 시작');
    expect(look.headers['content-security-policy']).toContain("frame-src 'self'");

    const share = await reporter.post(`/admin/articles/${draftId}/preview`, { purpose: 'share' });
    expect(share.body).toMatch(/https:\/\/news\.example\.kr\/preview\/[\w-]+/);
    const list = await reporter.get(`/admin/articles/${draftId}/preview`);
    expect(list.body).toContain('취재원 확인용');
    expect(list.body).toContain('데스크 확인용');

    const stranger = as(app, await signIn(app, 'oh@tamnailbo.example'));
    expect((await stranger.post(`/admin/articles/${draftId}/preview`)).statusCode).toBe(403);
  });
});
