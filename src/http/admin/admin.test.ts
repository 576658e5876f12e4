import { HEAD_SCRIPT } from '../../views/head-script.ts';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { StaffRole } from '../../db/index.ts';
import { createTestApp, type TestApp } from '../../testing/app.ts';
import { testDialects } from '../../testing/databases.ts';
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
      body: () => ({ kind: 'correction', body: '바로잡습니다.', step: 'publish' }),
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
    { method: 'GET', name: '/admin/tips', url: () => '/admin/tips', allowed: deskOnly },
    { method: 'GET', name: '/admin/policies', url: () => '/admin/policies', allowed: adminOnly },
    {
      method: 'POST',
      name: '/admin/policies/:slug',
      url: () => '/admin/policies/ethics',
      allowed: adminOnly,
      body: () => ({ bodyHtml: '<p>진실을 보도한다.</p>' }),
    },
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
    { method: 'GET', name: '/admin/cdn', url: () => '/admin/cdn', allowed: adminOnly },
    {
      method: 'POST',
      name: '/admin/cdn/purge-url',
      url: () => '/admin/cdn/purge-url',
      allowed: adminOnly,
      body: () => ({ url: '/news/1' }),
    },
    {
      method: 'POST',
      name: '/admin/cdn/purge-all',
      url: () => '/admin/cdn/purge-all',
      allowed: adminOnly,
    },
    { method: 'POST', name: '/admin/cdn/retry', url: () => '/admin/cdn/retry', allowed: adminOnly },
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
    // The one inline script is the site's own, allowed by its hash in the CSP.
    // Structured data (JSON-LD) is data, not a script that runs; the hostile title in it has
    // every < escaped, so it cannot close its element.
    const jsonLd = [
      ...page.body.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g),
    ];
    expect(jsonLd.length).toBeGreaterThan(0);
    for (const [, data] of jsonLd) expect(data).not.toContain('<');
    const body = page.body
      .replace(`<script>${HEAD_SCRIPT}</script>`, '')
      .replace(/<script type="application\/ld\+json">[\s\S]*?<\/script>/g, '');
    expect(body).not.toMatch(/<script(?![^>]*\bsrc=)/i);
    // Event handlers inside a tag; escaped text that merely shows them is fine.
    expect(body).not.toMatch(/<[a-z][^>]*\son[a-z]+\s*=/i);
    expect(body).not.toContain('javascript:');
    expect(body).not.toContain('expression(');
    expect(body).not.toContain('evil.example');
    // Tags come back in the order typed, not by name.
    const stored = await app.services.desk.get({ id: 0, role: 'desk', name: '' }, id);
    expect(stored).toMatchObject({ title: '제목', subtitle: '부제', tags: ['태그', '정상'] });
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
