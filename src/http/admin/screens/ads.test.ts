import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, REFERENCE_NOW, type TestApp } from '../../../testing/app.ts';
import { seedFixture } from '../../../testing/fixtures.ts';
import {
  addStaff as addUser,
  as,
  signIn,
  type StaffSession as Session,
} from '../../../testing/admin-session.ts';

describe('the banner desk in the admin', () => {
  let app: TestApp;
  let desk: Session;
  let admin: Session;

  beforeEach(async () => {
    app = await createTestApp();
    await seedFixture(app, { articlesPerSection: 1 });
    desk = await signIn(app, await addUser(app, 'desk', '광고 데스크'));
    admin = await signIn(app, await addUser(app, 'admin', '관리 담당'));
  });
  afterEach(async () => {
    await app.close();
  });

  /** A multipart form as a browser sends it, with the session's CSRF token. */
  function postMultipart(
    session: Session,
    url: string,
    fields: Record<string, string | string[]>,
    file?: { name: string; type: string; bytes: Buffer },
  ) {
    const boundary = '----tamnaTestBoundary7MA4YWxk';
    const parts: Buffer[] = [];
    const add = (name: string, value: string) =>
      parts.push(
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
        ),
      );
    add('_csrf', session.csrf);
    for (const [name, value] of Object.entries(fields)) {
      for (const one of Array.isArray(value) ? value : [value]) add(name, one);
    }
    if (file) {
      parts.push(
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="image"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`,
        ),
        file.bytes,
        Buffer.from('\r\n'),
      );
    }
    parts.push(Buffer.from(`--${boundary}--\r\n`));
    return app.http.inject({
      method: 'POST',
      url,
      headers: {
        cookie: session.cookie,
        'content-type': `multipart/form-data; boundary=${boundary}`,
      },
      payload: Buffer.concat(parts),
    });
  }

  const png = () =>
    sharp({ create: { width: 600, height: 500, channels: 3, background: '#f28c28' } })
      .png()
      .toBuffer();

  const fields = (overrides: Record<string, string | string[]> = {}) => ({
    title: '감귤 축제',
    advertiser: '제주감귤농협',
    slot: 'rail-1',
    kind: 'image',
    linkUrl: 'https://festival.example/jeju',
    width: '',
    height: '',
    weight: '2',
    startsAt: '2025-12-09 00:00',
    endsAt: '2025-12-31 23:59',
    device: 'all',
    sections: ['politics'],
    ...overrides,
  });

  it('creates an image campaign from an upload, with the slot size and targeting', async () => {
    const res = await postMultipart(desk, '/admin/ads', fields(), {
      name: 'banner.png',
      type: 'image/png',
      bytes: await png(),
    });
    expect(res.statusCode, res.body.slice(0, 500)).toBe(303);
    expect(res.headers.location).toBe('/admin/ads?ok=ad');
    const [c] = await app.services.banners.campaigns();
    expect(c).toMatchObject({
      title: '감귤 축제',
      advertiser: '제주감귤농협',
      slot: 'rail-1',
      width: 300,
      height: 250,
      weight: 2,
      sections: ['politics'],
      device: 'all',
      paused: false,
    });
    expect(c?.imageKey).toMatch(/^ads\/[0-9a-f]{24}\.png$/);
    const list = await as(app, desk).get('/admin/ads');
    expect(list.body).toContain('감귤 축제');
    expect(list.body).toContain('진행 중');
    expect(list.body).toContain('모든 기기 · 정치');
  });

  it('refuses a campaign without an image, with a corrupt image, or with bad times, keeping the form', async () => {
    const missing = await postMultipart(desk, '/admin/ads', fields());
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toContain('배너 이미지를 올려 주세요.');
    expect(missing.body).toContain('value="감귤 축제"');
    expect(missing.body).toMatch(/value="politics" checked/);
    const corrupt = await postMultipart(desk, '/admin/ads', fields(), {
      name: 'banner.png',
      type: 'image/png',
      bytes: Buffer.from('this is not a picture'),
    });
    expect(corrupt.statusCode).toBe(400);
    expect(corrupt.body).toContain('이미지로 읽을 수 없는 파일입니다.');
    const times = await postMultipart(desk, '/admin/ads', fields({ endsAt: '2025-12-01 00:00' }), {
      name: 'banner.png',
      type: 'image/png',
      bytes: await png(),
    });
    expect(times.statusCode).toBe(400);
    expect(times.body).toContain('배너 종료 시각은 시작 시각보다 늦어야 합니다.');
    // Its picture was stored before the times were checked, and went with the refusal.
    const stored: string[] = [];
    for await (const file of app.services.media.list()) stored.push(file.key);
    expect(stored).toEqual([]);
    const garbled = await postMultipart(desk, '/admin/ads', fields({ startsAt: '어제' }));
    expect(garbled.statusCode).toBe(400);
    expect(garbled.body).toContain('시작 시각을 2025-12-09 14:00처럼 입력하세요.');
    expect(await app.services.banners.campaigns()).toEqual([]);
  });

  it('lets only an admin enter or edit an HTML ad tag', async () => {
    const tag = '<script src="https://ads.example/tag.js"></script>';
    const html = fields({ kind: 'html', htmlTag: tag, linkUrl: '' });
    expect((await as(app, desk).get('/admin/ads/new')).body).not.toContain('value="html"');
    expect((await postMultipart(desk, '/admin/ads', html)).statusCode).toBe(403);
    expect((await postMultipart(admin, '/admin/ads', html)).statusCode).toBe(303);
    const [c] = await app.services.banners.campaigns();
    expect(c?.htmlTag).toBe(tag);
    expect((await as(app, desk).get(`/admin/ads/${c?.id}`)).statusCode).toBe(403);
    expect((await postMultipart(desk, `/admin/ads/${c?.id}`, fields())).statusCode).toBe(403);
    expect(
      (await as(app, desk).post(`/admin/ads/${c?.id}/pause`, { paused: '1' })).statusCode,
    ).toBe(403);
    const list = (await as(app, desk).get('/admin/ads')).body;
    expect(list).not.toContain(`href="/admin/ads/${c?.id}"`);
    expect(list).toContain(`href="/admin/ads/${c?.id}/report"`);
  });

  it('pauses and resumes, and the front page follows at once', async () => {
    const id = await app.services.banners.create({
      slot: 'rail-1',
      title: '멈출 광고',
      imageKey: 'ads/pause.png',
      width: 300,
      height: 250,
      linkUrl: 'https://ads.example/',
      startsAt: REFERENCE_NOW - 3_600_000,
      endsAt: REFERENCE_NOW + 3_600_000,
    });
    expect((await app.http.inject({ url: '/' })).body).toContain(`data-banner-id="${id}"`);
    await as(app, desk).post(`/admin/ads/${id}/pause`, { paused: '1' });
    expect((await app.http.inject({ url: '/' })).body).not.toContain(`data-banner-id="${id}"`);
    expect((await as(app, desk).get('/admin/ads')).body).toContain('일시정지');
    await as(app, desk).post(`/admin/ads/${id}/pause`, { paused: '0' });
    expect((await app.http.inject({ url: '/' })).body).toContain(`data-banner-id="${id}"`);
  });

  it('reports impressions, clicks and CTR per day, as a chart and as CSV', async () => {
    const id = await app.services.banners.create({
      slot: 'rail-1',
      title: '보고서 광고',
      advertiser: '한라 여행사',
      imageKey: 'ads/report.png',
      width: 300,
      height: 250,
      linkUrl: 'https://ads.example/',
      startsAt: REFERENCE_NOW - 3 * 86_400_000,
      endsAt: REFERENCE_NOW + 86_400_000,
    });
    for (let i = 0; i < 40; i++) app.services.adStats.impression(id);
    app.services.adStats.click(id);
    await app.services.adStats.flush();
    const report = await as(app, desk).get(`/admin/ads/${id}/report`);
    expect(report.statusCode).toBe(200);
    expect(report.body).toContain('합계: 노출 40 · 클릭 1 · 클릭률 2.50%');
    expect(report.body).toContain('<svg');
    expect(report.body).toMatch(/<td>2025-12-09<\/td><td class="num">40<\/td>/);
    const csv = await as(app, desk).get(
      `/admin/ads/${id}/report.csv?from=2025-12-08&to=2025-12-09`,
    );
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toBe(
      `attachment; filename="ad-${id}-2025-12-08-2025-12-09.csv"`,
    );
    expect(csv.body).toBe(
      '\uFEFF날짜,노출,클릭,클릭률(%)\r\n2025-12-08,0,0,0.00\r\n2025-12-09,40,1,2.50\r\n합계,40,1,2.50\r\n',
    );
    const bad = await as(app, desk).get(`/admin/ads/${id}/report?from=yesterday`);
    expect(bad.statusCode).toBe(200);
    expect(bad.body).toContain('날짜는 2025-12-09 형식으로 고르세요.');
    expect((await as(app, desk).get('/admin/ads/99999/report')).statusCode).toBe(404);
    expect((await as(app, desk).get('/admin/ads/abc/report')).statusCode).toBe(404);
  });

  it('lets an admin resize slots and move the in-article banner, refusing nonsense', async () => {
    const ok = await as(app, admin).post('/admin/ads/slots/article-inline', {
      width: '640',
      height: '100',
      paragraph: '2',
      enabled: '1',
    });
    expect(ok.statusCode).toBe(303);
    const slot = (await app.services.banners.slots()).find((s) => s.id === 'article-inline');
    expect(slot).toMatchObject({ width: 640, height: 100, paragraph: 2, enabled: true });
    const bad = await as(app, admin).post('/admin/ads/slots/article-inline', {
      width: '640',
      height: '100',
      paragraph: '99',
      enabled: '1',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('본문 광고는 1~50번째 문단 뒤에 둘 수 있습니다.');
    expect(
      (await as(app, admin).post('/admin/ads/slots/nowhere', { width: '1', height: '1' }))
        .statusCode,
    ).toBe(404);
  });
});
