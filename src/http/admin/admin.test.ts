import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { StaffRole } from '../../db/index.ts';
import { createTestApp, REFERENCE_NOW, type TestApp } from '../../testing/app.ts';
import { testDialects } from '../../testing/databases.ts';
import { hubBody, hubRow, startFakeKma, type FakeKma } from '../../testing/fake-kma.ts';
import { seedFixture, type Fixture } from '../../testing/fixtures.ts';
import { base32Decode, totp } from '../../domains/accounts/index.ts';
import {
  addStaff as addUser,
  as,
  cookieFrom,
  formBody as form,
  postLogin,
  signIn,
  STAFF_PASSWORD as PASSWORD,
  type StaffSession as Session,
} from '../../testing/admin-session.ts';

describe('admin permission matrix (every role × every admin route)', () => {
  let app: TestApp;
  let fx: Fixture;
  const sessions = new Map<StaffRole, Session>();
  let otherDraft: number;
  let firstRevision: number;
  let contributorId: number;
  let adId: number;

  beforeAll(async () => {
    app = await createTestApp();
    fx = await seedFixture(app, { articlesPerSection: 1 });
    for (const role of ['admin', 'desk', 'reporter', 'contributor'] as const) {
      sessions.set(role, await signIn(app, await addUser(app, role, `${role} 담당`)));
    }
    // Someone else's article, submitted to the desk.
    const writer = await app.services.accounts.findUserByEmail('admin@tamnailbo.example');
    const actor = { id: writer!.id, role: 'admin' as const, name: 'admin' };
    otherDraft = await app.services.desk.create(actor, {
      sectionId: fx.sections.politics,
      title: '데스크 대기 기사',
    });
    await app.services.desk.submit(actor, otherDraft);
    firstRevision = (await app.services.desk.revisions(actor, otherDraft))[0]!.id;
    contributorId = (await app.services.accounts.findUserByEmail('contributor@tamnailbo.example'))!
      .id;
    adId = await app.services.banners.create({
      slot: 'rail-1',
      title: '행렬 광고',
      imageKey: 'ads/matrix.png',
      width: 300,
      height: 250,
      linkUrl: 'https://ads.example/',
      startsAt: app.clock.now() - 3_600_000,
      endsAt: app.clock.now() + 3_600_000,
    });
  }, 60_000);
  afterAll(async () => {
    await app.close();
  });

  const everyone = ['admin', 'desk', 'reporter', 'contributor'] as const;
  const deskOnly = ['admin', 'desk'] as const;
  const adminOnly = ['admin'] as const;
  const routes: {
    method: 'GET' | 'POST';
    url: () => string;
    allowed: readonly StaffRole[];
    body?: () => Record<string, string>;
    name: string;
  }[] = [
    { method: 'GET', name: '/admin', url: () => '/admin', allowed: everyone },
    { method: 'GET', name: '/admin/articles', url: () => '/admin/articles', allowed: everyone },
    {
      method: 'GET',
      name: '/admin/articles/new',
      url: () => '/admin/articles/new',
      allowed: everyone,
    },
    { method: 'GET', name: '/admin/photos', url: () => '/admin/photos', allowed: everyone },
    {
      method: 'GET',
      name: '/admin/photos.json',
      url: () => '/admin/photos.json',
      allowed: everyone,
    },
    { method: 'GET', name: '/admin/account', url: () => '/admin/account', allowed: everyone },
    {
      method: 'GET',
      name: '/admin/articles/:id',
      url: () => `/admin/articles/${otherDraft}`,
      allowed: deskOnly,
    },
    {
      method: 'GET',
      name: '/admin/articles/:id/history',
      url: () => `/admin/articles/${otherDraft}/history`,
      allowed: deskOnly,
    },
    {
      method: 'POST',
      name: '/admin/articles/:id',
      url: () => `/admin/articles/${otherDraft}`,
      allowed: deskOnly,
      body: () => ({ sectionId: String(fx.sections.politics), title: '데스크 대기 기사' }),
    },
    {
      method: 'POST',
      name: '/admin/articles/:id/publish',
      url: () => `/admin/articles/${otherDraft}/publish`,
      allowed: deskOnly,
      body: () => ({ publishAt: '2030-01-01 09:00' }),
    },
    {
      method: 'POST',
      name: '/admin/articles/:id/unpublish',
      url: () => `/admin/articles/${otherDraft}/unpublish`,
      allowed: deskOnly,
    },
    {
      method: 'POST',
      name: '/admin/articles/:id/notices',
      url: () => `/admin/articles/${fx.published[0]}/notices`,
      allowed: deskOnly,
      body: () => ({ kind: 'correction', body: '바로잡습니다.' }),
    },
    {
      method: 'POST',
      name: '/admin/articles/:id/submit',
      url: () => `/admin/articles/${otherDraft}/submit`,
      allowed: deskOnly,
    },
    {
      method: 'POST',
      name: '/admin/articles/:id/send-back',
      url: () => `/admin/articles/${otherDraft}/send-back`,
      allowed: deskOnly,
      body: () => ({ comment: '다시 써 주세요.' }),
    },
    {
      method: 'POST',
      name: '/admin/articles/:id/autosave',
      url: () => `/admin/articles/${otherDraft}/autosave`,
      allowed: deskOnly,
      body: () => ({ sectionId: String(fx.sections.politics), title: '데스크 대기 기사' }),
    },
    {
      method: 'POST',
      name: '/admin/articles/:id/heartbeat',
      url: () => `/admin/articles/${otherDraft}/heartbeat`,
      allowed: deskOnly,
    },
    {
      method: 'GET',
      name: '/admin/articles/:id/revisions/:rev',
      url: () => `/admin/articles/${otherDraft}/revisions/${firstRevision}`,
      allowed: deskOnly,
    },
    {
      method: 'POST',
      name: '/admin/articles/:id/trash',
      url: () => `/admin/articles/${otherDraft}/trash`,
      allowed: deskOnly,
    },
    {
      method: 'POST',
      name: '/admin/articles/:id/restore',
      url: () => `/admin/articles/${otherDraft}/restore`,
      allowed: deskOnly,
    },
    {
      method: 'POST',
      name: '/admin/photos/:id',
      // The fixture's photo is on published articles: its caption is the desk's.
      url: () => `/admin/photos/${fx.photoId}`,
      allowed: deskOnly,
      body: () => ({ caption: '제주항 전경', credit: '사진=탐나일보', alt: '제주항의 배들' }),
    },
    {
      method: 'POST',
      name: '/admin/account/password',
      url: () => '/admin/account/password',
      allowed: everyone,
      body: () => ({ current: 'not-my-password', next: 'another-password-1' }),
    },
    {
      method: 'POST',
      name: '/admin/staff/:id',
      url: () => `/admin/staff/${contributorId}`,
      allowed: adminOnly,
      body: () => ({ action: 'role', role: 'contributor' }),
    },
    { method: 'GET', name: '/admin/front', url: () => '/admin/front', allowed: deskOnly },
    {
      method: 'POST',
      name: '/admin/front',
      url: () => '/admin/front',
      allowed: deskOnly,
      body: () => ({ area: 'top', articleIds: '' }),
    },
    { method: 'GET', name: '/admin/sections', url: () => '/admin/sections', allowed: deskOnly },
    {
      method: 'POST',
      name: '/admin/sections',
      url: () => '/admin/sections',
      allowed: deskOnly,
      body: () => ({ name: '', slug: '' }),
    },
    {
      method: 'POST',
      name: '/admin/sections/:id',
      url: () => `/admin/sections/${fx.sections.politics}`,
      allowed: deskOnly,
      body: () => ({ name: '정치', position: '1' }),
    },
    {
      method: 'POST',
      name: '/admin/api/import',
      url: () => '/admin/api/import',
      allowed: deskOnly,
    },
    { method: 'GET', name: '/admin/ads', url: () => '/admin/ads', allowed: deskOnly },
    { method: 'GET', name: '/admin/ads/new', url: () => '/admin/ads/new', allowed: deskOnly },
    {
      method: 'POST',
      name: '/admin/ads',
      url: () => '/admin/ads',
      allowed: deskOnly,
      body: () => ({ title: '', slot: 'rail-1', kind: 'image' }),
    },
    { method: 'GET', name: '/admin/ads/:id', url: () => `/admin/ads/${adId}`, allowed: deskOnly },
    {
      method: 'POST',
      name: '/admin/ads/:id',
      url: () => `/admin/ads/${adId}`,
      allowed: deskOnly,
      body: () => ({ title: '', slot: 'rail-1', kind: 'image' }),
    },
    {
      method: 'POST',
      name: '/admin/ads/:id/pause',
      url: () => `/admin/ads/${adId}/pause`,
      allowed: deskOnly,
      body: () => ({ paused: '0' }),
    },
    {
      method: 'GET',
      name: '/admin/ads/:id/report',
      url: () => `/admin/ads/${adId}/report`,
      allowed: deskOnly,
    },
    {
      method: 'GET',
      name: '/admin/ads/:id/report.csv',
      url: () => `/admin/ads/${adId}/report.csv`,
      allowed: deskOnly,
    },
    {
      method: 'POST',
      name: '/admin/ads/slots/:slot',
      url: () => '/admin/ads/slots/rail-1',
      allowed: adminOnly,
      body: () => ({ width: '300', height: '250', enabled: '1' }),
    },
    { method: 'GET', name: '/admin/weather', url: () => '/admin/weather', allowed: adminOnly },
    {
      method: 'POST',
      name: '/admin/weather/places',
      url: () => '/admin/weather/places',
      allowed: adminOnly,
      body: () => ({ kind: 'grid', name: '', lat: '', lon: '' }),
    },
    {
      method: 'POST',
      name: '/admin/weather/places/move',
      url: () => '/admin/weather/places/move',
      allowed: adminOnly,
      body: () => ({ place: 'asos:108', dir: 'down' }),
    },
    {
      method: 'POST',
      name: '/admin/weather/places/test',
      url: () => '/admin/weather/places/test',
      allowed: adminOnly,
      body: () => ({ place: 'asos:108' }),
    },
    {
      method: 'POST',
      name: '/admin/weather/places/remove',
      url: () => '/admin/weather/places/remove',
      allowed: adminOnly,
      body: () => ({ place: 'nowhere' }),
    },
    {
      method: 'POST',
      name: '/admin/weather/refresh',
      url: () => '/admin/weather/refresh',
      allowed: adminOnly,
    },
    { method: 'GET', name: '/admin/readers', url: () => '/admin/readers', allowed: deskOnly },
    {
      method: 'GET',
      name: '/admin/readers/articles/:id',
      url: () => `/admin/readers/articles/${fx.published[0]}`,
      allowed: deskOnly,
    },
    { method: 'GET', name: '/admin/staff', url: () => '/admin/staff', allowed: adminOnly },
    {
      method: 'POST',
      name: '/admin/staff',
      url: () => '/admin/staff',
      allowed: adminOnly,
      body: () => ({ name: '', email: '', role: 'reporter' }),
    },
  ];

  for (const route of routes) {
    for (const role of everyone) {
      const allowed = route.allowed.includes(role);
      it(`${route.method} ${route.name} as ${role}: ${allowed ? 'allowed' : '403'}`, async () => {
        const client = as(app, sessions.get(role)!);
        const res =
          route.method === 'GET'
            ? await client.get(route.url())
            : await client.post(route.url(), route.body?.() ?? {});
        if (allowed) expect(res.statusCode, res.body.slice(0, 300)).not.toBe(403);
        else expect(res.statusCode, res.body.slice(0, 300)).toBe(403);
        expect(res.statusCode).toBeLessThan(500);
      });
    }
  }

  it('sends strangers to the sign-in page and refuses their posts', async () => {
    const page = await app.http.inject({ url: '/admin/articles' });
    expect(page.statusCode).toBe(303);
    expect(page.headers.location).toBe('/admin/login?next=%2Fadmin%2Farticles');
    const post = await app.http.inject({
      method: 'POST',
      url: '/admin/front',
      payload: 'area=top',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(post.statusCode).toBe(401);
  });
});

describe.each(testDialects)('admin security on %s', (dialect) => {
  let app: TestApp;
  let fx: Fixture;

  beforeEach(async () => {
    app = await createTestApp({ dialect });
    fx = await seedFixture(app, { articlesPerSection: 1 });
  });
  afterEach(async () => {
    await app.close();
  });

  it('refuses a state-changing request without the session CSRF token', async () => {
    const s = await signIn(app, await addUser(app, 'desk', '오데스크'));
    const res = await as(app, s).post('/admin/front', { area: 'top', articleIds: '' }, 'forged');
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain('보안 확인(CSRF)에 실패했습니다');
    const noCookie = await app.http.inject({
      method: 'POST',
      url: '/admin/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: form({ email: 'x@y.kr', password: 'whatever-long' }),
    });
    expect(noCookie.statusCode).toBe(403);
  });

  it('throttles repeated wrong passwords with a clear message, even for the right one', async () => {
    const email = await addUser(app, 'reporter', '강기자');
    const attempt = (password: string) => postLogin(app, { email, password });
    for (let i = 0; i < 4; i++) {
      const res = await attempt('wrong-password-1');
      expect(res.statusCode).toBe(401);
      expect(res.body).toContain('이메일 또는 비밀번호가 맞지 않습니다.');
    }
    // The fifth failure locks the account; then even the right password waits.
    expect((await attempt('wrong-password-1')).statusCode).toBe(429);
    const locked = await attempt(PASSWORD);
    expect(locked.statusCode).toBe(429);
    expect(locked.body).toMatch(/\d+분 후에 다시 시도해 주세요/);
    app.clock.advance(16 * 60_000);
    await signIn(app, email);
  });

  it('ends idle sessions and signs out everywhere', async () => {
    const email = await addUser(app, 'reporter', '강기자');
    const first = await signIn(app, email);
    const second = await signIn(app, email);
    app.clock.advance(13 * 60 * 60_000);
    expect((await as(app, first).get('/admin')).statusCode).toBe(303);
    const third = await signIn(app, email);
    const fourth = await signIn(app, email);
    const out = await as(app, third).post('/admin/logout-everywhere');
    expect(out.statusCode).toBe(303);
    expect((await as(app, fourth).get('/admin')).headers.location).toMatch(/^\/admin\/login/);
    expect((await as(app, second).get('/admin')).headers.location).toMatch(/^\/admin\/login/);
  });

  it('cleans hostile HTML in every field before storing; nothing runs on the public site', async () => {
    const deskEmail = await addUser(app, 'desk', '오데스크');
    const s = await signIn(app, deskEmail);
    const hostile = {
      sectionId: String(fx.sections.politics),
      title: '<script>alert("t")</script>제목',
      subtitle: '<img src=x onerror=alert(1)>부제',
      bodyHtml: [
        '<p onclick="alert(1)">문단<script>alert(2)</script></p>',
        '<a href="javascript:alert(3)">링크</a>',
        '<svg><script>alert(4)</script></svg>',
        '<p style="width: expression(alert(5))">스타일</p>',
        '<iframe src="https://evil.example/"></iframe>',
        '<img src="https://example.com/a.jpg" onerror="alert(6)">',
      ].join(''),
      tags: '<b>태그</b>, 정상',
      seoTitle: '"><script>alert(7)</script>',
      seoDescription: '<style>body{}</style>설명',
    };
    const created = await as(app, s).post('/admin/articles', hostile);
    expect(created.statusCode, created.body.slice(0, 500)).toBe(303);
    const id = Number(/\/admin\/articles\/(\d+)/.exec(created.headers.location ?? '')?.[1]);
    const publish = await as(app, s).post(`/admin/articles/${id}/publish`);
    expect(publish.statusCode).toBe(303);
    const page = await app.http.inject({ url: `/news/${id}` });
    expect(page.statusCode).toBe(200);
    const body = page.body;
    expect(body).not.toMatch(/<script(?![^>]*\bsrc=)/i);
    // Event handlers inside a tag; escaped text that merely shows them is fine.
    expect(body).not.toMatch(/<[a-z][^>]*\son[a-z]+\s*=/i);
    expect(body).not.toContain('javascript:');
    expect(body).not.toContain('expression(');
    expect(body).not.toContain('evil.example');
    const stored = await app.services.desk.get({ id: 0, role: 'desk', name: '' }, id);
    expect(stored).toMatchObject({ title: '제목', subtitle: '부제', tags: ['정상', '태그'] });
    expect(stored.seoTitle).toBe('">');
    expect(stored.seoDescription).toBe('설명');
    const editor = await as(app, s).get(`/admin/articles/${id}`);
    expect(editor.body).not.toMatch(/<script>alert/);
  });

  it('shows bad form input next to its field and keeps what was typed', async () => {
    const s = await signIn(app, await addUser(app, 'reporter', '강기자'));
    const res = await as(app, s).post('/admin/articles', {
      sectionId: String(fx.sections.politics),
      title: '',
      subtitle: '지우면 안 되는 부제',
      bodyHtml: '<p>쓰던 본문</p>',
      embargoUntil: '내일 아침',
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('날짜와 시각을 2025-12-09 14:00 형식으로 입력하세요.');
    expect(res.body).toContain('지우면 안 되는 부제');
    expect(res.body).toContain('&lt;p&gt;쓰던 본문&lt;/p&gt;');
    const bad = await as(app, s).get('/admin/articles/abc');
    expect(bad.statusCode).toBe(404);
  });

  it('asks for the second factor after the password once TOTP is on', async () => {
    const email = await addUser(app, 'desk', '오데스크');
    const s = await signIn(app, email);
    const begin = await as(app, s).post('/admin/account/totp/begin');
    const secret = /인증 앱에 이 키를 등록하세요: <code>([A-Z2-7]+)<\/code>/.exec(begin.body)?.[1];
    expect(secret).toBeDefined();
    const code = () => totp(base32Decode(secret as string), app.clock.now());
    const wrong = await as(app, s).post('/admin/account/totp/confirm', { code: '000000' });
    expect(wrong.statusCode).toBe(400);
    const on = await as(app, s).post('/admin/account/totp/confirm', { code: code() });
    expect(on.headers.location).toBe('/admin/account?ok=totp');
    // The session that turned it on stays signed in.
    expect((await as(app, s).get('/admin')).statusCode).toBe(200);

    app.clock.advance(60_000);
    const res = await postLogin(app, { email, password: PASSWORD });
    expect(res.headers.location).toBe('/admin/2fa');
    const pending = {
      cookie: `tamna_session=${cookieFrom(res.headers['set-cookie'], 'tamna_session')}`,
      csrf: '',
    };
    const held = await as(app, pending).get('/admin/articles');
    expect(held.headers.location).toBe('/admin/2fa');
    const codePage = await as(app, pending).get('/admin/2fa');
    pending.csrf = /name="_csrf" value="([^"]+)"/.exec(codePage.body)?.[1] ?? '';
    const bad = await as(app, pending).post('/admin/2fa', { code: '123456' });
    expect(bad.statusCode).toBeGreaterThanOrEqual(400);
    const ok = await as(app, pending).post('/admin/2fa', { code: code() });
    expect(ok.headers.location).toBe('/admin');
    expect((await as(app, pending).get('/admin/articles')).statusCode).toBe(200);
  });

  it('imports NDJSON sent to the admin API by the desk', async () => {
    const s = await signIn(app, await addUser(app, 'desk', '오데스크'));
    const body = [
      JSON.stringify({
        externalId: 'api-1',
        section: '정치',
        title: 'API로 보낸 기사',
        publishedAt: '2025-01-01 09:00',
      }),
      'oops',
    ].join('\n');
    const res = await app.http.inject({
      method: 'POST',
      url: '/admin/api/import',
      headers: { cookie: s.cookie, 'x-csrf-token': s.csrf, 'content-type': 'application/x-ndjson' },
      payload: body,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ created: 1, failed: [{ line: 2 }] });
    const noToken = await app.http.inject({
      method: 'POST',
      url: '/admin/api/import',
      headers: { cookie: s.cookie, 'content-type': 'application/x-ndjson' },
      payload: body,
    });
    expect(noToken.statusCode).toBe(403);
    expect(fx.sections.politics).toBeGreaterThan(0);
  });

  it('takes photo uploads from the editor as JSON, refusing bad files with a clear message', async () => {
    const s = await signIn(app, await addUser(app, 'reporter', '강기자'));
    const upload = (bytes: Buffer, name: string) => {
      const boundary = '----tamna-test-boundary';
      const payload = Buffer.concat([
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="caption"\r\n\r\n성산일출봉 일출\r\n` +
            `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: image/jpeg\r\n\r\n`,
        ),
        bytes,
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
      return app.http.inject({
        method: 'POST',
        url: '/admin/photos',
        headers: {
          cookie: s.cookie,
          'x-csrf-token': s.csrf,
          accept: 'application/json',
          'content-type': `multipart/form-data; boundary=${boundary}`,
        },
        payload,
      });
    };
    const jpeg = await sharp({
      create: { width: 1200, height: 800, channels: 3, background: { r: 200, g: 120, b: 40 } },
    })
      .jpeg()
      .toBuffer();
    const ok = await upload(jpeg, 'sunrise.jpg');
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ caption: '성산일출봉 일출', width: 1200, height: 800 });
    expect(ok.json().srcset).toMatch(/-320\.webp 320w/);
    const bad = await upload(Buffer.from('this is not a photo'), 'fake.jpg');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatch(/사진/);
    const big = await upload(Buffer.alloc(21 * 1024 * 1024, 1), 'huge.jpg');
    expect(big.statusCode).toBe(413);
    expect(big.json().error).toBe('파일이 너무 큽니다. 20MB 이하로 올려 주세요.');
  });
});

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
    expect(again.statusCode).toBe(400);
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
