import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addStaff, as, signIn, type StaffSession } from '../testing/admin-session.ts';
import { createTestApp, type TestApp } from '../testing/app.ts';
import { testDialects } from '../testing/databases.ts';
import { seedFixture } from '../testing/fixtures.ts';
import { DESKTOP_BROWSER } from '../testing/user-agents.ts';

/**
 * Ids were parsed by nine copies with three length limits (10, 12 and 16 digits), while
 * rows have 32-bit ids on PostgreSQL. Every id in a URL, query or form now goes through
 * shared/ids.ts's parseRowId; ids no row can have are answered as not found.
 */
describe.each(testDialects)('ids out of range (%s)', (dialect) => {
  let app: TestApp;
  let desk: StaffSession;
  beforeAll(async () => {
    app = await createTestApp({ dialect });
    await seedFixture(app);
    desk = await signIn(app, await addStaff(app, 'admin', '관리자'));
  });
  afterAll(async () => {
    await app.close();
  });

  const huge = ['2147483648', '9999999999', '999999999999', '9007199254740993'];

  it.each(huge)('answers public URLs with id %s as not found', async (id) => {
    for (const url of [`/news/${id}`, `/ad/click/${id}`]) {
      const res = await app.http.inject({ url, headers: { 'user-agent': DESKTOP_BROWSER } });
      expect(res.statusCode, url).toBe(404);
    }
    // The hosted CMSs' old address sends readers on to /news/<n>, which then says 404.
    const legacy = await app.http.inject({ url: `/news/articleView.html?idxno=${id}` });
    expect([301, 404]).toContain(legacy.statusCode);
    const beacon = await app.http.inject({
      method: 'POST',
      url: `/beacon/view?a=${id}`,
      headers: { 'user-agent': DESKTOP_BROWSER },
    });
    expect(beacon.statusCode).toBeLessThan(500);
  });

  it.each(huge)('answers admin URLs with id %s as not found', async (id) => {
    const client = as(app, desk);
    for (const url of [
      `/admin/articles/${id}`,
      `/admin/articles/${id}/history`,
      `/admin/ads/${id}`,
      `/admin/readers/articles/${id}`,
      `/admin/photos?before=${id}`,
    ]) {
      const res = await client.get(url);
      expect(res.statusCode, url).toBeLessThan(500);
      if (!url.includes('?')) expect(res.statusCode, url).toBe(404);
    }
    expect((await client.post(`/admin/photos/${id}`, { caption: 'x' })).statusCode).toBe(404);
  });
});
