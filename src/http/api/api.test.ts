import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, REFERENCE_NOW, type TestApp } from '../../testing/app.ts';
import { testDialects } from '../../testing/databases.ts';
import { seedFixture, type Fixture } from '../../testing/fixtures.ts';

const HOUR = 60 * 60 * 1000;
const KST_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+09:00$/;

interface Summary {
  id: number;
  url: string;
  title: string;
  section: { slug: string };
  bylines: { id: number; name: string }[];
  tags: string[];
  publishedAt: string;
  featuredPhoto: { url: string; renditions: { url: string }[] } | null;
}
interface ListBody {
  data: Summary[];
  nextCursor: string | null;
}
interface ErrorBody {
  error: { code: string; message: string };
}

async function newKey(app: TestApp, rateLimit = 10_000): Promise<string> {
  return (await app.services.apiKeys.create({ name: '테스트 연동', rateLimit, createdBy: null }))
    .key;
}

function client(app: TestApp, key: string | null) {
  return (url: string, headers: Record<string, string> = {}) =>
    app.http.inject({
      url,
      headers: key === null ? headers : { authorization: `Bearer ${key}`, ...headers },
    });
}

describe.each(testDialects)('content API on %s', (dialect) => {
  let app: TestApp;
  let fx: Fixture;
  let get: ReturnType<typeof client>;

  beforeAll(async () => {
    app = await createTestApp({ dialect });
    fx = await seedFixture(app, { articlesPerSection: 3 });
    get = client(app, await newKey(app));
  });
  afterAll(async () => {
    await app?.close();
  });

  /** Every page of a listing, following nextCursor. */
  async function walk(url: string, between?: () => Promise<void>): Promise<Summary[]> {
    const seen: Summary[] = [];
    let cursor: string | null = null;
    for (let n = 0; n < 50; n++) {
      const sep = url.includes('?') ? '&' : '?';
      const res = await get(cursor === null ? url : `${url}${sep}cursor=${cursor}`);
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json<ListBody>();
      seen.push(...body.data);
      cursor = body.nextCursor;
      if (cursor === null) return seen;
      await between?.();
    }
    throw new Error('too many pages');
  }

  it('answers 401 in JSON without a key, with an unknown key and with a revoked key', async () => {
    const bare = await client(app, null)('/api/v1/articles');
    expect(bare.statusCode).toBe(401);
    expect(bare.headers['content-type']).toContain('application/json');
    expect(bare.headers['www-authenticate']).toContain('Bearer');
    expect(bare.headers['access-control-allow-origin']).toBe('*');
    expect(bare.json<ErrorBody>().error.code).toBe('missing_api_key');

    const unknown = await client(app, `tamna_${'A'.repeat(43)}`)('/api/v1/articles');
    expect(unknown.statusCode).toBe(401);
    expect(unknown.json<ErrorBody>().error).toEqual({
      code: 'invalid_api_key',
      message: '알 수 없거나 폐기된 API 키입니다.',
    });
    const garbage = await client(app, 'x'.repeat(5000))('/api/v1/articles');
    expect(garbage.statusCode).toBe(401);

    const key = await newKey(app);
    const viaHeader = await app.http.inject({
      url: '/api/v1/sections',
      headers: { 'x-api-key': key },
    });
    expect(viaHeader.statusCode).toBe(200);
    const id = (await app.services.apiKeys.list()).find((k) => k.prefix === key.slice(0, 10))?.id;
    expect(id).toBeDefined();
    await app.services.apiKeys.revoke(id as number);
    const revoked = await client(app, key)('/api/v1/sections');
    expect(revoked.statusCode).toBe(401);
    expect(revoked.json<ErrorBody>().error.code).toBe('invalid_api_key');
  });

  it('stores only a hash of each key and records when it was last used', async () => {
    const { key, id } = await app.services.apiKeys.create({
      name: '<b>포털</b> 동기화',
      rateLimit: 60,
      createdBy: null,
    });
    expect(key).toMatch(/^tamna_[A-Za-z0-9_-]{43}$/);
    const row = await app.database.db
      .selectFrom('api_keys')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(key.slice(10));
    expect(row.key_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.name).toBe('포털 동기화');
    expect(row.last_used_at).toBeNull();
    await client(app, key)('/api/v1/sections');
    const listed = (await app.services.apiKeys.list()).find((k) => k.id === id);
    expect(listed?.lastUsedAt).toBe(app.clock.now());
  });

  it('lists what readers see, newest first, with absolute addresses and KST times', async () => {
    const all = await walk('/api/v1/articles?limit=100');
    expect(all.map((a) => a.id)).toEqual([...fx.published].reverse());
    expect(all.map((a) => a.title)).not.toContain('숨긴 섹션 기사');
    const first = all.at(-1) as Summary;
    expect(first.url).toBe(`https://news.example.kr/news/${first.id}`);
    expect(first.publishedAt).toMatch(KST_TIME);
    expect(first.bylines).toEqual([
      { id: fx.authorId, name: '김탐나', title: '', email: 'kim@tamnailbo.example' },
    ]);
    expect(first.tags).toEqual(['제주', '정치']);
    expect(first.featuredPhoto?.url).toBe('https://news.example.kr/media/fixture/photo.jpg');
    expect(first.featuredPhoto?.renditions.map((r) => r.url)).toEqual([
      'https://news.example.kr/media/fixture/photo-480.webp',
      'https://news.example.kr/media/fixture/photo-960.webp',
    ]);
  });

  it('filters by section (with sub-sections), tag, author and publish time', async () => {
    const ids = async (query: string) =>
      (await walk(`/api/v1/articles?${query}`)).map((a) => a.title);
    expect(await ids('section=society')).toEqual([
      '제주시 기사 3',
      '제주시 기사 2',
      '제주시 기사 1',
      '사회 기사 3',
      '사회 기사 2',
      '사회 기사 1',
    ]);
    expect(await ids('section=jeju-city&limit=2')).toHaveLength(3);
    expect(await ids(`tag=${encodeURIComponent('사건')}`)).toEqual([
      '사건 기사 3',
      '사건 기사 2',
      '사건 기사 1',
    ]);
    expect(await ids(`author=${fx.authorId}&section=politics`)).toHaveLength(3);
    expect(await ids('author=999999')).toEqual([]);
    // The fixture publishes one article an hour, the first 99 hours before now.
    const at = (hoursAgo: number) => new Date(REFERENCE_NOW - hoursAgo * HOUR).toISOString();
    expect(await ids(`from=${encodeURIComponent(at(87))}`)).toEqual([
      '포토 기사 3',
      '포토 기사 2',
      '포토 기사 1',
    ]);
    expect(
      await ids(`from=${encodeURIComponent(at(95))}&until=${encodeURIComponent(at(93))}`),
    ).toEqual(['사회 기사 3', '사회 기사 2']);
    // A date alone is a KST day (the first 13 fall on 12월 5일, 11시–23시); `until` with a
    // date includes that day.
    expect(await ids('from=2025-12-06&until=2025-12-06')).toEqual(['포토 기사 3', '포토 기사 2']);
    expect(await ids('until=2025-12-05')).toHaveLength(13);
    expect(await ids('until=2025-12-04')).toEqual([]);
    expect(await ids(`from=${encodeURIComponent('2025-12-06T00:30')}`)).toEqual(['포토 기사 3']);

    const unknown = await get('/api/v1/articles?section=nowhere');
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json<ErrorBody>().error.code).toBe('unknown_section');
    // A hidden section is as good as unknown.
    expect((await get('/api/v1/articles?section=archive')).statusCode).toBe(400);
    const backwards = await get('/api/v1/articles?from=2025-12-09&until=2025-12-01');
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json<ErrorBody>().error.message).toContain('from은 until보다 앞서야');
  });

  it('pages with cursors: every article once, in order', async () => {
    const whole = await walk('/api/v1/articles?limit=100');
    for (const limit of [1, 4, 7]) {
      const paged = await walk(`/api/v1/articles?limit=${limit}`);
      expect(paged.map((a) => a.id)).toEqual(whole.map((a) => a.id));
    }
    const authors = await get('/api/v1/authors?limit=1');
    expect(authors.json<{ data: { name: string }[] }>().data.map((a) => a.name)).toEqual([
      '김탐나',
    ]);
  });

  it('refuses a bad cursor with 400 and says what to do', async () => {
    for (const cursor of [
      'abc',
      '%00',
      'v1.articles.1.2',
      Buffer.from('v1.authors.5').toString('base64url'),
      Buffer.from('v1.articles.-1.2').toString('base64url'),
      Buffer.from('v1.articles.1.99999999999').toString('base64url'),
      Buffer.from('v1.articles.1.2.3').toString('base64url'),
      'A'.repeat(201),
    ]) {
      const res = await get(`/api/v1/articles?cursor=${encodeURIComponent(cursor)}`);
      expect(res.statusCode, cursor).toBe(400);
      expect(res.json<ErrorBody>().error.code, cursor).toMatch(/invalid_cursor|invalid_request/);
    }
    const wrongKind = await get(
      `/api/v1/authors?cursor=${Buffer.from('v1.articles.5.5').toString('base64url')}`,
    );
    expect(wrongKind.json<ErrorBody>().error).toEqual({
      code: 'invalid_cursor',
      message:
        '잘못된 cursor입니다. 직전 응답의 nextCursor를 그대로 보내거나, cursor 없이 처음부터 요청하세요.',
    });
  });

  it('shows one article in full, with corrections and absolute addresses in the body', async () => {
    const id = fx.published[4] as number;
    await app.database.db
      .updateTable('articles')
      .set({
        body_html:
          '<p>본문 <a href="/news/1">앞 기사</a></p><figure class="photo" data-photo-id="1"><img src="/media/fixture/photo.jpg" srcset="/media/fixture/photo-480.webp 480w, /media/fixture/photo-960.webp 960w" alt="제주항의 배들"><figcaption>제주항 전경</figcaption></figure><p><a href="https://example.org/x">밖</a></p>',
      })
      .where('id', '=', id)
      .execute();
    await app.database.db
      .insertInto('article_notices')
      .values({
        article_id: id,
        kind: 'correction',
        body: '바로잡습니다.',
        user_id: null,
        created_at: REFERENCE_NOW - HOUR,
        updated_at: null,
        withdrawn_at: null,
      })
      .execute();
    const res = await get(`/api/v1/articles/${id}`);
    expect(res.statusCode).toBe(200);
    const article = res.json<{
      bodyHtml: string;
      notices: unknown[];
      sectionPath: { slug: string }[];
      photos: { url: string }[];
      subtitle: string[];
    }>();
    expect(article.bodyHtml).toContain('href="https://news.example.kr/news/1"');
    expect(article.bodyHtml).toContain('src="https://news.example.kr/media/fixture/photo.jpg"');
    expect(article.bodyHtml).toContain(
      'srcset="https://news.example.kr/media/fixture/photo-480.webp 480w, https://news.example.kr/media/fixture/photo-960.webp 960w"',
    );
    expect(article.bodyHtml).toContain('href="https://example.org/x"');
    expect(article.notices).toEqual([
      {
        kind: 'correction',
        label: '정정보도',
        body: '바로잡습니다.',
        createdAt: '2025-12-09T13:00:00+09:00',
        updatedAt: null,
      },
    ]);
    expect(article.sectionPath.map((s) => s.slug)).toEqual(['society']);
    expect(article.photos[0]?.url).toBe('https://news.example.kr/media/fixture/photo.jpg');
    expect(article.subtitle).toEqual(['사회 부제 첫 줄', '사회 부제 둘째 줄']);
    const missing = await get('/api/v1/articles/99999');
    expect(missing.statusCode).toBe(404);
    expect(missing.json<ErrorBody>().error.code).toBe('not_found');
  });

  it('lists visible sections with their sub-sections, and authors', async () => {
    const res = await get('/api/v1/sections');
    const sections = res.json<{ data: { slug: string; parentId: number | null; url: string }[] }>()
      .data;
    expect(sections.map((s) => s.slug)).toEqual([
      'politics',
      'society',
      'jeju-city',
      'incidents',
      'photo',
    ]);
    expect(sections[2]?.parentId).toBe(fx.sections.society);
    expect(sections[0]?.url).toBe('https://news.example.kr/section/politics');
  });

  it('searches through the site search, with the same visibility', async () => {
    const res = await get(`/api/v1/search?q=${encodeURIComponent('정치 기사')}&perPage=2`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json<{
      total: number;
      pageCount: number;
      hits: { snippet: string; article: Summary }[];
    }>();
    expect(body.total).toBeGreaterThanOrEqual(3);
    expect(body.hits).toHaveLength(2);
    expect(body.hits[0]?.article.title).toMatch(/정치 기사/);
    expect(body.hits[0]?.article.url).toMatch(/^https:\/\/news\.example\.kr\/news\/\d+$/);
    const hidden = await get(`/api/v1/search?q=${encodeURIComponent('숨긴 섹션')}`);
    expect(hidden.json<{ hits: unknown[] }>().hits).toEqual([]);
    const filtered = await get(`/api/v1/search?q=${encodeURIComponent('기사')}&section=society`);
    expect(
      filtered
        .json<{ hits: { article: Summary }[] }>()
        .hits.every((h) => ['society', 'jeju-city'].includes(h.article.section.slug)),
    ).toBe(true);
    const empty = await get('/api/v1/search?q=%20%20');
    expect(empty.statusCode).toBe(400);
    expect((await get('/api/v1/search')).json<ErrorBody>().error.message).toContain('q');
  });

  it('never answers a hostile query with a 500', async () => {
    const urls = [
      '/api/v1/articles?limit=abc',
      '/api/v1/articles?limit=0',
      '/api/v1/articles?limit=101',
      '/api/v1/articles?limit=1e99',
      '/api/v1/articles?limit=1&limit=2',
      '/api/v1/articles?section[]=a',
      '/api/v1/articles?section=a&section=b',
      `/api/v1/articles?section=${'x'.repeat(5000)}`,
      `/api/v1/articles?tag=${'가'.repeat(500)}`,
      '/api/v1/articles?tag=',
      '/api/v1/articles?tag=%F0%9F%92%A9',
      '/api/v1/articles?tag=%ED%A0%80',
      '/api/v1/articles?author=-1',
      '/api/v1/articles?author=2147483648',
      '/api/v1/articles?author=1.5',
      '/api/v1/articles?from=2025-13-45',
      '/api/v1/articles?from=2025-02-30',
      '/api/v1/articles?from=yesterday',
      '/api/v1/articles?until=2025-12-09T25:00:00Z',
      '/api/v1/articles?from=%00',
      "/api/v1/articles?tag=' OR 1=1 --",
      '/api/v1/articles?cursor=%E0%A4%A',
      '/api/v1/articles?__proto__[x]=1&constructor=1',
      '/api/v1/articles/abc',
      '/api/v1/articles/0',
      '/api/v1/articles/99999999999999999999',
      '/api/v1/articles/%E0%A4%A',
      '/api/v1/authors?limit=-5',
      '/api/v1/search?q=%22%27%3B%3C%3E*',
      `/api/v1/search?q=${'한'.repeat(201)}`,
      '/api/v1/search?q=a&page=99999',
      '/api/v1/search?q=a&sort=random',
      '/api/v1/search?q=a&from=nope',
      '/api/v1/nothing-here',
    ];
    for (const url of urls) {
      const res = await get(url);
      expect(res.statusCode, url).toBeLessThan(500);
      expect(res.headers['content-type'], url).toContain('application/json');
      if (res.statusCode >= 400) expect(res.json<ErrorBody>().error.message, url).not.toBe('');
    }
    const limit = await get('/api/v1/articles?limit=101');
    expect(limit.json<ErrorBody>().error.message).toBe(
      '잘못된 요청입니다: limit — 100 이하여야 합니다.',
    );
  });

  it('allows GET from any origin without credentials, and answers the preflight', async () => {
    const preflight = await app.http.inject({
      method: 'OPTIONS',
      url: '/api/v1/articles',
      headers: {
        origin: 'https://partner.example',
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'authorization',
      },
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('*');
    expect(preflight.headers['access-control-allow-methods']).toContain('GET');
    expect(preflight.headers['access-control-allow-headers']).toContain('Authorization');
    expect(preflight.headers['access-control-allow-credentials']).toBeUndefined();
    const res = await get('/api/v1/sections', { origin: 'https://partner.example' });
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['access-control-expose-headers']).toContain('Retry-After');
    expect(res.headers['cache-control']).toBe('no-store');
  });

  // The tests below change what is published: they come last.
  const listed = async () =>
    (await get('/api/v1/articles?limit=100')).json<ListBody>().data.map((a) => a.title);

  it('never returns drafts, scheduled, unpublished or embargoed articles', async () => {
    const { writer } = app.services;
    const base = { sectionId: fx.sections.politics, authorIds: [fx.authorId] };
    const draft = await writer.createArticle({ ...base, title: '초안' });
    const scheduled = await writer.createArticle({
      ...base,
      title: '예약',
      status: 'published',
      publishedAt: REFERENCE_NOW + HOUR,
    });
    const unpublished = await writer.createArticle({
      ...base,
      title: '출고 취소',
      status: 'unpublished',
      publishedAt: REFERENCE_NOW - HOUR,
    });
    const embargoed = await writer.createArticle({
      ...base,
      title: '엠바고',
      status: 'published',
      publishedAt: REFERENCE_NOW - HOUR,
    });
    await app.database.db
      .updateTable('articles')
      .set({ embargo_until: REFERENCE_NOW + 2 * HOUR })
      .where('id', '=', embargoed)
      .execute();
    const trashed = await writer.createArticle({
      ...base,
      title: '휴지통',
      status: 'trashed',
      publishedAt: REFERENCE_NOW - HOUR,
    });
    const hiddenOne = await writer.createArticle({
      sectionId: fx.sections.hidden,
      title: '숨긴 섹션',
      status: 'published',
      publishedAt: REFERENCE_NOW - HOUR,
    });
    const secret = [draft, scheduled, unpublished, embargoed, trashed, hiddenOne];
    const titles = await listed();
    for (const title of ['초안', '예약', '출고 취소', '엠바고', '휴지통', '숨긴 섹션'])
      expect(titles).not.toContain(title);
    for (const id of secret) expect((await get(`/api/v1/articles/${id}`)).statusCode).toBe(404);
    // The site keeps the embargo too.
    expect((await app.http.inject({ url: `/news/${embargoed}` })).statusCode).toBe(404);
    const search = await get(`/api/v1/search?q=${encodeURIComponent('엠바고')}`);
    expect(search.json<{ hits: unknown[] }>().hits).toEqual([]);

    // Their time comes: the scheduled one after an hour, the embargoed one after two.
    app.clock.advance(HOUR);
    expect(await listed()).toContain('예약');
    expect(await listed()).not.toContain('엠바고');
    app.clock.advance(HOUR);
    expect(await listed()).toContain('엠바고');
    expect((await get(`/api/v1/articles/${embargoed}`)).statusCode).toBe(200);
    expect((await app.http.inject({ url: `/news/${embargoed}` })).statusCode).toBe(200);
  });

  it('keeps pages stable while the desk publishes: nothing lost, nothing repeated', async () => {
    const before = (await get('/api/v1/articles?limit=100')).json<ListBody>().data;
    expect(before.length).toBeGreaterThan(10);
    const seen: number[] = [];
    let cursor: string | null = null;
    let published = 0;
    do {
      const res = await get(
        `/api/v1/articles?limit=3${cursor === null ? '' : `&cursor=${cursor}`}`,
      );
      const body = res.json<ListBody>();
      seen.push(...body.data.map((a) => a.id));
      cursor = body.nextCursor;
      // Between two page fetches: new articles, one at the very same millisecond as another.
      app.clock.advance(1000);
      for (let i = 0; i < 2; i++) {
        await app.services.writer.createArticle({
          sectionId: fx.sections.society,
          title: `새 기사 ${++published}`,
          status: 'published',
          publishedAt: app.clock.now(),
        });
      }
    } while (cursor !== null);
    expect(seen).toEqual(before.map((a) => a.id));
    expect(new Set(seen).size).toBe(seen.length);
    // A fresh first page starts with what came out meanwhile.
    const fresh = (await get('/api/v1/articles?limit=2')).json<ListBody>().data;
    expect(fresh.map((a) => a.title)).toEqual([`새 기사 ${published}`, `새 기사 ${published - 1}`]);
  });

  it('holds the rate limit under parallel requests and says when to come back', async () => {
    // To the start of a minute: the window then has a full minute to go.
    app.clock.set(Math.ceil(app.clock.now() / 60_000) * 60_000);
    const limited = client(app, await newKey(app, 5));
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => limited('/api/v1/sections')),
    );
    const codes = answers.map((a) => a.statusCode).sort();
    expect(codes.filter((c) => c === 200)).toHaveLength(5);
    expect(codes.filter((c) => c === 429)).toHaveLength(15);
    const refused = answers.find((a) => a.statusCode === 429);
    expect(refused?.headers['retry-after']).toBe('60');
    expect(refused?.headers['x-ratelimit-remaining']).toBe('0');
    expect(refused?.headers['access-control-allow-origin']).toBe('*');
    expect(refused?.json<ErrorBody>().error.code).toBe('rate_limited');
    app.clock.advance(45_000);
    const still = await limited('/api/v1/sections');
    expect(still.statusCode).toBe(429);
    expect(still.headers['retry-after']).toBe('15');
    app.clock.advance(15_000);
    const again = await limited('/api/v1/sections');
    expect(again.statusCode).toBe(200);
    expect(again.headers['x-ratelimit-remaining']).toBe('4');
    // Another key has its own count.
    expect((await get('/api/v1/sections')).statusCode).toBe(200);
  });
});
