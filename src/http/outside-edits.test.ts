import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toKstIso } from '../shared/kst.ts';
import { createTestApp, type TestApp } from '../testing/app.ts';
import { testDialects } from '../testing/databases.ts';
import { readFeed, readSitemap } from '../testing/feed-readers.ts';
import { seedFixture, type Fixture } from '../testing/fixtures.ts';

const HOUR = 60 * 60 * 1000;
const SITE = 'https://news.example.kr';
const PARTNER = 'naver-0123456789abcdef0123456789';

/**
 * A photo's caption or credit and a byline's name, title or e-mail are edited outside the
 * article (the photo library, the 기자 페이지 profile, the staff account), yet readers see
 * them on the article. Every consumer must hear of it: the feeds' and sitemaps' dates, the
 * content API's updatedAt and the partner feed's revision, as for an edit of the article.
 */
describe.each(testDialects)('edits outside the article reach every consumer on %s', (dialect) => {
  let app: TestApp;
  let fx: Fixture;
  let apiKey: string;
  let article: number;
  let staffUser: number;
  let staffByline: number;
  let guest: number;
  let cursor: string;

  beforeAll(async () => {
    app = await createTestApp({ dialect, env: { TAMNA_PARTNER_TOKEN: PARTNER } });
    fx = await seedFixture(app, { articlesPerSection: 1 });
    apiKey = (await app.services.apiKeys.create({ name: '연동', rateLimit: 1000, createdBy: null }))
      .key;
    const staff = await app.services.accounts.createUser({
      email: 'reporter@tamnailbo.example',
      name: '박기자',
      role: 'reporter',
    });
    staffUser = staff.user.id;
    staffByline = staff.user.authorId ?? 0;
    guest = await app.services.writer.createAuthor({ name: '외부', email: 'guest@example.kr' });
    article = await app.services.writer.createArticle({
      sectionId: fx.sections.society,
      title: '바깥에서 고친 것이 보이는 기사',
      bodyHtml: '<p>본문</p>',
      status: 'published',
      publishedAt: app.clock.now() - HOUR,
      authorIds: [staffByline, guest],
      featuredPhotoId: fx.photoId,
      photoIds: [fx.photoId],
    });
    cursor = await partnerCursor();
    await app.services.webhooks.create(
      { url: 'https://hooks.example.kr/tamna', description: '수신', events: ['article.updated'] },
      null,
    );
  });
  afterAll(async () => {
    await app?.close();
  });

  const get = (url: string) =>
    app.http.inject({ url, headers: { authorization: `Bearer ${apiKey}` } });

  async function partnerCursor(): Promise<string> {
    const res = await app.http.inject({
      url: '/partner/feed.json?since=now',
      headers: { authorization: `Bearer ${PARTNER}` },
    });
    return res.json<{ next: string }>().next;
  }

  /** What each consumer says of the article now. */
  async function consumers() {
    const rss = await readFeed((await get('/rss/allArticle.xml')).body);
    const atom = await readFeed((await get(`/atom/S1N${fx.sections.society}.xml`)).body);
    const reporterFeed = await readFeed((await get(`/reporter/${guest}/rss`)).body);
    const link = `${SITE}/news/${article}`;
    const month = readSitemap((await get('/sitemaps/articles-2025-12.xml')).body);
    const index = readSitemap((await get('/sitemap.xml')).body);
    const news = readSitemap((await get('/sitemap-news.xml')).body);
    const api = (await get(`/api/v1/articles/${article}`)).json<{
      updatedAt: string;
      bylines: { name: string; title: string; email: string | null }[];
      featuredPhoto: { caption: string; credit: string };
    }>();
    const partner = await app.http.inject({
      url: `/partner/feed.json?since=${cursor}`,
      headers: { authorization: `Bearer ${PARTNER}` },
    });
    const page = partner.json<{
      items: {
        id: number;
        revision: number;
        modifiedAt: string;
        reporters: { name: string; email: string | null; title: string }[];
        images: { caption: string; credit: string }[];
      }[];
      next: string;
    }>();
    cursor = page.next;
    const rssItem = rss.items.find((i) => i.link === link);
    return {
      rss: rssItem,
      atomUpdated: atom.items.find((i) => i.link === link)?.updated,
      reporterFeed: reporterFeed.items.find((i) => i.link === link),
      lastmod: month.entries.find((e) => e.loc === link)?.lastmod,
      indexLastmod: index.entries.find((e) => e.loc.endsWith('/articles-2025-12.xml'))?.lastmod,
      newsLastmod: news.entries.find((e) => e.loc === link)?.lastmod,
      api,
      partner: page.items.filter((i) => i.id === article),
    };
  }

  /** The articles an article.updated webhook event was queued for since the last call. */
  async function updatedEvents(): Promise<number[]> {
    const rows = await app.database.db
      .selectFrom('webhook_events')
      .select('article_id')
      .where('type', '=', 'article.updated')
      .execute();
    await app.database.db.deleteFrom('webhook_events').execute();
    return rows.map((r) => Number(r.article_id));
  }

  /** Every date consumers read says `at`, partners get the article once more, webhooks hear. */
  async function expectChangedAt(at: number, revisionBefore: number) {
    expect(await updatedEvents(), 'article.updated webhook').toContain(article);
    const now = await consumers();
    const iso = toKstIso(at);
    expect(now.atomUpdated, 'Atom updated').toBe(iso);
    expect(now.lastmod, 'sitemap lastmod').toBe(iso);
    expect(now.indexLastmod, 'sitemap index lastmod').toBe(iso);
    expect(now.newsLastmod, 'news sitemap lastmod').toBe(iso);
    expect(now.api.updatedAt, 'API updatedAt').toBe(iso);
    expect(now.partner, 'partner feed').toHaveLength(1);
    expect(now.partner[0]?.revision, 'partner revision').toBe(revisionBefore + 1);
    expect(now.partner[0]?.modifiedAt, 'partner modifiedAt').toBe(iso);
    return now;
  }

  it('dates a caption and credit edit in the photo library on every article showing the photo', async () => {
    const before = await consumers();
    expect(before.rss?.media[0]?.description).toBe('제주항 전경');
    const revision = await partnerRevisionBefore();
    app.clock.advance(5 * 60_000);
    await app.services.photos.updatePhotoText(fx.photoId, {
      caption: '제주항 전경, 9일 오후',
      credit: '사진=탐나일보 사진부',
    });
    const after = await expectChangedAt(app.clock.now(), revision);
    expect(after.rss?.media[0]).toMatchObject({
      description: '제주항 전경, 9일 오후',
      credit: '사진=탐나일보 사진부',
    });
    expect(after.api.featuredPhoto).toMatchObject({
      caption: '제주항 전경, 9일 오후',
      credit: '사진=탐나일보 사진부',
    });
    expect(after.partner[0]?.images[0]).toMatchObject({ caption: '제주항 전경, 9일 오후' });
    // The fixture's articles show the photo too: dated as well.
    const other = fx.published[0] ?? 0;
    expect((await get(`/api/v1/articles/${other}`)).json<{ updatedAt: string }>().updatedAt).toBe(
      toKstIso(app.clock.now()),
    );
  });

  it('dates a renamed outside writer’s byline on every article of theirs', async () => {
    app.clock.advance(5 * 60_000);
    const revision = await partnerRevisionBefore();
    await app.services.writer.updateAuthorProfile(guest, {
      beat: '',
      intro: '',
      identity: { name: '외부 필자', title: '객원 기자', email: 'guest@example.kr' },
    });
    const after = await expectChangedAt(app.clock.now(), revision);
    expect(after.rss?.authors).toEqual(['박기자 기자', '외부 필자 객원 기자']);
    expect(after.reporterFeed?.authors).toContain('외부 필자 객원 기자');
    expect(after.api.bylines[1]).toMatchObject({ name: '외부 필자', title: '객원 기자' });
    expect(after.partner[0]?.reporters[1]).toMatchObject({ name: '외부 필자', title: '객원 기자' });
    // A profile edit readers do not see on the article (the 소개) dates nothing.
    app.clock.advance(60_000);
    await app.services.writer.updateAuthorProfile(guest, {
      beat: '문화',
      intro: '제주 문화를 씁니다.',
      identity: { name: '외부 필자', title: '객원 기자', email: 'guest@example.kr' },
    });
    const same = await consumers();
    expect(same.api.updatedAt).toBe(toKstIso(app.clock.now() - 60_000));
    expect(same.partner).toEqual([]);
    expect(await updatedEvents()).toEqual([]);
  });

  it('dates a staff member’s new name and e-mail on every article of their byline', async () => {
    app.clock.advance(5 * 60_000);
    const revision = await partnerRevisionBefore();
    await app.services.accounts.updateUser(staffUser, {
      name: '박새이름',
      email: 'park@tamnailbo.example',
    });
    const after = await expectChangedAt(app.clock.now(), revision);
    expect(after.rss?.authors[0]).toBe('박새이름 기자');
    expect(after.api.bylines[0]).toMatchObject({
      name: '박새이름',
      email: 'park@tamnailbo.example',
    });
    expect(after.partner[0]?.reporters[0]).toMatchObject({
      name: '박새이름',
      email: 'park@tamnailbo.example',
    });
  });

  /** The article's revision as partners last saw it. */
  async function partnerRevisionBefore(): Promise<number> {
    const row = await app.database.db
      .selectFrom('articles')
      .select('revision')
      .where('id', '=', article)
      .executeTakeFirstOrThrow();
    return Number(row.revision);
  }
});
