import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addStaff, as, signIn } from '../../../testing/admin-session.ts';
import { createTestApp, type TestApp } from '../../../testing/app.ts';

describe('섹션 in the admin', () => {
  let app: TestApp;

  beforeEach(async () => {
    app = await createTestApp();
  });
  afterEach(async () => {
    await app.close();
  });

  it('makes a readable, unique address from a Korean name when the address is left blank', async () => {
    const desk = as(app, await signIn(app, await addStaff(app, 'desk', '데스크')));
    for (const name of ['경제', '경제']) {
      const res = await desk.post('/admin/sections', { name, slug: '', layout: 'list' });
      expect(res.statusCode, res.body).toBe(303);
    }
    const hidden = await desk.post('/admin/sections', {
      name: '제주 4·3',
      slug: '',
      layout: 'list',
      hidden: '1',
    });
    expect(hidden.statusCode).toBe(303);
    const rows = await app.database.db
      .selectFrom('sections')
      .select(['slug', 'hidden'])
      .orderBy('id')
      .execute();
    expect(rows).toEqual([
      { slug: 'gyeongje', hidden: 0 },
      { slug: 'gyeongje-2', hidden: 0 },
      { slug: 'jeju-4-3', hidden: 1 },
    ]);
  });

  // The headers did not line up with the rows: each row was one cell holding a form.
  it('puts each field of a row in the cell under its header', async () => {
    await app.services.writer.createSection({ slug: 'politics', name: '정치', position: 1 });
    const desk = as(app, await signIn(app, await addStaff(app, 'desk', '데스크')));
    const html = (await desk.get('/admin/sections')).body;
    const table =
      /<table class="admin-table sections-table">[\s\S]*?<\/table>/.exec(html)?.[0] ?? '';
    const headers = table.match(/<th scope="col">/g) ?? [];
    const row = /<tbody>\s*<tr>([\s\S]*?)<\/tr>/.exec(table)?.[1] ?? '';
    expect(headers).toHaveLength(5);
    expect(row.match(/<td[ >]/g)).toHaveLength(5);
    expect(row).not.toContain('colspan');
    expect(row).toContain('form="section-');
  });
});
