import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addStaff, as, signIn } from '../../../testing/admin-session.ts';
import { createTestApp, type TestApp } from '../../../testing/app.ts';
import { seedFixture } from '../../../testing/fixtures.ts';

/** GET /admin/articles/:id took the "is editing" mark: a side effect on GET (a prefetch did it). */
describe('the editing mark', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp();
    await seedFixture(app);
  });
  afterAll(async () => {
    await app.close();
  });

  it('is taken by the editor’s heartbeat, not by opening the page', async () => {
    const reporterEmail = await addStaff(app, 'reporter', '강기자');
    const reporter = as(app, await signIn(app, reporterEmail));
    const desk = as(app, await signIn(app, await addStaff(app, 'desk', '오데스크')));
    const user = await app.services.accounts.findUserByEmail(reporterEmail);
    const actor = { id: user!.id, role: 'reporter' as const, name: '강기자' };
    const id = await app.services.desk.create(actor, {
      sectionId: (await app.services.content.allSectionsForDesk())[0]!.id,
      title: '잠금 시험 기사',
    });
    await app.services.desk.submit(actor, id);

    expect((await desk.get(`/admin/articles/${id}`)).statusCode).toBe(200);
    const first = await reporter.post(`/admin/articles/${id}/heartbeat`);
    expect(first.json()).toEqual({ editingBy: null });

    const page = await desk.get(`/admin/articles/${id}`);
    expect(page.body).toContain('강기자');
    const beat = await desk.post(`/admin/articles/${id}/heartbeat`);
    expect(beat.json()).toEqual({ editingBy: '강기자' });
  });
});
