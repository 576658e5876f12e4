import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addStaff, as, signIn, type StaffSession } from '../../../testing/admin-session.ts';
import { createTestApp, type TestApp } from '../../../testing/app.ts';
import { seedFixture, type Fixture } from '../../../testing/fixtures.ts';
import { postMultipart } from '../../../testing/multipart.ts';

const portrait = () =>
  sharp({ create: { width: 200, height: 200, channels: 3, background: '#c96' } })
    .jpeg()
    .toBuffer();

/** The 기자 페이지 profile: staff edit theirs under 내 계정, the desk keeps outside writers'. */
describe('기자 페이지 profiles in the newsroom', () => {
  let app: TestApp;
  let fx: Fixture;
  let desk: StaffSession;
  let reporter: StaffSession;
  let reporterAuthor: number;

  beforeAll(async () => {
    app = await createTestApp();
    fx = await seedFixture(app);
    desk = await signIn(app, await addStaff(app, 'desk', '오데스크'));
    const email = await addStaff(app, 'reporter', '강서윤');
    reporter = await signIn(app, email);
    reporterAuthor = (await app.services.accounts.findUserByEmail(email))?.authorId ?? 0;
  });
  afterAll(async () => {
    await app.close();
  });

  it('lets a reporter write their own introduction and photo under 내 계정', async () => {
    const form = await as(app, reporter).get('/admin/account');
    expect(form.body).toContain('기자 페이지 소개');
    expect(form.body).toContain(`href="https://news.example.kr/reporter/${reporterAuthor}"`);
    const saved = await postMultipart(
      app,
      reporter,
      '/admin/account/profile',
      { beat: '사회부 · 환경 담당', intro: '바다와 숲을 취재합니다.' },
      [{ field: 'photo', filename: 'me.jpg', type: 'image/jpeg', bytes: await portrait() }],
    );
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe('/admin/account?ok=profile');
    const page = await app.http.inject({ url: `/reporter/${reporterAuthor}` });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<p class="profile-beat">사회부 · 환경 담당</p>');
    expect(page.body).toContain('alt="강서윤 기자 사진"');
    // The photo went through the photo library, under the reporter's name.
    const library = await app.services.photos.searchPhotos({ query: '강서윤 기자 프로필' });
    expect(library.items).toHaveLength(1);
    // The name is the account's: a posted name is ignored.
    await postMultipart(app, reporter, '/admin/account/profile', {
      name: '다른 사람',
      beat: '',
      intro: '',
      removePhoto: '1',
    });
    const after = (await app.http.inject({ url: `/reporter/${reporterAuthor}` })).body;
    expect(after).toContain('강서윤 <span class="profile-title">기자');
    expect(after).toContain('class="profile-initial"');
  });

  it('refuses what is not a photo or too long with a Korean message and keeps the typing', async () => {
    const junk = await postMultipart(
      app,
      reporter,
      '/admin/account/profile',
      { beat: '교육 담당', intro: '소개' },
      [{ field: 'photo', filename: 'x.jpg', type: 'image/jpeg', bytes: Buffer.from('<svg/>') }],
    );
    expect(junk.statusCode).toBe(400);
    expect(junk.body).toContain('flash-error');
    expect(junk.body).toContain('value="교육 담당"');
    const long = await postMultipart(app, reporter, '/admin/account/profile', {
      beat: '가'.repeat(61),
      intro: '',
    });
    expect(long.statusCode).toBe(400);
    expect(long.body).toContain('담당 분야는 60자까지 쓸 수 있습니다 (지금 61자).');
    const before = await app.services.photos.searchPhotos({});
    // Refused text stores no photo either.
    await postMultipart(
      app,
      reporter,
      '/admin/account/profile',
      { beat: '가'.repeat(61), intro: '' },
      [{ field: 'photo', filename: 'me.jpg', type: 'image/jpeg', bytes: await portrait() }],
    );
    expect((await app.services.photos.searchPhotos({})).items.length).toBe(before.items.length);
  });

  it('lets the desk keep an outside writer’s page, and nobody else', async () => {
    expect((await as(app, reporter).get('/admin/bylines')).statusCode).toBe(403);
    const list = await as(app, desk).get('/admin/bylines');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain(`href="/admin/bylines/${fx.authorId}"`);
    // Staff bylines are listed, not editable here.
    expect(list.body).not.toContain(`href="/admin/bylines/${reporterAuthor}"`);
    expect((await as(app, desk).get(`/admin/bylines/${reporterAuthor}`)).statusCode).toBe(403);

    const created = await as(app, desk).post('/admin/bylines', {
      name: '한수정',
      title: '칼럼니스트',
    });
    expect(created.statusCode).toBe(303);
    const id = Number(/\/admin\/bylines\/(\d+)$/.exec(created.headers.location as string)?.[1]);
    const saved = await postMultipart(app, desk, `/admin/bylines/${id}`, {
      name: '한수정',
      title: '칼럼니스트',
      email: '',
      beat: '환경 칼럼',
      intro: '숲과 습지를 걷습니다.',
    });
    expect(saved.headers.location).toBe('/admin/bylines?ok=byline');
    // No article out yet: no page for readers.
    expect((await app.http.inject({ url: `/reporter/${id}` })).statusCode).toBe(404);
    await app.services.writer.createArticle({
      sectionId: fx.sections.politics,
      title: '[기고] 곶자왈은 빈 땅이 아니다',
      status: 'published',
      authorIds: [id],
    });
    const page = await app.http.inject({ url: `/reporter/${id}` });
    expect(page.body).toContain('한수정 <span class="profile-title">칼럼니스트');
    expect(page.body).toContain('<p class="profile-beat">환경 칼럼</p>');
    expect(page.body).toContain('<ul class="profile-links"><li><a class="feed-link"');

    const taken = await postMultipart(app, desk, `/admin/bylines/${id}`, {
      name: '한수정',
      title: '',
      email: 'kim@tamnailbo.example',
      beat: '',
      intro: '',
    });
    expect(taken.statusCode).toBe(409);
    expect(taken.body).toContain('다른 바이라인이 이미 쓰고 있는 이메일입니다.');
    const noName = await postMultipart(app, desk, `/admin/bylines/${id}`, {
      name: ' ',
      beat: '',
      intro: '',
    });
    expect(noName.statusCode).toBe(400);
    expect(noName.body).toContain('이름을 입력하세요.');
    expect((await as(app, desk).get('/admin/bylines/999999')).statusCode).toBe(404);
  });
});
