import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, REFERENCE_NOW, type TestApp } from '../../testing/app.ts';
import { testDialects } from '../../testing/databases.ts';
import { seedFixture, type Fixture } from '../../testing/fixtures.ts';
import { createSyndication, type Syndication } from './index.ts';

const HOUR = 60 * 60 * 1000;
const KST = 9 * HOUR;

async function collect<T>(pages: AsyncIterable<T[]>): Promise<{ rows: T[]; pages: number }> {
  const rows: T[] = [];
  let n = 0;
  for await (const page of pages) {
    rows.push(...page);
    n++;
  }
  return { rows, pages: n };
}

/**
 * What feeds and sitemaps read: only what readers may open, KST months, keyset pages that
 * add up to every row exactly once whatever the page size and the part boundaries.
 */
describe.each(testDialects)('syndication storage on %s', (dialect) => {
  let app: TestApp;
  let fx: Fixture;
  let syndication: Syndication;
  let boundary: number;
  let october: number;
  let hiddenArticle: number;

  beforeAll(async () => {
    app = await createTestApp({ dialect });
    fx = await seedFixture(app);
    const { writer } = app.services;
    const now = app.clock.now();
    // 2025-11-01 03:00 in Korea is still October 31 in UTC: the sitemap month is November.
    boundary = await writer.createArticle({
      sectionId: fx.sections.politics,
      title: '11월 첫 새벽 기사',
      status: 'published',
      publishedAt: Date.UTC(2025, 10, 1, 3) - KST,
      updatedAt: Date.UTC(2025, 10, 20, 9) - KST,
      authorIds: [fx.authorId],
      tags: ['새벽'],
    });
    october = await writer.createArticle({
      sectionId: fx.sections.society,
      title: '10월 마지막 밤 기사',
      status: 'published',
      publishedAt: Date.UTC(2025, 9, 31, 23, 30) - KST,
      authorIds: [fx.authorId],
    });
    // Never listed: a draft, a piece scheduled for later.
    await writer.createArticle({
      sectionId: fx.sections.politics,
      title: '작성 중',
      authorIds: [fx.authorId],
      tags: ['초안만'],
    });
    await writer.createArticle({
      sectionId: fx.sections.politics,
      title: '예약',
      status: 'published',
      publishedAt: now + HOUR,
      authorIds: [fx.authorId],
      tags: ['예약만'],
    });
    const hidden = await app.database.db
      .selectFrom('articles')
      .select('id')
      .where('section_id', '=', fx.sections.hidden)
      .executeTakeFirstOrThrow();
    hiddenArticle = Number(hidden.id);
    syndication = createSyndication({
      db: app.database.db,
      clock: app.clock,
      mediaUrl: (key) => `/media/${key}`,
      sections: () => app.services.content.allSectionsForDesk(),
      batchSize: 2,
    });
  });
  afterAll(async () => {
    await app.close();
  });

  it('feeds list the newest readable articles of visible sections, with bylines and corrections', async () => {
    const [newest] = fx.published.slice(-1);
    await app.database.db
      .insertInto('article_notices')
      .values([
        {
          article_id: newest ?? 0,
          kind: 'correction',
          body: '바로잡습니다.',
          created_at: REFERENCE_NOW,
        },
        {
          article_id: newest ?? 0,
          kind: 'reply',
          body: '거둔 반론',
          created_at: REFERENCE_NOW,
          withdrawn_at: REFERENCE_NOW,
        },
      ])
      .execute();
    const items = await syndication.feedArticles({ limit: 50, withBody: false });
    const ids = items.map((i) => i.id);
    expect(ids).not.toContain(hiddenArticle);
    expect(ids).toHaveLength(fx.published.length + 2);
    expect(ids.slice(0, 3)).toEqual(fx.published.slice(-3).reverse());
    const first = items[0];
    expect(first?.bylines.map((b) => b.name)).toEqual(['김탐나']);
    expect(first?.notices).toEqual([
      { kind: 'correction', body: '바로잡습니다.', createdAt: REFERENCE_NOW, updatedAt: null },
    ]);
    expect(first?.bodyHtml).toBeNull();
    expect(first?.photo?.id).toBe(fx.photoId);
    const full = await syndication.feedArticles({ limit: 1, withBody: true });
    expect(full[0]?.bodyHtml).toContain('첫 문단입니다');
  });

  it('a section feed holds its sub-sections; a byline feed only its articles', async () => {
    const scope = await syndication.sectionScope(fx.sections.society);
    expect(scope?.sectionIds).toEqual([fx.sections.society, fx.sections.jejuCity]);
    expect(await syndication.sectionScope(fx.sections.hidden)).toBeNull();
    expect((await syndication.sectionBySlug('jeju-city'))?.id).toBe(fx.sections.jejuCity);
    const items = await syndication.feedArticles({
      limit: 50,
      sectionIds: scope?.sectionIds ?? [],
      withBody: false,
    });
    expect(new Set(items.map((i) => i.section.slug))).toEqual(new Set(['society', 'jeju-city']));
    const other = await app.services.writer.createAuthor({
      name: '문하람',
      email: 'moon@tamnailbo.example',
    });
    const own = await app.services.writer.createArticle({
      sectionId: fx.sections.incidents,
      title: '문하람의 기사',
      status: 'published',
      publishedAt: app.clock.now() - 1000,
      authorIds: [other, fx.authorId],
    });
    const byline = await syndication.feedArticles({ limit: 50, authorId: other, withBody: false });
    expect(byline.map((i) => i.id)).toEqual([own]);
    expect(byline[0]?.bylines.map((b) => b.name)).toEqual(['문하람', '김탐나']);
  });

  it('groups sitemap months by the Korean calendar, with counts and latest changes', async () => {
    const months = await syndication.sitemapMonths();
    expect(months.map((m) => m.key)).toEqual(['2025-10', '2025-11', '2025-12']);
    const [oct, nov, dec] = months;
    expect(oct?.count).toBe(1);
    expect(nov?.count).toBe(1);
    expect(nov?.lastmod).toBe(Date.UTC(2025, 10, 20, 9) - KST);
    expect(nov?.from).toBe(Date.UTC(2025, 9, 31, 15));
    // The current month ends now: the scheduled piece is not counted yet.
    expect(dec?.to).toBe(app.clock.now() + 1);
    const readableInDecember = await app.database.db
      .selectFrom('articles')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('status', '=', 'published')
      .where('published_at', '>=', dec?.from ?? 0)
      .where('published_at', '<=', app.clock.now())
      .executeTakeFirstOrThrow();
    expect(dec?.count).toBe(Number(readableInDecember.n));
    const rows = await collect(syndication.articleRows(oct?.from ?? 0, nov?.to ?? 0, 0, 10));
    expect(rows.rows.map((r) => r.id)).toEqual([october, boundary]);
  });

  it('streams a month in keyset pages whose parts add up to every row once', async () => {
    const dec = (await syndication.sitemapMonths()).at(-1);
    if (dec === undefined) throw new Error('no month');
    const whole = await collect(syndication.articleRows(dec.from, dec.to, 0, 1000));
    expect(whole.rows).toHaveLength(dec.count);
    expect(whole.pages).toBe(Math.ceil(dec.count / 2));
    const keys = whole.rows.map((r) => [Number(r.published_at), r.id] as const);
    const sorted = [...keys].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    expect(keys).toEqual(sorted);
    // Parts of 3 (odd, across page boundaries of 2) are the same rows in the same order.
    const parts: number[] = [];
    for (let offset = 0; offset < dec.count; offset += 3)
      parts.push(
        ...(await collect(syndication.articleRows(dec.from, dec.to, offset, 3))).rows.map(
          (r) => r.id,
        ),
      );
    expect(parts).toEqual(whole.rows.map((r) => r.id));
  });

  it('the news sitemap lists the articles since a time, newest first, up to a limit', async () => {
    const now = app.clock.now();
    const rows = await syndication.newsRows(now - 48 * HOUR, 1000);
    for (const r of rows) expect(r.publishedAt).toBeGreaterThan(now - 48 * HOUR);
    expect(rows.map((r) => r.publishedAt)).toEqual(
      [...rows.map((r) => r.publishedAt)].sort((a, b) => b - a),
    );
    expect(await syndication.newsRows(now - 48 * HOUR, 2)).toEqual(rows.slice(0, 2));
    expect(rows.some((r) => r.title === '예약')).toBe(false);
  });

  it('lists bylines and tags with an article out, in id order, in parts', async () => {
    const reporters = await collect(syndication.reporterRows(0, 100));
    expect(await syndication.reporterCount()).toBe(reporters.rows.length);
    expect(reporters.rows.map((r) => r.id)).toContain(fx.authorId);
    const tags = await collect(syndication.tagRows(0, 100));
    const names = tags.rows.map((t) => t.name);
    expect(await syndication.tagCount()).toBe(names.length);
    expect(names).toContain('제주');
    expect(names).toContain('새벽');
    expect(names).not.toContain('초안만');
    expect(names).not.toContain('예약만');
    const ids = tags.rows.map((t) => t.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    const second = await collect(syndication.tagRows(3, 3));
    expect(second.rows.map((t) => t.id)).toEqual(ids.slice(3, 6));
  });

  it('dates each visible section by its newest article, its sub-sections’ included', async () => {
    const sections = await syndication.sectionsWithLatest();
    expect(sections.map((s) => s.slug)).not.toContain('archive');
    const society = sections.find((s) => s.slug === 'society');
    const jeju = sections.find((s) => s.slug === 'jeju-city');
    expect(society?.latest).toBe(Math.max(society?.latest ?? 0, jeju?.latest ?? 0));
    expect(jeju?.latest).not.toBeNull();
  });

  it('finds the title of an article readers may open, in any section', async () => {
    expect(await syndication.readableTitle(hiddenArticle)).toBe('숨긴 섹션 기사');
    const draft = await app.database.db
      .selectFrom('articles')
      .select('id')
      .where('title', '=', '작성 중')
      .executeTakeFirstOrThrow();
    expect(await syndication.readableTitle(Number(draft.id))).toBeNull();
  });
});
