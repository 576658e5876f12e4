import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../testing/app.ts';
import { hubBody, hubRow, startFakeKma, type FakeKma } from '../../../testing/fake-kma.ts';
import { addStaff as addUser, as, signIn } from '../../../testing/admin-session.ts';

describe('weather settings in the admin', () => {
  let app: TestApp;
  let fake: FakeKma;
  let admin: ReturnType<typeof as>;

  beforeAll(async () => {
    fake = await startFakeKma({ authKey: 'hub-key', serviceKey: 'portal-key' });
  });
  afterAll(async () => {
    await fake.close();
  });
  beforeEach(async () => {
    fake.hub.mode = 'ok';
    fake.hub.body = hubBody([
      hubRow({ TM: '202512091400', STN: 108, TA: 2.4, CA_TOT: 1 }),
      hubRow({ TM: '202512091400', STN: 184, TA: 9.8, CA_TOT: 4 }),
      hubRow({ TM: '202512091400', STN: 189, TA: 11.2, CA_TOT: 9, WC: 61 }),
    ]);
    app = await createTestApp({
      env: {
        TAMNA_KMA_AUTH_KEY: 'hub-key',
        TAMNA_KMA_SERVICE_KEY: 'portal-key',
        TAMNA_KMA_HUB_URL: fake.hubUrl,
        TAMNA_KMA_PORTAL_URL: fake.portalUrl,
      },
    });
    await app.services.weather.storeSample();
    admin = as(app, await signIn(app, await addUser(app, 'admin', '관리 담당')));
  });
  afterEach(async () => {
    await app.close();
  });

  it('lists the sources and the sixteen reference places with their stored readings', async () => {
    const page = await admin.get('/admin/weather');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('기상청 API 허브 (지상관측)');
    expect(page.body).toContain('날씨 띠 장소 (16/40)');
    expect(page.body).toMatch(/<strong>동두천<\/strong> <small>ASOS 98<\/small>/);
    expect(page.body).toContain('구름많음 -0.4℃ · 12월 9일 14시');
    expect(page.body).toContain('예시 자료');
    // Stations already on the list are not offered again.
    expect(page.body).not.toContain('<option value="108">');
    expect(page.body).toContain('<option value="189">서귀포 (189)</option>');
  });

  it('adds a station and a place by coordinates, refusing bad input with the values kept', async () => {
    const added = await admin.post('/admin/weather/places', { kind: 'station', station: '189' });
    expect(added.statusCode).toBe(303);
    expect(added.headers.location).toBe('/admin/weather?ok=weather');
    const bad = await admin.post('/admin/weather/places', {
      kind: 'grid',
      name: '한림',
      lat: '북위 33도',
      lon: '126.27',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('위도는 33.2541처럼 숫자로 쓰세요.');
    expect(bad.body).toContain('value="한림"');
    expect(bad.body).toContain('value="126.27"');
    const far = await admin.post('/admin/weather/places', {
      kind: 'grid',
      name: '도쿄',
      lat: '35.68',
      lon: '139.76',
    });
    expect(far.statusCode).toBe(400);
    expect(far.body).toContain('경도는 124에서 132 사이여야 합니다');
    const grid = await admin.post('/admin/weather/places', {
      kind: 'grid',
      name: '<b>한림</b>',
      lat: '33.41',
      lon: '126.27',
    });
    expect(grid.statusCode).toBe(303);
    const again = await admin.post('/admin/weather/places', { kind: 'station', station: '189' });
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain('&#39;서귀포&#39; 지점은 이미 목록에 있습니다.');
    const unknown = await admin.post('/admin/weather/places', { kind: 'station', station: '9999' });
    expect(unknown.statusCode).toBe(400);
    const page = await admin.get('/admin/weather');
    expect(page.body).toContain('&lt;b&gt;한림&lt;/b&gt;');
    expect(page.body).not.toContain('<b>한림</b>');
    expect(page.body).toContain('격자 48,36 (33.4100, 126.2700)');
    expect(page.body).toContain('날씨 띠 장소 (18/40)');
  });

  it('reorders and removes places, and the public ticker follows at once', async () => {
    const before = (await app.http.inject({ url: '/' })).body;
    expect(before.indexOf('동두천')).toBeLessThan(before.indexOf('강릉'));
    await admin.post('/admin/weather/places/move', { place: 'asos:98', dir: 'down' });
    await admin.post('/admin/weather/places/remove', { place: 'asos:108' });
    const after = (await app.http.inject({ url: '/' })).body;
    expect(after.indexOf('강릉')).toBeLessThan(after.indexOf('동두천'));
    expect(after).not.toMatch(/wx-place">서울</);
    const missing = await admin.post('/admin/weather/places/remove', { place: 'asos:108' });
    expect(missing.statusCode).toBe(404);
  });

  it('tests a place now, showing the parsed reading or the exact error', async () => {
    const ok = await admin.post('/admin/weather/places/test', { place: 'asos:108' });
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toContain('서울 확인 결과');
    expect(ok.body).toContain('맑음 2.4℃ · 12월 9일 14시 기준');
    expect(ok.body).toContain('<dt>CA_TOT 전운량</dt><dd>1/10</dd>');
    fake.hub.mode = 'wrong-key';
    const refused = await admin.post('/admin/weather/places/test', { place: 'asos:108' });
    expect(refused.body).toContain(
      '실패: 인증키가 거부되었습니다 — HTTP 403: 유효한 인증키가 아닙니다.',
    );
    fake.hub.mode = 'ok';
    const absent = await admin.post('/admin/weather/places/test', { place: 'asos:98' });
    expect(absent.body).toContain('실패: 응답에 동두천(98) 지점 자료가 없습니다.');
  });

  it('refreshes now and shows the report; the front page shows real readings', async () => {
    const res = await admin.post('/admin/weather/refresh');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<strong>기상청 API 허브 (지상관측)</strong> 성공 — 2곳 저장');
    expect(res.body).toContain('<strong>공공데이터포털 (단기예보)</strong> 성공');
    const front = (await app.http.inject({ url: '/' })).body;
    expect(front).toMatch(
      /wx-sky">맑음<\/span> <span class="wx-place">서울<\/span> <span class="wx-temp">2\.4℃/,
    );
    expect(front).not.toContain('class="ticker-sample"');
    fake.hub.mode = 'error500';
    const failed = await admin.post('/admin/weather/refresh');
    expect(failed.body).toContain('<strong>기상청 API 허브 (지상관측)</strong> 실패 — HTTP 500');
    expect((await admin.get('/admin/weather')).body).toContain('HTTP 500');
    expect((await app.http.inject({ url: '/' })).body).toMatch(
      /wx-place">서울<\/span> <span class="wx-temp">2\.4℃/,
    );
  }, 30_000);
});
