import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StaffRole } from '../../../db/index.ts';
import { addStaff, signIn as signInAs } from '../../../testing/admin-session.ts';
import { createTestApp, REFERENCE_NOW, type TestApp } from '../../../testing/app.ts';
import { seedFixture, type Fixture } from '../../../testing/fixtures.ts';
import { DESKTOP_BROWSER as CHROME } from '../../../testing/user-agents.ts';

const DAY = 24 * 60 * 60 * 1000;

/** A staff member of this role, signed in through the real form: their session cookie. */
async function signIn(app: TestApp, role: StaffRole): Promise<string> {
  return (await signInAs(app, await addStaff(app, role, `${role} 담당`))).cookie;
}

describe('독자 통계 in the admin', () => {
  let app: TestApp;
  let fx: Fixture;

  beforeEach(async () => {
    app = await createTestApp();
    fx = await seedFixture(app);
  });
  afterEach(async () => {
    await app.close();
  });

  async function read(id: number, readers: number, from = 0): Promise<void> {
    for (let n = from; n < from + readers; n++) {
      await app.http.inject({
        method: 'POST',
        url: `/beacon/view?a=${id}`,
        remoteAddress: `192.0.2.${n}`,
        headers: { 'user-agent': CHROME },
      });
    }
    await app.services.readers.flush();
  }

  it('shows the desk views per day as a chart and a table, per section, and today’s top articles', async () => {
    const [politics, society] = [fx.published[0] as number, fx.published[3] as number];
    app.clock.set(REFERENCE_NOW - 2 * DAY);
    await read(politics, 4);
    app.clock.set(REFERENCE_NOW);
    await read(politics, 2, 10);
    await read(society, 3, 20);
    await app.services.writer.setStatus(society, 'unpublished');

    const cookie = await signIn(app, 'desk');
    const res = await app.http.inject({ url: '/admin/readers', headers: { cookie } });
    expect(res.statusCode).toBe(200);
    const html = res.body;
    expect(html).toContain('<a href="/admin/readers" aria-current="page">독자 통계</a>');
    expect(html).toMatch(/<dt>오늘<\/dt><dd>5<\/dd>/);
    expect(html).toMatch(/<dt>최근 7일<\/dt><dd>9<\/dd>/);
    // The chart: 30 bars, named for screen readers, every figure also in the table.
    expect(html).toContain(
      '<svg viewBox="0 0 600 220" role="img" aria-labelledby="readers-daily-chart-title" focusable="false"><title id="readers-daily-chart-title">최근 30일 일별 조회: 30일 합계 9회, 가장 많은 날 12월 9일 (화) 5회, 오늘 5회.</title>',
    );
    expect(html.match(/<rect class="readers-bar/g)).toHaveLength(30);
    // The scale ends on a round number with a whole middle line.
    expect(html).toContain('text-anchor="end">10</text>');
    expect(html).toContain('text-anchor="end">5</text>');
    expect(html).toContain('<title>12월 9일 (화) 5회</title>');
    expect(html).toMatch(/<th scope="row">12월 9일 \(화\)<\/th><td class="num">5<\/td>/);
    expect(html).toMatch(/<th scope="row">11월 10일 \(월\)<\/th><td class="num">0<\/td>/);
    // Sections, last 7 days, as bars with their numbers.
    expect(html).toMatch(
      /<th scope="row">정치<\/th><td class="readers-hbar-cell"><svg[^>]*><rect width="100\.0" height="10"><\/rect><\/svg><\/td><td class="num">6 <small>\(67%\)<\/small>/,
    );
    expect(html).toMatch(/<th scope="row">사회<\/th>[\s\S]*?<rect width="50\.0"/);
    // Today's top articles link to the editor; an unpublished one is marked.
    expect(html).toMatch(
      new RegExp(
        `<td class="num">1</td><td><a href="/admin/articles/${society}">사회 기사 1</a><small class="readers-status"> 출고 취소</small></td><td>사회</td><td class="num">3</td>`,
      ),
    );
    expect(html).toContain(`<a href="/admin/articles/${politics}">정치 기사 1</a>`);
    expect(html).toContain(`href="/admin/readers/articles/${politics}"`);

    const one = await app.http.inject({
      url: `/admin/readers/articles/${politics}`,
      headers: { cookie },
    });
    expect(one.statusCode).toBe(200);
    expect(one.body).toContain('「정치 기사 1」 최근 30일 일별 조회: 30일 합계 6회');
    expect(one.body).toMatch(/<th scope="row">12월 7일 \(일\)<\/th><td class="num">4<\/td>/);
    for (const bad of ['999999', 'abc', '0']) {
      const missing = await app.http.inject({
        url: `/admin/readers/articles/${bad}`,
        headers: { cookie },
      });
      expect(missing.statusCode, bad).toBe(404);
    }
  });

  it('says so when nothing has been read yet', async () => {
    const cookie = await signIn(app, 'admin');
    const html = (await app.http.inject({ url: '/admin/readers', headers: { cookie } })).body;
    expect(html).toContain('최근 30일 일별 조회: 아직 조회가 없습니다.');
    expect(html).toContain('최근 7일 동안 조회가 없습니다.');
    expect(html).toContain('오늘은 아직 조회가 없습니다.');
  });

  it('is not in a reporter’s menu', async () => {
    const cookie = await signIn(app, 'reporter');
    const html = (await app.http.inject({ url: '/admin', headers: { cookie } })).body;
    expect(html).not.toContain('독자 통계');
  });
});
